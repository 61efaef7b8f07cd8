"""The simulator's control-plane knobs: planned failures, forced statuses, what it served."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Final

from ._lifecycle import ENDPOINT_STATUSES, UpdateFailure

if TYPE_CHECKING:
    from moto.sagemaker.models import SageMakerModelBackend

    from ._plane import ControlPlane, Listener

DEFAULT_CREATE_FAILURE: Final = (
    "The primary container for production variant AllTraffic did not pass the ping "
    "health check. Please check CloudWatch logs for this endpoint."
)
DEFAULT_UPDATE_FAILURE: Final = (
    "The primary container for production variant AllTraffic did not pass the ping "
    "health check during the update. The endpoint was rolled back to its previous "
    "endpoint configuration."
)


class ControlPlaneControls:
    """The part of :class:`SageMakerSimulator` that steers endpoints' lifecycles."""

    _plane: ControlPlane
    _region: str

    def _backend(self) -> SageMakerModelBackend:
        raise NotImplementedError

    def fail_next_create(self, endpoint_name: str, reason: str = DEFAULT_CREATE_FAILURE) -> None:
        """The next CreateEndpoint of *endpoint_name* ends ``Failed`` with *reason*."""
        with self._plane.lock:
            self._plane.faults.create_failures[endpoint_name] = reason

    def fail_next_update(
        self,
        endpoint_name: str,
        reason: str = DEFAULT_UPDATE_FAILURE,
        *,
        rollback_fails: bool = False,
    ) -> None:
        """The next UpdateEndpoint of *endpoint_name* fails and rolls back.

        ``Updating``, then ``RollingBack`` (for ``update_seconds``), then
        ``InService`` with FailureReason *reason* and the previous config, as
        SageMaker does; with *rollback_fails*, ``UpdateRollbackFailed`` instead.
        """
        with self._plane.lock:
            self._plane.faults.update_failures[endpoint_name] = UpdateFailure(
                reason, rollback_fails
            )

    def set_status(
        self, endpoint_name: str, status: str | None, failure_reason: str | None = None
    ) -> None:
        """Show (and obey) *status* for *endpoint_name* until ``set_status(name, None)``.

        For statuses no API call leads to, such as ``SystemUpdating`` or
        ``OutOfService``. UpdateEndpoint and DeleteEndpoint judge the forced
        status; the endpoint's own lifecycle goes on underneath and shows again
        once cleared.

        Raises:
            ValueError: *status* is not a SageMaker endpoint status, or there is
                no endpoint called *endpoint_name* in :attr:`region`.
        """
        from ._planned_faults import ForcedStatus

        if status is not None and str(status) not in ENDPOINT_STATUSES:
            raise ValueError(
                f"`status` must be one of {sorted(ENDPOINT_STATUSES)} or None, got {status!r}"
            )
        backend = self._backend()
        with self._plane.lock:
            if status is not None and self._plane.status(backend, endpoint_name) is None:
                raise ValueError(
                    f"No endpoint called {endpoint_name!r} in {self._region}: "
                    "create it before forcing its status."
                )
            forced = None if status is None else ForcedStatus(str(status), failure_reason)
            self._plane.force_status(backend, endpoint_name, forced)

    def hide_endpoint_config(self, config_name: str, reads: int = 1) -> None:
        """The next *reads* reads of *config_name* do not find it (eventual consistency).

        DescribeEndpointConfig and CreateEndpoint's own read of the config answer
        ``Could not find endpoint configuration "<arn>".`` meanwhile, as a newly
        created config sometimes does on AWS. ``reads=0`` clears it.

        Raises:
            ValueError: *reads* is negative.
        """
        if reads < 0:
            raise ValueError(f"`reads` must be >= 0, got {reads!r}")
        with self._plane.lock:
            if reads == 0:
                self._plane.faults.hidden_reads.pop(config_name, None)
            else:
                self._plane.faults.hidden_reads[config_name] = reads

    # -- observing --

    def status(self, endpoint_name: str) -> str | None:
        """The status DescribeEndpoint would show now, without an API call (None: gone)."""
        backend = self._backend()
        with self._plane.lock:
            return self._plane.status(backend, endpoint_name)

    def resource_counts(self) -> dict[str, int]:
        """``{"models": n, "endpoint_configs": n, "endpoints": n}`` in :attr:`region`.

        Endpoints still ``Deleting`` count; wait (or advance a fake clock) for
        them to go.
        """
        backend = self._backend()
        with self._plane.lock:
            return self._plane.counts(backend)

    @property
    def calls(self) -> Counter[str]:
        """SageMaker API requests served, by operation name (``"CreateEndpoint"``...).

        Live and shared with the server thread; ``calls.clear()`` starts over.
        """
        return self._plane.calls

    def add_listener(self, listener: Listener) -> None:
        """Call *listener* with an ``EndpointEvent`` for each state entered.

        Transitions are computed when something reads the endpoint or sends the
        simulator a request (and, on the real clock, by its thread), so events
        arrive in order at the first such moment at or after the time they
        happened, on the thread doing it, with the simulator's lock held: a
        listener must not wait for another thread's API call.
        """
        self._plane.add_listener(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling *listener*."""
        self._plane.remove_listener(listener)
