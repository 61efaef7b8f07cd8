"""botocore's pauses between retries and between waiter polls, taken on the simulator's clock.

botocore sleeps (``time.sleep`` in ``botocore.endpoint``) before it sends a
failed request again: up to seconds per retry, and many retries when faults are
injected; its waiters (``client.get_waiter(...)``, ``time.sleep`` in
``botocore.waiter``) sleep between polls. While a simulator on a fake clock
runs, those pauses advance that clock instead, as every other wait of a test does.
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
    """botocore's retry and waiter pauses pass on *clock* for the duration of the block."""
    from botocore import endpoint, waiter

    namespaces = [endpoint.__dict__, waiter.__dict__]
    originals = [namespace["time"] for namespace in namespaces]
    for namespace in namespaces:
        namespace["time"] = _ClockTime(clock)
    try:
        yield
    finally:
        for namespace, original in zip(namespaces, originals, strict=True):
            namespace["time"] = original
