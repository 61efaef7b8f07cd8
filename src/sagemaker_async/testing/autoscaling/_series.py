"""moto's CloudWatch datapoints indexed by metric, read incrementally.

moto keeps every datapoint of a Region in one list, and its queries scan the
whole list. Alarms are evaluated every simulated minute, so this index reads
only what was appended since the last minute (O(new datapoints)) into one
time-sorted series per metric (namespace, name, dimension set), and a
period's statistic is two binary searches and a walk over that period's
points (O(log n + points in the period)).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

import attrs
from moto.cloudwatch.models import MetricAggregatedDatum, MetricDatum, MetricDatumBase

SeriesKey = tuple[str, str, frozenset[tuple[str, str]]]
"""Namespace, metric name and dimension set: what an alarm's metric is."""

STATISTICS: Final = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")


def series_key(namespace: str, name: str, dimensions: Sequence[tuple[str, str]]) -> SeriesKey:
    """The key of a metric; dimensions in any order."""
    return namespace, name, frozenset(dimensions)


def epoch(moment: datetime) -> float:
    """Seconds since the epoch; a naive datetime is UTC (as moto stores parsed timestamps)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


@attrs.frozen
class Aggregate:
    """The datapoints of one period, summed up as a statistic set."""

    count: float
    total: float
    low: float
    high: float

    def statistic(self, name: str) -> float:
        """Average, Sum, Minimum, Maximum or SampleCount."""
        if name == "Sum":
            return self.total
        if name == "Minimum":
            return self.low
        if name == "Maximum":
            return self.high
        if name == "SampleCount":
            return self.count
        return self.total / self.count


@attrs.frozen
class _Point:
    count: float
    total: float
    low: float
    high: float
    unit: str | None


@attrs.define
class Series:
    """One metric's datapoints in time order."""

    times: list[float] = attrs.Factory(lambda: list[float]())
    points: list[_Point] = attrs.Factory(lambda: list[_Point]())

    def add(self, at: float, point: _Point) -> None:
        # Datapoints mostly come in time order: appending is the common case.
        if not self.times or at >= self.times[-1]:
            self.times.append(at)
            self.points.append(point)
            return
        index = bisect.bisect_right(self.times, at)
        self.times.insert(index, at)
        self.points.insert(index, point)

    def aggregate(self, start: float, end: float, unit: str | None = None) -> Aggregate | None:
        """The datapoints in ``[start, end)`` (of *unit*, if given), or None if there are none."""
        count = total = 0.0
        low = high = 0.0
        first = bisect.bisect_left(self.times, start)
        last = bisect.bisect_left(self.times, end, lo=first)
        for point in self.points[first:last]:
            if point.count <= 0 or (unit is not None and point.unit != unit):
                continue
            low = point.low if count == 0 else min(low, point.low)
            high = point.high if count == 0 else max(high, point.high)
            count += point.count
            total += point.total
        return Aggregate(count, total, low, high) if count > 0 else None


@attrs.define
class _Source:
    data: list[MetricDatumBase]
    seen: int = 0
    series: dict[SeriesKey, Series] = attrs.Factory(lambda: dict[SeriesKey, Series]())


def _point(datum: MetricDatumBase) -> _Point | None:
    unit = None if datum.unit is None else str(datum.unit)
    if isinstance(datum, MetricDatum):
        value = float(datum.value)
        return _Point(1.0, value, value, value, unit)
    if isinstance(datum, MetricAggregatedDatum):
        return _Point(
            float(datum.sample_count), float(datum.sum), float(datum.min), float(datum.max), unit
        )
    return None


class MetricIndex:
    """Every Region's metrics, caught up with moto's list by :meth:`refresh`."""

    def __init__(self) -> None:
        self._sources: dict[tuple[str, str], _Source] = {}

    def refresh(self, account_id: str, region: str, data: list[MetricDatumBase]) -> None:
        """Index what was appended to moto's *data* since the last call."""
        source = self._sources.get((account_id, region))
        if source is None or source.data is not data or len(data) < source.seen:
            # A new backend (moto was reset) or a list that shrank: start over.
            source = _Source(data)
            self._sources[account_id, region] = source
        for datum in data[source.seen :]:
            point = _point(datum)
            if point is None:
                continue
            dimensions = [(str(each.name), str(each.value)) for each in datum.dimensions]
            key = series_key(datum.namespace, datum.name, dimensions)
            source.series.setdefault(key, Series()).add(epoch(datum.timestamp), point)
        source.seen = len(data)

    def series(self, account_id: str, region: str, key: SeriesKey) -> Series | None:
        """The metric's series, or None if it never had a datapoint."""
        source = self._sources.get((account_id, region))
        return None if source is None else source.series.get(key)

    def clear(self) -> None:
        """Forget every Region."""
        self._sources.clear()
