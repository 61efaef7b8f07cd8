"""Checks of plain arguments (names, timeouts) that are not part of a model value."""

from __future__ import annotations

import math
from typing import Final

from sagemaker_async.errors import Problem, ValidationError

from . import constraints as c
from . import validation as v

_NAME = v.rules(*c.NAME)[v.RULES][0]


def _passes(rule: v.Rule, value: object) -> bool:
    try:
        return bool(rule.ok(value))
    except (TypeError, ValueError):
        return False


def check_names(subject: str, **names: object) -> None:
    """Raise :class:`ValidationError` naming every argument that is not a SageMaker name."""
    problems: list[Problem] = []
    for field, value in names.items():
        for rule in _NAME:
            if isinstance(rule, v.Rule) and not _passes(rule, value):
                problems.append(Problem(field, rule.expected, value))
                break
    if problems:
        raise ValidationError(subject, problems)


MAX_TIMEOUT: Final = 7 * 24 * 3600.0
"""The longest wait a caller may ask for: a week."""


def check_timeout(subject: str, timeout: object, *, optional: bool = False) -> None:
    """Raise :class:`ValidationError` unless *timeout* is a finite number of seconds >= 0.

    With *optional*, None (wait as long as it takes) is allowed too.
    """
    if timeout is None and optional:
        return
    number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    # Compared before isfinite, which overflows on an int beyond a float (10**400).
    if not number or not (0 <= timeout <= MAX_TIMEOUT and math.isfinite(timeout)):  # type: ignore[operator, arg-type]
        expected = f"a number of seconds from 0 to {MAX_TIMEOUT:g}"
        if optional:
            expected += ", or None"
        raise ValidationError(subject, [Problem("timeout", expected, timeout)])
