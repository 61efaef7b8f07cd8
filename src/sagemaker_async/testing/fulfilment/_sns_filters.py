"""SNS subscription filter policies on the message body, as the SNS developer guide has them.

A policy is a JSON object. Each key names a property of the message (a nested
object in the policy names a nested property) and every key must match (AND);
the list under a key holds conditions of which one must match (OR), and
``"$or"`` takes a list of policies of which one must match. A property whose
value is an array matches if one of its elements does; a nested policy over an
array of objects matches if one of the objects does. The conditions:

- ``"text"``, ``301.5``, ``true``, ``null``: that exact value (a string never
  equals a number: ``"100"`` is not ``100``);
- ``{"prefix": "a"}``, ``{"suffix": "z"}``, ``{"equals-ignore-case": "A"}``: strings;
- ``{"anything-but": [...]}`` (or one value): a value none of those is, the
  property being there; ``{"anything-but": {"prefix": "a"}}`` (or ``suffix``):
  a string not starting (ending) with it;
- ``{"numeric": [">", 0, "<=", 150]}``: a number in the range (``=`` too);
- ``{"exists": true}``: the property is there with a value that is not null
  (nor an empty array); ``{"exists": false}``: it is not, nested parents
  included. A message that is an empty object matches no policy.

A message body that is not a JSON object matches no policy.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

_ABSENT: Final = object()

_COMPARE: Final[Mapping[str, Callable[[float, float], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}


def body_matches(policy: Mapping[str, Any], body: object) -> bool:
    """Whether the message *body* (parsed JSON) passes the filter *policy*."""
    if not isinstance(body, Mapping) or not body:
        return False
    return _object_matches(policy, body)  # pyright: ignore[reportUnknownArgumentType]


def _object_matches(policy: Mapping[str, Any], node: Mapping[str, Any]) -> bool:
    for key, rule in policy.items():
        if key == "$or" and isinstance(rule, list):
            choices: list[Any] = rule  # pyright: ignore[reportUnknownVariableType]
            if not any(
                _object_matches(choice, node) for choice in choices if isinstance(choice, Mapping)
            ):
                return False
            continue
        value = node.get(key, _ABSENT)
        if isinstance(rule, Mapping):
            nested: Mapping[str, Any] = rule  # pyright: ignore[reportUnknownVariableType]
            if not any(_object_matches(nested, each) for each in _objects(value)):
                return False
        elif not _leaf_matches(rule, value):
            return False
    return True


def _objects(value: object) -> list[Mapping[str, Any]]:
    """The objects a nested policy applies to; an empty one where there is none."""
    if isinstance(value, Mapping):
        return [value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        objects = [item for item in items if isinstance(item, Mapping)]
        if objects:
            return objects
    # Absent, or not an object: its nested properties are all absent.
    return [{}]


def _values(value: object) -> list[Any]:
    """The values a condition is tried on: an array's elements, or the value itself."""
    if value is _ABSENT:
        return []
    if isinstance(value, list):
        found: list[Any] = []
        for item in value:  # pyright: ignore[reportUnknownVariableType]
            found.extend(_values(item))
        return found
    return [value]


def _leaf_matches(conditions: object, value: object) -> bool:
    if not isinstance(conditions, list):
        return False
    rules: list[Any] = conditions  # pyright: ignore[reportUnknownVariableType]
    values = _values(value)
    present = any(each is not None for each in values)
    for condition in rules:
        if isinstance(condition, Mapping) and "exists" in condition:
            if condition["exists"] is present:
                return True
        elif any(_matches(condition, each) for each in values):
            return True
    return False


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(expected: object, value: object) -> bool:
    """JSON equality: numbers by value, never a number and a string or a boolean."""
    if _is_number(expected) and _is_number(value):
        return float(expected) == float(value)  # type: ignore[arg-type]
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool) and expected is value
    return type(expected) is type(value) and expected == value


def _matches(condition: object, value: object) -> bool:
    if not isinstance(condition, Mapping):
        return _equal(condition, value)
    operations: Mapping[str, Any] = condition  # pyright: ignore[reportUnknownVariableType]
    if len(operations) != 1:
        return False
    (name, argument), *_ = operations.items()
    if name == "anything-but":
        if isinstance(argument, Mapping):  # a string not starting (or ending) with it
            return isinstance(value, str) and not _matches(argument, value)
        return value is not None and not _any_of(argument, value)
    if name == "numeric":
        return _in_range(argument, value)
    if not isinstance(value, str) or not isinstance(argument, str):
        return False
    if name == "prefix":
        return value.startswith(argument)
    if name == "suffix":
        return value.endswith(argument)
    if name == "equals-ignore-case":
        return value.casefold() == argument.casefold()
    return False


def _any_of(excluded: object, value: object) -> bool:
    """Whether *value* is among the values ``anything-but`` excludes."""
    if isinstance(excluded, list):
        items: list[Any] = excluded  # pyright: ignore[reportUnknownVariableType]
        return any(_equal(item, value) for item in items)
    return _equal(excluded, value)


def _in_range(bounds: object, value: object) -> bool:
    if not _is_number(value) or not isinstance(bounds, list):
        return False
    terms: list[Any] = bounds  # pyright: ignore[reportUnknownVariableType]
    pairs = zip(terms[0::2], terms[1::2], strict=False)
    number = float(value)  # type: ignore[arg-type]
    return all(
        name in _COMPARE and _is_number(limit) and _COMPARE[name](number, float(limit))
        for name, limit in pairs
    )
