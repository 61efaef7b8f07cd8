"""SageMaker's SNS notifications of inference results, read from an SQS queue."""

from __future__ import annotations

import collections
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sagemaker_async.aws import Services, call, is_transient
from sagemaker_async.errors import AccessDeniedError, ServiceError

from ._messages import Notification, parse
from ._queue_arguments import check_queue, check_wait
from ._queue_setup import QueueSpec, create_queue, delete_queue

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import ChangeMessageVisibilityBatchResultTypeDef

log = logging.getLogger("sagemaker_async")

MAX_WAIT_SECONDS = 20
"""The longest long poll SQS allows."""

REMEMBERED = 100_000
"""How many inference ids a queue remembers handing over, to delete late copies."""


def _handle(message: str | Notification) -> str:
    return message if isinstance(message, str) else message.receipt_handle


class NotificationQueue:
    """An SQS queue subscribed to the endpoint's success and error topics.

    Pass it as ``notifications=`` to :func:`as_completed`, :func:`wait_all` or
    :meth:`AsyncInvocation.result` to learn of results by SQS long polling
    instead of polling S3 (S3 is then read only for the result bodies). Both
    SNS envelopes and raw message delivery are understood.

    A message is deleted only once its invocation has been handed to the
    caller, and ``TestNotification`` messages are deleted. A message about an
    inference the caller is not awaiting is another consumer's: it is made
    visible again at once (``ChangeMessageVisibility`` to 0), so that its owner
    gets it without waiting for the visibility timeout. A result reported twice
    (SageMaker ran a retried request twice) is handed over once; a copy
    arriving later, while this queue object awaits others, is deleted.

    A message nobody can understand (not JSON, another kind of event, a field
    of the wrong type) is logged with its reason, counted in :attr:`set_aside`
    and set aside: deleted, or, when the queue has a redrive policy, left for
    SQS to move to the dead-letter queue after ``maxReceiveCount`` receives.
    It never stops the results of others from being handed over.

    Several consumer processes are best served by a queue each, filtered on
    their inference ids: see :meth:`create`.

    Args:
        queue_url: The queue's URL.
        sqs_client: The ``sqs`` boto3 client; by default one of the default session.
        visibility_timeout: Seconds a received message stays hidden from others
            (a whole number from 0 to 43200).

    Raises:
        ValidationError: *queue_url* is not an SQS queue URL, or
            *visibility_timeout* is out of range (before any call).
    """

    def __init__(
        self,
        queue_url: str,
        *,
        sqs_client: SQSClient | None = None,
        visibility_timeout: int = 60,
    ) -> None:
        check_queue(queue_url, visibility_timeout)
        self.queue_url = queue_url
        self._sqs = sqs_client
        self.visibility_timeout = visibility_timeout
        self._handed_over: collections.OrderedDict[str, None] = collections.OrderedDict()
        # Others' results this queue handed back, and how often: see _returned_after.
        self._returned: collections.OrderedDict[str, int] = collections.OrderedDict()
        self._sns: SNSClient | None = None
        self._subscriptions: tuple[str, ...] = ()
        self._release_denied = False
        # Unreadable messages: the ids of those set aside, and whether SQS moves them
        # to a dead-letter queue (None: not known yet).
        self._set_aside: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._set_aside_count = 0
        self._redrive: bool | None = None
        self._lock = threading.Lock()

    @classmethod
    def create(
        cls,
        name: str,
        *,
        topics: Iterable[str],
        inference_id_prefix: str | None = None,
        sqs_client: SQSClient | None = None,
        sns_client: SNSClient | None = None,
    ) -> NotificationQueue:
        """Create a queue of one consumer's own, subscribed to *topics*; return it.

        The queue's policy lets exactly *topics* send to it. With
        *inference_id_prefix*, each subscription filters on the message body
        (``FilterPolicyScope=MessageBody``, a prefix on ``inferenceId``), so the
        queue receives only the results of inference ids starting with it: give
        the consumer's :class:`AsyncInferenceClient` the same
        ``inference_id_prefix``. Running it again is harmless and finishes a run
        that was interrupted; :meth:`delete` undoes it.

        Example::

            queue = NotificationQueue.create(
                "churn-worker-3", topics=[success, errors], inference_id_prefix="worker-3-"
            )

        Args:
            name: The queue's name: 1 to 80 letters, digits, ``-`` and ``_``.
            topics: The ARNs of the SNS topics (the endpoint's success and error
                topics), in the region of *sns_client*.
            inference_id_prefix: Receive only results whose inference id starts
                with it; None receives every result of the topics.
            sqs_client: The ``sqs`` boto3 client; by default one of the default session.
            sns_client: The ``sns`` boto3 client; likewise.

        Raises:
            ValidationError: An argument breaks a rule (before any AWS call).
            ServiceError: A step failed; what was done stays, and running
                ``create`` again finishes the job.
        """
        spec = QueueSpec(name=name, topics=topics, inference_id_prefix=inference_id_prefix)
        sns = sns_client if sns_client is not None else _default_client("sns")
        spec.check_region(sns.meta.region_name)
        sqs = sqs_client if sqs_client is not None else _default_client("sqs")
        url, subscriptions = create_queue(spec, sqs, sns)
        queue = cls(url, sqs_client=sqs)
        queue._sns, queue._subscriptions = sns, subscriptions
        return queue

    def delete(self) -> None:
        """Unsubscribe the queue from its topics (those :meth:`create` subscribed), delete it.

        What is gone already counts as done, so a deletion that was interrupted
        is finished by calling it again. A queue built from its URL alone knows
        of no subscription: only the queue is deleted.
        """
        delete_queue(self.sqs, self._sns, self.queue_url, self._subscriptions)

    def __repr__(self) -> str:
        return f"NotificationQueue({self.queue_url!r})"

    def _remember(self, inference_id: str) -> None:
        """Note that the result of *inference_id* was handed to a caller."""
        self._handed_over[inference_id] = None
        self._handed_over.move_to_end(inference_id)
        if len(self._handed_over) > REMEMBERED:
            self._handed_over.popitem(last=False)

    def _handed(self, inference_id: str | None) -> bool:
        """Whether the result of *inference_id* was handed to a caller before."""
        return inference_id in self._handed_over

    @property
    def sqs(self) -> SQSClient:
        """The ``sqs`` boto3 client in use."""
        if self._sqs is None:
            self._sqs = _default_client("sqs")
        return self._sqs

    @property
    def set_aside(self) -> int:
        """How many unreadable messages this queue object has set aside (each counted once)."""
        return self._set_aside_count

    def receive(self, wait_seconds: float) -> list[Notification]:
        """Up to 10 messages, long polling for *wait_seconds* rounded up (1 to 20).

        Raises:
            ValidationError: *wait_seconds* is not a finite number >= 0.
        """
        check_wait("NotificationQueue.receive", wait_seconds)
        seconds = max(1, min(MAX_WAIT_SECONDS, math.ceil(wait_seconds)))
        response = call(
            "ReceiveMessage",
            self.sqs.receive_message,
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=seconds,
            VisibilityTimeout=self.visibility_timeout,
        )
        return [
            parse(m.get("ReceiptHandle", ""), m.get("Body", ""), m.get("MessageId", ""))
            for m in response.get("Messages", ())
        ]

    def _setting_aside(self, messages: Iterable[Notification]) -> list[str]:
        """Log and count unreadable messages; the receipt handles of those to delete.

        With a redrive policy none is deleted: SQS moves each to the dead-letter
        queue once it has been received ``maxReceiveCount`` times. While the
        policy cannot be read (throttling), they are left alone this time.
        """
        messages = list(messages)
        if not messages:
            return []
        redrive = self._has_redrive_policy()
        fate = {
            True: "left for the queue's dead-letter queue",
            False: "deleted",
            None: "left in the queue for now",
        }[redrive]
        for message in messages:
            with self._lock:
                key = message.message_id or message.receipt_handle
                if key not in self._set_aside:
                    self._set_aside_count += 1
                self._set_aside[key] = None
                self._set_aside.move_to_end(key)
                if len(self._set_aside) > REMEMBERED:
                    self._set_aside.popitem(last=False)
            log.warning(
                "setting aside an unreadable notification (message %s, %s): %s",
                message.message_id or "without id",
                fate,
                message.reason,
            )
        return [m.receipt_handle for m in messages] if redrive is False else []

    def _has_redrive_policy(self) -> bool | None:
        """Whether the queue has a redrive policy, read once; None while unknown."""
        if self._redrive is not None:
            return self._redrive
        try:
            response = call(
                "GetQueueAttributes",
                self.sqs.get_queue_attributes,
                QueueUrl=self.queue_url,
                AttributeNames=["RedrivePolicy"],
            )
        except ServiceError as error:
            if is_transient(error):
                log.warning("could not read the queue's redrive policy, will retry: %s", error)
                return None
            # No sqs:GetQueueAttributes, say: without a known dead-letter queue, delete.
            log.warning(
                "could not read the queue's redrive policy (unreadable notifications are "
                "deleted): %s",
                error,
            )
            self._redrive = False
            return False
        self._redrive = bool(response.get("Attributes", {}).get("RedrivePolicy"))
        return self._redrive

    def _return_now(self, messages: Iterable[Notification]) -> None:
        """Make this consumer's own unhanded messages visible at once (best effort)."""
        for batch in _batches(messages, _handle):
            try:
                self._change_visibility(batch, lambda _: 0)
            except ServiceError as error:
                log.warning(
                    "could not return notifications to the queue (they come back after "
                    "the visibility timeout): %s",
                    error,
                )
                return

    def _change_visibility(
        self, batch: Sequence[str | Notification], seconds: Callable[[str | Notification], int]
    ) -> ChangeMessageVisibilityBatchResultTypeDef:
        """ChangeMessageVisibilityBatch: each message of *batch* hidden *seconds(message)*."""
        return call(
            "ChangeMessageVisibilityBatch",
            self.sqs.change_message_visibility_batch,
            QueueUrl=self.queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": _handle(each), "VisibilityTimeout": seconds(each)}
                for i, each in enumerate(batch)
            ],
        )

    def delete_messages(self, receipt_handles: Iterable[str]) -> None:
        """Delete handled messages, ten to a request."""
        for batch in _batches(receipt_handles, str):
            response = call(
                "DeleteMessageBatch",
                self.sqs.delete_message_batch,
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(batch)],
            )
            for failed in response.get("Failed", ()):
                # An expired receipt: the message comes back and is handled as a duplicate.
                log.warning("could not delete a notification: %s", failed.get("Message"))

    def _returned_after(self, message: str | Notification) -> int:
        """Seconds a message of another consumer stays hidden when this queue hands it back.

        0 the first time this consumer returns it (its owner may be waiting), then 1, 3,
        7... s each time the same result comes back to this consumer (nobody took it).
        """
        key = message if isinstance(message, str) else message.inference_id or ""
        times = self._returned.get(key, 0)
        self._returned[key] = times + 1
        self._returned.move_to_end(key)
        if len(self._returned) > REMEMBERED:
            self._returned.popitem(last=False)
        return min(int(2 ** min(times, 16)) - 1, self.visibility_timeout)

    def release(self, receipt_handles: Iterable[str | Notification]) -> None:
        """Make messages visible again soon, for the consumer that awaits them.

        A result this consumer returns for the first time is visible again at once;
        one that keeps coming back to it (its owner is gone, or it has none) stays
        hidden longer each time (1, 3, 7, 15 s... up to the visibility timeout), so
        that a queue full of such messages does not hide the ones it awaits.

        Best effort: where this fails (throttling, or no
        ``sqs:ChangeMessageVisibility``), the messages come back after the
        visibility timeout instead.
        """
        if self._release_denied:
            return
        for batch in _batches(receipt_handles, _handle):
            try:
                response = self._change_visibility(batch, self._returned_after)
            except ServiceError as error:
                if isinstance(error, AccessDeniedError):
                    self._release_denied = True
                elif not is_transient(error):
                    raise
                log.warning(
                    "could not return others' notifications to the queue (they come back "
                    "after the visibility timeout): %s",
                    error,
                )
                return
            for failed in response.get("Failed", ()):
                log.warning("could not return a notification: %s", failed.get("Message"))


T = TypeVar("T")


def _batches(items: Iterable[T], key: Callable[[T], str]) -> Iterator[list[T]]:
    """The distinct messages (by *key*), ten at a time (the most one SQS batch request takes)."""
    distinct = list({key(each): each for each in items}.values())
    for start in range(0, len(distinct), 10):
        yield distinct[start : start + 10]


def _default_client(service: Literal["sqs", "sns"]) -> Any:
    """A client of the default session, built as the library builds its own."""
    return Services().client(service)
