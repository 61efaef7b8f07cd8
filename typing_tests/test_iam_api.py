"""The types of the ``sagemaker_async.iam`` API, checked by mypy and pyright (never run)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, assert_type

import sagemaker_async as sa
from sagemaker_async import iam


def check_iam_api(model: sa.Model, config: sa.EndpointConfig) -> None:
    trust = iam.execution_role_trust_policy(account="123456789012", region="us-east-1")
    assert_type(trust, iam.PolicyDocument)

    role = iam.execution_role_policy(
        model,
        config,
        account="123456789012",
        region="us-east-1",
        endpoint_name=None,
        input_path="s3://bucket/inputs/",
        registry_account=None,
    )
    assert_type(role, iam.PolicyDocument)

    caller = iam.caller_policy(
        model,
        config,
        "churn",
        account="123456789012",
        region="us-east-1",
        input_path=None,
        steps=["invoke", "await"],
    )
    assert_type(caller, iam.PolicyDocument)
    assert_type(
        iam.caller_policy(model, config, "churn", account="1", region="r"), iam.PolicyDocument
    )

    steps: list[iam.Step] = ["teardown"]
    assert_type(steps[0], Literal["deploy", "update", "invoke", "await", "teardown"])

    assert_type(caller.to_dict(), dict[str, Any])
    assert_type(caller.to_json(), str)
    assert_type(caller.to_json(indent=None), str)
    assert_type(caller.statements, tuple[iam.Statement, ...])
    assert_type(caller.sids, tuple[str, ...])
    assert_type(caller.actions, tuple[str, ...])
    assert_type(caller.version, Literal["2012-10-17"])

    statement = caller.statement("InvokeEndpoint")
    assert_type(statement, iam.Statement)
    assert_type(statement.sid, str)
    assert_type(statement.actions, tuple[str, ...])
    assert_type(statement.resources, tuple[str, ...])
    assert_type(statement.effect, Literal["Allow", "Deny"])
    assert_type(statement.principal, Mapping[str, tuple[str, ...]] | None)
    assert_type(statement.conditions, Mapping[str, Mapping[str, tuple[str, ...]]])
    assert_type(statement.to_dict(), dict[str, Any])

    built = iam.Statement(
        sid="Read",
        actions=["s3:GetObject"],
        resources=("arn:aws:s3:::bucket/*",),
        conditions={"StringEquals": {"aws:SourceAccount": ["123456789012"]}},
    )
    assert_type(iam.PolicyDocument(statements=[built]), iam.PolicyDocument)


def check_steps_are_checked(model: sa.Model, config: sa.EndpointConfig) -> None:
    iam.caller_policy(
        model,
        config,
        "churn",
        account="123456789012",
        region="us-east-1",
        steps=["predict"],  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    )


def check_account_and_region_are_keyword_only(model: sa.Model, config: sa.EndpointConfig) -> None:
    iam.execution_role_policy(model, config, "123456789012", "us-east-1")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
