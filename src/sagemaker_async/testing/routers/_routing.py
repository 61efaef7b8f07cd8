"""Placing a router's requests on destinations, and moving those that wait too long.

A request goes to a Routable destination: under LocalRegionFirst one in the
router's own Region if there is one, else the least loaded elsewhere. If no
slot has taken it within the routing target's MaxTimeInBacklogSeconds, it is
withdrawn and placed again on the least loaded other Routable destination;
when the one it waits at is the only Routable one left, it stays and is
checked again after another MaxTimeInBacklogSeconds. Its output and failure
locations never change. It fails (failure object and error notification at
the routing target's paths) when its RequestTTLSeconds runs out unstarted, or
when no destination is Routable any more: every destination has been tried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import attrs

from sagemaker_async.testing._handler import Handler
from sagemaker_async.testing.capacity._engine import Capacity, expired_reason
from sagemaker_async.testing.capacity._requests import Request
from sagemaker_async.testing.fulfilment._invocation import Invocation
from sagemaker_async.testing.fulfilment._materialise import Materialiser

from ._checks import destination_parts
from ._destinations import ROUTABLE, Destinations

NO_DESTINATION: Final = (
    "No destination could take the request: every destination of the routing target has been tried."
)


@attrs.define(kw_only=True)
class RoutedRequest:
    """One accepted InvokeInferenceRouterAsync request, wherever it waits now."""

    template: Invocation  # where results land; the destination fields are filled per placement
    router_region: str
    destinations: tuple[str, ...]
    local_first: bool
    backlog_seconds: float
    deadline: float
    ttl: float
    caller_account: str
    placed: Request | None = None
    at: str | None = None  # the destination ARN it waits at
    moves: int = 0
    history: list[str] = attrs.field(factory=lambda: list[str]())


class Routing:
    """The router's side of the capacity scheduler. Called with the simulator's lock held."""

    def __init__(
        self,
        capacity: Capacity,
        destinations: Destinations,
        materialiser: Materialiser,
        handler_for: Callable[[str], tuple[Handler, float]],
    ) -> None:
        self._capacity = capacity
        self._destinations = destinations
        self._materialiser = materialiser
        self._handler_for = handler_for

    def submit(self, routed: RoutedRequest, now: float) -> None:
        """Place a newly accepted request (or fail it at once: nowhere to go)."""
        self._capacity.advance(now)
        self._place(routed, self._capacity.now, exclude=None)

    def _candidates(self, routed: RoutedRequest, exclude: str | None) -> list[str]:
        status = self._destinations.status
        return [
            arn
            for arn in routed.destinations
            if arn != exclude and status(arn, routed.caller_account) == ROUTABLE
        ]

    def _choose(self, routed: RoutedRequest, candidates: Sequence[str]) -> str:
        def region(arn: str) -> str:
            parts = destination_parts(arn)
            assert parts is not None
            return parts[1]

        pool = list(candidates)
        if routed.local_first and routed.moves == 0:
            local = [arn for arn in pool if region(arn) == routed.router_region]
            pool = local or pool
        # Least loaded first; ties keep the routing target's order.
        return min(pool, key=self._destinations.load)

    def _place(self, routed: RoutedRequest, at: float, exclude: str | None) -> None:
        candidates = self._candidates(routed, exclude)
        if not candidates:
            if exclude is not None and routed.placed is not None:
                # Only the destination it waits at is left: it stays there.
                self._arm(routed, at)
                return
            self._fail(routed, at, NO_DESTINATION)
            return
        arn = self._choose(routed, candidates)
        if exclude is not None and routed.placed is not None:
            if not self._capacity.withdraw(routed.placed):
                return  # a slot took it at this very instant
            routed.moves += 1
        parts = destination_parts(arn)
        assert parts is not None
        _, region, account, _, name = parts
        handler, latency = self._handler_for(name)
        invocation = attrs.evolve(
            routed.template,
            account_id=account,
            region=region,
            endpoint_name=name,
            handler=handler,
            latency=latency,
        )
        routed.at = arn
        routed.history.append(arn)
        routed.placed = self._capacity.accept(invocation, at)
        self._arm(routed, at)

    def _arm(self, routed: RoutedRequest, at: float) -> None:
        placed = routed.placed
        due = min(at + routed.backlog_seconds, routed.deadline)

        def check(now: float) -> None:
            if routed.placed is not placed or placed is None:
                return
            if placed.finished or placed.started_at is not None:
                return
            if now >= routed.deadline:
                if self._capacity.withdraw(placed):
                    self._fail(routed, now, expired_reason(routed.ttl))
                return
            self._place(routed, now, exclude=routed.at)

        self._capacity.schedule(due, check)

    def _fail(self, routed: RoutedRequest, at: float, reason: str) -> None:
        routed.placed = None
        self._materialiser.fail(routed.template, at, reason)
