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
from typing import Any, Final, cast

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
    message = _as_object(body)
    if not message:
        return False
    return _object_matches(policy, message)


def _as_object(value: object) -> Mapping[str, Any] | None:
    """*value* if it is a JSON object."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def _as_array(value: object) -> list[Any] | None:
    """*value* if it is a JSON array."""
    if not isinstance(value, list):
        return None
    items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
    return items


def _object_matches(policy: Mapping[str, Any], node: Mapping[str, Any]) -> bool:
    for key, rule in policy.items():
        choices = _as_array(rule)
        if key == "$or" and choices is not None:
            policies = [each for each in map(_as_object, choices) if each is not None]
            if not any(_object_matches(choice, node) for choice in policies):
                return False
            continue
        value = node.get(key, _ABSENT)
        nested = _as_object(rule)
        if nested is not None:
            if not any(_object_matches(nested, each) for each in _objects(value)):
                return False
        elif not _leaf_matches(rule, value):
            return False
    return True


def _objects(value: object) -> list[Mapping[str, Any]]:
    """The objects a nested policy applies to; an empty one where there is none."""
    one = _as_object(value)
    if one is not None:
        return [one]
    objects = [each for each in map(_as_object, _as_array(value) or []) if each is not None]
    # Absent, or not an object: its nested properties are all absent.
    return objects or [{}]


def _values(value: object) -> list[Any]:
    """The values a condition is tried on: an array's elements, or the value itself."""
    if value is _ABSENT:
        return []
    items = _as_array(value)
    if items is None:
        return [value]
    return [each for item in items for each in _values(item)]


def _leaf_matches(conditions: object, value: object) -> bool:
    rules = _as_array(conditions)
    if rules is None:
        return False
    values = _values(value)
    present = any(each is not None for each in values)
    for condition in rules:
        operation = _as_object(condition)
        if operation is not None and "exists" in operation:
            if operation["exists"] is present:
                return True
        elif any(_matches(condition, each) for each in values):
            return True
    return False


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(expected: object, value: object) -> bool:
    """JSON equality: numbers by value, never a number and a string or a boolean."""
    if _is_number(expected) and _is_number(value):
        return float(cast("float", expected)) == float(cast("float", value))
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool) and expected is value
    return type(expected) is type(value) and expected == value


def _matches(condition: object, value: object) -> bool:
    operations = _as_object(condition)
    if operations is None:
        return _equal(condition, value)
    if len(operations) != 1:
        return False
    (name, argument), *_ = operations.items()
    if name == "anything-but":
        if _as_object(argument) is not None:  # a string not starting (or ending) with it
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
    items = _as_array(excluded)
    if items is None:
        return _equal(excluded, value)
    return any(_equal(item, value) for item in items)


def _in_range(bounds: object, value: object) -> bool:
    terms = _as_array(bounds)
    if not _is_number(value) or terms is None:
        return False
    number = float(cast("float", value))
    return all(
        name in _COMPARE and _is_number(limit) and _COMPARE[name](number, float(limit))
        for name, limit in zip(terms[0::2], terms[1::2], strict=False)
    )
