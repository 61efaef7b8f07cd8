"""Inference routers switched on for a running simulator: the control plane's and the runtime's."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager

from sagemaker_async.testing.capacity._engine import Capacity
from sagemaker_async.testing.control_plane._moto_patch import Patcher
from sagemaker_async.testing.control_plane._plane import ControlPlane
from sagemaker_async.testing.fulfilment._fulfilment import Fulfilment

from ._control import RouterControl, patch_responses
from ._destinations import Destinations, ScalableTargets
from ._dispatch import patch_transports
from ._records import RouterStore
from ._routing import Routing
from ._runtime import RouterRuntime


@contextmanager
def routers_running(
    plane: ControlPlane,
    fulfilment: Fulfilment,
    capacity: Capacity,
    targets: ScalableTargets,
    planned_failures: dict[str, str] | None = None,
) -> Generator[RouterStore, None, None]:
    """Routers in the sagemaker control plane and the router runtime, until the block ends.

    Routers are Creating, Updating and Deleting for the control plane's
    create, update and delete delays; a name in *planned_failures* (shared, so
    failures can be planned while it runs) makes its next create or update end Failed.
    """
    clock = plane.clock
    store = RouterStore(fulfilment.wall, planned_failures)
    destinations = Destinations(capacity, targets)
    routing = Routing(capacity, destinations, fulfilment.materialiser, fulfilment.handler_for)
    control = RouterControl(
        store, plane.delays, clock.time, fulfilment.wall, destinations, fulfilment.pump
    )
    runtime = RouterRuntime(store, routing, fulfilment, clock.time)
    patcher = Patcher()
    try:
        patch_responses(patcher, control, plane.lock)
        patch_transports(patcher, runtime.handle)
        yield store
    finally:
        patcher.restore()
        store.clear()
