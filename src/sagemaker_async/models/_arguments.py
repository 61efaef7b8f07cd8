"""Checks of plain arguments (names, timeouts) that are not part of a model value."""

from __future__ import annotations

from typing import Final

from sagemaker_async.errors import Problem, ValidationError

from . import constraints as c
from . import validation as v

MAX_TIMEOUT: Final = 7 * 24 * 3600.0
"""The longest wait a caller may ask for: a week."""
SECONDS: Final = (c.NUMBER, c.FINITE, v.between(0, MAX_TIMEOUT))
"""The rules of a timeout: a finite number of seconds from 0 to a week."""


def check_names(subject: str, **names: object) -> None:
    """Raise :class:`ValidationError` naming every argument that is not a SageMaker name."""
    problems: list[Problem] = []
    for field, value in names.items():
        broken = v.first_broken(c.NAME, value)
        if broken is not None:
            problems.append(Problem(field, broken.expected, value))
    if problems:
        raise ValidationError(subject, problems)


def check_timeout(subject: str, timeout: object, *, optional: bool = False) -> None:
    """Raise :class:`ValidationError` unless *timeout* is a finite number of seconds >= 0.

    With *optional*, None (wait as long as it takes) is allowed too.
    """
    if timeout is None and optional:
        return
    if v.first_broken(SECONDS, timeout) is not None:
        expected = f"a number of seconds from 0 to {MAX_TIMEOUT:g}"
        if optional:
            expected += ", or None"
        raise ValidationError(subject, [Problem("timeout", expected, timeout)])
