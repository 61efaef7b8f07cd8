"""Clocks: the real monotonic one and a fake one that tests move by hand."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """A monotonic clock and a way to wait on it.

    The simulator reads :meth:`time` to place every endpoint in its lifecycle;
    code under test can wait on the same clock with ``clock.time`` and
    ``clock.sleep`` (for example as a waiter's injected clock and sleep).
    """

    def time(self) -> float:
        """Seconds since an arbitrary, fixed origin; never decreases."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let *seconds* pass on this clock."""
        ...


class MonotonicClock:
    """The real clock: :func:`time.monotonic` and :func:`time.sleep`."""

    def time(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def __repr__(self) -> str:
        return "MonotonicClock()"


class FakeClock:
    """A clock that moves only when told to, so lifecycle tests take no real time.

    Pass ``clock.time`` and ``clock.sleep`` to code that accepts an injectable
    clock and sleep: each ``sleep`` advances the time at once, so a waiter that
    polls an endpoint through a 0.2 second ``Creating`` phase returns immediately.
    Safe to share with the simulator's server thread.

    Example::

        clock = FakeClock()
        clock.sleep(5)
        assert clock.time() == 5.0
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def time(self) -> float:
        """The current fake time, in seconds."""
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Advance the time by *seconds* without waiting (like ``time.sleep``)."""
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        """Move the time forward by *seconds*.

        Raises:
            ValueError: *seconds* is negative; a monotonic clock never goes back.
        """
        if seconds < 0:
            raise ValueError(f"`seconds` must be >= 0 (a clock never goes back), got {seconds!r}")
        with self._lock:
            self._now += seconds

    def __repr__(self) -> str:
        return f"FakeClock(now={self.time()!r})"
