"""Writing an invocation's outcome: run the model, put the output or failure in S3, notify.

Called by the scheduler when a request ends (its latency passed on an
instance) or fails without running (expired in the backlog, timed out).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final, Literal, cast

import attrs
from moto.s3.exceptions import S3ClientError
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from ._invocation import Invocation
from ._notify import MODEL_FAILURE_REASON, inference_result, publish

FAILURE_CONTENT_TYPE: Final = "text/plain; charset=utf-8"
OUTPUT_CONTENT_TYPE: Final = "application/octet-stream"


def split_s3(uri: str) -> tuple[str, str] | None:
    """``(bucket, key)`` of an ``s3://bucket/key`` URI, or None."""
    if not uri.startswith("s3://"):
        return None
    bucket, _, key = uri[len("s3://") :].partition("/")
    return (bucket, key) if bucket and key else None


Outcome = Literal["completed", "model", "download", "upload"]
"""How a request ended: a result, a model error, an unreadable input, an unwritable output."""

_DOWNLOAD: Final = "ClientError: Could not read the input"


@attrs.frozen
class _Outcome:
    body: bytes
    failure_reason: str | None  # None: completed


class Materialiser:
    """Writes outcomes through moto's S3 backend and remembers when each landed."""

    def __init__(self) -> None:
        self.landed: dict[str, float] = {}

    def complete(self, invocation: Invocation, finished_at: float) -> Outcome:
        """The request ran to its end at *finished_at*: run the model, write what it says."""
        outcome = self._run_model(invocation)
        finished = invocation.received + timedelta(seconds=finished_at - invocation.accepted_at)
        if outcome.failure_reason is None:
            response_type = invocation.accept or invocation.content_type or OUTPUT_CONTENT_TYPE
            output = invocation.output_location
            problem = self._write(invocation, output, outcome.body, response_type, finished_at)
            if problem is None:
                self._notify(
                    invocation,
                    finished,
                    None,
                    {"contentType": response_type, "outputLocation": output},
                    outcome.body if invocation.include_response_on_success else None,
                )
                return "completed"
            self._fail(invocation, finished_at, _Outcome(problem.encode(), problem))
            return "upload"
        self._fail(invocation, finished_at, outcome)
        return "download" if (outcome.failure_reason or "").startswith(_DOWNLOAD) else "model"

    def fail(self, invocation: Invocation, finished_at: float, reason: str) -> None:
        """The request failed without a model answer (expired, timed out)."""
        self._fail(invocation, finished_at, _Outcome(reason.encode(), reason))

    def _fail(self, invocation: Invocation, finished_at: float, outcome: _Outcome) -> None:
        finished = invocation.received + timedelta(seconds=finished_at - invocation.accepted_at)
        location = invocation.failure_location
        written = (
            location is not None
            and self._write(invocation, location, outcome.body, FAILURE_CONTENT_TYPE, finished_at)
            is None
        )
        response = (
            {"contentType": FAILURE_CONTENT_TYPE, "failureLocation": location}
            if written and location is not None
            else None
        )
        self._notify(
            invocation,
            finished,
            outcome.failure_reason or MODEL_FAILURE_REASON,
            response,
            outcome.body if invocation.include_response_on_failure else None,
        )

    def _run_model(self, invocation: Invocation) -> _Outcome:
        body = invocation.body
        if body is None:
            body = self._read_input(invocation)
            if body is None:
                reason = f"{_DOWNLOAD} at {invocation.input_location}: no such object."
                return _Outcome(reason.encode(), reason)
        try:
            # Typed to return bytes, but user code: check what came back.
            result = cast(object, invocation.handler(body, invocation.content_type))
        except Exception as error:
            return _Outcome(f"ModelError: {error}".encode(), MODEL_FAILURE_REASON)
        if isinstance(result, str):
            return _Outcome(result.encode(), None)
        if isinstance(result, bytes | bytearray):
            return _Outcome(bytes(result), None)
        message = f"ModelError: the handler returned {type(result).__name__}, not bytes"
        return _Outcome(message.encode(), MODEL_FAILURE_REASON)

    def _read_input(self, invocation: Invocation) -> bytes | None:
        location = split_s3(invocation.input_location or "")
        if location is None:
            return None
        backend = s3_backends[invocation.account_id][get_partition(invocation.region)]
        try:
            key = backend.get_object(*location)
        except S3ClientError:
            return None
        return None if key is None else bytes(key.value)

    def _write(
        self, invocation: Invocation, uri: str, body: bytes, content_type: str, at: float
    ) -> str | None:
        """Write *body* to *uri*; None when written, else the failure reason."""
        location = split_s3(uri)
        backend = s3_backends[invocation.account_id][get_partition(invocation.region)]
        try:
            if location is None:
                raise ValueError(uri)
            key = backend.put_object(location[0], location[1], body)
        except (S3ClientError, ValueError):
            return f"ClientError: Could not write to {uri}: no such bucket."
        key.set_metadata({"Content-Type": content_type})
        self.landed[uri] = at
        return None

    @staticmethod
    def _notify(
        invocation: Invocation,
        finished: datetime,
        failure_reason: str | None,
        response_parameters: dict[str, str] | None,
        response_body: bytes | None,
    ) -> None:
        topic = invocation.success_topic if failure_reason is None else invocation.error_topic
        if topic is None:
            return
        publish(
            topic,
            inference_result(
                region=invocation.region,
                inference_id=invocation.inference_id,
                received=invocation.received,
                finished=finished,
                request_parameters=invocation.request_parameters(),
                failure_reason=failure_reason,
                response_parameters=response_parameters,
                response_body=response_body,
            ),
        )
