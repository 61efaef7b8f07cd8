"""caller_policy(scaling=True): exactly what autoscaling and metrics need, parliament-clean."""

from __future__ import annotations

import pytest

from sagemaker_async.iam import caller_policy
from test_iam_cases import ACCOUNT, ENDPOINT, REGION, config, model, partition_of
from test_iam_parliament import reported

SCALING_SIDS = {
    "ScalableTarget",
    "DescribeScaling",
    "WakeAlarm",
    "ReadMetrics",
    "ScaleEndpoint",
    "AutoscalingServiceLinkedRole",
}


def sids(scaling: bool) -> set[str]:
    document = caller_policy(
        model(), config(), ENDPOINT, account=ACCOUNT, region=REGION, scaling=scaling
    )
    return {statement.sid for statement in document.statements if statement.sid}


def test_scaling_adds_exactly_its_statements() -> None:
    assert sids(True) - sids(False) == SCALING_SIDS


def test_without_scaling_teardown_may_only_look_for_autoscaling() -> None:
    document = caller_policy(model(), config(), ENDPOINT, account=ACCOUNT, region=REGION)
    actions = {a for s in document.statements for a in s.actions if a.startswith("application")}

    assert actions == {"application-autoscaling:DescribeScalableTargets"}


def test_the_wake_alarm_is_the_only_alarm_the_caller_may_change() -> None:
    document = caller_policy(
        model(), config(), ENDPOINT, account=ACCOUNT, region=REGION, scaling=True
    )
    alarm = next(s for s in document.statements if s.sid == "WakeAlarm")

    assert list(alarm.resources) == [
        f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{ENDPOINT}-AllTraffic-has-backlog-without-capacity"
    ]


def test_the_service_linked_role_is_conditioned_on_its_service() -> None:
    document = caller_policy(
        model(), config(), ENDPOINT, account=ACCOUNT, region=REGION, scaling=True
    )
    role = next(s for s in document.statements if s.sid == "AutoscalingServiceLinkedRole")

    assert (list(role.resources), role.to_dict()["Condition"]) == (
        [
            f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sagemaker.application-autoscaling"
            ".amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
        ],
        {"StringLike": {"iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com"}},
    )


@pytest.mark.parametrize("region", ["us-east-1", "cn-north-1", "us-gov-west-1"])
def test_parliament_finds_nothing_in_the_scaling_policy(region: str) -> None:
    document = caller_policy(
        model(region), config(region), ENDPOINT, account=ACCOUNT, region=region, scaling=True
    )

    assert reported(document) == []
    assert all(
        partition_of(region) in resource
        for statement in document.statements
        for resource in statement.resources
        if resource != "*"
    )
