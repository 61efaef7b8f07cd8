"""The two CloudWatch alarms a target tracking policy creates, and their settings.

Application Auto Scaling scales out fast and in slowly: AlarmHigh goes off
when 3 one-minute datapoints in a row are above the target; AlarmLow when 15
in a row are below 90% of it ("typically more than 10% below the target",
in the Application Auto Scaling guide; the 3 and 15 periods of 60 seconds
are the figures moto uses for ECS). Both are named
``TargetTracking-{resourceId}-AlarmHigh|AlarmLow-{uuid}``, described
``DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policyARN}.``
and act on the policy. A policy with scale-in disabled gets no AlarmLow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat

from ._errors import unsupported_metric

PERIOD: Final = 60
HIGH_PERIODS: Final = 3
LOW_PERIODS: Final = 15
LOW_RATIO: Final = 0.9

# Predefined metrics of SageMaker variants: (metric name, statistic).
_PREDEFINED: Final = {
    "SageMakerVariantInvocationsPerInstance": ("InvocationsPerInstance", "Sum"),
}


@attrs.frozen
class TrackedMetric:
    """The metric a target tracking policy keeps at its target."""

    namespace: str | None
    name: str | None
    dimensions: tuple[Mapping[str, str], ...]
    statistic: str | None
    unit: str | None = None
    queries: tuple[Mapping[str, Any], ...] = ()


def tracked_metric(config: Mapping[str, Any], endpoint: str, variant: str) -> TrackedMetric:
    """The metric of a TargetTrackingScalingPolicyConfiguration.

    Raises:
        AWSValidationException: a predefined metric this simulator does not model.
    """
    custom = config.get("CustomizedMetricSpecification")
    if custom is not None:
        return TrackedMetric(
            namespace=custom.get("Namespace"),
            name=custom.get("MetricName"),
            dimensions=tuple(custom.get("Dimensions") or ()),
            statistic=custom.get("Statistic"),
            unit=custom.get("Unit"),
            queries=tuple(custom.get("Metrics") or ()),
        )
    predefined: Mapping[str, Any] = config.get("PredefinedMetricSpecification") or {}
    metric_type = str(predefined.get("PredefinedMetricType"))
    if metric_type not in _PREDEFINED:
        raise unsupported_metric(metric_type)
    name, statistic = _PREDEFINED[metric_type]
    dimensions = (
        {"Name": "EndpointName", "Value": endpoint},
        {"Name": "VariantName", "Value": variant},
    )
    return TrackedMetric("AWS/SageMaker", name, dimensions, statistic)


def _query(raw: Mapping[str, Any]) -> MetricDataQuery:
    stat: MetricStat | None = None
    raw_stat = raw.get("MetricStat")
    if raw_stat is not None:
        metric = raw_stat.get("Metric", {})
        dimensions = [
            Dimension(d.get("Name"), d.get("Value")) for d in metric.get("Dimensions", [])
        ]
        stat = MetricStat(
            Metric(metric.get("MetricName"), metric.get("Namespace"), dimensions),
            str(PERIOD),
            raw_stat.get("Stat"),
            raw_stat.get("Unit"),
        )
    return MetricDataQuery(
        query_id=raw.get("Id", ""),
        label=raw.get("Label", ""),
        period=str(PERIOD),
        return_data=raw.get("ReturnData", True),
        expression=raw.get("Expression"),
        metric_stat=stat,
    )


def alarm_requests(
    policy_arn: str,
    resource_id: str,
    config: Mapping[str, Any],
    metric: TrackedMetric,
    new_id: Callable[[], str],
) -> list[dict[str, Any]]:
    """Keyword arguments of moto's ``put_metric_alarm`` for each alarm the policy needs."""
    target = float(config["TargetValue"])
    shared: dict[str, Any] = {
        "namespace": metric.namespace,
        "metric_name": metric.name,
        "metric_data_queries": [_query(each) for each in metric.queries] or None,
        "period": PERIOD,
        "statistic": metric.statistic,
        "unit": metric.unit,
        "dimensions": [dict(each) for each in metric.dimensions],
        "description": f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy_arn}.",
        "alarm_actions": [policy_arn],
        "actions_enabled": True,
    }
    requests = [
        shared
        | {
            "name": f"TargetTracking-{resource_id}-AlarmHigh-{new_id()}",
            "comparison_operator": "GreaterThanThreshold",
            "evaluation_periods": HIGH_PERIODS,
            "threshold": target,
        }
    ]
    if not config.get("DisableScaleIn"):
        requests.append(
            shared
            | {
                "name": f"TargetTracking-{resource_id}-AlarmLow-{new_id()}",
                "comparison_operator": "LessThanThreshold",
                "evaluation_periods": LOW_PERIODS,
                "threshold": target * LOW_RATIO,
            }
        )
    return requests
