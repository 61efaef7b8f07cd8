"""SageMaker's notifications as SQS delivers them: read, or found unreadable and why.

A message is an SNS envelope (``Type: Notification`` with the event as a JSON
string in ``Message``) or, with raw message delivery, SageMaker's event itself.
Anything else, or an event with a field of the wrong type, is unreadable: the
reason says what was wrong, so that the consumer can log it and set it aside.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs

STATUSES = ("Completed", "Failed")
"""The ``invocationStatus`` values of an ``InferenceResult``."""


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
    # Why the message cannot be understood; None for one that can.
    reason: str | None = None
    message_id: str = ""

    @property
    def unreadable(self) -> bool:
        """Whether nobody can use the message: set it aside."""
        return self.reason is not None


class _Unreadable(Exception):
    """The message cannot be understood; the text says why."""


def _clipped(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(value: object) -> str:
    return _clipped(repr(value))


def _load(text: str, what: str) -> dict[str, Any]:
    try:
        data: Any = json.loads(text)
    except ValueError as error:
        raise _Unreadable(f"{what} is not JSON: {_clipped(str(error))}") from None
    except RecursionError:
        # Deep nesting exhausts the parser's recursion, which is no ValueError.
        raise _Unreadable(f"{what} is JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise _Unreadable(f"{what} is JSON but not an object: {type(data).__name__}")
    return data  # pyright: ignore[reportUnknownVariableType]


def _event(body: str) -> dict[str, Any]:
    """SageMaker's event: the body itself (raw delivery), or inside an SNS envelope."""
    data = _load(body, "the message body")
    kind = data.get("Type")
    if kind is None:
        return data
    if kind != "Notification":
        raise _Unreadable(f"an SNS message of Type {_shown(kind)}, not a notification")
    message = data.get("Message")
    if not isinstance(message, str):
        raise _Unreadable(f"an SNS envelope whose Message is not a string: {_shown(message)}")
    return _load(message, "the SNS envelope's Message")


def _optional_text(data: Mapping[str, Any], key: str, where: str = "") -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _Unreadable(f"{where}{key} is not a string: {_shown(value)}")


def _read(receipt_handle: str, body: str, message_id: str) -> Notification:
    data = _event(body)
    event = data.get("eventName")
    if event == "TestNotification":
        return Notification(receipt_handle, "TestNotification", message_id=message_id)
    if event != "InferenceResult":
        raise _Unreadable(f"eventName {_shown(event)} is neither InferenceResult nor a test")
    inference_id = data.get("inferenceId")
    if not isinstance(inference_id, str) or not inference_id:
        raise _Unreadable(f"inferenceId is not a non-empty string: {_shown(inference_id)}")
    status = data.get("invocationStatus")
    if status not in STATUSES:
        raise _Unreadable(f"invocationStatus {_shown(status)} is neither Completed nor Failed")
    response = data.get("responseParameters")
    if response is None:
        response = {}
    if not isinstance(response, dict):
        raise _Unreadable(f"responseParameters is not an object: {_shown(response)}")
    parameters: dict[str, Any] = response  # pyright: ignore[reportUnknownVariableType]
    return Notification(
        receipt_handle,
        "InferenceResult",
        inference_id=inference_id,
        completed=status == "Completed",
        output_location=_optional_text(parameters, "outputLocation", "responseParameters."),
        failure_location=_optional_text(parameters, "failureLocation", "responseParameters."),
        failure_reason=_optional_text(data, "failureReason"),
        body=_included_body(data.get("responseBody")),
        message_id=message_id,
    )


def parse(receipt_handle: str, body: str, message_id: str = "") -> Notification:
    """Read an SQS message body: an SNS envelope or SageMaker's event itself.

    Never raises: a message that cannot be understood comes back as an
    ``Unknown`` event whose ``reason`` says why.
    """
    try:
        return _read(receipt_handle, body, message_id)
    except _Unreadable as unreadable:
        return Notification(
            receipt_handle, "Unknown", reason=str(unreadable), message_id=message_id
        )


def _included_body(field: object) -> bytes | None:
    # {"content": "<base64>", "encoding": "BASE64", "message": "..."}, present when
    # IncludeInferenceResponseIn names the topic and the response is small enough.
    # Anything else is no reason to set the message aside: the body is read from S3.
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
