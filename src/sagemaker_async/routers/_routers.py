"""Routers' lifecycle: create, update (replacing every routing target), describe, delete.

A router answers ConflictException while it is Creating, Updating or
Deleting: a change that meets one waits (bounded) for the router to settle,
then is sent again once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sagemaker_async.aws import Services
from sagemaker_async.errors import ResourceInUseError
from sagemaker_async.models import (
    InferenceRouter,
    InferenceRouterDescription,
    check_names,
)
from sagemaker_async.serialization import to_request

from ._waiters import DELETED, IN_SERVICE, ROUTER_TIMEOUT, SETTLED, wait

T = TypeVar("T")

CONFLICT_TIMEOUT = ROUTER_TIMEOUT
"""How long a change that met ConflictException waits for the router to settle."""


class Routers:
    """The router calls of one client."""

    def __init__(self, aws: Services) -> None:
        self._aws = aws

    @property
    def _sagemaker(self) -> Any:
        # The boto3 stubs installed may predate the router operations.
        client: Any = self._aws.client("sagemaker")
        return client

    def describe(self, name: str) -> InferenceRouterDescription:
        """DescribeInferenceRouter, read into a model."""
        check_names("describe_inference_router", name=name)
        aws = self._aws
        answer: dict[str, Any] = aws.call(
            "DescribeInferenceRouter",
            self._sagemaker.describe_inference_router,
            InferenceRouterName=name,
        )
        return InferenceRouterDescription.from_response(answer)

    def wait(self, name: str, timeout: float) -> InferenceRouterDescription:
        """Until InService; Failed raises with its StatusReason."""
        check_names("wait_for_inference_router", name=name)
        described = wait(self._aws, name, self.describe, IN_SERVICE, timeout=timeout)
        assert described is not None
        return described

    def create(
        self, router: InferenceRouter, *, wait_: bool, timeout: float
    ) -> InferenceRouterDescription:
        """CreateInferenceRouter; then (with *wait_*) until InService."""
        aws = self._aws
        aws.call(
            "CreateInferenceRouter",
            self._sagemaker.create_inference_router,
            **to_request(router),
        )
        return self.wait(router.name, timeout) if wait_ else self.describe(router.name)

    def update(
        self, router: InferenceRouter, *, wait_: bool, timeout: float
    ) -> InferenceRouterDescription:
        """UpdateInferenceRouter with every routing target of *router*; then until InService."""
        aws = self._aws
        request = to_request(router)
        self._settled_retry(
            router.name,
            lambda: aws.call(
                "UpdateInferenceRouter",
                self._sagemaker.update_inference_router,
                InferenceRouterName=router.name,
                RoutingTargets=request["RoutingTargets"],
            ),
        )
        if not wait_:
            return self.describe(router.name)
        # The update may not show as Updating yet: wait for its own change to finish.
        return self.wait(router.name, timeout)

    def delete(self, name: str, *, wait_: bool, timeout: float) -> None:
        """DeleteInferenceRouter; then (with *wait_*) until it is gone."""
        check_names("delete_inference_router", name=name)
        aws = self._aws
        self._settled_retry(
            name,
            lambda: aws.call(
                "DeleteInferenceRouter",
                self._sagemaker.delete_inference_router,
                InferenceRouterName=name,
            ),
        )
        if wait_:
            wait(self._aws, name, self.describe, DELETED, timeout=timeout, action="be deleted")

    def _settled_retry(self, name: str, attempt: Callable[[], T]) -> T:
        try:
            return attempt()
        except ResourceInUseError:
            # Creating, Updating or Deleting: wait for it to settle, then once more.
            wait(self._aws, name, self.describe, SETTLED, timeout=CONFLICT_TIMEOUT, action="settle")
            return attempt()
