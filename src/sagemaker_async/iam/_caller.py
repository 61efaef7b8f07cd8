"""The caller's policy: what the application identity does through the client.

Each statement is there because of a step the caller runs or a part of the
configuration; docs/iam.md explains each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sagemaker_async.models import EndpointConfig, Model, split_s3_uri

from ._arguments import (
    NO_KEY,
    NO_LOCATION,
    STEPS,
    Step,
    check_models,
    check_role_partition,
    check_steps,
    input_location,
    resolve_output_key,
    resolve_target,
)
from ._document import PolicyDocument, Statement
from ._resources import (
    SAGEMAKER_PRINCIPAL,
    KmsKey,
    Problems,
    S3Location,
    Target,
    check_name,
    kms_key,
)
from ._scaling import scaling_statements


def caller_policy(
    model: Model,
    config: EndpointConfig,
    endpoint_name: str,
    *,
    account: str,
    region: str,
    input_path: str | None = None,
    steps: Iterable[Step] = STEPS,
    scaling: bool = False,
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
        scaling: Add what ``enable_autoscaling``, ``describe_autoscaling``,
            ``disable_autoscaling`` (and ``teardown`` of an autoscaled endpoint) and
            ``endpoint_metrics`` need, including the service-linked role Application
            Auto Scaling uses for SageMaker endpoints.

    Example:
        An application that only invokes and awaits::

            caller_policy(model, config, "churn-prod", account="123456789012",
                          region="us-east-1", steps=["invoke", "await"])

    Raises:
        ValidationError: An argument is not valid; the error lists every one.
    """
    subject = "caller_policy arguments"
    problems = Problems()
    check_models(problems, model, config)
    problems.raise_any(subject)
    target = resolve_target(problems, account, region)
    problems.check(lambda: check_name(endpoint_name, "endpoint_name"), "")
    chosen = check_steps(problems, steps)
    inputs = problems.check(lambda: input_location(config, endpoint_name, input_path), NO_LOCATION)
    output_key = resolve_output_key(problems, target, config)
    volume_key = (
        None
        if config.kms_key_id is None
        else problems.check(
            lambda: kms_key(target, config.kms_key_id or "", "config.kms_key_id"), NO_KEY
        )
    )
    check_role_partition(problems, target, model)
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
    # The waiters describe the endpoint; so does invoke_async, to find the
    # endpoint's output bucket, when the client has no input path.
    describers: tuple[Step, ...] = ("deploy", "update", "teardown")
    if input_path is None:
        describers += ("invoke",)
    endpoint_actions = actions(
        {
            "sagemaker:DescribeEndpoint": describers,
            # deploy deletes an endpoint that failed to come up.
            "sagemaker:DeleteEndpoint": ("deploy", "teardown"),
        }
    )
    if endpoint_actions:
        statements.append(
            Statement(sid="Endpoint", actions=endpoint_actions, resources=[endpoint_arn])
        )
    if "teardown" in chosen:
        # teardown deletes the config only when no other endpoint uses it: it lists
        # the endpoints changed since the config was created (ListEndpoints takes
        # no resource but *) and describes each of them.
        statements.append(
            Statement(
                sid="FindConfigUsers",
                actions=["sagemaker:ListEndpoints"],
                resources=["*"],
            )
        )
        statements.append(
            Statement(
                sid="DescribeOtherEndpoints",
                actions=["sagemaker:DescribeEndpoint"],
                resources=[target.sagemaker("endpoint", "*")],
            )
        )
        if not scaling:
            # teardown looks for autoscaling to remove before it deletes the endpoint.
            statements.append(
                Statement(
                    sid="FindAutoscaling",
                    actions=["application-autoscaling:DescribeScalableTargets"],
                    resources=["*"],
                )
            )
    if "invoke" in chosen:
        statements += [
            Statement(
                sid="InvokeEndpoint",
                actions=["sagemaker:InvokeEndpointAsync"],
                resources=[endpoint_arn],
            ),
            # invoke_async uploads the payload, and deletes it if the request is refused.
            Statement(
                sid="UploadInputs",
                actions=["s3:DeleteObject", "s3:PutObject"],
                resources=[target.s3(inputs.objects)],
            ),
        ]
    if "await" in chosen:
        statements += _await_statements(target, config, output_key)
    if scaling:
        names = [variant.variant_name for variant in config.variants]
        statements += scaling_statements(target, endpoint_name, names)
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
