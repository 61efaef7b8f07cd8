"""InvokeEndpointAsync as SageMaker answers it: checked, located, queued.

The request is refused with SageMaker's ``ValidationError`` when the endpoint
is missing or not serving, when it has no AsyncInferenceConfig, or when the
payload breaks the API's rules; otherwise the invocation is queued and the
answer names where its result (and failure) will land.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Final
from urllib.parse import unquote

import attrs
from moto.core.common_types import TYPE_RESPONSE
from moto.core.exceptions import JsonRESTError
from moto.sagemaker.models import sagemaker_backends
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

from sagemaker_async.testing.control_plane._plane import ControlPlane

from ._async_config import (
    ERROR_NOTIFICATION_TOPIC,
    SUCCESS_NOTIFICATION_TOPIC,
    AsyncSettings,
    endpoint_settings,
)
from ._fulfilment import Fulfilment
from ._invocation import Invocation

INLINE_BODY_LIMIT: Final = 128_000
"""The largest inline ``Body`` InvokeEndpointAsync accepts, in bytes."""

# Statuses in which an endpoint has instances serving requests: during an update
# the old configuration serves until the new one takes over.
SERVING: Final[frozenset[str]] = frozenset(
    {"InService", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"}
)
ACCEPTED: Final = 202


def _refuse(message: str) -> JsonRESTError:
    return JsonRESTError("ValidationError", message)


def not_found(endpoint_name: str, account_id: str) -> str:
    """SageMaker runtime's answer for an endpoint it cannot invoke (missing or not serving)."""
    return f"Endpoint {endpoint_name} of account {account_id} not found."


@attrs.frozen(kw_only=True)
class Arguments:
    """The parameters of one InvokeEndpointAsync request, as sent on the wire."""

    endpoint_name: str
    inference_id: str | None = None
    input_location: str | None = None
    body: bytes | None = attrs.field(default=None, repr=False)
    content_type: str | None = None
    accept: str | None = None
    custom_attributes: str | None = None
    output_path_extension: str | None = None
    filename: str | None = None
    request_ttl_seconds: int | None = None
    invocation_timeout_seconds: int | None = None

    @classmethod
    def from_response(cls, response: SageMakerRuntimeResponse) -> Arguments:
        """Read the path, headers and body of the request *response* is serving."""
        headers: Any = response.headers

        def header(name: str) -> str | None:
            value = headers.get(f"X-Amzn-SageMaker-{name}")
            return None if value in (None, "") else str(value)

        raw: Any = response.raw_body
        body = bytes(raw) if isinstance(raw, bytes | bytearray) and raw else None
        return cls(
            endpoint_name=unquote(response.path.split("/")[2]),
            inference_id=header("Inference-Id"),
            input_location=header("InputLocation"),
            body=body,
            content_type=header("Content-Type"),
            accept=header("Accept"),
            custom_attributes=header("Custom-Attributes"),
            output_path_extension=header("S3OutputPathExtension"),
            filename=header("Filename"),
            request_ttl_seconds=_seconds(header("RequestTTLSeconds")),
            invocation_timeout_seconds=_seconds(header("InvocationTimeoutSeconds")),
        )

    def check_payload(self) -> None:
        """Exactly one of ``Body`` and ``InputLocation``; a body of at most 128,000 bytes.

        Raises:
            JsonRESTError: SageMaker's ``ValidationError``.
        """
        if (self.body is None) == (self.input_location is None):
            raise _refuse(
                "Body and InputLocation are mutually exclusive. Provide exactly one of them."
            )
        if self.body is not None and len(self.body) > INLINE_BODY_LIMIT:
            raise _refuse(
                "1 validation error detected: Value at 'body' failed to satisfy constraint: "
                f"Member must have length less than or equal to {INLINE_BODY_LIMIT}"
            )


def _seconds(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise _refuse(f"Value '{value}' is not a whole number of seconds.") from None


def _check_range(name: str, value: int | None, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise _refuse(
            f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
            f"constraint: Member must have value between {low} and {high}"
        )


def _join(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


def output_location(settings: AsyncSettings, inference_id: str, arguments: Arguments) -> str:
    """``{S3OutputPath}[/{S3OutputPathExtension}]/{Filename or inference_id + '.out'}``."""
    assert settings.output_path is not None
    base = settings.output_path.rstrip("/")
    name = arguments.filename or f"{inference_id}.out"
    return f"{base}/{_join(arguments.output_path_extension or '', name)}"


def failure_location(settings: AsyncSettings, inference_id: str) -> str | None:
    """``{S3FailurePath}/{inference_id}-error.out``, or None without a failure path."""
    if settings.failure_path is None:
        return None
    return f"{settings.failure_path.rstrip('/')}/{inference_id}-error.out"


def accept(
    plane: ControlPlane, fulfilment: Fulfilment, response: SageMakerRuntimeResponse
) -> TYPE_RESPONSE:
    """Answer the InvokeEndpointAsync request *response* serves, queueing the invocation.

    Raises:
        JsonRESTError: SageMaker's ``ValidationError`` (moto turns it into a 400).
    """
    arguments = Arguments.from_response(response)
    account_id, region = response.current_account, response.region
    name = arguments.endpoint_name
    backend = sagemaker_backends[account_id][region]
    with plane.lock:
        status = plane.status(backend, name)
        if status is None or status not in SERVING:
            raise _refuse(not_found(name, account_id))
        settings = endpoint_settings(backend, name)
    if settings is None or settings.output_path is None:
        raise _refuse(
            f"Endpoint {name} of account {account_id} is not configured for asynchronous "
            "inference: its endpoint configuration has no AsyncInferenceConfig.OutputConfig."
        )
    arguments.check_payload()
    _check_range("requestTTLSeconds", arguments.request_ttl_seconds, 60, 21_600)
    _check_range("invocationTimeoutSeconds", arguments.invocation_timeout_seconds, 1, 3_600)
    inference_id = arguments.inference_id or str(uuid.uuid4())
    output = output_location(settings, inference_id, arguments)
    failure = failure_location(settings, inference_id)
    handler, latency = fulfilment.handler_for(name)
    now = fulfilment.clock.time()
    received = fulfilment.wall(now)
    fulfilment.submit(
        Invocation(
            account_id=account_id,
            region=region,
            endpoint_name=name,
            inference_id=inference_id,
            input_location=arguments.input_location,
            body=arguments.body,
            content_type=arguments.content_type,
            accept=arguments.accept,
            custom_attributes=arguments.custom_attributes,
            output_location=output,
            failure_location=failure,
            success_topic=settings.success_topic,
            error_topic=settings.error_topic,
            include_response_on_success=SUCCESS_NOTIFICATION_TOPIC in settings.include_response_in,
            include_response_on_failure=ERROR_NOTIFICATION_TOPIC in settings.include_response_in,
            handler=handler,
            received=received,
            accepted_at=now,
            latency=latency,
            ttl_seconds=arguments.request_ttl_seconds,
            timeout_seconds=arguments.invocation_timeout_seconds,
        )
    )
    headers: dict[str, Any] = {
        "status": ACCEPTED,
        "content-type": "application/json",
        "X-Amzn-SageMaker-OutputLocation": output,
    }
    if failure is not None:
        headers["X-Amzn-SageMaker-FailureLocation"] = failure
    return ACCEPTED, headers, json.dumps({"InferenceId": inference_id})
