"""Delays between polls that grow from an initial value to a maximum."""

from __future__ import annotations

from collections.abc import Callable

import attrs


@attrs.frozen
class Backoff:
    """Poll delays: *initial* seconds, times *multiplier* after each poll, up to *maximum*."""

    initial: float = 2.0
    maximum: float = 30.0
    multiplier: float = 1.5

    def delays(self) -> Callable[[], float]:
        """A function returning the next delay each time it is called."""
        current = [self.initial]

        def next_delay() -> float:
            delay = current[0]
            current[0] = min(delay * self.multiplier, self.maximum)
            return delay

        return next_delay
