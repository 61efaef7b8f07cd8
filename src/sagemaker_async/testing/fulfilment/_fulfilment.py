"""Accepted invocations, fulfilled when their latency has passed on the simulator's clock.

InvokeEndpointAsync queues an :class:`Invocation` with the clock time it is
due. :meth:`Fulfilment.pump` materialises every invocation that is due, in
order: it reads the input, calls the handler, writes the output (or the
failure) through moto's S3 backend and publishes the notification. The
simulator pumps before every request it serves, so a test on a fake clock
sees results exactly when the clock passes their time; on the real clock a
small thread pumps as well, so results land on time while nobody asks.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final, cast

import attrs
from moto.s3.exceptions import S3ClientError
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from sagemaker_async.testing._clock import Clock
from sagemaker_async.testing._handler import Handler, Latency, check_latency, draw

from ._notify import MODEL_FAILURE_REASON, inference_result, publish

log = logging.getLogger("sagemaker_async.testing")

FAILURE_CONTENT_TYPE: Final = "text/plain; charset=utf-8"
OUTPUT_CONTENT_TYPE: Final = "application/octet-stream"
_THREAD_NAME: Final = "sagemaker-async-fulfilment"
_IDLE_WAKEUP: Final = 0.1  # seconds; the thread also settles endpoint lifecycles


def split_s3(uri: str) -> tuple[str, str] | None:
    """``(bucket, key)`` of an ``s3://bucket/key`` URI, or None."""
    if not uri.startswith("s3://"):
        return None
    bucket, _, key = uri[len("s3://") :].partition("/")
    return (bucket, key) if bucket and key else None


@attrs.frozen(kw_only=True)
class Invocation:
    """An accepted InvokeEndpointAsync request and where its outcome goes."""

    account_id: str
    region: str
    endpoint_name: str
    inference_id: str
    input_location: str | None
    body: bytes | None = attrs.field(default=None, repr=False)
    content_type: str | None = None
    accept: str | None = None
    custom_attributes: str | None = None
    output_location: str
    failure_location: str | None = None
    success_topic: str | None = None
    error_topic: str | None = None
    include_response_on_success: bool = False
    include_response_on_failure: bool = False
    handler: Handler
    received: datetime  # wall time, for the notification's receivedTime
    accepted_at: float  # simulator clock
    due: float  # simulator clock

    def request_parameters(self) -> dict[str, str]:
        """The notification's ``requestParameters`` (only what the request had)."""
        parameters: dict[str, str] = {}
        for key, value in (
            ("accept", self.accept),
            ("contentType", self.content_type),
            ("customAttributes", self.custom_attributes),
            ("endpointName", self.endpoint_name),
            ("inputLocation", self.input_location),
        ):
            if value is not None:
                parameters[key] = value
        return parameters


@attrs.frozen
class _Outcome:
    body: bytes
    failure_reason: str | None  # None: completed


