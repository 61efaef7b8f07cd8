"""Patches on moto's SNS and SQS where they differ from AWS in what notification consumers see.

- Filter policies on the message body (``FilterPolicyScope=MessageBody``) are
  evaluated as in :mod:`._sns_filters`: moto fails the whole Publish on a
  prefix or numeric condition over a number or an array, calls a string that
  holds JSON equal to a key in it, ignores ``null``, and drops a message that
  lacks the parent of an ``"exists": false`` property.
- Setting ``FilterPolicyScope`` after ``FilterPolicy`` takes effect (moto kept
  the scope the policy was set with).
- ``Subscribe`` for a topic, protocol and endpoint subscribed already returns
  the subscription when the attributes given are its own, and otherwise
  answers ``InvalidParameter`` (moto replaced the attributes silently).
- Delivery to an SQS queue that no longer exists is dropped, as SNS drops it;
  moto failed the publisher's Publish.
- A message made visible again (``ChangeMessageVisibility`` to 0) wakes the
  long polls waiting on its queue at once; moto woke them for new messages
  only, and found it up to a second later.

Class attributes are replaced, so both transports are patched; undone on exit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator, Mapping
from contextlib import contextmanager
from typing import Any, Final

from moto.sns.exceptions import SNSInvalidParameter
from moto.sns.models import SNSBackend, Subscription
from moto.sns.responses import SNSResponse
from moto.sns.utils import FilterPolicyMatcher
from moto.sqs.exceptions import QueueDoesNotExist
from moto.sqs.models import SQSBackend

from sagemaker_async.testing.control_plane._moto_patch import Patcher

from ._sns_filters import body_matches

log = logging.getLogger("sagemaker_async.testing")

SCOPES: Final = ("MessageAttributes", "MessageBody")
SUBSCRIBE_CONFLICT: Final = (
    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
)
# What SNS takes an attribute a subscription was never given to be.
_DEFAULTS: Final[Mapping[str, str]] = {
    "RawMessageDelivery": "false",
    "FilterPolicyScope": "MessageAttributes",
}


@contextmanager
def patched_delivery() -> Generator[None, None, None]:
    """moto's SNS and SQS with the behaviours listed in this module's docstring."""
    patcher = Patcher()
    try:
        _patch_body_filters(patcher)
        _patch_scope(patcher)
        _patch_subscribe(patcher)
        _patch_delivery(patcher)
        _patch_wakeups(patcher)
        yield
    finally:
        patcher.restore()


def _patch_body_filters(patcher: Patcher) -> None:
    def body_based_match(self: FilterPolicyMatcher, message_dict: Any) -> bool:
        return body_matches(self.filter_policy, message_dict)

    patcher.replace(FilterPolicyMatcher, "_body_based_match", body_based_match)


def _patch_scope(patcher: Patcher) -> None:
    set_attributes = SNSBackend.set_subscription_attributes

    def set_subscription_attributes(self: SNSBackend, arn: str, name: str, value: Any) -> None:
        if name == "FilterPolicyScope" and value not in SCOPES:
            raise SNSInvalidParameter(
                f"Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value "
                f"[{value}]. Please use either MessageBody or MessageAttributes"
            )
        set_attributes(self, arn, name, value)
        subscription = self.subscriptions.get(arn)
        policy = None if subscription is None else subscription._filter_policy  # pyright: ignore[reportPrivateUsage]
        if name == "FilterPolicyScope" and subscription is not None and policy:
            subscription._filter_policy_matcher = FilterPolicyMatcher(policy, value)  # pyright: ignore[reportPrivateUsage]

    patcher.replace(SNSBackend, "set_subscription_attributes", set_subscription_attributes)


def _same(name: str, given: object, existing: object) -> bool:
    if existing is None:
        existing = _DEFAULTS.get(name)
    if name == "FilterPolicy":
        try:
            return bool(json.loads(str(given)) == json.loads(str(existing)))
        except ValueError:
            return False
    return str(given).lower() == str(existing).lower()


def _patch_subscribe(patcher: Patcher) -> None:
    subscribe = SNSResponse.subscribe

    def checked_subscribe(self: SNSResponse) -> Any:
        existing = self.backend._find_subscription(  # pyright: ignore[reportPrivateUsage]
            self._get_param("TopicArn"),  # pyright: ignore[reportPrivateUsage]
            self._get_param("Endpoint"),  # pyright: ignore[reportPrivateUsage]
            self._get_param("Protocol"),  # pyright: ignore[reportPrivateUsage]
        )
        if existing is not None:
            given: Mapping[str, Any] = self._get_attributes()  # pyright: ignore[reportPrivateUsage]
            # Only the attributes the request gives are compared.
            if not all(_same(k, v, existing.attributes.get(k)) for k, v in given.items()):
                raise SNSInvalidParameter(SUBSCRIBE_CONFLICT)
        return subscribe(self)

    patcher.replace(SNSResponse, "subscribe", checked_subscribe)


def _patch_delivery(patcher: Patcher) -> None:
    publish = Subscription.publish

    def delivering(self: Subscription, *args: Any, **kwargs: Any) -> None:
        try:
            publish(self, *args, **kwargs)
        except QueueDoesNotExist:
            log.warning("SNS: no queue %s, message dropped", self.endpoint)

    patcher.replace(Subscription, "publish", delivering)


def _patch_wakeups(patcher: Patcher) -> None:
    change_visibility = SQSBackend.change_message_visibility

    def change_message_visibility(
        self: SQSBackend, queue_name: str, receipt_handle: str, visibility_timeout: int
    ) -> None:
        change_visibility(self, queue_name, receipt_handle, visibility_timeout)
        if int(visibility_timeout) == 0:
            queue = self.get_queue(queue_name)
            with queue._messages_lock:  # pyright: ignore[reportPrivateUsage]
                queue._messages_lock.notify_all()  # pyright: ignore[reportPrivateUsage]

    patcher.replace(SQSBackend, "change_message_visibility", change_message_visibility)
