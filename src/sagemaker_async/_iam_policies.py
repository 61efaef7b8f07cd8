"""Least-privilege IAM policies for an asynchronous endpoint, from the values that deploy it.

Three documents: the execution role's trust policy (SageMaker may assume the
role), the execution role's permissions (what SageMaker does with it) and the
caller's permissions (what the application identity does through the client).
Every statement is there because of a part of the configuration or a step the
caller runs; docs/iam.md explains each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal

from ._constraints import split_s3_uri
from ._iam_document import PolicyDocument, Statement
from ._iam_resources import (
    SAGEMAKER_PRINCIPAL,
    KmsKey,
    Problems,
    S3Location,
    Target,
    check_account,
    check_name,
    ecr_repository,
    endpoint_log_group,
    kms_key,
    model_artifact,
    partition_of,
    s3_location,
)
from ._input_path import default_input_path
from ._models import EndpointConfig, Model
from .errors import Problem

Step = Literal["deploy", "update", "invoke", "await", "teardown"]
"""A step of the endpoint's lifecycle the caller runs through the client."""

STEPS: Final[tuple[Step, ...]] = ("deploy", "update", "invoke", "await", "teardown")

_S3_WRITE: Final = ("s3:AbortMultipartUpload", "s3:PutObject")
_ECR_PULL: Final = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)
# The namespace of the endpoint instance metrics (CPU, memory, disk) the role publishes.
_METRICS_NAMESPACE: Final = "/aws/sagemaker/Endpoints"
_NO_LOCATION: Final = S3Location("", "")
_NO_KEY: Final = KmsKey("")


def execution_role_trust_policy(*, account: str, region: str) -> PolicyDocument:
    """The trust policy of the execution role: SageMaker may assume it for this account.

    The ``aws:SourceAccount`` and ``aws:SourceArn`` conditions keep SageMaker
    from assuming the role on behalf of another account (the confused deputy).

    Example:
        >>> doc = execution_role_trust_policy(account="123456789012", region="us-east-1")
        >>> doc.statement("SageMakerAssumeRole").conditions["ArnLike"]["aws:SourceArn"]
        ('arn:aws:sagemaker:us-east-1:123456789012:*',)

    Raises:
        ValidationError: The account or the region is not valid.
    """
    problems = Problems()
    target = _target(problems, account, region)
    problems.raise_any("execution_role_trust_policy arguments")
    return PolicyDocument(
        statements=[
            Statement(
                sid="SageMakerAssumeRole",
                principal={"Service": [SAGEMAKER_PRINCIPAL]},
                actions=["sts:AssumeRole"],
                conditions={
                    "StringEquals": {"aws:SourceAccount": [target.account]},
                    "ArnLike": {"aws:SourceArn": [target.arn("sagemaker", "*")]},
                },
            )
        ]
    )


