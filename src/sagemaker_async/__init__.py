"""A typed SDK for Amazon SageMaker Asynchronous Inference.

Describe a model and an asynchronous endpoint with immutable values, then let
one client create, update, invoke, await and delete it all.
"""

from __future__ import annotations

from typing import Any

from sagemaker_async.aws import Backoff
from sagemaker_async.invocations._awaiting import as_completed, wait_all
from sagemaker_async.invocations._invocation import AsyncInvocation
from sagemaker_async.invocations._notifications import NotificationQueue
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    EndpointDescription,
    EndpointMetrics,
    EndpointStatus,
    InferenceRouter,
    InferenceRouterDescription,
    InferenceRouterStatus,
    Model,
    NotificationConfig,
    NotificationTopic,
    ProductionVariant,
    RoutingPreference,
    RoutingStatus,
    RoutingTarget,
    ScalingDescription,
    ScalingPolicy,
    ServerlessConfig,
    VariantSummary,
)

from ._client import AsyncInferenceClient
from .errors import (
    AccessDeniedError,
    ConfigurationError,
    EndpointFailedError,
    InferenceError,
    InferenceFailedError,
    InferenceTimeoutError,
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    SageMakerAsyncError,
    ServiceError,
    SubmissionError,
    ValidationError,
    WaiterError,
    WaiterTimeoutError,
)

__all__ = [
    "AccessDeniedError",
    "AsyncInferenceClient",
    "AsyncInferenceConfig",
    "AsyncInvocation",
    "Backoff",
    "ConfigurationError",
    "Container",
    "EndpointConfig",
    "EndpointDescription",
    "EndpointFailedError",
    "EndpointMetrics",
    "EndpointStatus",
    "InferenceError",
    "InferenceFailedError",
    "InferenceRouter",
    "InferenceRouterDescription",
    "InferenceRouterStatus",
    "InferenceTimeoutError",
    "Model",
    "NotificationConfig",
    "NotificationQueue",
    "NotificationTopic",
    "Problem",
    "ProductionVariant",
    "ResourceExistsError",
    "ResourceInUseError",
    "ResourceNotFoundError",
    "RoutingPreference",
    "RoutingStatus",
    "RoutingTarget",
    "SageMakerAsyncError",
    "ScalingDescription",
    "ScalingPolicy",
    "ServerlessConfig",
    "ServiceError",
    "SubmissionError",
    "ValidationError",
    "VariantSummary",
    "WaiterError",
    "WaiterTimeoutError",
    "as_completed",
    "wait_all",
]


def __getattr__(name: str) -> Any:
    # importlib.metadata costs a few milliseconds: read the version on demand.
    if name == "__version__":
        from importlib.metadata import version

        return version("sagemaker-async")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
