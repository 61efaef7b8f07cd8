"""Autoscaling of an asynchronous endpoint's variant on its backlog, and what it reads back.

AWS's recipe for asynchronous endpoints: target tracking on
``ApproximateBacklogSizePerInstance``; with ``min_instances == 0``, also a step
policy that adds one instance when ``HasBacklogWithoutCapacity`` alarms, since
target tracking cannot scale out from zero instances.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Final, cast

import attrs

from sagemaker_async.errors import Problem

from . import constraints as c
from . import validation as v

MAX_CAPACITY: Final = 2_147_483_647
"""Application Auto Scaling's largest MaxCapacity (a 32-bit integer)."""

_NUMBER = v.is_type(int, float, expected="a number")
_OPTIONAL_NUMBER = v.typed(int, float, expected="a number", optional=True)


def _finite_positive() -> v.Rule:
    return v.Rule("a finite number > 0", lambda value: math.isfinite(value) and value > 0)


def _float(value: float) -> float:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # left as it is, for validation to report
            return value
    return value


@attrs.frozen(kw_only=True)
class ScalingPolicy:
    """How a variant scales on its backlog, down to ``min_instances`` (0: scale to zero).

    Args:
        max_instances: The most instances, at least 1.
        min_instances: The fewest instances, 0 to ``max_instances``; with 0 the
            endpoint sleeps when idle and the first request wakes it.
        target_backlog_per_instance: The ``ApproximateBacklogSizePerInstance``
            target tracking holds the variant at (> 0).
        scale_in_cooldown: Seconds after a scaling activity before scaling in.
        scale_out_cooldown: Seconds after a scale-out before scaling out again.

    Example:
        >>> ScalingPolicy(max_instances=4)
        ScalingPolicy(max_instances=4, min_instances=0, target_backlog_per_instance=5.0, scale_in_cooldown=600, scale_out_cooldown=300)
    """  # noqa: E501

    max_instances: int = attrs.field(metadata=v.rules(c.INT, v.between(1, MAX_CAPACITY)))
    min_instances: int = attrs.field(default=0, metadata=v.rules(c.INT, v.between(0, MAX_CAPACITY)))
    target_backlog_per_instance: float = attrs.field(
        default=5.0, converter=_float, metadata=v.rules(_NUMBER, _finite_positive())
    )
    scale_in_cooldown: int = attrs.field(
        default=600, metadata=v.rules(c.INT, v.between(0, MAX_CAPACITY))
    )
    scale_out_cooldown: int = attrs.field(
        default=300, metadata=v.rules(c.INT, v.between(0, MAX_CAPACITY))
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        # Wrong types are reported field by field; compare only numbers.
        low = cast(object, self.min_instances)
        high = cast(object, self.max_instances)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            yield Problem("min_instances", f"at most max_instances ({high})", low)

    @property
    def scales_to_zero(self) -> bool:
        """Whether the variant may sleep at 0 instances (and needs waking)."""
        return self.min_instances == 0


@attrs.frozen(kw_only=True)
class ScalingDescription:
    """What autoscaling exists for a variant, read back from AWS."""

    endpoint_name: str = attrs.field(metadata=v.typed(str, expected="a string"))
    variant_name: str = attrs.field(metadata=v.typed(str, expected="a string"))
    policy: ScalingPolicy = attrs.field(metadata=v.typed(ScalingPolicy, expected="a ScalingPolicy"))
    resource_id: str = attrs.field(metadata=v.typed(str, expected="a string"))
    policy_names: tuple[str, ...] = attrs.field(default=(), metadata=v.typed_items(str, "str"))
    alarm_names: tuple[str, ...] = attrs.field(default=(), metadata=v.typed_items(str, "str"))

    def __attrs_post_init__(self) -> None:
        v.validate(self)


@attrs.frozen(kw_only=True)
class EndpointMetrics:
    """An endpoint's backlog metrics of the last minutes (``AWS/SageMaker``, one a minute).

    The latest values are None when no datapoint fell in the window.
    """

    endpoint_name: str = attrs.field(metadata=v.typed(str, expected="a string"))
    backlog_size: float | None = attrs.field(metadata=_OPTIONAL_NUMBER)
    backlog_size_per_instance: float | None = attrs.field(metadata=_OPTIONAL_NUMBER)
    oldest_request_age_seconds: float | None = attrs.field(metadata=_OPTIONAL_NUMBER)
    has_backlog_without_capacity: bool | None = attrs.field(
        metadata=v.typed(bool, expected="True, False or None", optional=True)
    )
    instance_count: int = attrs.field(metadata=v.typed(int, expected="an integer"))
    series: Mapping[str, tuple[tuple[datetime, float], ...]] = attrs.field(
        metadata=v.rules(
            v.is_type(Mapping, expected="a mapping of metric names to datapoints"),
            v.each_key(c.TEXT),
            v.each(v.is_type(tuple, expected="a tuple of (datetime, float) datapoints")),
        )
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self)
