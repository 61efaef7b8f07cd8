"""A typed SDK for Amazon SageMaker Asynchronous Inference.

Describe a model and an asynchronous endpoint with immutable values, then let
one client create, update, invoke, await and delete it all.
"""

from __future__ import annotations

from typing import Any

from ._awaiting import as_completed, wait_all
from ._client import AsyncInferenceClient
from ._invocation import AsyncInvocation
from ._models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    EndpointDescription,
    EndpointStatus,
    Model,
    NotificationConfig,
    NotificationTopic,
    ProductionVariant,
    ServerlessConfig,
    VariantSummary,
)
from ._notifications import NotificationQueue
from ._waiters import Backoff
from .errors import (
    AccessDeniedError,
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
    "Container",
    "EndpointConfig",
    "EndpointDescription",
    "EndpointFailedError",
    "EndpointStatus",
    "InferenceError",
    "InferenceFailedError",
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
    "SageMakerAsyncError",
    "ServerlessConfig",
    "ServiceError",
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
