"""The capacity a scaling policy asks for: target tracking and step scaling arithmetic."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def tracking_capacity(current: int, metric: float, target: float, *, scale_in: bool) -> int:
    """``ceil(current * metric / target)``; a scale-in removes at least one instance.

    At 0 instances this is 0 whatever the metric: target tracking never wakes
    a variant at zero (a step policy does).
    """
    if target <= 0:
        return current
    wanted = math.ceil(current * metric / target)
    if scale_in:
        return max(min(wanted, current - 1), 0)
    return wanted


def aggregate(values: Sequence[float], how: str | None) -> float:
    """MetricAggregationType over the alarm's datapoints: Average unless said otherwise."""
    if how == "Minimum":
        return min(values)
    if how == "Maximum":
        return max(values)
    return sum(values) / len(values)


def _contains(step: Mapping[str, Any], difference: float) -> bool:
    lower = step.get("MetricIntervalLowerBound")
    upper = step.get("MetricIntervalUpperBound")
    low = -math.inf if lower is None else float(lower)
    high = math.inf if upper is None else float(upper)
    # Above the threshold the lower bound is inclusive and the upper exclusive;
    # below it, the other way round (StepAdjustment in the API reference).
    if difference >= 0:
        return low <= difference < high
    return low < difference <= high


def step_adjustment(
    steps: Sequence[Mapping[str, Any]], value: float, threshold: float
) -> float | None:
    """The ScalingAdjustment of the step whose interval holds ``value - threshold``."""
    difference = value - threshold
    for step in steps:
        if _contains(step, difference):
            return float(step["ScalingAdjustment"])
    return None


def _percent_change(current: int, percent: float, min_magnitude: int | None) -> int:
    change = current * percent / 100
    # Toward zero, but a change between -1 and 1 is at least one instance.
    if 0 < abs(change) < 1:
        change = math.copysign(1, change)
    whole = int(change)
    if min_magnitude and 0 < abs(whole) < min_magnitude:
        whole = int(math.copysign(min_magnitude, whole))
    return whole


def step_capacity(config: Mapping[str, Any], adjustment: float, base: int) -> int:
    """The capacity a step of *adjustment* sets, counted from *base*."""
    kind = config.get("AdjustmentType")
    if kind == "ExactCapacity":
        return int(adjustment)
    if kind == "PercentChangeInCapacity":
        return base + _percent_change(base, adjustment, config.get("MinAdjustmentMagnitude"))
    return base + int(adjustment)


def clamp(capacity: int, low: int | None, high: int | None) -> int:
    """*capacity* within the scalable target's MinCapacity and MaxCapacity."""
    if high is not None:
        capacity = min(capacity, high)
    if low is not None:
        capacity = max(capacity, low)
    return capacity
