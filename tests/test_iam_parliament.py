"""parliament, an IAM policy linter, as an oracle: it finds nothing in the generated policies.

Filtered, narrowly: parliament checks a condition key against the keys it lists
per action only, so it calls ``kms:ResourceAliases`` unknown for kms:Decrypt and
the like, although its own definitions (as AWS's) list the key for the ``key``
resource those actions act on; test_parliament_lists_resource_aliases_for_kms_keys
checks that reason still holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import parliament
import pytest

import sagemaker_async as sa
from sagemaker_async.iam import PolicyDocument, Statement, caller_policy, execution_role_policy
from test_iam_cases import ACCOUNT, ENDPOINT, config, model, notification, partition_of

# Every finding fails a test, but RESOURCE_STAR for the actions that take no resource
# and the filtered kms:ResourceAliases ones (see the module docstring).
# sagemaker:ListEndpoints takes no resource either: teardown's check that no other
# endpoint uses the config it deletes needs it.
# Application Auto Scaling's Describe actions and GetMetricData take no resource either.
STAR_ONLY = {
    "ecr:GetAuthorizationToken",
    "cloudwatch:PutMetricData",
    "sagemaker:ListEndpoints",
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "cloudwatch:GetMetricData",
}
RESOURCE_ALIAS_ACTIONS = ("kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
FILTERED = {
    f"Unknown condition kms:ResourceAliases for action {action}"
    for action in RESOURCE_ALIAS_ACTIONS
}


def reported(document: PolicyDocument) -> list[tuple[str, Any]]:
    """parliament's findings, but the filtered ones."""
    policy = parliament.analyze_policy_string(document.to_json())
    found = []
    for finding in policy.findings:
        if finding.issue == "UNKNOWN_CONDITION_FOR_ACTION" and finding.detail in FILTERED:
            continue
        if finding.issue == "RESOURCE_STAR" and set(finding.detail) <= STAR_ONLY:
            continue
        found.append((finding.issue, finding.detail))
    return found


REGIONS = ("us-east-1", "cn-north-1", "us-gov-west-1")


def key_forms(region: str) -> tuple[str | None, ...]:
    partition = partition_of(region)
    return (
        None,
        "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        f"arn:{partition}:kms:{region}:{ACCOUNT}:key/mrk-0f1e2d3c4b5a69788a9b0c1d2e3f4a5b",
        "alias/churn",
        f"arn:{partition}:kms:{region}:{ACCOUNT}:alias/churn",
    )


def variant_sets(region: str) -> tuple[list[sa.ProductionVariant], ...]:
    del region
    serverless = sa.ServerlessConfig(memory_size_in_mb=2048, max_concurrency=5)
    return (
        [sa.ProductionVariant(model_name="Churn", instance_type="ml.m5.large")],
        [
            sa.ProductionVariant(model_name="Churn", variant_name="A", instance_type="ml.m5.large"),
            sa.ProductionVariant(
                model_name="churn-b",
                variant_name="B",
                instance_type="ml.g5.xlarge",
                initial_instance_count=2,
                initial_variant_weight=0.0,
            ),
            sa.ProductionVariant(model_name="churn-c", variant_name="C", serverless=serverless),
        ],
        [sa.ProductionVariant(model_name="Churn", serverless=serverless)],
    )


