"""The client's inference router methods (mixed into ``AsyncInferenceClient``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from sagemaker_async.aws import Services
from sagemaker_async.errors import ValidationError
from sagemaker_async.invocations import AsyncInvocation, Body, InvokeRequest
from sagemaker_async.invocations._request import new_inference_id
from sagemaker_async.models import InferenceRouter, InferenceRouterDescription, check_names, checked

from ._invoke import RouterInvoker
from ._routers import Routers
from ._waiters import ROUTER_TIMEOUT

if TYPE_CHECKING:
    from sagemaker_async.invocations import Submitter


class RouterMethods:
    """Create, update, describe, delete and invoke inference routers."""

    _aws: Services
    _submitter: Submitter

    @property
    def _routers(self) -> Routers:
        return Routers(self._aws)

    @checked()
    def create_inference_router(
        self, router: InferenceRouter, *, wait: bool = True, timeout: float = ROUTER_TIMEOUT
    ) -> InferenceRouterDescription:
        """Create *router*; with *wait*, return once it is InService (it takes minutes).

        Raises:
            ResourceExistsError: A router of that name exists.
            RouterFailedError: It reached Failed (its StatusReason attached).
            RouterTimeoutError: It was still Creating after *timeout* seconds.
        """
        return self._routers.create(router, wait_=wait, timeout=timeout)

    @checked()
    def update_inference_router(
        self, router: InferenceRouter, *, wait: bool = True, timeout: float = ROUTER_TIMEOUT
    ) -> InferenceRouterDescription:
        """Replace every routing target of the router with *router*'s.

        A router that is Creating, Updating or Deleting answers ConflictException:
        the update waits for it to settle, then is sent again once.
        """
        return self._routers.update(router, wait_=wait, timeout=timeout)

    @checked()
    def describe_inference_router(self, name: str) -> InferenceRouterDescription:
        """The router now, with each destination's RoutingStatus."""
        return self._routers.describe(name)

    @checked()
    def wait_for_inference_router(
        self, name: str, *, timeout: float = ROUTER_TIMEOUT
    ) -> InferenceRouterDescription:
        """Wait until the router is InService; Failed raises :class:`RouterFailedError`."""
        return self._routers.wait(name, timeout)

    @checked()
    def delete_inference_router(self, name: str, *, wait: bool = True) -> None:
        """Delete the router (its endpoints stay); with *wait*, return once it is gone."""
        self._routers.delete(name, wait_=wait, timeout=ROUTER_TIMEOUT)

    @checked()
    def invoke_router_async(
        self,
        router_name: str,
        target_name: str,
        body: Body | None = None,
        *,
        input_location: str | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        inference_id: str | None = None,
        custom_attributes: str | None = None,
        request_ttl_seconds: int | None = None,
        invocation_timeout_seconds: int | None = None,
    ) -> AsyncInvocation:
        """Send one request through a router's routing target; await it like any invocation.

        The router takes its input from S3 only: *body* is uploaded first, under
        the client's ``input_path`` or ``sagemaker-async-inputs/<router>/`` in
        the routing target's output bucket. The result lands at the routing
        target's output path whichever endpoint serves it.

        Raises:
            ValidationError: Neither or both of *body* and *input_location*, or
                a value breaking the API's rules (before any AWS call).
        """
        check_names("invoke_router_async", target_name=target_name)
        try:
            request = InvokeRequest(
                endpoint_name=router_name,
                body=body,
                input_location=input_location,
                content_type=content_type,
                accept=accept,
                inference_id=inference_id,
                custom_attributes=custom_attributes,
                request_ttl_seconds=request_ttl_seconds,
                invocation_timeout_seconds=invocation_timeout_seconds,
            )
        except ValidationError as error:
            problems = [
                attrs.evolve(p, path="router_name") if p.path == "endpoint_name" else p
                for p in error.problems
            ]
            raise ValidationError("invoke_router_async", problems) from None
        the_id = inference_id or new_inference_id(self._submitter.id_prefix)
        invoker = RouterInvoker(self._aws, self._routers, self._submitter.input_path)
        return invoker.invoke(router_name, target_name, request, the_id)
