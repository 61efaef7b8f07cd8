"""A notification queue of one consumer's own: created, subscribed with a filter, deleted.

Every step is idempotent, so a run interrupted anywhere is finished by running
it again: ``CreateQueue`` of an existing queue returns its URL, the queue
policy is set whole, ``Subscribe`` with the same attributes returns the
existing subscription, and ``Unsubscribe`` and ``DeleteQueue`` take "not
found" as done. Subscriptions are removed before the queue, so an interrupted
deletion never leaves a subscription whose queue is gone.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from sagemaker_async.aws import call, retrying
from sagemaker_async.errors import Problem, ResourceNotFoundError, ServiceError, ValidationError
from sagemaker_async.models import constraints as c
from sagemaker_async.models import validation as v

from ._request import ID_PREFIX_RULES

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

T = TypeVar("T")

log = logging.getLogger("sagemaker_async")

QUEUE_NAME_PATTERN: Final = r"[A-Za-z0-9_-]{1,80}"
TOPIC_ARN_PATTERN: Final = r"arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?"
SUBSCRIBE_CONFLICT: Final = "already exists with different attributes"


def _topics(value: Iterable[str]) -> tuple[str, ...]:
    # One string is one topic; duplicates are subscribed once. Anything else is
    # left as it is, for validation to report.
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        return tuple(dict.fromkeys(value))
    return value


@attrs.frozen(kw_only=True)
class QueueSpec:
    """The arguments of ``NotificationQueue.create``, checked before any call."""

    name: str = attrs.field(
        metadata=v.rules(
            c.TEXT,
            v.Rule(
                "a standard queue (SNS delivers SageMaker's notifications to standard "
                "queues; FIFO queues, named *.fifo, are refused)",
                lambda name: not name.endswith(".fifo"),
            ),
            v.pattern(
                QUEUE_NAME_PATTERN,
                f"1 to 80 letters, digits, hyphens and underscores (pattern {QUEUE_NAME_PATTERN})",
            ),
        )
    )
    topics: tuple[str, ...] = attrs.field(
        converter=_topics,
        metadata=v.rules(
            v.is_type(tuple, expected="a sequence of SNS topic ARNs"),
            v.count(1, 100, "topic ARNs"),
            v.each(
                c.TEXT,
                v.pattern(
                    TOPIC_ARN_PATTERN,
                    "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:name",
                ),
            ),
        ),
    )
    inference_id_prefix: str | None = attrs.field(
        default=None, metadata=v.rules(*ID_PREFIX_RULES, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, subject="NotificationQueue.create")

    def check_region(self, region: str | None) -> None:
        """Every topic is in *region*, the SNS client's: Subscribe is called there."""
        problems = [
            Problem(f"topics[{index}]", f"a topic in {region}, the region of the sns client", arn)
            for index, arn in enumerate(self.topics)
            if region is not None and arn.split(":")[3] != region
        ]
        if problems:
            raise ValidationError("NotificationQueue.create", problems)

    def queue_policy(self, queue_arn: str) -> str:
        """The queue policy: the topics, and only they, may send to the queue."""
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "SageMakerNotifications",
                        "Effect": "Allow",
                        "Principal": {"Service": "sns.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": queue_arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": list(self.topics)}},
                    }
                ],
            }
        )

    def subscription_attributes(self) -> dict[str, str]:
        """The filter on the message body: results whose ``inferenceId`` has the prefix."""
        if self.inference_id_prefix is None:
            return {}
        policy = {"inferenceId": [{"prefix": self.inference_id_prefix}]}
        return {"FilterPolicyScope": "MessageBody", "FilterPolicy": json.dumps(policy)}


def _call(operation: str, method: Callable[..., T], /, **kwargs: Any) -> T:
    # Every step is idempotent: throttling, a 5xx or a lost answer is simply asked again.
    return retrying(lambda: call(operation, method, **kwargs), sleep=time.sleep)


def create_queue(spec: QueueSpec, sqs: SQSClient, sns: SNSClient) -> tuple[str, tuple[str, ...]]:
    """Create the queue, let the topics send to it, subscribe it; its URL and subscriptions."""
    url = _call("CreateQueue", sqs.create_queue, QueueName=spec.name)["QueueUrl"]
    try:
        attributes = _call(
            "GetQueueAttributes",
            sqs.get_queue_attributes,
            QueueUrl=url,
            AttributeNames=["QueueArn"],
        )
        queue_arn = attributes["Attributes"]["QueueArn"]
        _call(
            "SetQueueAttributes",
            sqs.set_queue_attributes,
            QueueUrl=url,
            Attributes={"Policy": spec.queue_policy(queue_arn)},
        )
        subscriptions = tuple(_subscribe(spec, sns, queue_arn))
    except ServiceError as error:
        error.add_note(
            f"The queue {url} exists: run NotificationQueue.create again to finish "
            "setting it up, or .delete() the queue it returns."
        )
        raise
    return url, subscriptions


def _subscribe(spec: QueueSpec, sns: SNSClient, queue_arn: str) -> Iterator[str]:
    attributes = spec.subscription_attributes()
    for topic in spec.topics:
        try:
            response = _call(
                "Subscribe",
                sns.subscribe,
                TopicArn=topic,
                Protocol="sqs",
                Endpoint=queue_arn,
                Attributes=attributes,
                ReturnSubscriptionArn=True,
            )
        except ServiceError as error:
            if SUBSCRIBE_CONFLICT in error.message:
                error.add_note(
                    f"The queue is subscribed to {topic} with another filter already (an "
                    "earlier create with another inference_id_prefix): delete that queue "
                    "first, or give this consumer a queue name of its own."
                )
            raise
        yield response["SubscriptionArn"]


def delete_queue(
    sqs: SQSClient, sns: SNSClient | None, queue_url: str, subscriptions: Iterable[str]
) -> None:
    """Unsubscribe, then delete the queue; what is gone already counts as done."""
    if sns is not None:  # no client: no subscription on record
        for arn in subscriptions:
            _gone_is_done("Unsubscribe", sns.unsubscribe, SubscriptionArn=arn)
    _gone_is_done("DeleteQueue", sqs.delete_queue, QueueUrl=queue_url)


def _gone_is_done(operation: str, method: Callable[..., object], /, **kwargs: Any) -> None:
    try:
        _call(operation, method, **kwargs)
    except ResourceNotFoundError as error:
        log.debug("%s: gone already (%s)", operation, error)
