"""Whether a destination can take a router's requests, and how loaded it is."""

from __future__ import annotations

from typing import Final, Protocol

from sagemaker_async.testing.capacity._engine import Capacity

from ._checks import destination_parts

ROUTABLE: Final = "Routable"
UNROUTABLE: Final = "Unroutable"
UNKNOWN: Final = "Unknown"


class ScalableTargets(Protocol):
    """Application Auto Scaling's registered targets, as far as routing needs them."""

    def is_autoscaled(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool: ...


class Destinations:
    """Routing status and load of endpoints, read from the capacity room.

    An endpoint that serves with instances is Routable; one at 0 instances
    with a scalable target can get capacity, so it is Routable too (a request
    waits there until it moves); one that is missing, not serving, or has no
    way to get capacity is Unroutable. One in another account cannot be
    checked with the caller's permissions: Unknown.
    """

    def __init__(self, capacity: Capacity, targets: ScalableTargets) -> None:
        self._capacity = capacity
        self._targets = targets

    def status(self, arn: str, account_id: str) -> str:
        """The RoutingStatus of *arn* for a caller of *account_id*."""
        parts = destination_parts(arn)
        if parts is None or parts[3] != "endpoint":
            return UNROUTABLE
        _, region, account, _, name = parts
        if account != account_id:
            return UNKNOWN
        endpoint = self._capacity.endpoint((account, region, name))
        if endpoint is None:
            return UNROUTABLE
        if endpoint.instance_count(self._capacity.now) > 0:
            return ROUTABLE
        if any(
            self._targets.is_autoscaled(account, region, name, variant)
            for variant in endpoint.variants
        ):
            return ROUTABLE
        return UNROUTABLE

    def load(self, arn: str) -> float:
        """Requests waiting or running per serving instance (0 instances count as 1)."""
        parts = destination_parts(arn)
        assert parts is not None
        endpoint = self._capacity.endpoint((parts[2], parts[1], parts[4]))
        if endpoint is None:
            return float("inf")
        instances = max(endpoint.instance_count(self._capacity.now), 1)
        return (endpoint.waiting_count + endpoint.running) / instances
