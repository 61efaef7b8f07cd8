"""Accepted invocations: handed to the scheduler, which decides when each runs and ends.

InvokeEndpointAsync gives the :class:`Fulfilment` an :class:`Invocation`; the
scheduler (the simulator's capacity) queues it in its endpoint's backlog, runs
it when a slot is free and has the :class:`Materialiser` write its outcome.
:meth:`Fulfilment.pump` brings everything up to the clock's current time. The
simulator pumps before every request it serves, so a test on a fake clock sees
results exactly when the clock passes their time; on the real clock a small
thread pumps as well, so results land on time while nobody asks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Final, Protocol

import attrs

from sagemaker_async.testing._clock import Clock
from sagemaker_async.testing._handler import Handler, Latency, check_latency, draw

from ._invocation import Invocation
from ._materialise import Materialiser

log = logging.getLogger("sagemaker_async.testing")

_THREAD_NAME: Final = "sagemaker-async-fulfilment"
_IDLE_WAKEUP: Final = 0.1  # seconds; the thread also settles endpoint lifecycles


class Scheduler(Protocol):
    """Decides when accepted invocations run and end (the simulator's capacity)."""

    def accept(self, invocation: Invocation, now: float) -> object:
        """Queue *invocation*, accepted at *now*, in its endpoint's backlog."""
        ...

    def advance(self, now: float) -> None:
        """Run everything due by *now*, in order."""
        ...

    def next_due(self) -> float | None:
        """The clock time of the next thing due, or None."""
        ...

    def pending(self) -> int:
        """Invocations accepted and not yet ended."""
        ...

    def clear(self) -> None:
        """Forget every queued invocation."""
        ...


class Fulfilment:
    """The handlers, held invocations, the pump and what has landed.

    Thread-safe: requests of the server transport, the test's thread and the
    pump thread all use it, under the simulator's one lock. Handlers run with
    that lock held, so a handler must not make requests to the simulator.

    Args:
        clock: The simulator's clock.
        wall: The wall-clock time of a clock instant (``sim.now()`` at that instant).
        lock: The simulator's lock.
        settle: Brings endpoint lifecycles up to date (called on every pump).
        handler: The default handler.
        latency: The default latency.
    """

    def __init__(
        self,
        clock: Clock,
        wall: Callable[[float], datetime],
        lock: threading.RLock,
        settle: Callable[[], None],
        handler: Handler,
        latency: Latency,
    ) -> None:
        self.clock = clock
        self.wall = wall
        self.lock = lock
        self.materialiser = Materialiser()
        self.scheduler: Scheduler | None = None
        self._settle = settle
        self._default: tuple[Handler, Latency] = (handler, check_latency(latency))
        self._endpoints: dict[str, tuple[Handler, Latency | None]] = {}
        self._held: list[Invocation] | None = None
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _scheduler(self) -> Scheduler:
        assert self.scheduler is not None, "the simulator sets the scheduler"
        return self.scheduler

    # -- configuration --

    def set_handler(
        self, handler: Handler, endpoint_name: str | None, latency: Latency | None
    ) -> None:
        """Serve *endpoint_name* (None: every other endpoint) with *handler*."""
        checked = None if latency is None else check_latency(latency)
        with self.lock:
            if endpoint_name is None:
                self._default = (handler, self._default[1] if checked is None else checked)
            else:
                self._endpoints[endpoint_name] = (handler, checked)

    def handler_for(self, endpoint_name: str) -> tuple[Handler, float]:
        """The handler of *endpoint_name* and a latency drawn for one invocation."""
        with self.lock:
            handler, latency = self._endpoints.get(endpoint_name, self._default)
            return handler, draw(self._default[1] if latency is None else latency)

    # -- the queue --

    def submit(self, invocation: Invocation) -> None:
        """Hand *invocation* to the scheduler (or hold it)."""
        with self.lock:
            if self._held is not None:
                self._held.append(invocation)
                return
            self._scheduler().accept(invocation, invocation.accepted_at)
        self._wakeup.set()

    def hold(self) -> None:
        """Keep invocations accepted from now on until :meth:`release`."""
        with self.lock:
            if self._held is None:
                self._held = []

    def release(self) -> None:
        """Hand the held invocations to the scheduler, each as if accepted now."""
        with self.lock:
            held, self._held = self._held or [], None
            now = self.clock.time()
            scheduler = self._scheduler()
            scheduler.advance(now)
            for invocation in held:
                scheduler.accept(attrs.evolve(invocation, accepted_at=now), now)
        self._wakeup.set()

    def pending(self) -> int:
        """How many accepted invocations have not landed yet (held ones included)."""
        with self.lock:
            return self._scheduler().pending() + len(self._held or ())

    def next_due(self) -> float | None:
        """The clock time the next thing is due, or None when nothing is queued."""
        with self.lock:
            return self._scheduler().next_due()

    def landed(self) -> dict[str, float]:
        """Each object written (output or failure), with the clock time it landed."""
        with self.lock:
            return dict(self.materialiser.landed)

    def pump(self) -> None:
        """Settle lifecycles, then run everything due by now."""
        with self.lock:
            self._settle()
            self._scheduler().advance(self.clock.time())

    def clear(self) -> None:
        """Forget queued invocations and what landed (the simulator starts)."""
        with self.lock:
            self._scheduler().clear()
            self.materialiser.landed.clear()

    def drop_pending(self) -> None:
        """Forget queued invocations, keeping what landed (the simulator stops)."""
        with self.lock:
            self._scheduler().clear()
            self._held = None

    # -- the real clock's thread --

    def start_thread(self) -> None:
        """Pump from a daemon thread, waking when the next thing is due."""
        self._stop.clear()
        thread = threading.Thread(target=self._run, name=_THREAD_NAME, daemon=True)
        self._thread = thread
        thread.start()

    def stop_thread(self) -> None:
        """Stop the thread and wait for it (idempotent)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wakeup.set()
        thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wakeup.clear()
            try:
                self.pump()
            except Exception:  # a bug must not kill the thread of a running test
                log.exception("fulfilling asynchronous invocations failed")
            due = self.next_due()
            wait = _IDLE_WAKEUP if due is None else due - self.clock.time()
            self._wakeup.wait(min(max(wait, 0.0), _IDLE_WAKEUP))
