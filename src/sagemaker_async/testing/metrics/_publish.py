"""Writing a minute's metrics into moto's CloudWatch, as SageMaker publishes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

from moto.cloudwatch.models import (
    MetricAggregatedDatum,
    MetricDatum,
    MetricDatumBase,
    cloudwatch_backends,
)

from ._minute import EndpointMinute, Samples, VariantMinute

NAMESPACE: Final = "AWS/SageMaker"


def _datum(
    name: str, value: float, unit: str, dimensions: list[dict[str, str]], at: datetime
) -> MetricDatum:
    datum = MetricDatum(NAMESPACE, name, float(value), dimensions, at, unit)
    assert isinstance(datum, MetricDatum)  # moto's metaclass hides the type
    return datum


def _statistics(
    name: str, samples: Samples, unit: str, dimensions: list[dict[str, str]], at: datetime
) -> MetricAggregatedDatum:
    datum = MetricAggregatedDatum(
        namespace=NAMESPACE,
        name=name,
        min_stat=samples.low,
        max_stat=samples.high,
        sample_count=float(samples.count),
        sum_stat=samples.total,
        dimensions=dimensions,
        timestamp=at,
        unit=unit,
    )
    assert isinstance(datum, MetricAggregatedDatum)
    return datum


def endpoint_data(minute: EndpointMinute, at: datetime) -> list[MetricDatumBase]:
    """The endpoint-level datapoints of *minute*, stamped *at*."""
    dimensions = [{"Name": "EndpointName", "Value": minute.endpoint_name}]
    return [
        _datum("ApproximateBacklogSize", minute.backlog_size, "Count", dimensions, at),
        _datum(
            "ApproximateBacklogSizePerInstance",
            minute.backlog_size_per_instance,
            "Count",
            dimensions,
            at,
        ),
        _datum(
            "ApproximateAgeOfOldestRequest",
            minute.oldest_request_age_seconds,
            "Seconds",
            dimensions,
            at,
        ),
        _datum(
            "HasBacklogWithoutCapacity",
            minute.has_backlog_without_capacity,
            "Count",
            dimensions,
            at,
        ),
    ]


def variant_data(
    endpoint_name: str, variant_name: str, minute: VariantMinute, at: datetime
) -> list[MetricDatumBase]:
    """The variant-level datapoints of one minute: only those with something to count."""
    dimensions = [
        {"Name": "EndpointName", "Value": endpoint_name},
        {"Name": "VariantName", "Value": variant_name},
    ]
    data: list[MetricDatumBase] = []
    # "InvocationsProcesssed" is spelt so by SageMaker.
    for name, count in (
        ("InvocationsProcesssed", minute.processed),
        ("InvocationFailures", minute.failures),
        ("ExpiredRequests", minute.expired),
        ("RequestDownloadFailures", minute.download_failures),
        ("ResponseUploadFailures", minute.upload_failures),
        ("NotificationFailures", minute.notification_failures),
    ):
        if count:
            data.append(_datum(name, count, "Count", dimensions, at))
    for name, samples in (
        ("TimeInBacklog", minute.time_in_backlog_ms),
        ("TotalProcessingTime", minute.processing_time_ms),
    ):
        if samples.count:
            data.append(_statistics(name, samples, "Milliseconds", dimensions, at))
    return data


def publish(minutes: Iterable[EndpointMinute], at: datetime) -> None:
    """Put every endpoint's and variant's datapoints of the minute ending *at*."""
    # moto keeps timestamps as naive UTC datetimes and compares them with naive ones.
    at = at.astimezone(UTC).replace(tzinfo=None)
    for minute in minutes:
        data = endpoint_data(minute, at)
        for variant_name, activity in minute.variants.items():
            data.extend(variant_data(minute.endpoint_name, variant_name, activity, at))
        backend: Any = cloudwatch_backends[minute.account_id][minute.region]
        # Appended directly: PutMetricData refuses the reserved AWS/ namespaces to callers.
        backend.metric_data.extend(data)