class Fulfilment:
    """The invocation queue, the handlers, and what has landed.

    Thread-safe: requests of the server transport, the test's thread and the
    pump thread all use it. Handlers run with its lock held, so a handler must
    not make requests to the simulator.

    Args:
        clock: The simulator's clock.
        settle: Brings endpoint lifecycles up to date (called on every pump).
        handler: The default handler.
        latency: The default latency.
    """

    def __init__(
        self,
        clock: Clock,
        settle: Callable[[], None],
        handler: Handler,
        latency: Latency,
    ) -> None:
        self.clock = clock
        self._settle = settle
        self._lock = threading.RLock()
        self._default: tuple[Handler, Latency] = (handler, check_latency(latency))
        self._endpoints: dict[str, tuple[Handler, Latency | None]] = {}
        self._queue: list[tuple[float, int, Invocation]] = []
        self._held: list[Invocation] | None = None
        self._order = itertools.count()
        self._landed: dict[str, float] = {}
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- configuration --

    def set_handler(
        self, handler: Handler, endpoint_name: str | None, latency: Latency | None
    ) -> None:
        """Serve *endpoint_name* (None: every other endpoint) with *handler*."""
        checked = None if latency is None else check_latency(latency)
        with self._lock:
            if endpoint_name is None:
                self._default = (handler, self._default[1] if checked is None else checked)
            else:
                self._endpoints[endpoint_name] = (handler, checked)

    def handler_for(self, endpoint_name: str) -> tuple[Handler, float]:
        """The handler of *endpoint_name* and a latency drawn for one invocation."""
        with self._lock:
            handler, latency = self._endpoints.get(endpoint_name, self._default)
            return handler, draw(self._default[1] if latency is None else latency)

    # -- the queue --

    def submit(self, invocation: Invocation) -> None:
        """Queue *invocation* until the clock reaches its due time (or hold it)."""
        with self._lock:
            if self._held is not None:
                self._held.append(invocation)
                return
            heapq.heappush(self._queue, (invocation.due, next(self._order), invocation))
        self._wakeup.set()

    def hold(self) -> None:
        """Keep invocations accepted from now on until :meth:`release`."""
        with self._lock:
            if self._held is None:
                self._held = []

    def release(self) -> None:
        """Queue the held invocations, each due its latency after now."""
        with self._lock:
            held, self._held = self._held or [], None
            now = self.clock.time()
            for invocation in held:
                due = now + (invocation.due - invocation.accepted_at)
                queued = attrs.evolve(invocation, due=due)
                heapq.heappush(self._queue, (due, next(self._order), queued))
        self._wakeup.set()

    def pending(self) -> int:
        """How many accepted invocations have not landed yet (held ones included)."""
        with self._lock:
            return len(self._queue) + len(self._held or ())

    def next_due(self) -> float | None:
        """The clock time the next invocation is due, or None when none is queued."""
        with self._lock:
            return self._queue[0][0] if self._queue else None

    def landed(self) -> dict[str, float]:
        """Each object written (output or failure), with the clock time it was due."""
        with self._lock:
            return dict(self._landed)

    def pump(self) -> int:
        """Settle lifecycles, then materialise every invocation due by now; returns how many."""
        self._settle()
        done = 0
        with self._lock:
            now = self.clock.time()
            while self._queue and self._queue[0][0] <= now:
                _, _, invocation = heapq.heappop(self._queue)
                self._materialise(invocation)
                done += 1
        return done

    def clear(self) -> None:
        """Forget queued invocations and what landed (the simulator starts)."""
        with self._lock:
            self._queue.clear()
            self._landed.clear()

    def drop_pending(self) -> None:
        """Forget queued invocations, keeping what landed (the simulator stops)."""
        with self._lock:
            self._queue.clear()
            self._held = None

    # -- the real clock's thread --

    def start_thread(self) -> None:
        """Pump from a daemon thread, waking when the next invocation is due."""
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

    # -- materialising one invocation --

    def _materialise(self, invocation: Invocation) -> None:
        outcome = self._run_model(invocation)
        finished = invocation.received + timedelta(seconds=invocation.due - invocation.accepted_at)
        if outcome.failure_reason is None:
            response_type = invocation.accept or invocation.content_type or OUTPUT_CONTENT_TYPE
            output = invocation.output_location
            problem = self._write(invocation, output, outcome.body, response_type)
            if problem is None:
                self._notify(
                    invocation,
                    finished,
                    None,
                    {"contentType": response_type, "outputLocation": output},
                    outcome.body if invocation.include_response_on_success else None,
                )
                return
            outcome = _Outcome(problem.encode(), problem)
        self._fail(invocation, finished, outcome)

    def _fail(self, invocation: Invocation, finished: datetime, outcome: _Outcome) -> None:
        location = invocation.failure_location
        written = (
            location is not None
            and self._write(invocation, location, outcome.body, FAILURE_CONTENT_TYPE) is None
        )
        response = (
            {"contentType": FAILURE_CONTENT_TYPE, "failureLocation": location}
            if written and location is not None
            else None
        )
        self._notify(
            invocation,
            finished,
            outcome.failure_reason or MODEL_FAILURE_REASON,
            response,
            outcome.body if invocation.include_response_on_failure else None,
        )

    def _run_model(self, invocation: Invocation) -> _Outcome:
        body = invocation.body
        if body is None:
            body = self._read_input(invocation)
            if body is None:
                reason = (
                    f"ClientError: Could not read the input at {invocation.input_location}: "
                    "no such object."
                )
                return _Outcome(reason.encode(), reason)
        try:
            # Typed to return bytes, but user code: check what came back.
            result = cast(object, invocation.handler(body, invocation.content_type))
        except Exception as error:
            return _Outcome(f"ModelError: {error}".encode(), MODEL_FAILURE_REASON)
        if isinstance(result, str):
            return _Outcome(result.encode(), None)
        if isinstance(result, bytes | bytearray):
            return _Outcome(bytes(result), None)
        message = f"ModelError: the handler returned {type(result).__name__}, not bytes"
        return _Outcome(message.encode(), MODEL_FAILURE_REASON)

    def _read_input(self, invocation: Invocation) -> bytes | None:
        location = split_s3(invocation.input_location or "")
        if location is None:
            return None
        backend = s3_backends[invocation.account_id][get_partition(invocation.region)]
        try:
            key = backend.get_object(*location)
        except S3ClientError:
            return None
        return None if key is None else bytes(key.value)

    def _write(
        self, invocation: Invocation, uri: str, body: bytes, content_type: str
    ) -> str | None:
        """Write *body* to *uri*; None when written, else the failure reason."""
        location = split_s3(uri)
        backend = s3_backends[invocation.account_id][get_partition(invocation.region)]
        try:
            if location is None:
                raise ValueError(uri)
            key = backend.put_object(location[0], location[1], body)
        except (S3ClientError, ValueError):
            return f"ClientError: Could not write to {uri}: no such bucket."
        key.set_metadata({"Content-Type": content_type})
        self._landed[uri] = invocation.due
        return None

    @staticmethod
    def _notify(
        invocation: Invocation,
        finished: datetime,
        failure_reason: str | None,
        response_parameters: dict[str, str] | None,
        response_body: bytes | None,
    ) -> None:
        topic = invocation.success_topic if failure_reason is None else invocation.error_topic
        if topic is None:
            return
        publish(
            topic,
            inference_result(
                region=invocation.region,
                inference_id=invocation.inference_id,
                received=invocation.received,
                finished=finished,
                request_parameters=invocation.request_parameters(),
                failure_reason=failure_reason,
                response_parameters=response_parameters,
                response_body=response_body,
            ),
        )
