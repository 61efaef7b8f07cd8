"""Submitting invocations: upload the payload, call InvokeEndpointAsync, clean up a refusal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import IO, Any, Final

from sagemaker_async.aws import Services, delete_object, is_transient, put_object
from sagemaker_async.errors import ServiceError, ValidationError
from sagemaker_async.models import S3_OBJECT, Arg, default_input_path, is_s3_object

from ._invocation import AsyncInvocation
from ._request import (
    ID_PREFIX_RULES,
    INFERENCE_ID_RULES,
    INPUT_PATH_RULES,
    InvokeRequest,
    id_prefix,
    new_inference_id,
)

SUBMITTER_ARGUMENTS: Final = {
    "input_path": Arg(INPUT_PATH_RULES, optional=True),
    "inference_id_prefix": Arg(ID_PREFIX_RULES, optional=True),
}
"""The rules of the client's constructor arguments that configure its :class:`Submitter`."""

INVOCATION_ARGUMENTS: Final = {
    "inference_id": Arg(INFERENCE_ID_RULES),
    "output_location": S3_OBJECT,
    "failure_location": S3_OBJECT.or_none,
}
"""The rules of :meth:`Submitter.invocation`'s arguments."""


class Submitter:
    """Sends invocations for one client: its id prefix and where payloads are uploaded.

    Every id it makes starts with *inference_id_prefix* (when given), then 12
    random hex digits of this client's own.
    """

    def __init__(
        self,
        aws: Services,
        *,
        input_path: str | None,
        output_path: Callable[[str], str],
        inference_id_prefix: str | None = None,
    ) -> None:
        self._aws = aws
        self._input_path = input_path
        self._output_path = output_path
        self._input_prefixes: dict[str, str] = {}
        self.id_prefix = id_prefix(inference_id_prefix)
        self.input_path = input_path

    def invoke(self, request: InvokeRequest, inference_id: str | None) -> AsyncInvocation:
        """Upload the body (unless inline or already in S3), then InvokeEndpointAsync.

        A refused request's upload is deleted; one whose answer was lost keeps
        it (SageMaker may have queued the request and will read it).
        """
        aws = self._aws
        the_id = inference_id or new_inference_id(self.id_prefix)
        uploaded: str | None = None
        location = request.input_location
        if request.body is not None and not request.inline:
            uploaded = location = self._input_prefix(request.endpoint_name) + the_id
            upload(aws, uploaded, request.payload(), request.content_type)
        try:
            response = aws.call(
                "InvokeEndpointAsync",
                aws.runtime.invoke_endpoint_async,
                **request.parameters(the_id, location),
            )
        except (ServiceError, ValidationError) as error:
            if uploaded is not None:
                forget_upload(aws, error, uploaded, the_id)
            raise
        return answered(aws, "InvokeEndpointAsync", response, the_id)

    def prepare(self, request: InvokeRequest) -> None:
        """Build what :meth:`invoke` builds on first use, so threads can share it."""
        aws = self._aws
        _ = aws.runtime
        if request.body is not None and not request.inline:
            _ = aws.s3
            self._input_prefix(request.endpoint_name)

    def _input_prefix(self, endpoint_name: str) -> str:
        if self._input_path is not None:
            return self._input_path.rstrip("/") + "/"
        prefix = self._input_prefixes.get(endpoint_name)
        if prefix is None:
            prefix = self._input_prefixes[endpoint_name] = default_input_path(
                self._output_path(endpoint_name), endpoint_name
            )
        return prefix

    def invocation(
        self, inference_id: str, output_location: str, failure_location: str | None
    ) -> AsyncInvocation:
        """An invocation rebuilt from its id and locations, bound to these services."""
        return AsyncInvocation(inference_id, output_location, failure_location, client=self._aws)


def answered(
    aws: Services, operation: str, response: Mapping[str, Any], inference_id: str
) -> AsyncInvocation:
    """The invocation an accepted request's answer names.

    Raises:
        ServiceError: The answer names no readable S3 location, which AWS never does.
    """
    output: Any = response.get("OutputLocation")
    failure: Any = response.get("FailureLocation")
    if not is_s3_object(output) or (failure is not None and not is_s3_object(failure)):
        raise ServiceError(
            f"{operation} answered without a readable OutputLocation (s3://bucket/key): "
            f"{output!r}, FailureLocation {failure!r}.",
            code="MalformedResponse",
            operation=operation,
            request_id=response.get("ResponseMetadata", {}).get("RequestId"),
        )
    return AsyncInvocation(response.get("InferenceId") or inference_id, output, failure, client=aws)


def upload(aws: Services, uri: str, payload: bytes | IO[bytes], content_type: str | None) -> None:
    """PutObject, retried; a file object is read again from where it started."""
    if isinstance(payload, bytes):
        aws.retry(lambda: put_object(aws.s3, uri, payload, content_type))
        return
    try:
        start: int | None = payload.tell() if payload.seekable() else None
    except (OSError, ValueError):
        start = None
    if start is None:
        # A stream read once cannot be sent again: botocore's retries only.
        put_object(aws.s3, uri, payload, content_type)
        return

    def again() -> None:
        payload.seek(start)
        put_object(aws.s3, uri, payload, content_type)

    aws.retry(again)


def forget_upload(
    aws: Services, error: ServiceError | ValidationError, uploaded: str, inference_id: str
) -> None:
    """After a failed invoke: keep the input if it may have been accepted, else delete it."""
    if isinstance(error, ServiceError) and is_transient(error):
        # No answer: SageMaker may have queued it, and will read the input.
        error.add_note(
            f"The invocation may have been accepted: its input stays at {uploaded}. "
            f"Invoke again with inference_id={inference_id!r} to have one result either way."
        )
        return
    # Refused: leave nothing behind for a request that was never accepted.
    with contextlib.suppress(ServiceError):
        aws.retry(lambda: delete_object(aws.s3, uploaded))
