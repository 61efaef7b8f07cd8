"""Submitting invocations: upload the payload, call InvokeEndpointAsync, clean up a refusal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import IO

from sagemaker_async.aws import Services, delete_object, is_transient, put_object
from sagemaker_async.errors import ServiceError, ValidationError
from sagemaker_async.models import check_s3_uri, default_input_path

from ._invocation import AsyncInvocation
from ._request import InvokeRequest, check_id_prefix, id_prefix, new_inference_id


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
        if input_path is not None:
            check_s3_uri("AsyncInferenceClient", input_path=input_path)
        check_id_prefix("AsyncInferenceClient", inference_id_prefix)
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
        return AsyncInvocation(
            response.get("InferenceId") or the_id,
            response["OutputLocation"],
            response.get("FailureLocation"),
            client=aws,
        )

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
        check_s3_uri("invocation", output_location=output_location)
        if failure_location is not None:
            check_s3_uri("invocation", failure_location=failure_location)
        return AsyncInvocation(inference_id, output_location, failure_location, client=self._aws)


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
