"""Least privilege: each statement is there for one part of the configuration or one step.

Removing a topic, a key, the failure path, tags or the artifact removes exactly
its statements and changes no other; the statements of a deployment without any
of them are the ones every endpoint needs.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

import sagemaker_async as sa
from sagemaker_async.iam import (
    PolicyDocument,
    Statement,
    Step,
    caller_policy,
    execution_role_policy,
)
from test_iam_cases import (
    ACCOUNT,
    ENDPOINT,
    REGION,
    config,
    minimal_config,
    model,
    notification,
)

Deployment = tuple[sa.Model, sa.EndpointConfig]


def role(deployment: Deployment) -> PolicyDocument:
    return execution_role_policy(
        *deployment, account=ACCOUNT, region=REGION, endpoint_name=ENDPOINT
    )


def caller(deployment: Deployment, steps: tuple[Step, ...] | None = None) -> PolicyDocument:
    if steps is None:
        return caller_policy(*deployment, ENDPOINT, account=ACCOUNT, region=REGION)
    return caller_policy(*deployment, ENDPOINT, account=ACCOUNT, region=REGION, steps=steps)


def with_async(**changes: object) -> Deployment:
    return model(), config(async_inference=attrs.evolve(config().async_inference, **changes))


FULL: Deployment = (model(), config())
# FULL without every part below: no topics, keys, failure path, tags or artifact.
MINIMAL: Deployment = (
    model(tags={}, container=attrs.evolve(model().container, model_data_url=None)),
    minimal_config(),
)
WITHOUT = {
    "success topic": with_async(notification=notification(success_topic=None)),
    "error topic": with_async(notification=notification(error_topic=None)),
    "output key": with_async(kms_key_id=None),
    "failure path": with_async(failure_path=None),
    "volume key": (model(), config(kms_key_id=None)),
    "model tags": (model(tags={}), config()),
    "config tags": (model(), config(tags={})),
    "artifact": (
        model(container=attrs.evolve(model().container, model_data_url=None)),
        config(),
    ),
}


def difference(
    policy: Callable[[Deployment], PolicyDocument], without: str
) -> tuple[set[str], set[str]]:
    """The sids of the statements removing a part takes away, and those it adds or changes."""
    full, reduced = set(policy(FULL).statements), set(policy(WITHOUT[without]).statements)
    return {s.sid for s in full - reduced}, {s.sid for s in reduced - full}


@pytest.mark.parametrize(
    ("without", "sids"),
    [
        ("success topic", {"PublishSuccess"}),
        ("error topic", {"PublishErrors"}),
        ("output key", {"EncryptResults"}),
        ("failure path", {"WriteFailures"}),
        ("volume key", set()),
        ("model tags", set()),
        ("config tags", set()),
        ("artifact", {"ReadModelArtifact"}),
    ],
)
def test_removing_a_part_removes_exactly_its_execution_role_statements(
    without: str, sids: set[str]
) -> None:
    assert difference(role, without) == (sids, set())


@pytest.mark.parametrize(
    ("without", "sids"),
    [
        ("success topic", set()),
        ("error topic", set()),
        ("output key", {"DecryptResults"}),
        ("failure path", {"ReadFailures", "ListFailureBucket"}),
        ("volume key", {"GrantVolumeKey"}),
        ("model tags", {"TagModelOnCreate"}),
        ("config tags", {"TagEndpointConfigOnCreate"}),
        ("artifact", set()),
    ],
)
def test_removing_a_part_removes_exactly_its_caller_statements(
    without: str, sids: set[str]
) -> None:
    assert difference(caller, without) == (sids, set())


@pytest.mark.parametrize("policy", [role, caller], ids=["role", "caller"])
def test_every_statement_is_needed_by_every_endpoint_or_by_one_part(
    policy: Callable[[Deployment], PolicyDocument],
) -> None:
    minimal = set(policy(MINIMAL).statements)
    parts = {
        statement
        for without in WITHOUT
        for statement in set(policy(FULL).statements) - set(policy(WITHOUT[without]).statements)
    }

    assert set(policy(FULL).statements) == minimal | parts


def test_every_endpoint_needs_these_execution_role_actions() -> None:
    document = role(MINIMAL)

    assert {sid: document.statement(sid).actions for sid in document.sids} == {
        # SageMaker reads each request payload from the input prefix.
        "ReadInputs": ("s3:GetObject",),
        # ... and writes each result under the output prefix.
        "WriteResults": ("s3:AbortMultipartUpload", "s3:PutObject"),
        # It pulls the image from its repository, after logging in to the registry.
        "PullImage": (
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
        ),
        "GetEcrAuthorizationToken": ("ecr:GetAuthorizationToken",),
        # The container logs and the instance metrics.
        "ManageLogGroup": ("logs:CreateLogGroup", "logs:DescribeLogStreams"),
        "WriteLogStreams": ("logs:CreateLogStream", "logs:PutLogEvents"),
        "PutMetrics": ("cloudwatch:PutMetricData",),
    }


@pytest.mark.parametrize(
    ("step", "actions"),
    [
        (
            "deploy",
            {
                "iam:PassRole",
                "sagemaker:CreateModel",
                "sagemaker:DeleteModel",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:CreateEndpoint",
                "sagemaker:DescribeEndpoint",
                "sagemaker:DeleteEndpoint",
            },
        ),
        (
            "update",
            {
                "iam:PassRole",
                "sagemaker:CreateModel",
                "sagemaker:CreateEndpointConfig",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:UpdateEndpoint",
                "sagemaker:DescribeEndpoint",
            },
        ),
        (
            "invoke",
            {
                "sagemaker:InvokeEndpointAsync",
                "sagemaker:DescribeEndpoint",
                "s3:PutObject",
                "s3:DeleteObject",
            },
        ),
        ("await", {"s3:GetObject", "s3:ListBucket"}),
        (
            "teardown",
            {
                "sagemaker:DescribeEndpoint",
                "sagemaker:DeleteEndpoint",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DeleteEndpointConfig",
                "sagemaker:DeleteModel",
                "sagemaker:ListEndpoints",
                "application-autoscaling:DescribeScalableTargets",
            },
        ),
    ],
)
def test_one_step_gets_only_its_actions(step: Step, actions: set[str]) -> None:
    document = caller(MINIMAL, steps=(step,))

    assert set(document.actions) == actions


def test_an_app_that_only_invokes_can_not_read_results() -> None:
    document = caller(FULL, steps=("invoke",))

    assert document.sids == ("Endpoint", "InvokeEndpoint", "UploadInputs")


def test_an_app_that_invokes_with_its_own_input_path_does_not_describe_the_endpoint() -> None:
    document = caller_policy(
        *FULL,
        ENDPOINT,
        account=ACCOUNT,
        region=REGION,
        input_path="s3://acme-uploads/churn/",
        steps=("invoke",),
    )

    assert document.sids == ("InvokeEndpoint", "UploadInputs")


def test_invoking_uploads_only_under_the_input_prefix() -> None:
    assert caller(FULL, steps=("invoke",)).statement("UploadInputs").resources == (
        "arn:aws:s3:::acme-inference/sagemaker-async-inputs/churn-prod/*",
    )


def star_statements(document: PolicyDocument) -> list[Statement]:
    return [s for s in document.statements if any(r == "*" for r in s.resources)]


@pytest.mark.parametrize("policy", [role, caller], ids=["role", "caller"])
def test_only_actions_without_resources_are_granted_on_every_resource(
    policy: Callable[[Deployment], PolicyDocument],
) -> None:
    granted = {action for s in star_statements(policy(FULL)) for action in s.actions}

    assert granted <= {
        "ecr:GetAuthorizationToken",
        "cloudwatch:PutMetricData",
        "sagemaker:ListEndpoints",
        "application-autoscaling:DescribeScalableTargets",
    }


@pytest.mark.parametrize("policy", [role, caller], ids=["role", "caller"])
def test_no_action_is_a_wildcard(policy: Callable[[Deployment], PolicyDocument]) -> None:
    assert [action for action in policy(FULL).actions if "*" in action] == []
