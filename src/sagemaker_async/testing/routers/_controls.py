"""The simulator's router knobs: a planned create or update that ends Failed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sagemaker_async.testing.control_plane._plane import ControlPlane

DEFAULT_ROUTER_FAILURE: Final = (
    "Destination endpoint arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn could "
    "not be validated for routing."
)


class RouterControls:
    """The part of :class:`SageMakerSimulator` that steers inference routers."""

    _plane: ControlPlane
    _router_failures: dict[str, str]

    def fail_next_router_change(
        self, router_name: str, reason: str = DEFAULT_ROUTER_FAILURE
    ) -> None:
        """The next CreateInferenceRouter or UpdateInferenceRouter of *router_name* fails.

        The router is ``Creating`` (or ``Updating``) for the usual delay, then
        ``Failed`` with StatusReason *reason*; a failed update applies none of
        its routing targets. A Failed router refuses invocations; delete it, or
        update it again.
        """
        with self._plane.lock:
            self._router_failures[router_name] = reason