@attrs.frozen
class Case:
    """One deployment to lint, described by its index in the combination grid."""

    index: int

    def pick(self, options: tuple[Any, ...], stride: int) -> Any:
        return options[(self.index // stride) % len(options)]

    @property
    def region(self) -> str:
        return self.pick(REGIONS, 1)

    def deployment(self) -> tuple[sa.Model, sa.EndpointConfig]:
        region = self.region
        partition = partition_of(region)
        topics = self.pick(
            (
                None,
                notification(region, error_topic=None),
                notification(region, success_topic=None),
                notification(region),
            ),
            3,
        )
        failure = self.pick((None, "s3://acme-inference/failed", "s3://acme-failures/churn/"), 2)
        settings = sa.AsyncInferenceConfig(
            output_path=self.pick(("s3://acme-inference/churn/results", "s3://acme-inference"), 5),
            failure_path=failure,
            notification=topics,
            kms_key_id=self.pick(key_forms(region), 1),
        )
        tags = self.pick(({}, {"team": "ml"}), 2)
        artifact = self.pick(
            (
                None,
                "s3://acme-models/churn/model.tar.gz",
                "s3://acme-models/churn/",
                f"https://acme-models.s3.{region}.amazonaws.com/churn/model.tar.gz",
            ),
            5,
        )
        image_host = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
        container = sa.Container(
            image=f"{ACCOUNT}.dkr.ecr.{region}.{image_host}/churn/model:1",
            model_data_url=artifact,
        )
        return (
            model(region, container=container, tags=tags),
            config(
                region,
                variants=self.pick(variant_sets(region), 7),
                async_inference=settings,
                kms_key_id=self.pick(key_forms(region)[:4], 3),
                tags=self.pick(({"team": "ml"}, {}), 3),
            ),
        )


CASES = [Case(index) for index in range(60)]


def key_kind(key: str | None) -> str | None:
    if key is None:
        return None
    arn = "arn " if key.startswith("arn:") else ""
    return arn + ("alias" if "alias/" in key else "key")


def artifact_kind(url: str | None) -> str | None:
    if url is None:
        return None
    return "https" if url.startswith("https:") else "prefix" if url.endswith("/") else "object"


def test_the_cases_cover_every_option() -> None:
    seen: dict[str, set[str]] = {}
    for case in CASES:
        deployed_model, deployed_config = case.deployment()
        settings = deployed_config.async_inference
        for name, value in {
            "region": case.region,
            "failure": settings.failure_path,
            "topics": (settings.notification or sa.NotificationConfig()).success_topic is None,
            "errors": (settings.notification or sa.NotificationConfig()).error_topic is None,
            "output key": key_kind(settings.kms_key_id),
            "volume key": key_kind(deployed_config.kms_key_id),
            "variants": len(deployed_config.variants),
            "serverless": deployed_config.variants[-1].serverless is None,
            "model tags": bool(deployed_model.tags),
            "config tags": bool(deployed_config.tags),
            "artifact": artifact_kind(deployed_model.container.model_data_url),
        }.items():
            seen.setdefault(name, set()).add(repr(value))

    assert {name: len(values) for name, values in seen.items()} == {
        "region": 3,
        "failure": 3,
        "topics": 2,
        "errors": 2,
        "output key": 5,
        "volume key": 4,
        "variants": 2,
        "serverless": 2,
        "model tags": 2,
        "config tags": 2,
        "artifact": 4,
    }


def documents(case: Case) -> Iterator[tuple[str, PolicyDocument]]:
    deployed_model, deployed_config = case.deployment()
    where = {"account": ACCOUNT, "region": case.region}
    yield (
        "role",
        execution_role_policy(deployed_model, deployed_config, endpoint_name=ENDPOINT, **where),
    )
    yield "role for every endpoint", execution_role_policy(deployed_model, deployed_config, **where)
    yield "caller", caller_policy(deployed_model, deployed_config, ENDPOINT, **where)
    yield (
        "invoking caller",
        caller_policy(
            deployed_model, deployed_config, ENDPOINT, steps=["invoke", "await"], **where
        ),
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"case{case.index}")
def test_parliament_reports_nothing_for_the_generated_policies(case: Case) -> None:
    found = {name: reported(document) for name, document in documents(case)}

    assert found == {name: [] for name in found}


def test_parliament_lists_resource_aliases_for_kms_keys() -> None:
    definitions_path = Path(parliament.__file__).parent / "iam_definition.json"
    definitions = json.loads(definitions_path.read_text(encoding="utf-8"))
    (kms,) = [service for service in definitions if service["prefix"] == "kms"]
    (key,) = [resource for resource in kms["resources"] if resource["resource"] == "key"]

    assert "kms:ResourceAliases" in key["condition_keys"]


def test_the_kms_filter_is_needed_for_a_key_given_by_alias() -> None:
    settings = attrs.evolve(config().async_inference, kms_key_id="alias/churn")
    document = execution_role_policy(
        model(), config(async_inference=settings), account=ACCOUNT, region="us-east-1"
    )

    policy = parliament.analyze_policy_string(document.to_json())

    assert sorted(finding.detail for finding in policy.findings) == sorted(
        f"Unknown condition kms:ResourceAliases for action {action}"
        for action in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
    )


def test_the_oracle_reports_a_read_on_every_object() -> None:
    document = PolicyDocument(
        statements=[Statement(sid="ReadAll", actions=["s3:GetObject"], resources=["*"])]
    )

    assert reported(document) == [("RESOURCE_STAR", ["s3:GetObject"])]


def test_the_oracle_reports_a_resource_of_the_wrong_type() -> None:
    document = PolicyDocument(
        statements=[
            Statement(
                sid="Invoke",
                actions=["sagemaker:InvokeEndpointAsync"],
                resources=["arn:aws:sagemaker:us-east-1:123456789012:model/churn"],
            )
        ]
    )

    assert [issue for issue, _ in reported(document)] == ["RESOURCE_MISMATCH"]


def test_the_oracle_reports_an_unknown_action() -> None:
    document = PolicyDocument(
        statements=[
            Statement(
                sid="Invoke",
                actions=["sagemaker:InvokeEndpointAsynchronously"],
                resources=["arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"],
            )
        ]
    )

    assert [issue for issue, _ in reported(document)] == ["UNKNOWN_ACTION"]
