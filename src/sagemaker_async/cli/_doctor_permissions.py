"""``doctor``'s permission check: may the caller do what the deployment file needs?

The caller policy ``sagemaker-async iam`` prints is asked of IAM statement by
statement with ``iam:SimulatePrincipalPolicy`` (read-only), so a denial names
the action and the resource. Where the simulation is refused or not served,
the check says so instead of guessing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from ._policies import policies_of

if TYPE_CHECKING:
    from sagemaker_async.iam import PolicyDocument

    from ._deployment_file import Deployment

_ASSUMED_ROLE: Final = re.compile(
    r"arn:(?P<partition>[a-z-]+):sts::(?P<account>\d{12}):assumed-role/(?P<role>[^/]+)/.+"
)
_SIMULATABLE: Final = re.compile(r"arn:[a-z-]+:iam::\d{12}:(user|role)/.+")
SHOWN: Final = 3


class NotChecked(Exception):
    """The permissions could not be simulated; the text says why."""


def principal_arn(caller_arn: str, iam: Any) -> str:
    """The IAM user or role behind *caller_arn*, as SimulatePrincipalPolicy takes it.

    An assumed role's session ARN names the role without its path: IAM is asked
    for the role's full ARN.
    """
    assumed = _ASSUMED_ROLE.fullmatch(caller_arn)
    if assumed is not None:
        try:
            return str(iam.get_role(RoleName=assumed["role"])["Role"]["Arn"])
        except Exception as error:  # denied, or not served: say why
            raise NotChecked(f"cannot read role {assumed['role']} ({_short(error)})") from None
    if _SIMULATABLE.fullmatch(caller_arn) is None:
        raise NotChecked(f"{caller_arn} is not an IAM user or role")
    return caller_arn


def simulations(document: PolicyDocument) -> list[dict[str, Any]]:
    """One SimulatePrincipalPolicy request per statement: its actions, resources, context."""
    requests: list[dict[str, Any]] = []
    for statement in document.to_dict()["Statement"]:
        request: dict[str, Any] = {
            "ActionNames": _listed(statement["Action"]),
            "ResourceArns": _listed(statement["Resource"]),
        }
        # The values the policy's conditions expect are those a real call would carry.
        context = [
            {
                "ContextKeyName": key,
                "ContextKeyValues": _listed(values),
                "ContextKeyType": "boolean" if operator.endswith("Bool") else "string",
            }
            for operator, pairs in statement.get("Condition", {}).items()
            for key, values in pairs.items()
        ]
        if context:
            request["ContextEntries"] = context
        requests.append(request)
    return requests


def denied(iam: Any, principal: str, document: PolicyDocument) -> list[str]:
    """``action on resource`` for each pair of *document* IAM would not allow *principal*."""
    found: list[str] = []
    for request in simulations(document):
        try:
            pages = iam.get_paginator("simulate_principal_policy").paginate(
                PolicySourceArn=principal, **request
            )
            results = [result for page in pages for result in page.get("EvaluationResults", [])]
        except Exception as error:  # AccessDenied, or an emulator without the operation
            raise NotChecked(f"iam:SimulatePrincipalPolicy failed ({_short(error)})") from None
        found += [
            f"{result['EvalActionName']} on {result.get('EvalResourceName', '*')}"
            for result in results
            if result.get("EvalDecision") != "allowed"
        ]
    return found


def missing(iam: Any, principal: str, document: PolicyDocument) -> str:
    """The denials of *document* for *principal* as text, ``""`` when none; may raise NotChecked."""
    found = denied(iam, principal, document)
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return "; ".join(found[:SHOWN]) + more


def check_caller(iam: Any, caller_arn: str, deployment: Deployment) -> str:
    """What the caller may not do of the file's caller policy (``""``: nothing).

    Raises:
        NotChecked: IAM could not be asked.
    """
    document = policies_of(deployment)["caller_policy"]
    return missing(iam, principal_arn(caller_arn, iam), document)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(each) for each in value]


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
