"""Scalable targets and scaling policies as moto stores them: finding and removing."""

from __future__ import annotations

from collections.abc import Mapping

from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeApplicationAutoscalingPolicy,
    FakeScalableTarget,
    applicationautoscaling_backends,
)

from ._names import DIMENSION, NAMESPACE, endpoint_prefix


def backend(account_id: str, region: str) -> ApplicationAutoscalingBackend:
    """moto's Application Auto Scaling for an account and Region."""
    return applicationautoscaling_backends[account_id][region]


def find_target(
    aas: ApplicationAutoscalingBackend, namespace: str, resource_id: str, dimension: str
) -> FakeScalableTarget | None:
    """The registered scalable target, or None."""
    target = aas.targets.get(dimension, {}).get(resource_id)
    if target is None or target.service_namespace != namespace:
        return None
    return target


def policies_by_arn(
    aas: ApplicationAutoscalingBackend,
) -> dict[str, FakeApplicationAutoscalingPolicy]:
    """Every scaling policy of the Region, by ARN."""
    return {policy.policy_arn: policy for policy in aas.policies.values()}


def policy_for_action(
    policies: Mapping[str, FakeApplicationAutoscalingPolicy], action: str
) -> FakeApplicationAutoscalingPolicy | None:
    """The scaling policy an alarm action ARN invokes, or None."""
    # moto suffixes the actions of the alarms it creates itself with ":createdBy/...".
    return policies.get(action.split(":createdBy/")[0])


def remove_target(
    aas: ApplicationAutoscalingBackend, namespace: str, resource_id: str, dimension: str
) -> None:
    """Deregister a target with its policies (and their alarms) and scheduled actions."""
    for key, policy in list(aas.policies.items()):
        if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (
            namespace,
            resource_id,
            dimension,
        ):
            policy.delete_alarms(aas.account_id, aas.region_name)
            del aas.policies[key]
    aas.scheduled_actions = [
        action
        for action in aas.scheduled_actions
        if (action.service_namespace, action.resource_id, action.scalable_dimension)
        != (namespace, resource_id, dimension)
    ]
    aas.targets.get(dimension, {}).pop(resource_id, None)


def endpoint_targets(aas: ApplicationAutoscalingBackend, endpoint_name: str) -> list[str]:
    """The resource ids of the endpoint's registered variants."""
    prefix = endpoint_prefix(endpoint_name)
    return [
        resource_id
        for resource_id, target in aas.targets.get(DIMENSION, {}).items()
        if target.service_namespace == NAMESPACE and resource_id.startswith(prefix)
    ]
