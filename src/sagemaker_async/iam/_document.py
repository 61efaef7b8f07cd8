"""IAM policy documents as immutable values with one, deterministic JSON form.

Collections are sorted and deduplicated when a value is built, so two
documents that grant the same thing compare equal and serialize to the same
text, whatever order their parts were given in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

import attrs

from sagemaker_async.errors import Problem
from sagemaker_async.models import FrozenMap
from sagemaker_async.models import validation as v

Effect = Literal["Allow", "Deny"]
"""Whether a statement allows or denies its actions."""

POLICY_VERSION: Final = "2012-10-17"

_SID = r"[A-Za-z0-9]+"
_ACTION = r"[a-z0-9-]+:[A-Za-z0-9*]+"
_RESOURCE = r"\*|arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+"

Conditions = Mapping[str, Mapping[str, tuple[str, ...]]]
"""Condition operator -> condition key -> values, as in a policy's ``Condition``."""


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    # One string is one item, not an iterable of characters.
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        return tuple(sorted(set(value)))
    # Anything else is left as it is, for validation to report.
    return value


def _principal(
    value: Mapping[str, Iterable[str]] | None,
) -> FrozenMap[str, tuple[str, ...]] | None:
    if value is None or not isinstance(value, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
        return value
    return FrozenMap({kind: _strings(value[kind]) for kind in sorted(value)})


def _conditions(value: Mapping[str, Mapping[str, Iterable[str]]]) -> Conditions:
    if not isinstance(value, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
        return value
    return FrozenMap(
        {
            operator: FrozenMap({key: _strings(keys[key]) for key in sorted(keys)})
            for operator, keys in sorted(value.items())
        }
    )


@attrs.frozen(kw_only=True)
class Statement:
    """One statement of a policy: who may (or may not) do what, on which resources.

    Actions, resources and condition values are sorted and deduplicated, so the
    statement has one JSON form.

    Args:
        sid: The statement id: letters and digits, unique in its document.
        actions: Actions such as ``s3:GetObject``.
        resources: ARNs (or ``*``) the actions apply to; empty only with a principal.
        effect: ``Allow`` (the default) or ``Deny``.
        principal: For a resource policy such as a trust policy: kind -> ids,
            like ``{"Service": ["sagemaker.amazonaws.com"]}``.
        conditions: Operator -> key -> values, like
            ``{"StringEquals": {"iam:PassedToService": ["sagemaker.amazonaws.com"]}}``.
    """

    sid: str = attrs.field(
        metadata=v.rules(
            v.is_type(str, expected="a string"),
            v.pattern(_SID, "letters and digits only"),
        )
    )
    actions: tuple[str, ...] = attrs.field(
        converter=_strings,
        metadata=v.rules(
            v.is_type(tuple, expected="a sequence of actions"),
            v.count(1, 1000, "actions"),
            v.each(v.pattern(_ACTION, "an action like 's3:GetObject'")),
        ),
    )
    resources: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=v.rules(
            v.is_type(tuple, expected="a sequence of resources"),
            v.each(v.pattern(_RESOURCE, "an ARN, or '*'")),
        ),
    )
    effect: Effect = attrs.field(
        default="Allow", metadata=v.rules(v.one_of(("Allow", "Deny"), "'Allow' or 'Deny'"))
    )
    principal: Mapping[str, tuple[str, ...]] | None = attrs.field(
        default=None,
        converter=_principal,
        metadata=v.rules(
            v.is_type(Mapping, expected="a mapping of principal kinds to ids"), optional=True
        ),
    )
    conditions: Conditions = attrs.field(
        factory=lambda: FrozenMap[str, Mapping[str, tuple[str, ...]]](),
        converter=_conditions,
        metadata=v.rules(v.is_type(Mapping, expected="a mapping of operators to conditions")),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterable[Problem]:
        if not self.resources and self.principal is None:
            yield Problem("resources", "at least one resource (or a principal)", self.resources)

    def to_dict(self) -> dict[str, Any]:
        """The statement as IAM JSON: ``Sid``, ``Effect``, ``Action``, ``Resource``, ...

        ``Action`` and ``Resource`` are always lists; a condition with one value
        is a string.
        """
        out: dict[str, Any] = {"Sid": self.sid, "Effect": self.effect}
        if self.principal is not None:
            out["Principal"] = {kind: list(ids) for kind, ids in self.principal.items()}
        out["Action"] = list(self.actions)
        if self.resources:
            out["Resource"] = list(self.resources)
        if self.conditions:
            out["Condition"] = {
                operator: {key: _one_or_list(values) for key, values in keys.items()}
                for operator, keys in self.conditions.items()
            }
        return out


def _one_or_list(values: tuple[str, ...]) -> str | list[str]:
    # One condition value is written as a string: some operators (Bool, Null) read
    # it as a scalar in tools that check policies, and IAM accepts both forms.
    return values[0] if len(values) == 1 else list(values)


def _statements(value: Iterable[Statement]) -> tuple[Statement, ...]:
    # Anything but an iterable is left as it is, for validation to report.
    if isinstance(value, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        return tuple(value)
    return value


@attrs.frozen(kw_only=True)
class PolicyDocument:
    """An IAM policy: statements in a stable order, serializable to IAM JSON.

    Example:
        >>> doc = PolicyDocument(
        ...     statements=[Statement(sid="Read", actions=["s3:GetObject"], resources=["*"])]
        ... )
        >>> doc.to_dict()["Statement"][0]["Action"]
        ['s3:GetObject']
    """

    statements: tuple[Statement, ...] = attrs.field(
        converter=_statements,
        metadata=v.rules(
            v.is_type(tuple, expected="a sequence of Statement"),
            v.count(1, 1000, "statements"),
            v.each(v.is_type(Statement, expected="a Statement")),
        ),
    )
    version: Literal["2012-10-17"] = attrs.field(
        default=POLICY_VERSION,
        metadata=v.rules(
            v.one_of((POLICY_VERSION,), f"the policy language version {POLICY_VERSION!r}")
        ),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterable[Problem]:
        first: dict[str, int] = {}
        for index, statement in enumerate(self.statements):
            if statement.sid in first:
                yield Problem(
                    f"statements[{index}].sid",
                    f"a sid distinct from statements[{first[statement.sid]}].sid",
                    statement.sid,
                )
            else:
                first[statement.sid] = index

    @property
    def sids(self) -> tuple[str, ...]:
        """The statement ids, in document order."""
        return tuple(statement.sid for statement in self.statements)

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action any statement names, sorted."""
        return tuple(sorted({action for s in self.statements for action in s.actions}))

    def statement(self, sid: str) -> Statement:
        """The statement with id *sid*.

        Raises:
            KeyError: No statement has that id.
        """
        for statement in self.statements:
            if statement.sid == sid:
                return statement
        raise KeyError(sid)

    def to_dict(self) -> dict[str, Any]:
        """The document as IAM JSON: ``{"Version": ..., "Statement": [...]}``."""
        return {
            "Version": self.version,
            "Statement": [statement.to_dict() for statement in self.statements],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The document as IAM JSON text, ready for ``aws iam put-role-policy``."""
        return json.dumps(self.to_dict(), indent=indent)
