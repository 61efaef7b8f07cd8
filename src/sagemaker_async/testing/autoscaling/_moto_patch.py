"""Patches on moto's Application Auto Scaling and CloudWatch, undone on exit.

Like the control plane's, they replace class attributes, so in-process moto
and the moto server thread share them. Each takes the room's lock:

- RegisterScalableTarget refuses a SageMaker variant that does not exist and
  names the service-linked role; DeregisterScalableTarget removes the
  target's policies, their alarms and its scheduled actions; both, and
  DeleteScalingPolicy, answer ObjectNotFoundException for what is missing;
- PutScalingPolicy refuses an unregistered target, keeps a replaced policy's
  ARN, drops its alarms and, for target tracking on a SageMaker variant,
  creates AlarmHigh and AlarmLow;
- PutMetricAlarm starts a new alarm in INSUFFICIENT_DATA and keeps an
  updated alarm's state; SetAlarmState runs the new state's scaling actions;
- DescribeScalingPolicies honours PolicyNames; DescribeScalingActivities is
  answered.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeApplicationAutoscalingPolicy,
    FakeScalableTarget,
)
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.cloudwatch.models import Alarm, CloudWatchBackend, cloudwatch_backends
from moto.moto_api._internal import mock_random

from sagemaker_async.testing.control_plane._moto_patch import Patcher

from ._alarms import INSUFFICIENT_DATA
from ._errors import missing_variant, policy_not_found, target_not_found, target_not_registered
from ._names import is_variant, parse_resource_id
from ._targets import find_target, remove_target
from ._tracking import alarm_requests, tracked_metric

_ROLE = (
    "arn:aws:iam::{account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)


# What DescribeScalableTargets shows for a target registered without a SuspendedState.
_NOT_SUSPENDED: Any = {
    "DynamicScalingInSuspended": False,
    "DynamicScalingOutSuspended": False,
    "ScheduledScalingSuspended": False,
}


class Hooks(Protocol):
    """What the patches need from the room."""

    @property
    def lock(self) -> AbstractContextManager[object]: ...

    def wall_now(self) -> datetime:
        """The current clock instant as a wall-clock datetime."""
        ...

    def variant_exists(self, account_id: str, region: str, endpoint: str, variant: str) -> bool:
        """Whether the endpoint has that variant."""
        ...

    def target_removed(self, account_id: str, region: str, resource_id: str) -> None:
        """A scalable target was deregistered."""
        ...

    def state_set(self, alarm: Alarm, account_id: str, region: str) -> None:
        """SetAlarmState moved *alarm* to a new state."""
        ...

    def describe_activities(
        self, account_id: str, region: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        """The DescribeScalingActivities answer."""
        ...


def patch_moto(patcher: Patcher, hooks: Hooks) -> None:
    """Apply every patch through *patcher* (which undoes them)."""
    _patch_targets(patcher, hooks)
    _patch_policies(patcher, hooks)
    _patch_alarms(patcher, hooks)
    _patch_activities(patcher, hooks)


def _patch_targets(patcher: Patcher, hooks: Hooks) -> None:
    backend = ApplicationAutoscalingBackend
    register = backend.register_scalable_target

    def register_scalable_target(
        self: ApplicationAutoscalingBackend,
        namespace: str,
        r_id: str,
        dimension: str,
        min_capacity: int | None,
        max_capacity: int | None,
        role_arn: str,
        suspended_state: Any,  # moto says str; it is the SuspendedState dict, or None
    ) -> FakeScalableTarget:
        with hooks.lock:
            names = parse_resource_id(r_id)
            if is_variant(namespace, dimension) and names is not None:
                if not hooks.variant_exists(self.account_id, self.region_name, *names):
                    raise missing_variant(r_id)
                role_arn = role_arn or _ROLE.format(account=self.account_id)
            new = find_target(self, namespace, r_id, dimension) is None
            if new and suspended_state is None:
                suspended_state = _NOT_SUSPENDED
            target = register(
                self,
                namespace,
                r_id,
                dimension,
                min_capacity,
                max_capacity,
                role_arn,
                suspended_state,
            )
            if new:
                target.creation_time = hooks.wall_now().timestamp()
            return target

    def deregister_scalable_target(
        self: ApplicationAutoscalingBackend, namespace: str, r_id: str, dimension: str
    ) -> None:
        with hooks.lock:
            if find_target(self, namespace, r_id, dimension) is None:
                raise target_not_found(namespace, r_id, dimension)
            remove_target(self, namespace, r_id, dimension)
            hooks.target_removed(self.account_id, self.region_name, r_id)

    patcher.replace(backend, "register_scalable_target", register_scalable_target)
    patcher.replace(backend, "deregister_scalable_target", deregister_scalable_target)


def _tracking_alarms(
    self: ApplicationAutoscalingBackend, policy: FakeApplicationAutoscalingPolicy
) -> list[Alarm]:
    names = parse_resource_id(policy.resource_id)
    config = policy.target_tracking_scaling_policy_configuration
    if names is None or config is None:
        return []
    metric = tracked_metric(config, *names)
    cloudwatch: CloudWatchBackend = cloudwatch_backends[self.account_id][self.region_name]
    requests = alarm_requests(
        policy.policy_arn, policy.resource_id, config, metric, lambda: str(mock_random.uuid4())
    )
    return [cloudwatch.put_metric_alarm(**request) for request in requests]


def _patch_policies(patcher: Patcher, hooks: Hooks) -> None:
    backend = ApplicationAutoscalingBackend
    put = backend.put_scaling_policy
    delete = backend.delete_scaling_policy

    def put_scaling_policy(
        self: ApplicationAutoscalingBackend,
        policy_name: str,
        service_namespace: str,
        resource_id: str,
        scalable_dimension: str,
        policy_body: dict[str, Any],
        policy_type: str | None,
    ) -> FakeApplicationAutoscalingPolicy:
        with hooks.lock:
            if find_target(self, service_namespace, resource_id, scalable_dimension) is None:
                raise target_not_registered(service_namespace, resource_id, scalable_dimension)
            key = FakeApplicationAutoscalingPolicy.formulate_key(
                service_namespace, resource_id, scalable_dimension, policy_name
            )
            old = self.policies.get(key)
            names = parse_resource_id(resource_id)
            kind = policy_type or (None if old is None else old.policy_type)
            if (
                kind == "TargetTrackingScaling"
                and is_variant(service_namespace, scalable_dimension)
                and names
                and policy_body
            ):
                tracked_metric(policy_body, *names)  # refuse before changing anything
            policy = put(
                self,
                policy_name,
                service_namespace,
                resource_id,
                scalable_dimension,
                policy_body,
                policy_type,
            )
            if old is not None:
                old.delete_alarms(self.account_id, self.region_name)
                # An update keeps the policy's identity: its ARN, and so its alarms' actions.
                policy.policy_arn = old.policy_arn
                policy.creation_time = old.creation_time
            else:
                policy.creation_time = hooks.wall_now().timestamp()
            if policy.policy_type == "TargetTrackingScaling" and is_variant(
                service_namespace, scalable_dimension
            ):
                policy.alarms = _tracking_alarms(self, policy)
            return policy

    def delete_scaling_policy(
        self: ApplicationAutoscalingBackend,
        policy_name: str,
        service_namespace: str,
        resource_id: str,
        scalable_dimension: str,
    ) -> None:
        with hooks.lock:
            key = FakeApplicationAutoscalingPolicy.formulate_key(
                service_namespace, resource_id, scalable_dimension, policy_name
            )
            if key not in self.policies:
                raise policy_not_found(
                    service_namespace, resource_id, scalable_dimension, policy_name
                )
            delete(self, policy_name, service_namespace, resource_id, scalable_dimension)

    patcher.replace(backend, "put_scaling_policy", put_scaling_policy)
    patcher.replace(backend, "delete_scaling_policy", delete_scaling_policy)


def _patch_alarms(patcher: Patcher, hooks: Hooks) -> None:
    backend = CloudWatchBackend
    put = backend.put_metric_alarm
    set_state = backend.set_alarm_state
    delete = backend.delete_alarms

    def put_metric_alarm(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> Alarm:
        with hooks.lock:
            name = kwargs["name"] if "name" in kwargs else args[0]
            previous = self.alarms.get(name)
            alarm = put(self, *args, **kwargs)
            now = hooks.wall_now()
            alarm.configuration_updated_timestamp = now
            if previous is None:
                alarm.state_value = INSUFFICIENT_DATA
                alarm.state_updated_timestamp = now
                alarm.state_transitioned_timestamp = now  # type: ignore[attr-defined]
            else:
                # An update leaves the alarm's state as it was.
                for field in (
                    "state_value",
                    "state_reason",
                    "state_reason_data",
                    "state_updated_timestamp",
                    "state_transitioned_timestamp",
                    "history",
                ):
                    if hasattr(previous, field):
                        setattr(alarm, field, getattr(previous, field))
            return alarm

    def set_alarm_state(
        self: CloudWatchBackend, alarm_name: str, reason: str, reason_data: str, state_value: str
    ) -> None:
        with hooks.lock:
            alarm = self.alarms.get(alarm_name)
            before = None if alarm is None else alarm.state_value
            set_state(self, alarm_name, reason, reason_data, state_value)
            alarm = self.alarms[alarm_name]
            alarm.state_updated_timestamp = hooks.wall_now()
            if alarm.state_value != before:
                alarm.state_transitioned_timestamp = alarm.state_updated_timestamp  # type: ignore[attr-defined]
                hooks.state_set(alarm, self.account_id, self.region_name)

    def delete_alarms(self: CloudWatchBackend, alarm_names: list[str]) -> None:
        with hooks.lock:
            delete(self, alarm_names)

    patcher.replace(backend, "put_metric_alarm", put_metric_alarm)
    patcher.replace(backend, "set_alarm_state", set_alarm_state)
    patcher.replace(backend, "delete_alarms", delete_alarms)


def _patch_activities(patcher: Patcher, hooks: Hooks) -> None:
    describe_policies = ApplicationAutoScalingResponse.describe_scaling_policies

    def describe_scaling_policies(self: ApplicationAutoScalingResponse) -> str:
        names: list[str] | None = self._get_param("PolicyNames")  # pyright: ignore[reportPrivateUsage]
        answer: dict[str, Any] = json.loads(describe_policies(self))
        if names:
            policies = answer["ScalingPolicies"]
            answer["ScalingPolicies"] = [each for each in policies if each["PolicyName"] in names]
        return json.dumps(answer)

    def describe_scaling_activities(self: ApplicationAutoScalingResponse) -> str:
        self._validate_params()  # pyright: ignore[reportPrivateUsage]
        request: dict[str, Any] = json.loads(self.body or "{}")
        with hooks.lock:
            answer = hooks.describe_activities(self.current_account, self.region, request)
        return json.dumps(answer)

    # moto ignores PolicyNames; AWS answers only the policies named.
    patcher.replace(
        ApplicationAutoScalingResponse, "describe_scaling_policies", describe_scaling_policies
    )
    # moto finds handlers by name (DescribeScalingActivities -> describe_scaling_activities).
    patcher.replace(
        ApplicationAutoScalingResponse, "describe_scaling_activities", describe_scaling_activities
    )
