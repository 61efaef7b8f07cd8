"""Evaluating a metric alarm as CloudWatch does, from an indexed series.

CloudWatch reads an *evaluation range* a little longer than EvaluationPeriods
(its documentation's example reads 5 datapoints for 3 periods; this reads
EvaluationPeriods + 2). Then:

- with at least EvaluationPeriods real datapoints in the range, the newest
  EvaluationPeriods of them decide, and TreatMissingData plays no part;
- with none, ``missing`` goes INSUFFICIENT_DATA, ``ignore`` keeps the state,
  ``breaching`` goes ALARM and ``notBreaching`` goes OK;
- with some, every real datapoint counts and the missing ones are filled in
  as TreatMissingData says: ``breaching`` and ``notBreaching`` fill them in,
  ``missing`` decides on the real datapoints alone (so that one breaching
  datapoint of one reaches ALARM, as the documentation's table shows), and
  ``ignore`` keeps the state.

ALARM is M breaching datapoints out of N (DatapointsToAlarm of
EvaluationPeriods), OK is fewer. The newest period is the one holding the
minute just published.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Final, NamedTuple

import attrs
from moto.cloudwatch.models import Alarm

from ._series import STATISTICS, Series, SeriesKey, series_key

OK: Final = "OK"
ALARM: Final = "ALARM"
INSUFFICIENT_DATA: Final = "INSUFFICIENT_DATA"
EXTRA_PERIODS: Final = 2

COMPARISONS: Final[dict[str, tuple[Callable[[float, float], bool], str]]] = {
    "GreaterThanOrEqualToThreshold": (operator.ge, "greater than or equal to"),
    "GreaterThanThreshold": (operator.gt, "greater than"),
    "LessThanThreshold": (operator.lt, "less than"),
    "LessThanOrEqualToThreshold": (operator.le, "less than or equal to"),
}


@attrs.frozen
class MetricQuery:
    """What a metric alarm watches, and how."""

    key: SeriesKey
    statistic: str
    unit: str | None
    period: int


class Datapoint(NamedTuple):
    """One period's statistic: when the period starts (epoch seconds), its value."""

    start: float
    value: float
    sample_count: float
    breaching: bool


@attrs.frozen
class Evaluation:
    """An alarm's state after one evaluation, and what it was decided on."""

    state: str
    evaluated: tuple[Datapoint, ...]  # real datapoints that counted, newest first
    recent: tuple[Datapoint, ...]  # every real datapoint of the range, newest first
    filled: int  # missing datapoints filled in (TreatMissingData breaching or notBreaching)
    filled_breaching: bool
    needed: int  # breaching datapoints ALARM needed
    range_start: float

    @property
    def values(self) -> tuple[float, ...]:
        """The values that counted, newest first."""
        return tuple(each.value for each in self.evaluated)


def query_of(alarm: Alarm) -> MetricQuery | None:
    """The metric a single-metric alarm watches; None for what this cannot evaluate.

    That is: composite alarms, metric math, percentiles (ExtendedStatistic)
    and anomaly-detection comparisons.
    """
    if alarm.rule is not None or alarm.comparison_operator not in COMPARISONS:
        return None
    if alarm.metric_data_queries:
        returned = [q for q in alarm.metric_data_queries if q.return_data in (None, True, "true")]
        if len(returned) != 1 or any(q.expression for q in alarm.metric_data_queries):
            return None
        stat = returned[0].metric_stat
        if stat is None or stat.stat not in STATISTICS:
            return None
        dimensions = [(str(d.name), str(d.value)) for d in stat.metric.dimensions]
        key = series_key(stat.metric.namespace, stat.metric.metric_name, dimensions)
        return MetricQuery(key, stat.stat, stat.unit, int(stat.period))
    if not alarm.metric_name or alarm.statistic not in STATISTICS:
        return None
    dimensions = [(str(d.name), str(d.value)) for d in alarm.dimensions]
    key = series_key(alarm.namespace, alarm.metric_name, dimensions)
    return MetricQuery(key, alarm.statistic, alarm.unit, int(alarm.period))


def breaches(alarm: Alarm, value: float) -> bool:
    """Whether *value* is on the alarm's side of its threshold."""
    compare, _ = COMPARISONS[alarm.comparison_operator]
    return compare(value, float(alarm.threshold))


def evaluate(alarm: Alarm, query: MetricQuery, series: Series, now: float) -> Evaluation:
    """The alarm's state at *now* (epoch seconds) from its metric's *series*."""
    periods = int(alarm.evaluation_periods)
    needed = int(alarm.datapoints_to_alarm or periods)
    span = periods + EXTRA_PERIODS
    oldest = (math.floor(now / query.period) - span + 1) * query.period
    recent: list[Datapoint] = []
    found_sets = series.periods(oldest, query.period, span, query.unit)
    for index in range(span - 1, -1, -1):
        aggregate = found_sets[index]
        if aggregate is not None:
            value = aggregate.statistic(query.statistic)
            start = oldest + index * query.period
            recent.append(Datapoint(start, value, aggregate.samples, breaches(alarm, value)))
    found = _Found(tuple(recent), oldest, needed)
    if len(recent) >= periods:
        return found.decide(tuple(recent[:periods]), 0, needed)
    treat = alarm.treat_missing_data or "missing"
    missing = periods - len(recent)
    if treat == "ignore":
        return found.keep(alarm.state_value)
    if treat == "breaching":
        return found.decide(found.recent, missing, needed, filled_breach=True)
    if treat == "notBreaching":
        return found.decide(found.recent, missing, needed)
    if not recent:
        return found.keep(INSUFFICIENT_DATA)
    return found.decide(found.recent, 0, min(needed, len(recent)))


@attrs.frozen
class _Found:
    recent: tuple[Datapoint, ...]
    range_start: float
    needed: int

    def decide(
        self,
        evaluated: tuple[Datapoint, ...],
        filled: int,
        needed: int,
        *,
        filled_breach: bool = False,
    ) -> Evaluation:
        breaching = sum(each.breaching for each in evaluated) + (filled if filled_breach else 0)
        state = ALARM if breaching >= needed else OK
        return Evaluation(
            state, evaluated, self.recent, filled, filled_breach, needed, self.range_start
        )

    def keep(self, state: str) -> Evaluation:
        return Evaluation(state, (), self.recent, 0, False, self.needed, self.range_start)
