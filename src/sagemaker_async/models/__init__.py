"""Immutable values: what a user describes and what AWS answers, validated.

No boto3 here and no wire format: the converter in :mod:`..serialization`
turns these values into requests and answers into these values.
"""

from __future__ import annotations

from ._arguments import check_names, check_s3_uri, check_timeout
from ._endpoint import (
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
from ._frozenmap import FrozenMap
from ._input_path import default_input_path
from ._router import (
    InferenceRouter,
    InferenceRouterDescription,
    InferenceRouterStatus,
    RoutingPreference,
    RoutingStatus,
    RoutingTarget,
    endpoint_arn_parts,
)
from ._scaling import EndpointMetrics, ScalingDescription, ScalingPolicy
from ._scaling_names import tracking_policy_name, wake_alarm_name, wake_policy_name
from .constraints import NAME_PATTERN, split_s3_uri

__all__ = [
    "NAME_PATTERN",
    "AsyncInferenceConfig",
    "Container",
    "EndpointConfig",
    "EndpointDescription",
    "EndpointMetrics",
    "EndpointStatus",
    "FrozenMap",
    "InferenceRouter",
    "InferenceRouterDescription",
    "InferenceRouterStatus",
    "Model",
    "NotificationConfig",
    "NotificationTopic",
    "ProductionVariant",
    "RoutingPreference",
    "RoutingStatus",
    "RoutingTarget",
    "ScalingDescription",
    "ScalingPolicy",
    "ServerlessConfig",
    "VariantSummary",
    "check_names",
    "check_s3_uri",
    "check_timeout",
    "default_input_path",
    "endpoint_arn_parts",
    "split_s3_uri",
    "tracking_policy_name",
    "wake_alarm_name",
    "wake_policy_name",
]
