"""The simulator's capacity knobs and readings: instances, backlog, simulated wall time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagemaker_async.testing._clock import Clock
    from sagemaker_async.testing.control_plane._plane import ControlPlane

    from ._endpoint import EndpointCapacity
    from ._engine import Capacity


class CapacityControls:
    """The part of :class:`SageMakerSimulator` that reports capacity and time."""

    _capacity: Capacity | None
    _clock: Clock
    _plane: ControlPlane
    _region: str
    _origin: tuple[float, datetime]

    def _pump(self) -> None:
        raise NotImplementedError

    @property
    def account_id(self) -> str:
        raise NotImplementedError

    def now(self) -> datetime:
        """The simulated wall-clock time: the start time plus the time passed on :attr:`clock`.

        Metric datapoints and notification times are stamped with it. The start
        time is the real UTC time the simulator was built, to the whole minute,
        so that every minute's metrics fall on a whole minute.
        """
        return self.wall(self._clock.time())

    def wall(self, at: float) -> datetime:
        """The simulated wall-clock time of the clock instant *at*."""
        clock_origin, wall_origin = self._origin
        return wall_origin + timedelta(seconds=at - clock_origin)

    def instance_count(
        self, endpoint_name: str, variant_name: str = "AllTraffic", region_name: str | None = None
    ) -> int:
        """Instances serving the variant now, as CurrentInstanceCount (0 if not deployed)."""
        self._pump()
        with self._plane.lock:
            endpoint = self._endpoint(endpoint_name, region_name)
            fleet = None if endpoint is None else endpoint.variants.get(variant_name)
            if fleet is None or self._capacity is None:
                return 0
            return fleet.current_count(self._capacity.now)

    def backlog_size(self, endpoint_name: str, region_name: str | None = None) -> int:
        """Requests waiting plus running at the endpoint now, as ApproximateBacklogSize."""
        self._pump()
        with self._plane.lock:
            endpoint = self._endpoint(endpoint_name, region_name)
            return 0 if endpoint is None else endpoint.waiting_count + endpoint.running

    def _endpoint(self, endpoint_name: str, region_name: str | None) -> EndpointCapacity | None:
        if self._capacity is None:
            return None
        key = (self.account_id, region_name or self._region, endpoint_name)
        return self._capacity.endpoint(key)
