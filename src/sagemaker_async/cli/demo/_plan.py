"""What the demo deploys: names, the model, two endpoint configs and their IAM policies.

Everything here is a value built before any AWS call, so bad input (a name too
long, a role ARN of the wrong shape, an unknown region) is refused up front.
"""

from __future__ import annotations

import attrs

from sagemaker_async import iam
from sagemaker_async.iam import PolicyDocument
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    Model,
    NotificationConfig,
    ProductionVariant,
)

from ._target import Settings, Target

_CONCURRENCY_BEFORE = 4
_CONCURRENCY_AFTER = 8


@attrs.frozen(kw_only=True)
class Plan:
    """The demo's resources, named after ``--name``."""

    endpoint_name: str
    model: Model
    config: EndpointConfig
    updated_config: EndpointConfig
    success_topic: str
    error_topic: str
    queue_name: str
    prefix: str
    """Every S3 object the demo writes is under ``s3://<bucket>/<prefix>``."""
    input_path: str
    policies: dict[str, PolicyDocument]

    @property
    def config_names(self) -> tuple[str, str]:
        """The first config's name and the one the endpoint is updated to."""
        return (self.config.name, self.updated_config.name)


def build_plan(settings: Settings, target: Target) -> Plan:
    """The plan for *target*.

    Raises:
        ValidationError: A name or value breaks SageMaker's rules.
    """
    name = settings.name
    topic = f"arn:{target.partition}:sns:{target.region}:{target.account}:{name}"
    success_topic, error_topic = f"{topic}-success", f"{topic}-errors"
    base = f"s3://{target.bucket}/{name}"
    model = Model(
        name=name,
        execution_role_arn=target.role_arn,
        container=Container(image=target.image, model_data_url=target.model_data_url),
        tags={"created-by": "sagemaker-async-demo"},
    )
    config = EndpointConfig(
        name=f"{name}-v1",
        variants=[ProductionVariant(model_name=name, instance_type=settings.instance_type)],
        async_inference=AsyncInferenceConfig(
            output_path=f"{base}/results",
            failure_path=f"{base}/failures",
            notification=NotificationConfig(success_topic=success_topic, error_topic=error_topic),
            max_concurrent_invocations_per_instance=_CONCURRENCY_BEFORE,
        ),
    )
    # The update a team makes once it sees the load: more requests per instance.
    updated_config = attrs.evolve(
        config,
        name=f"{name}-v2",
        async_inference=attrs.evolve(
            config.async_inference,
            max_concurrent_invocations_per_instance=_CONCURRENCY_AFTER,
        ),
    )
    input_path = f"{base}/inputs/"
    account, region = target.account, target.region
    policies = {
        "execution role trust policy": iam.execution_role_trust_policy(
            account=account, region=region
        ),
        "execution role policy": iam.execution_role_policy(
            model,
            updated_config,
            account=account,
            region=region,
            endpoint_name=name,
            input_path=input_path,
        ),
        "caller policy": iam.caller_policy(
            model, updated_config, name, account=account, region=region, input_path=input_path
        ),
    }
    return Plan(
        endpoint_name=name,
        model=model,
        config=config,
        updated_config=updated_config,
        success_topic=success_topic,
        error_topic=error_topic,
        queue_name=f"{name}-results",
        prefix=f"{name}/",
        input_path=input_path,
        policies=policies,
    )


def describe_statements(document: PolicyDocument) -> list[str]:
    """One line per statement: its id, actions and resources (or principal)."""
    lines: list[str] = []
    for statement in document.statements:
        targets = statement.resources or tuple(
            f"{kind}: {', '.join(ids)}" for kind, ids in (statement.principal or {}).items()
        )
        condition = " (with conditions)" if statement.conditions else ""
        lines.append(
            f"{statement.sid}: {statement.effect} {', '.join(statement.actions)} "
            f"on {', '.join(targets)}{condition}"
        )
    return lines