def execution_role_policy(
    model: Model,
    config: EndpointConfig,
    *,
    account: str,
    region: str,
    endpoint_name: str | None = None,
    input_path: str | None = None,
    registry_account: str | None = None,
) -> PolicyDocument:
    """The permissions SageMaker needs, as *model*'s execution role, to serve *config*.

    Args:
        model: The model whose role this is (one of the config's variants serves it).
        config: The endpoint configuration.
        account: The 12-digit id of the account of the endpoint.
        region: The region of the endpoint; the partition follows from it.
        endpoint_name: The endpoint; without it, logs and the default input
            prefix cover every endpoint of the account and region.
        input_path: Where request payloads are uploaded; by default
            ``s3://<output bucket>/sagemaker-async-inputs/<endpoint name>/``.
        registry_account: The account whose ECR registry holds the image, for an
            image URI that names none.

    Raises:
        ValidationError: An argument is not valid; the error lists every one.
    """
    subject = "execution_role_policy arguments"
    problems = Problems()
    _check_models(problems, model, config)
    problems.raise_any(subject)
    target = _target(problems, account, region)
    if endpoint_name is not None:
        problems.check(lambda: check_name(endpoint_name, "endpoint_name"), "")
    inputs = problems.check(lambda: _inputs(config, endpoint_name, input_path), _NO_LOCATION)
    url = model.container.model_data_url
    artifact = (
        None
        if url is None
        else problems.check(
            lambda: model_artifact(url, "model.container.model_data_url"), _NO_LOCATION
        )
    )
    repository = problems.check(
        lambda: ecr_repository(target, model.container.image, registry_account), ""
    )
    output_key = _output_key(problems, target, config)
    problems.raise_any(subject)

    settings = config.async_inference
    output = S3Location(*split_s3_uri(settings.output_path))
    statements: list[Statement] = []
    if artifact is not None:
        statements.append(
            Statement(
                sid="ReadModelArtifact",
                actions=["s3:GetObject"],
                resources=[target.s3(artifact.artifact)],
            )
        )
    statements.append(
        Statement(sid="ReadInputs", actions=["s3:GetObject"], resources=[target.s3(inputs.objects)])
    )
    statements.append(
        Statement(sid="WriteResults", actions=_S3_WRITE, resources=[target.s3(output.objects)])
    )
    if settings.failure_path is not None:
        failures = S3Location(*split_s3_uri(settings.failure_path))
        statements.append(
            Statement(
                sid="WriteFailures", actions=_S3_WRITE, resources=[target.s3(failures.objects)]
            )
        )
    if output_key is not None:
        statements.append(
            Statement(
                sid="EncryptResults",
                actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                resources=[output_key.resource],
                conditions=output_key.conditions,
            )
        )
    notification = settings.notification
    if notification is not None and notification.success_topic is not None:
        statements.append(
            Statement(
                sid="PublishSuccess",
                actions=["sns:Publish"],
                resources=[notification.success_topic],
            )
        )
    if notification is not None and notification.error_topic is not None:
        statements.append(
            Statement(
                sid="PublishErrors", actions=["sns:Publish"], resources=[notification.error_topic]
            )
        )
    log_group = target.arn("logs", f"log-group:{endpoint_log_group(endpoint_name)}")
    statements += [
        Statement(sid="PullImage", actions=_ECR_PULL, resources=[repository]),
        # GetAuthorizationToken authorizes against no resource: it takes "*" only.
        Statement(
            sid="GetEcrAuthorizationToken", actions=["ecr:GetAuthorizationToken"], resources=["*"]
        ),
        Statement(
            sid="ManageLogGroup",
            actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
            resources=[f"{log_group}:*"],
        ),
        Statement(
            sid="WriteLogStreams",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[f"{log_group}:log-stream:*"],
        ),
        # PutMetricData has no resource either; its namespace is what can be limited.
        Statement(
            sid="PutMetrics",
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringEquals": {"cloudwatch:namespace": [_METRICS_NAMESPACE]}},
        ),
    ]
    return PolicyDocument(statements=statements)


