"""IAM for inference routers: the caller's policy, the destinations' addition, parliament clean."""

from __future__ import annotations

from typing import Any

import parliament
import pytest

import sagemaker_async as sa
from sagemaker_async import iam
from test_iam_parliament import FILTERED

ACCOUNT = "123456789012"
EAST = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/churn-east"
WEST = f"arn:aws:sagemaker:us-west-2:{ACCOUNT}:endpoint/churn-west"
ROUTER_ACTIONS = {
    "sagemaker:CreateInferenceRouter",
    "sagemaker:DeleteInferenceRouter",
    "sagemaker:DescribeInferenceRouter",
    "sagemaker:UpdateInferenceRouter",
    "sagemaker:InvokeInferenceRouterAsync",
}


def router(**tags: str) -> sa.InferenceRouter:
    return sa.InferenceRouter(
        name="churn",
        targets=[
            sa.RoutingTarget(
                name="churn",
                destinations=[EAST, WEST],
                output_path="s3://results/churn",
                failure_path="s3://failures/churn",
            )
        ],
        tags=tags,
    )


def statement(document: iam.PolicyDocument, sid: str) -> dict[str, Any]:
    (found,) = [s for s in document.to_dict()["Statement"] if s["Sid"] == sid]
    return dict(found)


def reported(document: iam.PolicyDocument) -> list[tuple[str, Any]]:
    """parliament's findings, but its not knowing the router actions (they are newer).

    And kms:ResourceAliases, which it checks per action only (see test_iam_parliament).
    """
    findings = parliament.analyze_policy_string(document.to_json()).findings
    unknown = {f"Unknown action {action}" for action in ROUTER_ACTIONS}
    return [
        (f.issue, f.detail)
        for f in findings
        if not (f.issue == "UNKNOWN_ACTION" and f.detail in unknown)
        and not (f.issue == "UNKNOWN_CONDITION_FOR_ACTION" and f.detail in FILTERED)
    ]


def test_the_caller_invokes_the_router_by_its_arn() -> None:
    document = iam.router_caller_policy(router(), account=ACCOUNT, region="us-east-1")

    expected = [f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:inference-router/churn"]
    assert expected == statement(document, "InvokeRouter")["Resource"]


def test_the_caller_puts_inputs_in_the_output_bucket_by_default() -> None:
    document = iam.router_caller_policy(router(), account=ACCOUNT, region="us-east-1")

    expected = ["arn:aws:s3:::results/sagemaker-async-inputs/churn/*"]
    assert expected == statement(document, "PutInputs")["Resource"]


def test_the_caller_puts_inputs_under_its_input_path() -> None:
    document = iam.router_caller_policy(
        router(), account=ACCOUNT, region="us-east-1", input_path="s3://inputs/router/"
    )

    assert statement(document, "PutInputs")["Resource"] == ["arn:aws:s3:::inputs/router/*"]


def test_the_caller_reads_results_and_failures() -> None:
    document = iam.router_caller_policy(router(), account=ACCOUNT, region="us-east-1")

    expected = ["arn:aws:s3:::failures/churn/*", "arn:aws:s3:::results/churn/*"]
    assert expected == statement(document, "ReadResults")["Resource"]


def test_tags_need_add_tags() -> None:
    document = iam.router_caller_policy(router(team="ml"), account=ACCOUNT, region="us-east-1")

    assert "sagemaker:AddTags" in statement(document, "ManageRouter")["Action"]


def test_the_destinations_role_reads_the_inputs() -> None:
    document = iam.router_execution_role_policy(router(), account=ACCOUNT, region="us-east-1")

    expected = ["arn:aws:s3:::results/sagemaker-async-inputs/churn/*"]
    assert expected == statement(document, "ReadRouterInputs")["Resource"]


def test_a_router_that_is_not_one_is_refused() -> None:
    with pytest.raises(sa.ValidationError) as info:
        iam.router_caller_policy("churn", account=ACCOUNT, region="us-east-1")  # type: ignore[arg-type]

    expected = ("router",)
    assert expected == info.value.fields


@pytest.mark.parametrize("region", ["us-east-1", "us-gov-west-1"])
def test_parliament_reports_nothing(region: str) -> None:
    documents = {
        "caller": iam.router_caller_policy(router(team="ml"), account=ACCOUNT, region=region),
        "role": iam.router_execution_role_policy(router(), account=ACCOUNT, region=region),
    }

    found = {name: reported(document) for name, document in documents.items()}
    assert found == {name: [] for name in documents}


def test_parliament_does_not_know_the_router_actions_yet() -> None:
    document = iam.router_caller_policy(router(), account=ACCOUNT, region="us-east-1")
    findings = parliament.analyze_policy_string(document.to_json()).findings

    unknown = {f.detail for f in findings if f.issue == "UNKNOWN_ACTION"}
    assert unknown == {f"Unknown action {action}" for action in ROUTER_ACTIONS}


KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def encrypted_router(*keys: str) -> sa.InferenceRouter:
    return sa.InferenceRouter(
        name="churn",
        targets=[
            sa.RoutingTarget(
                name=f"churn-{index}",
                destinations=[EAST, WEST],
                output_path="s3://results/churn",
                failure_path="s3://failures/churn",
                kms_key_id=key,
            )
            for index, key in enumerate(keys)
        ],
    )


def test_the_caller_decrypts_results_with_the_targets_key() -> None:
    document = iam.router_caller_policy(encrypted_router(KEY), account=ACCOUNT, region="us-east-1")

    found = statement(document, "DecryptResults")
    assert (found["Action"], found["Resource"]) == (["kms:Decrypt"], [KEY])


def test_the_destinations_role_encrypts_results_with_each_targets_key_once() -> None:
    router = encrypted_router(KEY, "alias/churn-results", KEY)

    document = iam.router_execution_role_policy(router, account=ACCOUNT, region="us-west-2")

    keys = [s for s in document.to_dict()["Statement"] if s["Sid"].startswith("EncryptRouter")]
    assert [(s["Resource"], s.get("Condition")) for s in keys] == [
        ([KEY], None),
        (
            [f"arn:aws:kms:us-west-2:{ACCOUNT}:key/*"],
            {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/churn-results"}},
        ),
    ]


def test_a_router_without_keys_has_no_kms_statement() -> None:
    documents = [
        iam.router_caller_policy(router(), account=ACCOUNT, region="us-east-1"),
        iam.router_execution_role_policy(router(), account=ACCOUNT, region="us-east-1"),
    ]

    actions = {a for d in documents for s in d.to_dict()["Statement"] for a in _listed(s["Action"])}
    assert not {a for a in actions if a.startswith("kms:")}


def test_parliament_reports_nothing_with_keys() -> None:
    router = encrypted_router(KEY, "alias/churn-results")
    documents = [
        iam.router_caller_policy(router, account=ACCOUNT, region="us-east-1"),
        iam.router_execution_role_policy(router, account=ACCOUNT, region="us-east-1"),
    ]

    assert [reported(document) for document in documents] == [[], []]


def _listed(action: str | list[str]) -> list[str]:
    return [action] if isinstance(action, str) else action
