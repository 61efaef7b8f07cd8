"""Simulated minutes for the demo's acts on a FakeClock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sagemaker_async.testing import FakeClock

MINUTE: Final = 60.0


def minutes_until(clock: FakeClock, done: Callable[[], bool], limit: int) -> int:
    """Advance *clock* a minute at a time until *done*; the minutes it took (at most *limit*)."""
    for minute in range(1, limit + 1):
        clock.advance(MINUTE)
        if done():
            return minute
    return limit
