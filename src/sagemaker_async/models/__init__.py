"""Immutable values: what a user describes and what AWS answers, validated.

No boto3 here and no wire format: the converter in :mod:`..serialization`
turns these values into requests and answers into these values.
"""

from __future__ import annotations

from ._arguments import check_names, check_timeout
from ._checked import (
    ARGUMENTS,
    CALLBACK,
    FLAG,
    MAX_MINUTES,
    S3_OBJECT,
    S3_URI,
    Arg,
    checked,
    instance_of,
    is_s3_object,
)
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
from ._s3_uris import is_bucket_name, split_s3_uri
from ._scaling import EndpointMetrics, ScalingDescription, ScalingPolicy
from ._scaling_names import tracking_policy_name, wake_alarm_name, wake_policy_name
from .constraints import NAME_PATTERN

__all__ = [
    "ARGUMENTS",
    "CALLBACK",
    "FLAG",
    "MAX_MINUTES",
    "NAME_PATTERN",
    "S3_OBJECT",
    "S3_URI",
    "Arg",
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
    "check_timeout",
    "checked",
    "default_input_path",
    "endpoint_arn_parts",
    "instance_of",
    "is_bucket_name",
    "is_s3_object",
    "split_s3_uri",
    "tracking_policy_name",
    "wake_alarm_name",
    "wake_policy_name",
]
