"""The variants as the simulated Application Auto Scaling sees and changes them.

A scaling action does what UpdateEndpointWeightsAndCapacities does, and is
refused as it would be while the endpoint is not InService (creating,
updating, being deleted): the scaling activity then fails, and the alarm,
still in ALARM, tries again a minute later.
"""

from __future__ import annotations

from collections.abc import Callable

from moto.sagemaker.models import FakeEndpoint, sagemaker_backends

from sagemaker_async.testing.autoscaling._capacity_port import CapacityRefusedError
from sagemaker_async.testing.control_plane._messages import in_progress
from sagemaker_async.testing.control_plane._plane import ControlPlane

from ._engine import Capacity


class VariantPort:
    """:class:`CapacityPort` of the autoscaling room, over the running capacity."""

    def __init__(self, plane: ControlPlane, capacity: Callable[[], Capacity | None]) -> None:
        self._plane = plane
        self._capacity = capacity

    def variant_exists(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool:
        capacity = self._capacity()
        return capacity is not None and capacity.variant_exists(
            account_id, region, endpoint_name, variant_name
        )

    def desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> int | None:
        capacity = self._capacity()
        if capacity is None:
            return None
        return capacity.desired_count(account_id, region, endpoint_name, variant_name)

    def set_desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str, count: int
    ) -> None:
        capacity = self._capacity()
        with self._plane.lock:
            backend = sagemaker_backends[account_id][region]
            at = None if capacity is None else capacity.now
            status = None if at is None else self._plane.status_at(backend, endpoint_name, at)
            if capacity is None or status != "InService":
                arn = FakeEndpoint.arn_formatter(endpoint_name, account_id, region)
                raise CapacityRefusedError(in_progress(arn))
            capacity.set_desired_count(account_id, region, endpoint_name, variant_name, count)
