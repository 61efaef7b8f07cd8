"""The autoscaling room: alarms evaluated every simulated minute, and the policies they run."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, Final

import attrs
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeApplicationAutoscalingPolicy,
    FakeScalableTarget,
)
from moto.cloudwatch.models import Alarm, cloudwatch_backends

from sagemaker_async.testing._clock import Clock
from sagemaker_async.testing.control_plane._moto_patch import Patcher

from ._activities import ActivityLog
from ._alarms import ALARM, OK, Evaluation, evaluate, query_of
from ._capacity_port import CapacityPort
from ._moto_patch import patch_moto
from ._names import DIMENSION, NAMESPACE, is_variant, resource_id
from ._reasons import state_reason, state_reason_data
from ._scaler import Invocation, Scaler
from ._series import MetricIndex, Series
from ._targets import (
    backend,
    endpoint_targets,
    find_target,
    policies_by_arn,
    policy_for_action,
    remove_target,
)

_NO_DATA: Final = Series()

_Due = dict[str, tuple[FakeScalableTarget, list[Invocation]]]  # by resource id


class AutoScaling:
    """Application Auto Scaling for SageMaker variants, driven by CloudWatch alarms.

    Every simulated minute the simulator publishes the minute's metrics and
    calls :meth:`on_minute`, which evaluates every metric alarm of the
    account and Region, moves its state and runs the scaling policies its
    actions name: on a state change, and again every minute it stays in that
    state (CloudWatch repeats Auto Scaling actions once a minute; other
    actions, such as SNS notifications, are not run). A policy changes a
    variant's desired count through the :class:`CapacityPort`.

    Args:
        clock: The simulator's clock; nothing here reads the real time.
        wall: ``wall(clock_seconds)`` is the aware UTC datetime of that clock
            instant (the simulator's start time plus the time elapsed).
        capacity: The variants' desired counts.
        lock: The re-entrant lock to serialize on (default a new
            ``threading.RLock``; a patched call may take it again, as
            PutScalingPolicy does when it creates alarms). Pass the capacity
            room's own lock if it has one, so that the two are one and cannot
            be taken in opposite orders by two threads.

    Cost per :meth:`on_minute`: reading the datapoints appended since the last
    minute, then for each alarm one binary search and a walk over its
    evaluation range (EvaluationPeriods + 2 periods): O(new datapoints +
    alarms x (log n + periods)).
    """

    def __init__(
        self,
        clock: Clock,
        wall: Callable[[float], datetime],
        capacity: CapacityPort,
        *,
        lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self._clock = clock
        self._wall = wall
        self._capacity = capacity
        self._lock: AbstractContextManager[object] = threading.RLock() if lock is None else lock
        self._index = MetricIndex()
        self._activities = ActivityLog()
        self._scaler = Scaler(capacity, self._activities, wall)
        self._evaluations: dict[tuple[str, str, str], Evaluation] = {}

    @property
    def lock(self) -> AbstractContextManager[object]:
        """The lock every patched call and every method here holds."""
        return self._lock

    @contextmanager
    def patched(self) -> Generator[None, None, None]:
        """moto's Application Auto Scaling and CloudWatch as AWS's, for the block.

        On exit the patches are undone and this room's state (activities,
        cooldowns, indexed metrics) is dropped.
        """
        patcher = Patcher()
        try:
            hooks = _Hooks(
                lock=self._lock,
                clock=self._clock,
                wall=self._wall,
                capacity=self._capacity,
                scaler=self._scaler,
                activities=self._activities,
                act_on=self._act_on,
            )
            patch_moto(patcher, hooks)
            yield
        finally:
            patcher.restore()
            with self._lock:
                self._index.clear()
                self._activities.clear()
                self._scaler.clear()
                self._evaluations.clear()

    def on_minute(self, account_id: str, region: str, at: float) -> None:
        """Evaluate every alarm of the account and Region at clock time *at*.

        Call after the minute's datapoints (stamped ``wall(at)``) are in moto's
        CloudWatch. Alarms move state (with AWS's StateReason) and the
        scaling policies named by the actions of each alarm's state run.
        """
        with self._lock:
            cloudwatch = cloudwatch_backends[account_id][region]
            self._index.refresh(account_id, region, cloudwatch.metric_data)
            now = self._wall(at)
            scope = _Scope.of(account_id, region)
            due: _Due = {}
            for alarm in list(cloudwatch.alarms.values()):
                self._evaluate(account_id, region, alarm, now)
                self._collect(due, scope, alarm)
            self._run(due, scope, at)

    def endpoint_deleted(self, account_id: str, region: str, endpoint_name: str) -> None:
        """Deregister the endpoint's variants, as DeleteEndpoint does.

        Their policies and the alarms target tracking created go with them.
        """
        with self._lock:
            aas = backend(account_id, region)
            for each in endpoint_targets(aas, endpoint_name):
                remove_target(aas, NAMESPACE, each, DIMENSION)
                self._scaler.forget(account_id, region, each)

    def is_autoscaled(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool:
        """Whether the variant is registered as a scalable target."""
        with self._lock:
            aas = backend(account_id, region)
            rid = resource_id(endpoint_name, variant_name)
            return find_target(aas, NAMESPACE, rid, DIMENSION) is not None

    # -- inside --

    def _evaluate(self, account_id: str, region: str, alarm: Alarm, now: datetime) -> None:
        query = query_of(alarm)
        if query is None:
            return
        series = self._index.series(account_id, region, query.key) or _NO_DATA
        evaluation = evaluate(alarm, query, series, now.timestamp())
        self._evaluations[account_id, region, alarm.name] = evaluation
        if evaluation.state != alarm.state_value:
            reason = state_reason(alarm, evaluation)
            data = state_reason_data(alarm, query, evaluation, now.timestamp())
            alarm.update_state(reason, data, evaluation.state)
            alarm.state_updated_timestamp = now
            alarm.state_transitioned_timestamp = now  # type: ignore[attr-defined]

    def _collect(self, due: _Due, scope: _Scope, alarm: Alarm) -> None:
        if not alarm.actions_enabled:
            return
        if alarm.state_value == ALARM:
            actions = alarm.alarm_actions
        elif alarm.state_value == OK:
            actions = alarm.ok_actions
        else:
            actions = alarm.insufficient_data_actions
        evaluation = self._evaluations.get((scope.account_id, scope.region, alarm.name))
        values: tuple[float, ...] = ()
        if evaluation is not None:
            values = evaluation.values or tuple(each.value for each in evaluation.recent)
        for action in actions or ():
            policy = policy_for_action(scope.policies, action)
            if policy is None or not is_variant(
                policy.service_namespace, policy.scalable_dimension
            ):
                continue
            target = find_target(
                scope.aas, policy.service_namespace, policy.resource_id, policy.scalable_dimension
            )
            if target is None:
                continue
            invocation = Invocation(
                policy=policy,
                alarm_name=alarm.name,
                alarm_state=alarm.state_value,
                scale_out=alarm.comparison_operator.startswith("Greater"),
                values=values,
                threshold=float(alarm.threshold),
            )
            due.setdefault(target.resource_id, (target, []))[1].append(invocation)

    def _run(self, due: _Due, scope: _Scope, at: float) -> None:
        for target, invocations in due.values():
            self._scaler.run(scope.account_id, scope.region, target, invocations, at)

    def _act_on(self, alarm: Alarm, account_id: str, region: str, at: float) -> None:
        # SetAlarmState: the new state's actions run at once.
        scope = _Scope.of(account_id, region)
        due: _Due = {}
        self._collect(due, scope, alarm)
        self._run(due, scope, at)


@attrs.frozen
class _Scope:
    """An account and Region, with its policies looked up by ARN once."""

    account_id: str
    region: str
    aas: ApplicationAutoscalingBackend
    policies: Mapping[str, FakeApplicationAutoscalingPolicy]

    @classmethod
    def of(cls, account_id: str, region: str) -> _Scope:
        aas = backend(account_id, region)
        return cls(account_id, region, aas, policies_by_arn(aas))


@attrs.frozen
class _Hooks:
    """The room as the moto patches see it."""

    lock: AbstractContextManager[object]
    clock: Clock
    wall: Callable[[float], datetime]
    capacity: CapacityPort
    scaler: Scaler
    activities: ActivityLog
    act_on: Callable[[Alarm, str, str, float], None]

    def wall_now(self) -> datetime:
        return self.wall(self.clock.time())

    def variant_exists(self, account_id: str, region: str, endpoint: str, variant: str) -> bool:
        return self.capacity.variant_exists(account_id, region, endpoint, variant)

    def target_removed(self, account_id: str, region: str, resource_id: str) -> None:
        self.scaler.forget(account_id, region, resource_id)

    def state_set(self, alarm: Alarm, account_id: str, region: str) -> None:
        self.act_on(alarm, account_id, region, self.clock.time())

    def describe_activities(
        self, account_id: str, region: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        return self.activities.describe(account_id, region, request)
