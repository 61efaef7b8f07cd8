"""The execution role's policies: its trust policy and what SageMaker does with it.

Every statement is there because of a part of the configuration; docs/iam.md
explains each one.
"""

from __future__ import annotations

from typing import Final

from sagemaker_async.models import EndpointConfig, Model, split_s3_uri

from ._arguments import (
    NO_LOCATION,
    check_models,
    input_location,
    resolve_output_key,
    resolve_target,
)
from ._document import PolicyDocument, Statement
from ._resources import (
    SAGEMAKER_PRINCIPAL,
    Problems,
    S3Location,
    check_name,
    ecr_repository,
    endpoint_log_group,
    model_artifact,
)

_S3_WRITE: Final = ("s3:AbortMultipartUpload", "s3:PutObject")
_ECR_PULL: Final = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)
# The namespace of the endpoint instance metrics (CPU, memory, disk) the role publishes.
_METRICS_NAMESPACE: Final = "/aws/sagemaker/Endpoints"


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
    target = resolve_target(problems, account, region)
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
    check_models(problems, model, config)
    problems.raise_any(subject)
    target = resolve_target(problems, account, region)
    if endpoint_name is not None:
        problems.check(lambda: check_name(endpoint_name, "endpoint_name"), "")
    inputs = problems.check(lambda: input_location(config, endpoint_name, input_path), NO_LOCATION)
    url = model.container.model_data_url
    artifact = (
        None
        if url is None
        else problems.check(
            lambda: model_artifact(url, "model.container.model_data_url"), NO_LOCATION
        )
    )
    repository = problems.check(
        lambda: ecr_repository(target, model.container.image, registry_account), ""
    )
    output_key = resolve_output_key(problems, target, config)
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