def caller_policy(
    model: Model,
    config: EndpointConfig,
    endpoint_name: str,
    *,
    account: str,
    region: str,
    input_path: str | None = None,
    steps: Iterable[Step] = STEPS,
) -> PolicyDocument:
    """The permissions the application identity needs for the *steps* it runs.

    Args:
        model: The model the caller creates (and deletes on a failed deploy).
        config: The endpoint configuration the caller creates or deploys.
        endpoint_name: The endpoint the caller deploys, invokes or deletes.
        account: The 12-digit id of the account of the endpoint.
        region: The region of the endpoint; the partition follows from it.
        input_path: Where request payloads are uploaded; by default
            ``s3://<output bucket>/sagemaker-async-inputs/<endpoint name>/``.
        steps: Which of ``deploy``, ``update``, ``invoke``, ``await`` and
            ``teardown`` the caller runs (all by default). An application that
            only invokes and awaits gets only the permissions for that.

    Example:
        >>> doc = caller_policy(model, config, "churn", account="123456789012",
        ...                     region="us-east-1", steps=["invoke", "await"])  # doctest: +SKIP

    Raises:
        ValidationError: An argument is not valid; the error lists every one.
    """
    subject = "caller_policy arguments"
    problems = Problems()
    _check_models(problems, model, config)
    problems.raise_any(subject)
    target = _target(problems, account, region)
    problems.check(lambda: check_name(endpoint_name, "endpoint_name"), "")
    chosen = _check_steps(problems, steps)
    inputs = problems.check(lambda: _inputs(config, endpoint_name, input_path), _NO_LOCATION)
    output_key = _output_key(problems, target, config)
    volume_key = (
        None
        if config.kms_key_id is None
        else problems.check(
            lambda: kms_key(target, config.kms_key_id or "", "config.kms_key_id"), _NO_KEY
        )
    )
    _check_role_partition(problems, target, model)
    problems.raise_any(subject)

    def actions(table: Mapping[str, tuple[Step, ...]]) -> list[str]:
        return [action for action, needed in table.items() if not chosen.isdisjoint(needed)]

    model_arn = target.sagemaker("model", model.name)
    config_arn = target.sagemaker("endpoint-config", config.name)
    endpoint_arn = target.sagemaker("endpoint", endpoint_name)
    creates = not chosen.isdisjoint(("deploy", "update"))
    statements: list[Statement] = []
    if creates:
        statements += [
            Statement(sid="CreateModel", actions=["sagemaker:CreateModel"], resources=[model_arn]),
            Statement(
                sid="PassExecutionRole",
                actions=["iam:PassRole"],
                resources=[model.execution_role_arn],
                conditions={"StringEquals": {"iam:PassedToService": [SAGEMAKER_PRINCIPAL]}},
            ),
        ]
        if model.tags:
            statements.append(_tag_on_create("TagModelOnCreate", model_arn, "CreateModel"))
        if config.tags:
            statements.append(
                _tag_on_create("TagEndpointConfigOnCreate", config_arn, "CreateEndpointConfig")
            )
        if volume_key is not None:
            statements.append(
                Statement(
                    sid="GrantVolumeKey",
                    actions=["kms:CreateGrant"],
                    resources=[volume_key.resource],
                    # Only grants SageMaker creates for the endpoint's volumes.
                    conditions={
                        "Bool": {"kms:GrantIsForAWSResource": ["true"]},
                        **volume_key.conditions,
                    },
                )
            )
    # deploy deletes the model it created when a later step fails; teardown all of the config's.
    deleted = ([model.name] if "deploy" in chosen else []) + (
        list(config.model_names) if "teardown" in chosen else []
    )
    if deleted:
        statements.append(
            Statement(
                sid="DeleteModels",
                actions=["sagemaker:DeleteModel"],
                resources=[target.sagemaker("model", name) for name in deleted],
            )
        )
    config_actions = actions(
        {
            "sagemaker:CreateEndpointConfig": ("deploy", "update"),
            # create_endpoint describes the config first (eventual consistency).
            "sagemaker:DescribeEndpointConfig": ("deploy", "update", "teardown"),
            "sagemaker:DeleteEndpointConfig": ("deploy", "teardown"),
        }
    )
    if config_actions:
        statements.append(
            Statement(sid="EndpointConfig", actions=config_actions, resources=[config_arn])
        )
    deploy_actions = actions(
        {"sagemaker:CreateEndpoint": ("deploy",), "sagemaker:UpdateEndpoint": ("update",)}
    )
    if deploy_actions:
        # Both actions authorize against the endpoint and the config it is given.
        statements.append(
            Statement(
                sid="DeployEndpoint", actions=deploy_actions, resources=[endpoint_arn, config_arn]
            )
        )
    endpoint_actions = actions(
        {
            "sagemaker:DescribeEndpoint": ("deploy", "update", "teardown"),
            "sagemaker:DeleteEndpoint": ("teardown",),
        }
    )
    if endpoint_actions:
        statements.append(
            Statement(sid="Endpoint", actions=endpoint_actions, resources=[endpoint_arn])
        )
    if "invoke" in chosen:
        statements += [
            Statement(
                sid="InvokeEndpoint",
                actions=["sagemaker:InvokeEndpointAsync"],
                resources=[endpoint_arn],
            ),
            Statement(
                sid="UploadInputs", actions=["s3:PutObject"], resources=[target.s3(inputs.objects)]
            ),
        ]
    if "await" in chosen:
        statements += _await_statements(target, config, output_key)
    return PolicyDocument(statements=statements)


