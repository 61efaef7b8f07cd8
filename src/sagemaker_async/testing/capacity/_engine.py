"""The scheduler: every request, instance and minute of the simulation, in time order.

Things happen at clock instants: a request is accepted, a slot takes it, it
ends (or times out), it expires unstarted, an instance becomes ready, a
deployment changes the fleet, a minute ends (metrics, then alarms). Each is an
event on one heap; :meth:`Capacity.advance` runs every event due by a time, in
order, so a fake clock jumped by hours gives exactly what the hours would
have given. Called with the simulator's lock held.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Callable
from typing import Final

import attrs

from sagemaker_async.testing._clock import Clock
from sagemaker_async.testing.fulfilment._invocation import Invocation
from sagemaker_async.testing.fulfilment._materialise import Materialiser
from sagemaker_async.testing.metrics._minute import EndpointMinute

from ._endpoint import EndpointCapacity, Key
from ._fleet import Instance, VariantFleet
from ._requests import DEFAULT_INVOCATION_TIMEOUT_SECONDS, DEFAULT_TTL_SECONDS, Request

MINUTE: Final = 60.0


@attrs.frozen(kw_only=True)
class VariantSpec:
    """A variant as an endpoint configuration deploys it."""

    name: str
    instance_type: str | None
    count: int
    weight: float
    image: str | None = None


@attrs.frozen(kw_only=True)
class Deployment:
    """The fleet an endpoint serves with from an instant on (create or update done)."""

    key: Key
    variants: tuple[VariantSpec, ...]
    slots: int
    retain: bool = False  # RetainAllVariantProperties: keep counts and weights


def expired_reason(ttl: float) -> str:
    """The failure a request gets when no slot took it within its TTL."""
    return f"Request expired: it was not processed within RequestTTLSeconds ({ttl:g} s)."


def timed_out_reason(timeout: float) -> str:
    """The failure a request gets when it runs past its invocation timeout."""
    return (
        "Invocation timed out: the model did not respond within "
        f"InvocationTimeoutSeconds ({timeout:g} s)."
    )


class Capacity:
    """Fleets, backlogs and the event heap of every endpoint the simulator serves.

    Args:
        clock: The simulator's clock.
        origin: The clock instant minutes are counted from.
        lock: The simulator's lock.
        materialiser: Writes each request's outcome.
        start_seconds: How long a new instance takes to serve.
        on_minute: Called at each minute's end with every endpoint's metrics.
        on_resize: Called when a variant's desired count changes: the endpoint
            is ``Updating`` from the first instant until the second.
    """

    def __init__(
        self,
        clock: Clock,
        lock: threading.RLock,
        materialiser: Materialiser,
        *,
        origin: float,
        start_seconds: float,
        on_minute: Callable[[float, list[EndpointMinute]], None],
        on_resize: Callable[[Key, float, float], None],
    ) -> None:
        self.lock = lock
        self.start_seconds = start_seconds
        self._materialiser = materialiser
        self._on_minute = on_minute
        self._on_resize = on_resize
        self._origin = origin
        self._time = max(origin, clock.time())
        self._next_tick = self._origin + MINUTE
        self._heap: list[tuple[float, int, str, object]] = []
        self._order = itertools.count()
        self._endpoints: dict[Key, EndpointCapacity] = {}

    # -- the Scheduler protocol of fulfilment --

    def accept(self, invocation: Invocation, now: float) -> Request:
        """Queue *invocation* in its endpoint's backlog; run it at once if a slot is free."""
        self.advance(now)
        key = (invocation.account_id, invocation.region, invocation.endpoint_name)
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            # Served but never deployed through the simulator: one instance, every slot.
            endpoint = self._add(key, {"AllTraffic": _single_fleet(self._time)})
        request = Request(
            invocation=invocation,
            accepted_at=self._time,
            latency=invocation.latency,
            ttl=float(invocation.ttl_seconds or DEFAULT_TTL_SECONDS),
            timeout=float(invocation.timeout_seconds or DEFAULT_INVOCATION_TIMEOUT_SECONDS),
        )
        endpoint.enqueue(request)
        self._push(request.expires_at, "expire", request)
        self._dispatch(endpoint)
        return request

    def withdraw(self, request: Request) -> bool:
        """Take a request that has not started out of its backlog; False if it has started."""
        if request.finished or request.started_at is not None:
            return False
        request.finished = True
        invocation = request.invocation
        endpoint = self._endpoints.get(
            (invocation.account_id, invocation.region, invocation.endpoint_name)
        )
        if endpoint is not None:
            endpoint.waiting_count -= 1
        return True

    def schedule(self, at: float, callback: Callable[[float], None]) -> None:
        """Call *callback* with the instant *at* when the simulation reaches it."""
        self._push(max(at, self._time), "call", callback)

    def advance(self, now: float) -> None:
        """Run every event and minute due by *now*, in time order."""
        while True:
            event_at = self._heap[0][0] if self._heap else math.inf
            tick_at = self._next_tick if self._endpoints else math.inf
            at = min(event_at, tick_at)
            if at > now:
                break
            self._time = max(self._time, at)
            # What happens at a minute's last instant belongs to that minute.
            if tick_at < event_at:
                self._next_tick += MINUTE
                self._minute(tick_at)
                continue
            _, _, kind, payload = heapq.heappop(self._heap)
            self._handle(kind, payload)
        self._time = max(self._time, now)
        if not self._endpoints:
            self._next_tick = self._tick_after(self._time)

    def next_due(self) -> float | None:
        """When the next event or minute is due (None when nothing can happen)."""
        times = [self._heap[0][0]] if self._heap else []
        if self._endpoints:
            times.append(self._next_tick)
        return min(times) if times else None

    def pending(self) -> int:
        """Requests waiting or running, over every endpoint."""
        return sum(each.waiting_count + each.running for each in self._endpoints.values())

    def clear(self) -> None:
        """Forget every endpoint, request and event."""
        self._heap.clear()
        self._endpoints.clear()

    # -- deployments and scaling --

    def deploy(self, deployment: Deployment, at: float) -> None:
        """From *at* on, the endpoint serves with *deployment*'s fleet."""
        self._push(max(at, self._time), "deploy", deployment)

    def remove(self, key: Key, at: float) -> None:
        """From *at* on, the endpoint is gone: what waits or runs there never ends."""
        self._push(max(at, self._time), "remove", key)

    def endpoint(self, key: Key) -> EndpointCapacity | None:
        """The capacity of an endpoint, if it has been deployed."""
        return self._endpoints.get(key)

    @property
    def now(self) -> float:
        """The instant the simulation has reached."""
        return self._time

    def variant_exists(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool:
        """Whether the endpoint is deployed with that variant."""
        with self.lock:
            endpoint = self._endpoints.get((account_id, region, endpoint_name))
            return endpoint is not None and variant_name in endpoint.variants

    def desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> int | None:
        """The variant's DesiredInstanceCount, or None if there is no such variant."""
        with self.lock:
            endpoint = self._endpoints.get((account_id, region, endpoint_name))
            fleet = None if endpoint is None else endpoint.variants.get(variant_name)
            return None if fleet is None else fleet.desired

    def set_desired_count(
        self,
        account_id: str,
        region: str,
        endpoint_name: str,
        variant_name: str,
        count: int,
        weight: float | None = None,
    ) -> None:
        """Resize the variant as UpdateEndpointWeightsAndCapacities does, from now on."""
        with self.lock:
            key = (account_id, region, endpoint_name)
            endpoint = self._endpoints[key]
            fleet = endpoint.variants[variant_name]
            at = self._time
            ready = fleet.resize(count, at, self.start_seconds)
            if weight is not None:
                fleet.current_weight = fleet.desired_weight = weight
            if ready > at:
                self._push(ready, "ready", key)
            self._on_resize(key, at, ready)
            self._dispatch(endpoint)

    # -- events --

    def _push(self, at: float, kind: str, payload: object) -> None:
        heapq.heappush(self._heap, (at, next(self._order), kind, payload))

    def _handle(self, kind: str, payload: object) -> None:
        if kind == "end":
            assert isinstance(payload, Request)
            self._end(payload)
        elif kind == "expire":
            assert isinstance(payload, Request)
            self._expire(payload)
        elif kind == "ready":
            endpoint = self._endpoints.get(payload)  # type: ignore[call-overload]
            if endpoint is not None:
                self._dispatch(endpoint)
        elif kind == "deploy":
            assert isinstance(payload, Deployment)
            self._deploy(payload)
        elif kind == "remove":
            self._remove(payload)  # type: ignore[arg-type]
        elif kind == "call":
            assert callable(payload)
            payload(self._time)

    def _tick_after(self, at: float) -> float:
        minutes = math.floor((at - self._origin) / MINUTE) + 1
        return self._origin + minutes * MINUTE

    def _minute(self, at: float) -> None:
        minutes = [endpoint.minute(at) for endpoint in self._endpoints.values()]
        self._on_minute(at, minutes)

    def _add(self, key: Key, variants: dict[str, VariantFleet]) -> EndpointCapacity:
        if not self._endpoints:
            self._next_tick = self._tick_after(self._time)
        endpoint = self._endpoints[key] = EndpointCapacity(key=key, variants=variants)
        return endpoint

    def _deploy(self, deployment: Deployment) -> None:
        at = self._time
        endpoint = self._endpoints.get(deployment.key)
        before = {} if endpoint is None else endpoint.variants
        fleets: dict[str, VariantFleet] = {}
        for spec in deployment.variants:
            previous = before.get(spec.name) if deployment.retain else None
            count = spec.count if previous is None else previous.desired
            weight = spec.weight if previous is None else previous.desired_weight
            fleets[spec.name] = VariantFleet(
                name=spec.name,
                instance_type=spec.instance_type,
                slots=deployment.slots,
                desired=count,
                current_weight=weight,
                desired_weight=weight,
                image=spec.image,
                instances=[Instance(ready_at=at) for _ in range(count)],
            )
        # Requests running on the old fleet finish there; it takes no new work.
        for fleet in before.values():
            for instance in fleet.instances:
                instance.retiring = True
        if endpoint is None:
            endpoint = self._add(deployment.key, fleets)
        else:
            endpoint.variants = fleets
        self._dispatch(endpoint)

    def _remove(self, key: Key) -> None:
        endpoint = self._endpoints.pop(key, None)
        if endpoint is None:
            return
        for request in endpoint.waiting:
            request.finished = True

    def _dispatch(self, endpoint: EndpointCapacity) -> None:
        """Start waiting requests, oldest first, while a slot is free."""
        at = self._time
        while True:
            request = endpoint.next_waiting()
            if request is None:
                return
            slot = endpoint.free_slot(at)
            if slot is None:
                return
            endpoint.waiting.popleft()
            endpoint.waiting_count -= 1
            fleet, instance = slot
            instance.running += 1
            endpoint.running += 1
            request.started_at, request.variant, request.instance = at, fleet, instance
            waited = (at - request.accepted_at) * 1000
            endpoint.counters(fleet.name).time_in_backlog_ms.add(waited)
            ends_at, _ = request.run_until()
            self._push(ends_at, "end", request)

    def _end(self, request: Request) -> None:
        if request.finished:
            return
        request.finished = True
        fleet, instance = request.variant, request.instance
        assert fleet is not None
        assert instance is not None
        assert request.started_at is not None
        fleet.release(instance)
        key = (
            request.invocation.account_id,
            request.invocation.region,
            request.invocation.endpoint_name,
        )
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            return  # deleted while it ran: nothing is written
        at = self._time
        _, timed_out = request.run_until()
        if timed_out:
            self._materialiser.fail(request.invocation, at, timed_out_reason(request.timeout))
            outcome = "model"
        else:
            outcome = self._materialiser.complete(request.invocation, at)
        endpoint.running -= 1
        counters = endpoint.counters(fleet.name)
        counters.processed += 1
        counters.processing_time_ms.add((at - request.started_at) * 1000)
        if outcome == "model":
            counters.failures += 1
        elif outcome == "download":
            counters.download_failures += 1
        elif outcome == "upload":
            counters.upload_failures += 1
        self._dispatch(endpoint)

    def _expire(self, request: Request) -> None:
        if request.finished or request.started_at is not None:
            return
        request.finished = True
        key = (
            request.invocation.account_id,
            request.invocation.region,
            request.invocation.endpoint_name,
        )
        endpoint = self._endpoints.get(key)
        if endpoint is not None:
            endpoint.waiting_count -= 1
            endpoint.counters(endpoint.first_variant).expired += 1
        self._materialiser.fail(request.invocation, self._time, expired_reason(request.ttl))


def _single_fleet(at: float) -> VariantFleet:
    return VariantFleet(
        name="AllTraffic",
        instance_type=None,
        slots=1000,
        desired=1,
        current_weight=1.0,
        desired_weight=1.0,
        instances=[Instance(ready_at=at)],
    )
