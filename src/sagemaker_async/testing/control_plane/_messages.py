"""SageMaker's error messages, word for word, and the name checks that produce some.

Wording taken from SageMaker answers quoted in public bug reports (for example
``Cannot create already existing endpoint configuration "arn:..."`` and
``Could not find endpoint "arn:..."``): resources are named by ARN in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import attrs

MAX_NAME_LENGTH: Final = 63


@attrs.frozen
class NameRule:
    """A name field of the API: its wire name in messages and its pattern."""

    field: str
    shown: str  # as SageMaker prints it in the message
    regex: re.Pattern[str]


# The patterns as the API reference prints them. Model names have their own
# (equivalent) spelling of the same rule.
ENDPOINT_NAME: Final = NameRule(
    "endpointName",
    "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"),
)
ENDPOINT_CONFIG_NAME: Final = attrs.evolve(ENDPOINT_NAME, field="endpointConfigName")
MODEL_NAME: Final = NameRule(
    "modelName",
    r"^[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?$",
    re.compile(r"[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?"),
)


def name_problems(rule: NameRule, value: str) -> list[str]:
    """SageMaker's constraint messages for *value* in the field *rule* describes."""
    problems: list[str] = []
    prefix = f"Value '{value}' at '{rule.field}' failed to satisfy constraint: "
    if len(value) > MAX_NAME_LENGTH:
        problems.append(f"{prefix}Member must have length less than or equal to {MAX_NAME_LENGTH}")
    if rule.regex.fullmatch(value) is None:
        problems.append(f"{prefix}Member must satisfy regular expression pattern: {rule.shown}")
    return problems


def validation_message(problems: Iterable[str]) -> str | None:
    """``"1 validation error detected: ..."``, or None when there is no problem."""
    listed = list(problems)
    if not listed:
        return None
    noun = "error" if len(listed) == 1 else "errors"
    return f"{len(listed)} validation {noun} detected: " + "; ".join(listed)


def already_exists(kind: str, arn: str) -> str:
    """CreateModel, CreateEndpointConfig, CreateEndpoint on a name in use."""
    return f'Cannot create already existing {kind} "{arn}".'


def not_found(kind: str, arn: str) -> str:
    """Any call naming a model, endpoint configuration or endpoint that is not there."""
    return f'Could not find {kind} "{arn}".'


def in_progress(arn: str) -> str:
    """UpdateEndpoint or DeleteEndpoint while the endpoint is not at rest.

    SageMaker gives the same text for both operations.
    """
    return f'Cannot update in-progress endpoint "{arn}".'