def _await_statements(
    target: Target, config: EndpointConfig, output_key: KmsKey | None
) -> list[Statement]:
    settings = config.async_inference
    output = S3Location(*split_s3_uri(settings.output_path))
    statements = [
        Statement(
            sid="ReadResults", actions=["s3:GetObject"], resources=[target.s3(output.objects)]
        ),
        # Without ListBucket, S3 answers 403 (not 404) for a result that has not landed yet.
        Statement(
            sid="ListResultBucket", actions=["s3:ListBucket"], resources=[target.s3(output.bucket)]
        ),
    ]
    if settings.failure_path is not None:
        failures = S3Location(*split_s3_uri(settings.failure_path))
        statements.append(
            Statement(
                sid="ReadFailures",
                actions=["s3:GetObject"],
                resources=[target.s3(failures.objects)],
            )
        )
        if failures.bucket != output.bucket:
            statements.append(
                Statement(
                    sid="ListFailureBucket",
                    actions=["s3:ListBucket"],
                    resources=[target.s3(failures.bucket)],
                )
            )
    if output_key is not None:
        statements.append(
            Statement(
                sid="DecryptResults",
                actions=["kms:Decrypt"],
                resources=[output_key.resource],
                conditions=output_key.conditions,
            )
        )
    return statements


def _tag_on_create(sid: str, resource: str, action: str) -> Statement:
    # AddTags runs as part of the create call only: sagemaker:TaggingAction names that call.
    return Statement(
        sid=sid,
        actions=["sagemaker:AddTags"],
        resources=[resource],
        conditions={"StringEquals": {"sagemaker:TaggingAction": [action]}},
    )


def _target(problems: Problems, account: str, region: str) -> Target:
    checked = problems.check(lambda: check_account(account), "")
    partition = problems.check(lambda: partition_of(region), "")
    return Target(partition, region, checked)


def _check_models(problems: Problems, model: object, config: object) -> None:
    if not isinstance(model, Model):
        problems.add(Problem("model", "a Model", model))
    if not isinstance(config, EndpointConfig):
        problems.add(Problem("config", "an EndpointConfig", config))
    if (
        isinstance(model, Model)
        and isinstance(config, EndpointConfig)
        and model.name not in config.model_names
    ):
        problems.add(
            Problem(
                "config.variants",
                f"a variant whose model_name is {model.name!r} (the model given)",
                config.model_names,
            )
        )


def _check_role_partition(problems: Problems, target: Target, model: Model) -> None:
    partition = model.execution_role_arn.split(":", 2)[1]
    if target.partition and partition != target.partition:
        problems.add(
            Problem(
                "model.execution_role_arn",
                f"a role ARN in partition {target.partition!r} (the partition of {target.region})",
                model.execution_role_arn,
            )
        )


def _check_steps(problems: Problems, steps: Iterable[Step]) -> frozenset[Step]:
    expected = f"one of {', '.join(STEPS)}"
    given: tuple[object, ...]
    if isinstance(steps, str):
        given = (steps,)
    elif isinstance(steps, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        given = tuple(steps)
    else:
        problems.add(Problem("steps", f"a sequence of steps, each {expected}", steps))
        return frozenset()
    chosen: frozenset[Step] = frozenset(step for step in STEPS if step in given)
    for index, step in enumerate(given):
        if step not in STEPS:
            problems.add(Problem(f"steps[{index}]", expected, step))
    if not given:
        problems.add(Problem("steps", f"at least {expected}", steps))
    return chosen


def _inputs(
    config: EndpointConfig, endpoint_name: str | None, input_path: str | None
) -> S3Location:
    if input_path is None:
        return s3_location(default_input_path(config, endpoint_name), "input_path")
    return s3_location(input_path, "input_path")


def _output_key(problems: Problems, target: Target, config: EndpointConfig) -> KmsKey | None:
    key_id = config.async_inference.kms_key_id
    if key_id is None:
        return None
    return problems.check(
        lambda: kms_key(target, key_id, "config.async_inference.kms_key_id"), _NO_KEY
    )
