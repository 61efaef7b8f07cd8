"""SageMaker's SNS notifications of inference results, read from an SQS queue."""

from __future__ import annotations

import base64
import collections
import json
import logging
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from sagemaker_async.aws import call

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

log = logging.getLogger("sagemaker_async")

MAX_WAIT_SECONDS = 20
"""The longest long poll SQS allows."""

REMEMBERED = 100_000
"""How many inference ids a queue remembers handing over, to delete late copies."""


@attrs.frozen
class Notification:
    """One message of the queue, as far as awaiting results needs it."""

    receipt_handle: str
    event: Literal["InferenceResult", "TestNotification", "Unknown"]
    inference_id: str | None = None
    completed: bool = False
    output_location: str | None = None
    failure_location: str | None = None
    failure_reason: str | None = None
    # The response itself, when the config includes it in this topic's messages.
    body: bytes | None = None


def _payload(body: str) -> Mapping[str, Any] | None:
    try:
        data: Any = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    event: dict[str, Any] = data  # pyright: ignore[reportUnknownVariableType]
    # Through an SNS subscription without raw delivery, the event is a JSON
    # string inside the envelope's "Message".
    message = event.get("Message")
    if event.get("Type") == "Notification" and isinstance(message, str):
        return _payload(message)
    return event


def parse(receipt_handle: str, body: str) -> Notification:
    """Read an SQS message body: an SNS envelope or SageMaker's event itself."""
    data = _payload(body)
    if data is None:
        return Notification(receipt_handle, "Unknown")
    event = data.get("eventName")
    if event == "TestNotification":
        return Notification(receipt_handle, "TestNotification")
    inference_id = data.get("inferenceId")
    status = data.get("invocationStatus")
    if event != "InferenceResult" or not isinstance(inference_id, str) or status is None:
        return Notification(receipt_handle, "Unknown")
    response: Mapping[str, Any] = data.get("responseParameters") or {}
    return Notification(
        receipt_handle,
        "InferenceResult",
        inference_id=inference_id,
        completed=status == "Completed",
        output_location=response.get("outputLocation"),
        failure_location=response.get("failureLocation"),
        failure_reason=data.get("failureReason"),
        body=_included_body(data.get("responseBody")),
    )


def _included_body(field: object) -> bytes | None:
    # {"content": "<base64>", "encoding": "BASE64", "message": "..."}, present when
    # IncludeInferenceResponseIn names the topic and the response is small enough.
    if not isinstance(field, Mapping):
        return None
    included: Mapping[str, object] = field  # pyright: ignore[reportUnknownVariableType]
    content = included.get("content")
    encoding = included.get("encoding", "BASE64")
    if not isinstance(content, str) or encoding != "BASE64":
        return None
    try:
        return base64.b64decode(content, validate=True)
    except ValueError:
        return None


class NotificationQueue:
    """An SQS queue subscribed to the endpoint's success and error topics.

    Pass it as ``notifications=`` to :func:`as_completed`, :func:`wait_all` or
    :meth:`AsyncInvocation.result` to learn of results by SQS long polling
    instead of polling S3 (S3 is then read only for the result bodies). Both
    SNS envelopes and raw message delivery are understood.

    A message is deleted only once its invocation has been handed to the
    caller; messages about inferences the caller is not awaiting are left for
    other consumers, and ``TestNotification`` messages are deleted. A result
    reported twice (SageMaker ran a retried request twice) is handed over
    once; a copy arriving later, while this queue object awaits others, is
    deleted.

    Args:
        queue_url: The queue's URL.
        sqs_client: The ``sqs`` boto3 client; by default one of the default session.
        visibility_timeout: Seconds a received message stays hidden from others.
    """

    def __init__(
        self,
        queue_url: str,
        *,
        sqs_client: SQSClient | None = None,
        visibility_timeout: int = 60,
    ) -> None:
        self.queue_url = queue_url
        self._sqs = sqs_client
        self.visibility_timeout = visibility_timeout
        self._handed_over: collections.OrderedDict[str, None] = collections.OrderedDict()

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
            import boto3

            sqs: SQSClient = boto3.client("sqs")  # pyright: ignore[reportUnknownMemberType]
            self._sqs = sqs
        return self._sqs

    def receive(self, wait_seconds: float) -> list[Notification]:
        """Up to 10 messages, long polling for *wait_seconds* rounded up (1 to 20)."""
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
            parse(m.get("ReceiptHandle", ""), m.get("Body", ""))
            for m in response.get("Messages", ())
        ]

    def delete(self, receipt_handles: Iterable[str]) -> None:
        """Delete handled messages, ten to a request."""
        handles = list(dict.fromkeys(receipt_handles))
        for start in range(0, len(handles), 10):
            batch = handles[start : start + 10]
            response = call(
                "DeleteMessageBatch",
                self.sqs.delete_message_batch,
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(batch)],
            )
            for failed in response.get("Failed", ()):
                # An expired receipt: the message comes back and is handled as a duplicate.
                log.warning("could not delete a notification: %s", failed.get("Message"))
