"""An endpoint's backlog metrics of the last minutes: one GetMetricData, one DescribeEndpoint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sagemaker_async.aws import Services
from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import MAX_MINUTES, EndpointMetrics, check_names
from sagemaker_async.serialization import _scaling as wire


def _latest(series: tuple[tuple[datetime, float], ...]) -> float | None:
    return series[-1][1] if series else None


def endpoint_metrics(
    aws: Services, endpoint_name: str, minutes: int, now: Callable[[], datetime]
) -> EndpointMetrics:
    """Read the backlog metrics of the last *minutes* and the serving instance count."""
    check_names("endpoint_metrics", endpoint_name=endpoint_name)
    given = cast(object, minutes)  # callers without a type checker pass anything
    if isinstance(given, bool) or not isinstance(given, int) or not 1 <= given <= MAX_MINUTES:
        raise ValidationError(
            "endpoint_metrics",
            [Problem("minutes", f"a whole number of minutes from 1 to {MAX_MINUTES}", minutes)],
        )
    end = now().astimezone(UTC)
    # Whole minutes, so that the last complete minute's datapoint is included.
    end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    start = end - timedelta(minutes=minutes + 1)
    answer = aws.call(
        "GetMetricData",
        aws.cloudwatch.get_metric_data,
        MetricDataQueries=wire.metric_queries(endpoint_name),
        StartTime=start,
        EndTime=end,
        ScanBy="TimestampAscending",
    )
    series = wire.metric_series(answer["MetricDataResults"])
    described: Any = aws.call(
        "DescribeEndpoint", aws.sagemaker.describe_endpoint, EndpointName=endpoint_name
    )
    instances = sum(
        int(variant.get("CurrentInstanceCount", 0) or 0)
        for variant in described.get("ProductionVariants", [])
    )
    wake = _latest(series.get(wire.WAKE_METRIC, ()))
    return EndpointMetrics(
        endpoint_name=endpoint_name,
        backlog_size=_latest(series.get("ApproximateBacklogSize", ())),
        backlog_size_per_instance=_latest(series.get(wire.BACKLOG_PER_INSTANCE, ())),
        oldest_request_age_seconds=_latest(series.get("ApproximateAgeOfOldestRequest", ())),
        has_backlog_without_capacity=None if wake is None else wake >= 1,
        instance_count=instances,
        series=series,
    )
