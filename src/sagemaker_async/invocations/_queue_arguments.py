"""Checks of the arguments of a notification queue, before any call."""

from __future__ import annotations

import re
from typing import Final

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import constraints as c
from sagemaker_async.models import validation as v

MAX_VISIBILITY_TIMEOUT: Final = 43_200
"""SQS's longest visibility timeout: 12 hours."""
VISIBILITY_TIMEOUT: Final = (c.INT, v.between(0, MAX_VISIBILITY_TIMEOUT))
WAIT_SECONDS: Final = (c.NUMBER, c.FINITE, v.between(0))

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
    if v.first_broken(VISIBILITY_TIMEOUT, visibility_timeout) is not None:
        expected = f"a whole number of seconds from 0 to {MAX_VISIBILITY_TIMEOUT}"
        problems.append(Problem("visibility_timeout", expected, visibility_timeout))
    if problems:
        raise ValidationError("NotificationQueue", problems)


def check_wait(subject: str, wait_seconds: object) -> None:
    """Raise :class:`ValidationError` unless *wait_seconds* is a finite number >= 0."""
    if v.first_broken(WAIT_SECONDS, wait_seconds) is not None:
        raise ValidationError(
            subject, [Problem("wait_seconds", "a finite number of seconds >= 0", wait_seconds)]
        )
