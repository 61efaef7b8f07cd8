"""Running scaling policies against a variant: cooldowns, precedence, activities.

Cooldowns are kept per scalable target, as the Application Auto Scaling guide
describes them:

- a scale-out starts a scale-out cooldown (ScaleOutCooldown, or a step
  policy's Cooldown). Within it another scale-out happens only if it asks for
  more: a target tracking policy for more than the last scale-out set, a
  step policy counting from the capacity before the scale-out that started
  the cooldown (so +2 then +3 adds only 1 more). Such a scale-out extends the
  cooldown;
- a scale-in waits for its policy's ScaleInCooldown (or Cooldown) after any
  scaling activity, and never happens while a scale-out cooldown runs. A
  scale-out is never held back by a scale-in.

When several policies of one target run in the same minute, the largest
capacity wins (PutScalingPolicy: "precedence to the policy that provides the
largest capacity for both scale out and scale in").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

import attrs
from moto.applicationautoscaling.models import FakeApplicationAutoscalingPolicy, FakeScalableTarget
from moto.moto_api._internal import mock_random

from ._activities import ActivityLog, ScalingActivity
from ._capacity_port import CapacityPort, CapacityRefusedError
from ._names import DEFAULT_COOLDOWN, parse_resource_id
from ._policies import aggregate, clamp, step_adjustment, step_capacity, tracking_capacity


@attrs.frozen
class Invocation:
    """An alarm running a policy: the alarm's state and the datapoints it saw."""

    policy: FakeApplicationAutoscalingPolicy
    alarm_name: str
    alarm_state: str
    scale_out: bool  # the alarm watches for a high metric (Greater... comparison)
    values: tuple[float, ...]  # newest first; empty when nothing was evaluated
    threshold: float


@attrs.define
class _Cooldowns:
    out_until: float = -math.inf
    out_base: int = 0
    out_result: int = 0
    last_activity: float = -math.inf


@attrs.frozen
class _Proposal:
    capacity: int
    invocation: Invocation
    cooldown: float


def _suspended(target: FakeScalableTarget, flag: str) -> bool:
    state: Any = target.suspended_state
    return isinstance(state, dict) and bool(cast(dict[str, Any], state).get(flag))


def _seconds(config: Mapping[str, Any], key: str) -> float:
    value = config.get(key)
    return float(DEFAULT_COOLDOWN if value is None else value)


class Scaler:
    """Applies policy invocations to variants through the capacity port."""

    def __init__(
        self, capacity: CapacityPort, activities: ActivityLog, wall: Callable[[float], datetime]
    ) -> None:
        self._capacity = capacity
        self._activities = activities
        self._wall = wall
        self._cooldowns: dict[tuple[str, str, str], _Cooldowns] = {}

    def run(
        self,
        account_id: str,
        region: str,
        target: FakeScalableTarget,
        invocations: Sequence[Invocation],
        now: float,
    ) -> None:
        """Run the invocations of one target at clock time *now*; at most one change."""
        names = parse_resource_id(target.resource_id)
        if names is None:
            return
        current = self._capacity.desired_count(account_id, region, *names)
        if current is None:
            return
        cooldowns = self._cooldowns.setdefault(
            (account_id, region, target.resource_id), _Cooldowns()
        )
        proposals = [
            proposal
            for invocation in invocations
            if (proposal := self._propose(invocation, target, current, cooldowns, now))
        ]
        if not proposals:
            return
        best = max(proposals, key=lambda proposal: proposal.capacity)
        try:
            self._capacity.set_desired_count(account_id, region, *names, best.capacity)
        except CapacityRefusedError as refused:
            self._record(account_id, region, target, best, now, refused.reason)
            return
        if best.capacity > current:
            if now >= cooldowns.out_until:
                cooldowns.out_base = current
            cooldowns.out_result = best.capacity
            cooldowns.out_until = now + best.cooldown
        cooldowns.last_activity = now
        self._record(account_id, region, target, best, now)

    def _propose(
        self,
        invocation: Invocation,
        target: FakeScalableTarget,
        current: int,
        cooldowns: _Cooldowns,
        now: float,
    ) -> _Proposal | None:
        policy = invocation.policy
        in_out_cooldown = now < cooldowns.out_until
        tracking = policy.policy_type == "TargetTrackingScaling"
        if tracking:
            config: Mapping[str, Any] = policy.target_tracking_scaling_policy_configuration or {}
            if not invocation.values or (not invocation.scale_out and config.get("DisableScaleIn")):
                return None
            wanted = tracking_capacity(
                current,
                invocation.values[0],
                float(config["TargetValue"]),
                scale_in=not invocation.scale_out,
            )
            out_cooldown = _seconds(config, "ScaleOutCooldown")
            in_cooldown = _seconds(config, "ScaleInCooldown")
        else:
            config = policy.step_scaling_policy_configuration or {}
            # Set by SetAlarmState before any evaluation: the threshold itself.
            value = (
                aggregate(invocation.values, config.get("MetricAggregationType"))
                if invocation.values
                else invocation.threshold
            )
            adjustment = step_adjustment(
                config.get("StepAdjustments") or (), value, invocation.threshold
            )
            if adjustment is None:
                return None
            base = cooldowns.out_base if in_out_cooldown and adjustment > 0 else current
            wanted = step_capacity(config, adjustment, base)
            out_cooldown = in_cooldown = _seconds(config, "Cooldown")
        wanted = clamp(wanted, target.min_capacity, target.max_capacity)
        if wanted > current:
            if _suspended(target, "DynamicScalingOutSuspended"):
                return None
            if tracking and in_out_cooldown and wanted <= cooldowns.out_result:
                return None
            return _Proposal(wanted, invocation, out_cooldown)
        if wanted < current:
            if _suspended(target, "DynamicScalingInSuspended") or in_out_cooldown:
                return None
            if now < cooldowns.last_activity + in_cooldown:
                return None
            return _Proposal(wanted, invocation, in_cooldown)
        return None

    def _record(
        self,
        account_id: str,
        region: str,
        target: FakeScalableTarget,
        proposal: _Proposal,
        now: float,
        refusal: str | None = None,
    ) -> None:
        invocation = proposal.invocation
        at = self._wall(now)
        count = proposal.capacity
        if refusal is None:
            status, message = (
                "Successful",
                (
                    f"Successfully set desired instance count to {count}. "
                    "Change successfully fulfilled by sagemaker."
                ),
            )
        else:
            status = "Failed"
            message = f"Failed to set desired instance count to {count}. Reason: {refusal}"
        self._activities.record(
            account_id,
            region,
            ScalingActivity(
                activity_id=str(mock_random.uuid4()),
                service_namespace=target.service_namespace,
                resource_id=target.resource_id,
                scalable_dimension=target.scalable_dimension,
                description=f"Setting desired instance count to {count}.",
                cause=(
                    f"monitor alarm {invocation.alarm_name} in state {invocation.alarm_state} "
                    f"triggered policy {invocation.policy.policy_name}"
                ),
                start_time=at,
                end_time=at,
                status_code=status,
                status_message=message,
            ),
        )

    def forget(self, account_id: str, region: str, resource_id: str) -> None:
        """Drop a deregistered target's cooldowns."""
        self._cooldowns.pop((account_id, region, resource_id), None)

    def clear(self) -> None:
        """Drop every target's cooldowns."""
        self._cooldowns.clear()
