"""What answers an invocation, and how long it takes: the user's side of fulfilment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

Handler: TypeAlias = Callable[[bytes, str | None], bytes]
"""A model: ``handler(body, content_type) -> bytes``; an exception is a failed inference."""

Latency: TypeAlias = float | Callable[[], float]
"""Seconds from InvokeEndpointAsync to the result: a number, or a function drawn per call."""


def echo(body: bytes, content_type: str | None) -> bytes:
    """The default handler: the result is the request body."""
    return body


def check_latency(latency: Latency) -> Latency:
    """*latency* itself, once a number is known not to be negative.

    Raises:
        ValueError: a negative number of seconds.
    """
    if not callable(latency):
        if latency < 0:
            raise ValueError(f"`latency` must be >= 0 seconds, got {latency!r}")
        return float(latency)
    return latency


def draw(latency: Latency) -> float:
    """One latency in seconds (a function's negative draw counts as 0)."""
    seconds = latency() if callable(latency) else latency
    return max(0.0, float(seconds))
