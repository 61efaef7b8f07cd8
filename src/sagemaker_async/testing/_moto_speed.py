"""A cheaper clock for moto's SQS while a simulator is active.

moto's SQS asks ``unix_time_millis()`` for the current time once per queued
message on every send and receive, and each call builds three datetimes. At
a hundred notifications a second that alone outruns the machine and the queue
backs up. The replacement returns the same number (milliseconds since the
epoch) from ``time.time()``; a call with a datetime goes to moto's own.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator
from datetime import datetime
from typing import Any


@contextlib.contextmanager
def faster_sqs_clock() -> Generator[None, None, None]:
    """Swap moto's SQS time helpers for cheap equivalents; restore them on exit."""
    from moto.sqs import models

    originals: dict[str, Callable[..., float]] = {
        name: getattr(models, name) for name in ("unix_time", "unix_time_millis")
    }

    def faster(name: str, scale: float) -> Callable[..., float]:
        original = originals[name]

        def now_or_convert(dt: datetime | None = None) -> float:
            return time.time() * scale if dt is None else original(dt)

        return now_or_convert

    replacements: dict[str, Any] = {
        "unix_time": faster("unix_time", 1.0),
        "unix_time_millis": faster("unix_time_millis", 1000.0),
    }
    for name, value in replacements.items():
        setattr(models, name, value)
    try:
        yield
    finally:
        for name, value in originals.items():
            setattr(models, name, value)
