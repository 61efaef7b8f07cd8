"""Delays between polls that grow from an initial value to a maximum."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Final, cast

import attrs

from sagemaker_async.errors import Problem
from sagemaker_async.models import validation as v

MAX_DELAY: Final = 3600.0
"""The longest pause between two polls: an hour."""

_NUMBER = v.is_type(int, float, expected="a number")
_FINITE = v.Rule("a finite number", lambda value: math.isfinite(value))


@attrs.frozen
class Backoff:
    """Poll delays: *initial* seconds, times *multiplier* after each poll, up to *maximum*.

    Every value is finite; *maximum* is above 0 (a loop never spins without a
    pause) and at most an hour, *initial* is from 0 to *maximum*, and
    *multiplier* is at least 1.
    """

    initial: float = attrs.field(
        default=2.0, metadata=v.rules(_NUMBER, _FINITE, v.between(0, MAX_DELAY))
    )
    maximum: float = attrs.field(
        default=30.0, metadata=v.rules(_NUMBER, _FINITE, v.between(0.001, MAX_DELAY))
    )
    multiplier: float = attrs.field(
        default=1.5, metadata=v.rules(_NUMBER, _FINITE, v.between(1, 1000))
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        initial, maximum = cast(object, self.initial), cast(object, self.maximum)
        numbers = isinstance(initial, int | float) and isinstance(maximum, int | float)
        if numbers and initial > maximum:  # type: ignore[operator]
            yield Problem("initial", f"at most maximum ({maximum:g})", initial)

    def delays(self) -> Callable[[], float]:
        """A function returning the next delay each time it is called."""
        current = [self.initial]

        def next_delay() -> float:
            delay = current[0]
            current[0] = min(delay * self.multiplier, self.maximum)
            return delay

        return next_delay
