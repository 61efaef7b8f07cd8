"""Endpoint lifecycles as data: what DescribeEndpoint shows, as a function of time.

An operation (CreateEndpoint, UpdateEndpoint, DeleteEndpoint) starts a
:class:`Lifecycle`: timed steps, then a resting state (or nothing: deleted). The
status at any instant is computed from the clock, never by a background thread,
so a fake clock makes every transition instantaneous and deterministic.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

import attrs

EndpointStatusName = Literal[
    "OutOfService",
    "Creating",
    "Updating",
    "SystemUpdating",
    "RollingBack",
    "InService",
    "Deleting",
    "Failed",
    "UpdateRollbackFailed",
]
ENDPOINT_STATUSES: Final[frozenset[str]] = frozenset(get_args(EndpointStatusName))

Operation = Literal[
    "CreateEndpoint", "UpdateEndpoint", "DeleteEndpoint", "UpdateEndpointWeightsAndCapacities"
]

# Statuses in which SageMaker refuses UpdateEndpoint and DeleteEndpoint
# ("Cannot update in-progress endpoint").
IN_PROGRESS: Final[frozenset[str]] = frozenset(
    {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}
)


@attrs.frozen
class EndpointView:
    """The part of DescribeEndpoint a lifecycle decides."""

    status: str
    config_name: str
    failure_reason: str | None = None
    # The config an update is deploying (DescribeEndpoint's PendingDeploymentSummary).
    pending_config_name: str | None = None


@attrs.frozen
class Step:
    """One timed status: shown for *seconds*, then the next step begins."""

    seconds: float
    view: EndpointView


@attrs.frozen
class Lifecycle:
    """Timed steps from *started*, then *final* (None: the endpoint is gone)."""

    operation: Operation
    started: float
    previous_status: str | None  # before the operation; None for CreateEndpoint
    steps: tuple[Step, ...]
    final: EndpointView | None

    def timeline(self) -> tuple[tuple[float, EndpointView | None], ...]:
        """Every state in order, each with the time it is entered."""
        entries: list[tuple[float, EndpointView | None]] = []
        at = self.started
        for step in self.steps:
            entries.append((at, step.view))
            at += step.seconds
        entries.append((at, self.final))
        return tuple(entries)

    def index_at(self, now: float) -> int:
        """The position in :meth:`timeline` of the state shown at *now*."""
        index = 0
        for position, (entered, _) in enumerate(self.timeline()):
            if entered <= now:
                index = position
        return index

    def view_at(self, now: float) -> EndpointView | None:
        """What DescribeEndpoint shows at *now* (None: not found)."""
        return self.timeline()[self.index_at(now)][1]


@attrs.frozen
class UpdateFailure:
    """How a planned UpdateEndpoint failure ends."""

    reason: str
    rollback_fails: bool = False


def creating(now: float, config_name: str, seconds: float, failure_reason: str | None) -> Lifecycle:
    """CreateEndpoint: ``Creating``, then ``InService`` or ``Failed``."""
    final = (
        EndpointView("InService", config_name)
        if failure_reason is None
        else EndpointView("Failed", config_name, failure_reason)
    )
    return Lifecycle(
        "CreateEndpoint", now, None, (Step(seconds, EndpointView("Creating", config_name)),), final
    )


def updating(
    now: float,
    current: EndpointView,
    config_name: str,
    seconds: float,
    failure: UpdateFailure | None,
) -> Lifecycle:
    """UpdateEndpoint: ``Updating``, then the new config in service.

    A failed update rolls back, as SageMaker does: ``RollingBack``, then
    ``InService`` with a FailureReason and the *old* config (or
    ``UpdateRollbackFailed`` when the rollback fails too).
    """
    old = current.config_name
    steps = [Step(seconds, EndpointView("Updating", old, pending_config_name=config_name))]
    if failure is None:
        final = EndpointView("InService", config_name)
    else:
        steps.append(Step(seconds, EndpointView("RollingBack", old, failure.reason)))
        status = "UpdateRollbackFailed" if failure.rollback_fails else "InService"
        final = EndpointView(status, old, failure.reason)
    return Lifecycle("UpdateEndpoint", now, current.status, tuple(steps), final)


def resizing(now: float, current: EndpointView, seconds: float) -> Lifecycle:
    """UpdateEndpointWeightsAndCapacities or a scaling action: ``Updating``, then ``InService``."""
    view = EndpointView("Updating", current.config_name)
    final = EndpointView("InService", current.config_name)
    return Lifecycle(
        "UpdateEndpointWeightsAndCapacities", now, current.status, (Step(seconds, view),), final
    )


def deleting(now: float, current: EndpointView, seconds: float) -> Lifecycle:
    """DeleteEndpoint: ``Deleting``, then gone."""
    view = attrs.evolve(current, status="Deleting", pending_config_name=None)
    return Lifecycle("DeleteEndpoint", now, current.status, (Step(seconds, view),), None)


@attrs.frozen(kw_only=True)
class EndpointEvent:
    """An endpoint entered a new state (delivered to simulator listeners).

    Attributes:
        endpoint_name: The endpoint.
        endpoint_arn: Its ARN.
        operation: The API call whose lifecycle this step belongs to.
        previous_status: The status before (None when CreateEndpoint starts).
        status: The status entered (None when a deletion completes).
        config_name: The endpoint configuration the endpoint serves in that state.
        pending_config_name: The configuration an update is deploying, if any.
        failure_reason: The FailureReason shown in that state, if any.
        at: Clock time at which the state was entered.
    """

    endpoint_name: str
    endpoint_arn: str
    operation: Operation
    previous_status: str | None
    status: str | None
    config_name: str
    pending_config_name: str | None
    failure_reason: str | None
    at: float
