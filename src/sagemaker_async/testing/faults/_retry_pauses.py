"""botocore's pauses between retries, taken on the simulator's clock.

botocore sleeps (``time.sleep`` in ``botocore.endpoint``) before it sends a
failed request again: up to seconds per retry, and many retries when faults are
injected. While a simulator on a fake clock runs, those pauses advance that
clock instead, as every other wait of a test does.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator
from typing import Any

from sagemaker_async.testing._clock import Clock


class _ClockTime:
    """The ``time`` module as ``botocore.endpoint`` sees it, sleeping on *clock*."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def sleep(self, seconds: float) -> None:
        self._clock.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@contextlib.contextmanager
def retry_pauses_on(clock: Clock) -> Generator[None, None, None]:
    """botocore's retry pauses pass on *clock* for the duration of the block."""
    from botocore import endpoint

    namespace = endpoint.__dict__
    original = namespace["time"]
    namespace["time"] = _ClockTime(clock)
    try:
        yield
    finally:
        namespace["time"] = original
