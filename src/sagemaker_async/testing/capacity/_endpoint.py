"""One endpoint's capacity: its variants' fleets and the FIFO backlog they share."""

from __future__ import annotations

from collections import deque

import attrs

from sagemaker_async.testing.metrics._minute import EndpointMinute, VariantMinute

from ._fleet import Instance, VariantFleet
from ._requests import Request

Key = tuple[str, str, str]
"""(account id, Region, endpoint name)."""


@attrs.define(eq=False)
class EndpointCapacity:
    """The fleets behind an endpoint, the requests waiting and running, this minute's counts."""

    key: Key
    variants: dict[str, VariantFleet]
    waiting: deque[Request] = attrs.field(factory=deque[Request])
    waiting_count: int = 0
    running: int = 0
    activity: dict[str, VariantMinute] = attrs.field(factory=dict[str, VariantMinute])

    def counters(self, variant_name: str) -> VariantMinute:
        """This minute's counters of *variant_name*."""
        found = self.activity.get(variant_name)
        if found is None:
            found = self.activity[variant_name] = VariantMinute()
        return found

    @property
    def first_variant(self) -> str:
        """The variant a request that never ran is counted against."""
        return next(iter(self.variants), "AllTraffic")

    def instance_count(self, now: float) -> int:
        """Serving instances across variants."""
        return sum(fleet.current_count(now) for fleet in self.variants.values())

    def enqueue(self, request: Request) -> None:
        self.waiting.append(request)
        self.waiting_count += 1

    def next_waiting(self) -> Request | None:
        """The oldest request still waiting (expired ones are dropped on the way)."""
        while self.waiting and self.waiting[0].finished:
            self.waiting.popleft()
        return self.waiting[0] if self.waiting else None

    def free_slot(self, now: float) -> tuple[VariantFleet, Instance] | None:
        """The least busy serving instance with a free slot, over every variant."""
        best: tuple[VariantFleet, Instance] | None = None
        for fleet in self.variants.values():
            instance = fleet.free_instance(now)
            if instance is not None and (best is None or instance.running < best[1].running):
                best = (fleet, instance)
        return best

    def minute(self, now: float) -> EndpointMinute:
        """The metrics of the minute ending *now*; the counters start over."""
        oldest = self.next_waiting()
        activity, self.activity = self.activity, {}
        for name in self.variants:
            activity.setdefault(name, VariantMinute())
        return EndpointMinute(
            account_id=self.key[0],
            region=self.key[1],
            endpoint_name=self.key[2],
            backlog_size=self.waiting_count + self.running,
            instance_count=self.instance_count(now),
            oldest_request_age_seconds=0.0 if oldest is None else now - oldest.accepted_at,
            variants=activity,
        )
