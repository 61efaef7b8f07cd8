"""Invoking through a router: upload the body, InvokeInferenceRouterAsync, clean up a refusal.

The router takes no inline body: a body is uploaded first, under the client's
``input_path`` or by default under ``sagemaker-async-inputs/<router>/`` in the
routing target's output bucket (which is in the router's Region and account).
"""

from __future__ import annotations

from typing import Any

from sagemaker_async.aws import Services
from sagemaker_async.errors import Problem, ServiceError, ValidationError
from sagemaker_async.invocations import AsyncInvocation, InvokeRequest, forget_upload, upload
from sagemaker_async.models import default_input_path

from ._routers import Routers

RUNTIME = "sagemaker-inference-router-runtime"


class RouterInvoker:
    """Sends requests through routers for one client."""

    def __init__(self, aws: Services, routers: Routers, input_path: str | None) -> None:
        self._aws = aws
        self._routers = routers
        self._input_path = input_path
        self._prefixes: dict[tuple[str, str], str] = {}

    def invoke(
        self, router_name: str, target_name: str, request: InvokeRequest, inference_id: str
    ) -> AsyncInvocation:
        """Upload (unless already in S3), then InvokeInferenceRouterAsync."""
        aws = self._aws
        uploaded: str | None = None
        location = request.input_location
        if request.body is not None:
            uploaded = location = self._prefix(router_name, target_name) + inference_id
            upload(aws, uploaded, request.payload(), request.content_type)
        parameters: dict[str, Any] = {
            "InferenceRouterName": router_name,
            "RoutingTargetName": target_name,
            "InputLocation": location,
            "InferenceId": inference_id,
        }
        for key, value in (
            ("ContentType", request.content_type),
            ("Accept", request.accept),
            ("CustomAttributes", request.custom_attributes),
            ("RequestTTLSeconds", request.request_ttl_seconds),
            ("InvocationTimeoutSeconds", request.invocation_timeout_seconds),
        ):
            if value is not None:
                parameters[key] = value
        runtime = aws.client(RUNTIME)
        try:
            response = aws.call(
                "InvokeInferenceRouterAsync", runtime.invoke_inference_router_async, **parameters
            )
        except ServiceError as error:
            if uploaded is not None:
                forget_upload(aws, error, uploaded, inference_id)
            raise
        return AsyncInvocation(
            response.get("InferenceId") or inference_id,
            response["OutputLocation"],
            response.get("FailureLocation"),
            client=aws,
        )

    def _prefix(self, router_name: str, target_name: str) -> str:
        if self._input_path is not None:
            return self._input_path.rstrip("/") + "/"
        key = (router_name, target_name)
        prefix = self._prefixes.get(key)
        if prefix is None:
            target = self._routers.describe(router_name).target(target_name)
            if target is None:
                raise ValidationError(
                    "invoke_router_async",
                    [Problem("target_name", f"a routing target of {router_name!r}", target_name)],
                )
            prefix = self._prefixes[key] = default_input_path(target.output_path, router_name)
        return prefix
