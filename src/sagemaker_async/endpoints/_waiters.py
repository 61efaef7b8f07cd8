"""Waiting for an endpoint: acceptor tables as data, and one loop that runs them.

Each table names, for every endpoint status, whether waiting succeeds, fails
or goes on. The loop polls ``DescribeEndpoint`` with a delay that backs off,
logs each status change, and raises with the last description attached.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Mapping
from typing import Final

import attrs

from sagemaker_async.aws import Backoff, is_transient
from sagemaker_async.errors import (
    EndpointFailedError,
    ResourceNotFoundError,
    ServiceError,
    WaiterTimeoutError,
)
from sagemaker_async.models import EndpointDescription, EndpointStatus

log = logging.getLogger("sagemaker_async")

S = EndpointStatus


class Outcome(enum.Enum):
    """What one observed status means for the wait."""

    SUCCESS = "success"
    FAILURE = "failure"
    RETRY = "retry"
    # InService on another config than the one asked for: an update that
    # rolled back, once the endpoint was seen to move; before that, not begun.
    ROLLED_BACK = "rolled back"


@attrs.frozen
class Waiter:
    """An acceptor table: the outcome of each status, and of the endpoint being gone."""

    name: str
    action: str
    outcomes: Mapping[EndpointStatus, Outcome]
    when_gone: Outcome


_TRANSITIONAL: Final = {
    S.CREATING: Outcome.RETRY,
    S.UPDATING: Outcome.RETRY,
    S.SYSTEM_UPDATING: Outcome.RETRY,
    S.ROLLING_BACK: Outcome.RETRY,
}

IN_SERVICE: Final = Waiter(
    name="endpoint in service",
    action="reach InService",
    outcomes={
        **_TRANSITIONAL,
        S.IN_SERVICE: Outcome.SUCCESS,
        S.FAILED: Outcome.FAILURE,
        S.UPDATE_ROLLBACK_FAILED: Outcome.FAILURE,
        S.OUT_OF_SERVICE: Outcome.FAILURE,
        S.DELETING: Outcome.FAILURE,
    },
    when_gone=Outcome.FAILURE,
)
"""After CreateEndpoint, or for an endpoint that is busy."""

UPDATED: Final = Waiter(
    name="endpoint updated",
    action="finish its update",
    outcomes={
        **_TRANSITIONAL,
        S.IN_SERVICE: Outcome.SUCCESS,  # only on the target config; see ROLLED_BACK
        S.FAILED: Outcome.FAILURE,
        S.UPDATE_ROLLBACK_FAILED: Outcome.FAILURE,
        S.OUT_OF_SERVICE: Outcome.FAILURE,
        S.DELETING: Outcome.FAILURE,
    },
    when_gone=Outcome.FAILURE,
)
"""After UpdateEndpoint: InService on the new config; a rollback is a failure."""

DELETED: Final = Waiter(
    name="endpoint deleted",
    action="be deleted",
    outcomes={
        **_TRANSITIONAL,
        S.DELETING: Outcome.RETRY,
        S.IN_SERVICE: Outcome.RETRY,
        S.OUT_OF_SERVICE: Outcome.RETRY,
        S.FAILED: Outcome.RETRY,
        S.UPDATE_ROLLBACK_FAILED: Outcome.RETRY,
    },
    when_gone=Outcome.SUCCESS,
)
"""After DeleteEndpoint: gone is success."""

SETTLED: Final = Waiter(
    name="endpoint settled",
    action="settle",
    outcomes={
        **_TRANSITIONAL,
        S.IN_SERVICE: Outcome.SUCCESS,
        S.FAILED: Outcome.SUCCESS,
        S.UPDATE_ROLLBACK_FAILED: Outcome.SUCCESS,
        S.OUT_OF_SERVICE: Outcome.SUCCESS,
        S.DELETING: Outcome.SUCCESS,
    },
    when_gone=Outcome.SUCCESS,
)
"""Before deleting an endpoint: SageMaker refuses while it is being created or updated."""


def _outcome(
    waiter: Waiter,
    described: EndpointDescription,
    target_config: str | None,
    moved: bool,
) -> Outcome:
    outcome = waiter.outcomes.get(described.status, Outcome.RETRY)
    if (
        outcome is Outcome.SUCCESS
        and target_config is not None
        and described.config_name != target_config
    ):
        outcome = Outcome.ROLLED_BACK
    if outcome is Outcome.ROLLED_BACK:
        return Outcome.FAILURE if moved else Outcome.RETRY
    return outcome


ProgressCallback = Callable[[EndpointDescription, float], None]
"""Called with the description and the seconds elapsed, at each status change."""


def wait(
    waiter: Waiter,
    endpoint_name: str,
    describe: Callable[[str], EndpointDescription],
    *,
    timeout: float,
    backoff: Backoff,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    target_config: str | None = None,
    failure_reason_before: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> EndpointDescription | None:
    """Poll until *waiter* says success (returned) or failure (raised).

    Returns the last description, or None when success is the endpoint being gone.

    Raises:
        EndpointFailedError: A failure status, or an update that rolled back.
        WaiterTimeoutError: *timeout* seconds passed first.
        ResourceNotFoundError: The endpoint vanished while it should not.
    """
    start = clock()
    next_delay = backoff.delays()
    last_status: str | None = None
    moved = False
    while True:
        elapsed = clock() - start
        try:
            described = describe(endpoint_name)
        except ResourceNotFoundError:
            if waiter.when_gone is Outcome.SUCCESS:
                log.info("endpoint %s is gone after %.1f s", endpoint_name, elapsed)
                return None
            raise
        except ServiceError as error:
            if not is_transient(error):
                raise
            # Throttling or a 5xx outlasted botocore's retries: look again later.
            log.warning("describing endpoint %s failed, will retry: %s", endpoint_name, error)
            _pause(sleep, next_delay(), timeout, clock() - start, endpoint_name, last_status)
            continue
        if described.status != last_status:
            log.info(
                "endpoint %s is %s after %.1f s (waiting for it to %s)",
                endpoint_name,
                described.status,
                elapsed,
                waiter.action,
            )
            if on_progress is not None:
                on_progress(described, elapsed)
            last_status = described.status
        if described.status is not S.IN_SERVICE or (
            described.failure_reason not in (None, failure_reason_before)
        ):
            moved = True
        outcome = _outcome(waiter, described, target_config, moved)
        if outcome is Outcome.SUCCESS:
            return described
        if outcome is Outcome.FAILURE:
            reason = described.failure_reason
            if described.status is S.IN_SERVICE and target_config is not None:
                reason = (
                    f"the update to {target_config!r} rolled back to "
                    f"{described.config_name!r}: {reason or 'no reason given'}"
                )
            raise EndpointFailedError(endpoint_name, described.status, reason, action=waiter.action)
        _pause(sleep, next_delay(), timeout, clock() - start, endpoint_name, last_status)


def _pause(
    sleep: Callable[[float], None],
    delay: float,
    timeout: float,
    elapsed: float,
    endpoint_name: str,
    last_status: str | None,
) -> None:
    """Sleep before the next poll, or raise if the timeout has passed."""
    if elapsed >= timeout:
        raise WaiterTimeoutError(endpoint_name, last_status, elapsed)
    sleep(min(delay, timeout - elapsed))
