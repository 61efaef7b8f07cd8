"""Capacity switched on for a running simulator: the scheduler, its listener, its patches."""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import contextmanager

from moto.sagemaker.models import sagemaker_backends

from sagemaker_async.testing.control_plane._plane import ControlPlane
from sagemaker_async.testing.fulfilment._fulfilment import Fulfilment
from sagemaker_async.testing.metrics._minute import EndpointMinute

from ._deployments import Deployer
from ._endpoint import Key
from ._engine import Capacity
from ._moto_patch import ScalingTargets, patched_capacity


@contextmanager
def capacity_running(
    plane: ControlPlane,
    fulfilment: Fulfilment,
    *,
    origin: float,
    start_seconds: float,
    targets: ScalingTargets,
    on_minute: Callable[[float, list[EndpointMinute]], None],
) -> Generator[Capacity, None, None]:
    """A :class:`Capacity` scheduling *fulfilment*'s invocations, until the block ends."""

    def on_resize(key: Key, at: float, until: float) -> None:
        backend = sagemaker_backends[key[0]][key[1]]
        plane.resize(backend, key[2], at, until)

    capacity = Capacity(
        plane.clock,
        plane.lock,
        fulfilment.materialiser,
        origin=origin,
        start_seconds=start_seconds,
        on_minute=on_minute,
        on_resize=on_resize,
    )
    deployer = Deployer(capacity)
    fulfilment.scheduler = capacity
    plane.add_listener(deployer)
    try:
        with patched_capacity(plane, capacity, deployer, targets):
            yield capacity
    finally:
        plane.remove_listener(deployer)
        capacity.clear()
