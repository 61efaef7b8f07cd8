"""The IAM policies of a deployment file: what ``iam`` prints and ``doctor`` checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagemaker_async.iam import PolicyDocument

    from ._deployment_file import Deployment


def policies_of(deployment: Deployment) -> dict[str, PolicyDocument]:
    """Every policy of *deployment*, by the name ``sagemaker-async iam`` prints it under.

    Raises:
        ValidationError: The file's values make no valid policy.
    """
    from sagemaker_async import iam

    where = {"account": deployment.account, "region": deployment.region}
    policies = {
        "execution_role_trust_policy": iam.execution_role_trust_policy(**where),
        "execution_role_policy": iam.execution_role_policy(
            deployment.model,
            deployment.config,
            endpoint_name=deployment.endpoint_name,
            input_path=deployment.input_path,
            registry_account=deployment.registry_account,
            **where,
        ),
        "caller_policy": iam.caller_policy(
            deployment.model,
            deployment.config,
            deployment.endpoint_name,
            input_path=deployment.input_path,
            steps=deployment.steps,
            scaling=deployment.scaling is not None,
            **where,
        ),
    }
    if deployment.router is not None:
        policies["router_caller_policy"] = iam.router_caller_policy(
            deployment.router, input_path=deployment.input_path, **where
        )
        policies["router_execution_role_policy"] = iam.router_execution_role_policy(
            deployment.router, input_path=deployment.input_path, **where
        )
    return policies
