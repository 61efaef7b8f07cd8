"""What ``enable_autoscaling``, ``describe_autoscaling``, ``disable_autoscaling`` and
``endpoint_metrics`` need, for ``caller_policy(..., scaling=True)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from sagemaker_async.models import wake_alarm_name

from ._document import Statement
from ._resources import Target

AUTOSCALING_SERVICE: Final = "sagemaker.application-autoscaling.amazonaws.com"
SERVICE_LINKED_ROLE: Final = "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"


def scaling_statements(
    target: Target, endpoint_name: str, variant_names: Iterable[str]
) -> list[Statement]:
    """Register, put and delete the scalable target, policies and wake alarm; read metrics."""
    endpoint_arn = target.sagemaker("endpoint", endpoint_name)
    alarms = [
        target.arn("cloudwatch", f"alarm:{wake_alarm_name(endpoint_name, name)}")
        for name in variant_names
    ]
    return [
        Statement(
            sid="ScalableTarget",
            actions=[
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:RegisterScalableTarget",
            ],
            # A scalable target's ARN ends in an id AWS makes up: any of the account's.
            resources=[target.arn("application-autoscaling", "scalable-target/*")],
        ),
        Statement(
            sid="DescribeScaling",
            actions=[
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies",
            ],
            resources=["*"],
        ),
        Statement(
            sid="WakeAlarm",
            actions=[
                "cloudwatch:DeleteAlarms",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:PutMetricAlarm",
            ],
            resources=alarms,
        ),
        Statement(sid="ReadMetrics", actions=["cloudwatch:GetMetricData"], resources=["*"]),
        Statement(
            sid="ScaleEndpoint",
            actions=[
                "sagemaker:DescribeEndpoint",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:UpdateEndpointWeightsAndCapacities",
            ],
            resources=[endpoint_arn, target.sagemaker("endpoint-config", "*")],
        ),
        Statement(
            sid="AutoscalingServiceLinkedRole",
            actions=["iam:CreateServiceLinkedRole"],
            resources=[
                f"arn:{target.partition}:iam::{target.account}:role/aws-service-role/"
                f"{AUTOSCALING_SERVICE}/{SERVICE_LINKED_ROLE}"
            ],
            conditions={"StringLike": {"iam:AWSServiceName": [AUTOSCALING_SERVICE]}},
        ),
    ]
