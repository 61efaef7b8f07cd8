"""Waiting for a router: an acceptor table as data, and one loop that runs it.

There are no botocore waiters for routers. Creating and Updating go on;
InService is success; Failed is failure (with its StatusReason); Deleting is
a failure unless deletion is awaited, for which the router being gone is
success.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Final

from sagemaker_async.aws import Services, is_transient
from sagemaker_async.errors import (
    EndpointFailedError,
    ResourceNotFoundError,
    ServiceError,
    WaiterTimeoutError,
)
from sagemaker_async.models import InferenceRouterDescription, InferenceRouterStatus

log = logging.getLogger("sagemaker_async")

ROUTER_TIMEOUT: Final = 15 * 60.0
"""Seconds to wait for a router to be created or updated (they take minutes)."""

S = InferenceRouterStatus
SUCCESS, FAILURE, RETRY = "success", "failure", "retry"

IN_SERVICE: Final[Mapping[str, str]] = {
    S.CREATING: RETRY,
    S.UPDATING: RETRY,
    S.IN_SERVICE: SUCCESS,
    S.FAILED: FAILURE,
    S.DELETING: FAILURE,
}
SETTLED: Final[Mapping[str, str]] = {**IN_SERVICE, S.FAILED: SUCCESS, S.DELETING: SUCCESS}
DELETED: Final[Mapping[str, str]] = dict.fromkeys(IN_SERVICE, RETRY)


class RouterFailedError(EndpointFailedError):
    """The router reached Failed (or is being deleted) instead of InService."""

    @property
    def router_name(self) -> str:
        """The router's name."""
        return self.endpoint_name

    def __str__(self) -> str:
        reason = (self.failure_reason or "").strip() or "SageMaker gave no status reason"
        return (
            f"Inference router {self.endpoint_name!r} did not {self.action}: it is "
            f"{self.status}. Reason: {reason}"
        )


class RouterTimeoutError(WaiterTimeoutError):
    """The router was still not in the state asked for when the timeout passed."""

    def __str__(self) -> str:
        return (
            f"Inference router {self.endpoint_name!r} was still {self.last_status} after "
            f"{self.elapsed:.1f} s. Increase `timeout`, or pass `wait=False` and call "
            "`wait_for_inference_router` later."
        )


def wait(
    aws: Services,
    name: str,
    describe: Callable[[str], InferenceRouterDescription],
    acceptors: Mapping[str, str],
    *,
    timeout: float,
    action: str = "reach InService",
) -> InferenceRouterDescription | None:
    """Poll until *acceptors* say success (returned; None: gone) or failure (raised).

    Raises:
        RouterFailedError: A failure status.
        RouterTimeoutError: *timeout* seconds passed first.
        ResourceNotFoundError: The router vanished while it should not.
    """
    start = aws.clock()
    delays = aws.backoff.delays()
    last: str | None = None
    while True:
        try:
            described = describe(name)
        except ResourceNotFoundError:
            if acceptors is DELETED:
                return None
            raise
        except ServiceError as error:
            if not is_transient(error):
                raise
            described = None
        if described is not None:
            if described.status != last:
                log.info("inference router %s is %s", name, described.status)
                last = described.status
            outcome = acceptors.get(described.status, RETRY)
            if outcome == SUCCESS:
                return described
            if outcome == FAILURE:
                raise RouterFailedError(
                    name, described.status, described.status_reason, action=action
                )
        elapsed = aws.clock() - start
        if elapsed >= timeout:
            raise RouterTimeoutError(name, last, elapsed)
        aws.sleep(min(delays(), timeout - elapsed))
