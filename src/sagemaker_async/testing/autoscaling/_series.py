"""moto's CloudWatch datapoints indexed by metric, read incrementally.

moto keeps every datapoint of a Region in one list, and its queries scan the
whole list. Alarms are evaluated every simulated minute, so this index reads
only what was appended since the last minute (O(new datapoints)) into one
time-sorted series per metric (namespace, name, dimension set); an alarm's
evaluation range is one binary search and a walk over the range's points
(O(log n + points in the range)).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final, NamedTuple

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


class Aggregate(NamedTuple):
    """The datapoints of one period, summed up as a statistic set."""

    samples: float
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
            return self.samples
        return self.total / self.samples


class _Point(NamedTuple):
    # NamedTuples: one is built per datapoint, and they are cheap to build.
    samples: float
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

    def periods(
        self, first: float, period: float, count: int, unit: str | None = None
    ) -> list[Aggregate | None]:
        """The datapoints of *count* periods from *first* on, oldest first, one set per period.

        A period without datapoints (of *unit*, if given) is None. One binary
        search, then a walk over the points of the periods.
        """
        sums: list[list[float] | None] = [None] * count
        end = first + period * count
        times, points = self.times, self.points
        index = bisect.bisect_left(times, first)
        while index < len(times) and times[index] < end:
            point = points[index]
            if point.samples > 0 and (unit is None or point.unit == unit):
                slot = int((times[index] - first) // period)
                held = sums[slot]
                if held is None:
                    sums[slot] = [point.samples, point.total, point.low, point.high]
                else:
                    held[0] += point.samples
                    held[1] += point.total
                    held[2] = min(held[2], point.low)
                    held[3] = max(held[3], point.high)
            index += 1
        return [None if held is None else Aggregate(*held) for held in sums]


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
            series = source.series.get(key)
            if series is None:
                series = source.series[key] = Series()
            series.add(epoch(datum.timestamp), point)
        source.seen = len(data)

    def series(self, account_id: str, region: str, key: SeriesKey) -> Series | None:
        """The metric's series, or None if it never had a datapoint."""
        source = self._sources.get((account_id, region))
        return None if source is None else source.series.get(key)

    def clear(self) -> None:
        """Forget every Region."""
        self._sources.clear()
