"""Application Auto Scaling and CloudWatch requests for a ScalingPolicy, and reading them back.

Names follow AWS's guide for asynchronous endpoints: namespace ``sagemaker``,
resource ``endpoint/{name}/variant/{variant}``, dimension
``sagemaker:variant:DesiredInstanceCount``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sagemaker_async.models import ScalingPolicy

NAMESPACE: Final = "sagemaker"
DIMENSION: Final = "sagemaker:variant:DesiredInstanceCount"
METRICS_NAMESPACE: Final = "AWS/SageMaker"
BACKLOG_PER_INSTANCE: Final = "ApproximateBacklogSizePerInstance"
WAKE_METRIC: Final = "HasBacklogWithoutCapacity"
WAKE_COOLDOWN: Final = 300
ENDPOINT_METRICS: Final = (
    "ApproximateBacklogSize",
    BACKLOG_PER_INSTANCE,
    "ApproximateAgeOfOldestRequest",
    WAKE_METRIC,
)


def resource_id(endpoint_name: str, variant_name: str) -> str:
    """The scalable target's resource id."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


def _target(resource: str) -> dict[str, Any]:
    return {"ServiceNamespace": NAMESPACE, "ResourceId": resource, "ScalableDimension": DIMENSION}


def register_target(resource: str, policy: ScalingPolicy) -> dict[str, Any]:
    """RegisterScalableTarget: the variant, between the policy's bounds."""
    return {
        **_target(resource),
        "MinCapacity": policy.min_instances,
        "MaxCapacity": policy.max_instances,
    }


def target(resource: str) -> dict[str, Any]:
    """The keys naming the scalable target (DeregisterScalableTarget and friends)."""
    return _target(resource)


def describe_targets(resource: str) -> dict[str, Any]:
    """DescribeScalableTargets of the one resource."""
    return {
        "ServiceNamespace": NAMESPACE,
        "ResourceIds": [resource],
        "ScalableDimension": DIMENSION,
    }


def describe_policies(resource: str) -> dict[str, Any]:
    """DescribeScalingPolicies of the one resource."""
    return {"ServiceNamespace": NAMESPACE, "ResourceId": resource, "ScalableDimension": DIMENSION}


def delete_policy(resource: str, name: str) -> dict[str, Any]:
    """DeleteScalingPolicy."""
    return {**_target(resource), "PolicyName": name}


def tracking_policy(
    resource: str, name: str, endpoint_name: str, policy: ScalingPolicy
) -> dict[str, Any]:
    """PutScalingPolicy: target tracking on the backlog per instance."""
    return {
        **_target(resource),
        "PolicyName": name,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": policy.target_backlog_per_instance,
            "CustomizedMetricSpecification": {
                "MetricName": BACKLOG_PER_INSTANCE,
                "Namespace": METRICS_NAMESPACE,
                "Dimensions": [{"Name": "EndpointName", "Value": endpoint_name}],
                "Statistic": "Average",
            },
            "ScaleInCooldown": policy.scale_in_cooldown,
            "ScaleOutCooldown": policy.scale_out_cooldown,
        },
    }


def wake_policy(resource: str, name: str) -> dict[str, Any]:
    """PutScalingPolicy: one more instance each time the wake alarm fires."""
    return {
        **_target(resource),
        "PolicyName": name,
        "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Average",
            "Cooldown": WAKE_COOLDOWN,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        },
    }


def wake_alarm(name: str, endpoint_name: str, policy_arn: str) -> dict[str, Any]:
    """PutMetricAlarm: HasBacklogWithoutCapacity >= 1 (Average, 60 s, 2 of 2)."""
    return {
        "AlarmName": name,
        "AlarmDescription": f"Wakes {endpoint_name} when requests wait and no instance serves.",
        "Namespace": METRICS_NAMESPACE,
        "MetricName": WAKE_METRIC,
        "Dimensions": [{"Name": "EndpointName", "Value": endpoint_name}],
        "Statistic": "Average",
        "Period": 60,
        "EvaluationPeriods": 2,
        "DatapointsToAlarm": 2,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "missing",
        "AlarmActions": [policy_arn],
    }


def policy_of(target_answer: Mapping[str, Any], tracking: Mapping[str, Any]) -> ScalingPolicy:
    """The ScalingPolicy a scalable target and its target-tracking policy describe."""
    config: Mapping[str, Any] = tracking.get("TargetTrackingScalingPolicyConfiguration", {})
    defaults = ScalingPolicy(max_instances=max(int(target_answer["MaxCapacity"]), 1))
    return ScalingPolicy(
        max_instances=int(target_answer["MaxCapacity"]),
        min_instances=int(target_answer["MinCapacity"]),
        target_backlog_per_instance=float(
            config.get("TargetValue", defaults.target_backlog_per_instance)
        ),
        scale_in_cooldown=int(config.get("ScaleInCooldown", defaults.scale_in_cooldown)),
        scale_out_cooldown=int(config.get("ScaleOutCooldown", defaults.scale_out_cooldown)),
    )


def metric_queries(endpoint_name: str) -> list[dict[str, Any]]:
    """GetMetricData queries of the endpoint's backlog metrics, one a minute."""
    return [
        {
            "Id": f"m{index}",
            "Label": name,
            "ReturnData": True,
            "MetricStat": {
                "Metric": {
                    "Namespace": METRICS_NAMESPACE,
                    "MetricName": name,
                    "Dimensions": [{"Name": "EndpointName", "Value": endpoint_name}],
                },
                "Period": 60,
                "Stat": "Average",
            },
        }
        for index, name in enumerate(ENDPOINT_METRICS)
    ]


def metric_series(
    results: Sequence[Mapping[str, Any]],
) -> dict[str, tuple[tuple[datetime, float], ...]]:
    """Each queried metric's datapoints, oldest first."""
    series: dict[str, tuple[tuple[datetime, float], ...]] = {}
    for result in results:
        index = int(str(result["Id"])[1:])
        points = sorted(zip(result.get("Timestamps", []), result.get("Values", []), strict=True))
        series[ENDPOINT_METRICS[index]] = tuple((when, float(value)) for when, value in points)
    return series
