"""Rules for model fields, and the one pass that checks them all.

A field's rules live in its attrs metadata (see :func:`rules`). Rules of one
field run in order and stop at the first broken one, so a wrong type is not
also reported as a wrong length; every field is checked, so one
``ValidationError`` lists every problem of the value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, cast

import attrs

from sagemaker_async.errors import Problem, ValidationError

RULES: Final = "sagemaker_async.rules"


@attrs.frozen
class Rule:
    """A predicate with the text that says what it expects."""

    expected: str
    ok: Callable[[Any], bool] = attrs.field(eq=False, repr=False)


def rules(*checks: Rule | Nested, optional: bool = False) -> dict[str, Any]:
    """Metadata for ``attrs.field``: the field's rules, in the order to check them."""
    return {RULES: (checks, optional)}


def is_type(*types: type, expected: str) -> Rule:
    """The value is an instance of one of *types* (``bool`` is never an ``int``)."""

    def ok(value: object) -> bool:
        if isinstance(value, bool) and bool not in types:
            return False
        return isinstance(value, types)

    return Rule(expected, ok)


def pattern(regex: str, expected: str) -> Rule:
    """The whole string matches *regex*."""
    compiled = re.compile(regex)
    return Rule(expected, lambda value: compiled.fullmatch(value) is not None)


def length(low: int, high: int) -> Rule:
    """The string (or collection) has between *low* and *high* items."""
    if low == high:
        text = f"exactly {low} characters"
    elif low == 0:
        text = f"at most {high} characters"
    else:
        text = f"{low} to {high} characters"
    return Rule(text, lambda value: low <= len(value) <= high)


def count(low: int, high: int, noun: str) -> Rule:
    """The collection has between *low* and *high* items."""
    text = f"at most {high} {noun}" if low == 0 else f"{low} to {high} {noun}"
    return Rule(text, lambda value: low <= len(value) <= high)


def _number(value: float) -> str:
    # Whole numbers in full (2147483647, not 2.14748e+09).
    whole = float(value).is_integer() and abs(value) < 1e15
    return str(int(value)) if whole else f"{value:g}"


def between(low: float, high: float | None = None, *, step: int | None = None) -> Rule:
    """The number lies in ``[low, high]`` (and is a multiple of *step*)."""
    text = (
        f"a number >= {_number(low)}"
        if high is None
        else f"a number from {_number(low)} to {_number(high)}"
    )
    if step is not None:
        text += f" in steps of {step}"

    def ok(value: float) -> bool:
        # Negated comparisons, so that NaN (unordered) fails too.
        if not low <= value or (high is not None and not value <= high):
            return False
        return step is None or value % step == 0

    return Rule(text, ok)


def one_of(values: Iterable[str], expected: str) -> Rule:
    """The value is one of *values*."""
    allowed = frozenset(values)
    return Rule(expected, lambda value: value in allowed)


def aws_tag_text(expected: str) -> Rule:
    r"""Letters, separators, digits and ``_.:/=+-@``: the ``[\p{L}\p{Z}\p{N}_.:/=+\-@]*`` of AWS."""

    def ok(value: str) -> bool:
        return all(unicodedata.category(char)[0] in "LZN" or char in "_.:/=+-@" for char in value)

    return Rule(expected, ok)


def typed(*types: type, expected: str, optional: bool = False) -> dict[str, Any]:
    """Metadata for a field of a read model: only its type is checked."""
    return rules(is_type(*types, expected=expected), optional=optional)


def typed_items(kind: type, expected: str) -> dict[str, Any]:
    """Metadata for a tuple field of a read model whose items are *kind*."""
    return rules(
        is_type(tuple, expected=f"a tuple of {expected}"),
        each(is_type(kind, expected=expected)),
    )


@attrs.frozen
class Nested:
    """Rules applied to each item, key or value of a collection field."""

    keys: tuple[Rule, ...] = ()
    values: tuple[Rule, ...] = ()


def each(*checks: Rule) -> Nested:
    """Apply *checks* to every item of a tuple field, or every value of a mapping."""
    return Nested(values=checks)


def each_key(*checks: Rule) -> Nested:
    """Apply *checks* to every key of a mapping field."""
    return Nested(keys=checks)


def first_broken(checks: Iterable[Rule], value: object) -> Rule | None:
    """The first of *checks* that *value* breaks (raising counts as breaking), or None."""
    for check in checks:
        try:
            if not check.ok(value):
                return check
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return check
    return None


def _items(value: object) -> Iterable[tuple[object, object]]:
    # The field's own rules checked it is a mapping or a tuple already.
    if isinstance(value, Mapping):
        return cast("Mapping[object, object]", value).items()
    return enumerate(cast("Iterable[object]", value))


def _field_problems(
    name: str, value: object, checks: tuple[Rule | Nested, ...]
) -> Iterator[Problem]:
    for check in checks:
        if isinstance(check, Rule):
            if first_broken((check,), value) is not None:
                yield Problem(name, check.expected, value)
                return
            continue
        for key, item in _items(value):
            where = f"{name}[{key!r}]"
            broken = first_broken(check.keys, key)
            if broken is not None:
                yield Problem(where, f"a key that is {broken.expected}", key)
            broken = first_broken(check.values, item)
            if broken is not None:
                yield Problem(where, broken.expected, item)


def problems_of(instance: object) -> list[Problem]:
    """Every problem of *instance*'s fields, by the rules in their metadata."""
    found: list[Problem] = []
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(instance))):
        spec = field.metadata.get(RULES)
        if spec is None:
            continue
        checks, optional = spec
        value = getattr(instance, field.name)
        if value is None and optional:
            continue
        if value is None:
            found.append(Problem(field.name, "a value (this field is required)", None))
            continue
        found.extend(_field_problems(field.name, value, checks))
    return found


def _root(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


def validate(
    instance: object,
    cross: Callable[[], Iterable[Problem]] | None = None,
    *,
    subject: str | None = None,
) -> None:
    """Raise one :class:`ValidationError` listing every problem of *instance*.

    *cross* yields the problems of rules that span fields; those about a field
    that already broke its own rules are dropped as noise.
    """
    found = problems_of(instance)
    if cross is not None:
        broken = {_root(p.path) for p in found}
        try:
            extra = list(cross())
        except (TypeError, AttributeError, ValueError, ArithmeticError):
            # A field of the wrong type, reported above already (ArithmeticError: a
            # Decimal NaN raises InvalidOperation when compared).
            extra = []
        found.extend(p for p in extra if _root(p.path) not in broken)
    if found:
        raise ValidationError(subject or type(instance).__name__, found)
