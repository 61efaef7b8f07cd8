"""Checks of the arguments of awaiting (``result``, ``as_completed``...), before any call.

A timeout is None (wait as long as it takes) or a finite number of seconds from
0 (one look, then the timeout) to a week: ``nan`` never compares as passed, so
it is refused like ``inf``, negatives, booleans and non-numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import check_timeout

from ._notifications import NotificationQueue

T = TypeVar("T")

SHOWN_PROBLEMS = 10
"""The most problems one error lists: a million bad invocations make no readable message."""


def check_awaiting(subject: str, timeout: object, notifications: object) -> None:
    """Raise :class:`ValidationError` for a bad *timeout*, then for bad *notifications*."""
    check_timeout(subject, timeout, optional=True)
    if notifications is not None and not isinstance(notifications, NotificationQueue):
        raise ValidationError(
            subject, [Problem("notifications", "a NotificationQueue, or None", notifications)]
        )


def check_many(subject: str, invocations: object, progress: object, kind: type[T]) -> list[T]:
    """The invocations as a list; :class:`ValidationError` for any that is not a *kind*."""
    problems: list[Problem] = []
    given: list[object] = []
    if isinstance(invocations, str | bytes) or not isinstance(invocations, Iterable):
        problems.append(Problem("invocations", f"an iterable of {kind.__name__}", invocations))
    else:
        given = list(invocations)  # pyright: ignore[reportUnknownArgumentType]
    problems.extend(
        Problem(f"invocations[{i}]", f"an {kind.__name__}", each)
        for i, each in enumerate(given)
        if not isinstance(each, kind)
    )
    if progress is not None and not callable(progress):
        problems.append(Problem("progress", "a callable progress(done, total), or None", progress))
    if problems:
        raise ValidationError(subject, problems[:SHOWN_PROBLEMS])
    return [each for each in given if isinstance(each, kind)]
