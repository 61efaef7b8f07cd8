"""Checks of the arguments of a notification queue, before any call."""

from __future__ import annotations

import math
import re
from typing import Final

from sagemaker_async.errors import Problem, ValidationError

MAX_VISIBILITY_TIMEOUT: Final = 43_200
"""SQS's longest visibility timeout: 12 hours."""

# Lenient about the host (AWS, a VPC endpoint, moto or LocalStack on a port), strict
# about the shape: a scheme, a host, an optional account segment, the queue's name.
QUEUE_URL: Final = re.compile(
    r"https?://[^/\s?#]+/(?:[^/\s?#]+/)?[A-Za-z0-9_-]{1,80}(?:\.fifo)?", re.ASCII
)
QUEUE_URL_EXPECTED: Final = (
    "an SQS queue URL like https://sqs.us-east-1.amazonaws.com/123456789012/name"
)


def check_queue(queue_url: object, visibility_timeout: object) -> None:
    """Raise :class:`ValidationError` naming each bad argument of ``NotificationQueue``."""
    problems: list[Problem] = []
    if not isinstance(queue_url, str) or QUEUE_URL.fullmatch(queue_url) is None:
        problems.append(Problem("queue_url", QUEUE_URL_EXPECTED, queue_url))
    whole = isinstance(visibility_timeout, int) and not isinstance(visibility_timeout, bool)
    if not whole or not 0 <= visibility_timeout <= MAX_VISIBILITY_TIMEOUT:  # type: ignore[operator]
        expected = f"a whole number of seconds from 0 to {MAX_VISIBILITY_TIMEOUT}"
        problems.append(Problem("visibility_timeout", expected, visibility_timeout))
    if problems:
        raise ValidationError("NotificationQueue", problems)


def check_wait(subject: str, wait_seconds: object) -> None:
    """Raise :class:`ValidationError` unless *wait_seconds* is a finite number >= 0."""
    number = isinstance(wait_seconds, int | float) and not isinstance(wait_seconds, bool)
    if not number or not (math.isfinite(wait_seconds) and wait_seconds >= 0):  # type: ignore[arg-type, operator]
        raise ValidationError(
            subject, [Problem("wait_seconds", "a finite number of seconds >= 0", wait_seconds)]
        )
