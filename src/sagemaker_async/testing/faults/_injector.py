"""Make a chosen fraction of a boto3 client's requests fail, as AWS sometimes does.

:class:`FaultInjector` hooks botocore's events on the clients it is attached to
(any boto3 client, simulated or not):

- ``before-call`` counts the calls the application makes;
- ``before-send`` counts every request sent (botocore's retries included) and,
  for the unlucky ones, answers instead of the service: a throttling or 5xx
  error response in the service's own wire format, a connection error (the
  request never left), or a read timeout (the request reached the service and
  took effect; only the answer was lost).

Which requests fail is drawn from ``random.Random`` streams seeded by the seed
and the operation name, so the calls of one operation fail in the same places
on every run, whatever other threads do.
"""

from __future__ import annotations

import collections
import contextlib
import json
import random
import threading
from collections.abc import Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast, get_args
from xml.sax.saxutils import escape

import attrs
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.client import BaseClient

FaultKind = Literal[
    "throttling", "internal_failure", "service_unavailable", "connection_error", "read_timeout"
]
"""A transient fault: what AWS or the network does now and then, and retrying cures."""

FAULT_KINDS: Final[tuple[FaultKind, ...]] = get_args(FaultKind)
"""Every :data:`FaultKind`: what a :class:`FaultInjector` draws from by default."""

ClientT = TypeVar("ClientT", bound="BaseClient")

_REQUEST_ID: Final = "00000000-0000-0000-0000-000000fa0175"
_NOWHERE: Final = "https://answered-by-fault-injector.invalid/"  # reserved: never resolves


@attrs.frozen
class ErrorAnswer:
    """An error response to give instead of the service's: for faults no retry cures.

    Example: ``ErrorAnswer("AccessDeniedException", 400, "User is not authorized")``.
    """

    code: str
    status: int = 400
    message: str = "Injected by sagemaker_async.testing.FaultInjector."


Fault = FaultKind | ErrorAnswer
"""What :meth:`FaultInjector.fail_next` injects: a transient kind or a given answer."""


def _answer(service: str, kind: FaultKind) -> ErrorAnswer:
    """The error response *service* gives for *kind* (the faults that are answers)."""
    s3 = service == "s3"
    if kind == "throttling":
        return (
            ErrorAnswer("SlowDown", 503, "Please reduce your request rate.")
            if s3
            else ErrorAnswer("ThrottlingException", 400, "Rate exceeded")
        )
    if kind == "internal_failure":
        code = "InternalError" if s3 else "InternalFailure"
        return ErrorAnswer(code, 500, "We encountered an internal error. Please try again.")
    return ErrorAnswer("ServiceUnavailable", 503, "Service is unavailable. Please try again.")


class _RawBody:
    """The raw stream of a fabricated response, as botocore reads one."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Generator[bytes, None, None]:
        if self._body:
            yield self._body

    def read(self, *_: Any) -> bytes:
        body, self._body = self._body, b""
        return body

    def close(self) -> None:
        self._body = b""


def error_response(protocol: str, url: str, answer: ErrorAnswer) -> AWSResponse:
    """*answer* as an HTTP response in the wire format of *protocol*."""
    code, message = answer.code, answer.message
    headers = {"x-amzn-RequestId": _REQUEST_ID}
    if protocol == "rest-xml":
        headers = {"x-amz-request-id": _REQUEST_ID, "Content-Type": "application/xml"}
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{_REQUEST_ID}</RequestId></Error>"
        )
    elif protocol in ("query", "ec2"):
        headers["Content-Type"] = "text/xml"
        fault = "Receiver" if answer.status >= 500 else "Sender"
        body = (
            f"<ErrorResponse><Error><Type>{fault}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{_REQUEST_ID}</RequestId></ErrorResponse>"
        )
    elif protocol == "rest-json":
        headers.update({"x-amzn-ErrorType": code, "Content-Type": "application/json"})
        body = json.dumps({"message": message})
    else:  # json
        headers["Content-Type"] = "application/x-amz-json-1.1"
        body = json.dumps({"__type": code, "message": message})
    return AWSResponse(url, answer.status, HTTPHeaders.from_dict(headers), _RawBody(body.encode()))


@attrs.define
class _Planned:
    fault: Fault
    skip: int
    times: int


class FaultInjector:
    """Fail a fraction of the requests of the boto3 clients it is attached to.

    Each request (botocore's retries included) of an operation fails with
    probability ``rates.get(operation, rate)``, with a kind drawn from *kinds*:

    - ``throttling``: ``ThrottlingException`` (400); S3's is ``SlowDown`` (503);
    - ``internal_failure``: ``InternalFailure`` (500); S3's is ``InternalError``;
    - ``service_unavailable``: ``ServiceUnavailable`` (503);
    - ``connection_error``: ``EndpointConnectionError``, the request never left;
    - ``read_timeout``: ``ReadTimeoutError`` once the service has handled the request.

    A read timeout is the one that creates duplicates in careless code: the
    request takes effect and botocore, seeing no answer, sends it again.
    Error responses are in the service's wire format, so botocore parses,
    classifies and retries them as it would AWS's.

    Example::

        injector = FaultInjector(0.3, seed=7)
        sagemaker = injector.attach(boto3.client("sagemaker"))
        ...
        print(injector.summary())

    Args:
        rate: The fraction of requests that fail, 0 to 1 (default 0: only
            :meth:`fail_next` faults).
        seed: Seeds the draws: the same seed fails the same requests.
        kinds: The faults drawn from (default: every :data:`FaultKind`).
        rates: Per-operation fractions (``{"InvokeEndpointAsync": 0.5}``),
            overriding *rate* for those operations.

    Raises:
        ValueError: A rate outside 0..1, or an unknown or empty *kinds*.
    """

    def __init__(
        self,
        rate: float = 0.0,
        *,
        seed: int = 0,
        kinds: Iterable[FaultKind] = FAULT_KINDS,
        rates: Mapping[str, float] | None = None,
    ) -> None:
        self._rates = {
            name: _fraction(f"rates[{name!r}]", value) for name, value in (rates or {}).items()
        }
        self._rate = _fraction("rate", rate)
        self._kinds = tuple(kinds)
        unknown = [kind for kind in self._kinds if kind not in FAULT_KINDS]
        if unknown or not self._kinds:
            raise ValueError(
                f"`kinds` must be a non-empty selection of {FAULT_KINDS}, got {self._kinds!r}"
            )
        self._seed = seed
        self._lock = threading.Lock()
        self._streams: dict[str, random.Random] = {}
        self._planned: dict[str, list[_Planned]] = collections.defaultdict(list)
        self._paused = 0
        self._local = threading.local()
        self._calls: collections.Counter[str] = collections.Counter()
        self._attempts: collections.Counter[str] = collections.Counter()
        self._retries: collections.Counter[str] = collections.Counter()
        self._faults: collections.Counter[tuple[str, str]] = collections.Counter()
        self._id = f"sagemaker-async-faults-{id(self)}"

    def __repr__(self) -> str:
        return (
            f"FaultInjector(rate={self._rate!r}, seed={self._seed!r}, "
            f"faulted={self.faulted}, attempts={sum(self.attempts.values())})"
        )

    # -- clients --

    def attach(self, client: ClientT) -> ClientT:
        """Inject faults into *client*'s requests and count them; returns *client*.

        Attaching the same client twice changes nothing.
        """
        events = client.meta.events
        service = client.meta.service_model.service_id.hyphenize()
        protocol = client.meta.service_model.protocol

        def before_call(model: Any, **_: Any) -> None:
            with self._lock:
                self._calls[str(model.name)] += 1

        def before_send(request: AWSPreparedRequest, event_name: str, **_: Any) -> Any:
            if getattr(self._local, "passing", False):
                return None  # the request this injector is letting through
            operation = event_name.rsplit(".", 1)[-1]
            fault = self._draw(operation, _attempt(request))
            if fault is None:
                return None
            url = request.url
            if fault == "connection_error":
                raise EndpointConnectionError(endpoint_url=url)
            if fault == "read_timeout":
                self._deliver(client, event_name, request)
                raise ReadTimeoutError(endpoint_url=url)
            # botocore still runs the handlers after this one, and a stub among them
            # (moto's in-process mock) would serve the request: point it nowhere.
            request.url = _NOWHERE
            answer = fault if isinstance(fault, ErrorAnswer) else _answer(service, fault)
            return error_response(protocol, url, answer)

        # Registered first on the service's own events, which botocore runs before
        # the generic ones (moto's in-process stub answers on plain "before-send").
        handlers = {"before-call": before_call, "before-send": before_send}
        for event, handler in handlers.items():
            events.register_first(
                f"{event}.{service}",
                cast(Any, handler),
                unique_id=f"{self._id}-{event}",
            )
        return client

    def detach(self, client: BaseClient) -> None:
        """Stop injecting faults into *client*'s requests (and counting them)."""
        service = client.meta.service_model.service_id.hyphenize()
        for event in ("before-call", "before-send"):
            client.meta.events.unregister(f"{event}.{service}", unique_id=f"{self._id}-{event}")

    def _deliver(self, client: BaseClient, event_name: str, request: AWSPreparedRequest) -> None:
        """Send *request* to the service as botocore would, and drop the answer."""
        self._local.passing = True
        try:
            responses = client.meta.events.emit(event_name, request=request)
        finally:
            self._local.passing = False
        response: Any = next((r for _, r in responses if r is not None), None)
        if response is None:
            # No stub answered (a real or HTTP endpoint): send it over the client's session.
            endpoint: Any = cast(Any, client)._endpoint
            response = endpoint.http_session.send(request)
        cast(AWSResponse, response).content  # noqa: B018  # read it all, as a client would

    # -- faults --

    def fail_next(
        self, operation: str, fault: Fault = "read_timeout", *, times: int = 1, skip: int = 0
    ) -> None:
        """Fail the next *times* requests of *operation* with *fault*, after *skip* more.

        Planned faults come before random ones and count as faults. Plan
        several for one operation and they apply in the order planned.

        Raises:
            ValueError: an unknown fault kind, or *times* < 1 or *skip* < 0.
        """
        if not isinstance(fault, ErrorAnswer) and fault not in FAULT_KINDS:
            raise ValueError(
                f"`fault` must be one of {FAULT_KINDS} or an ErrorAnswer, got {fault!r}"
            )
        if times < 1 or skip < 0:
            raise ValueError(f"`times` must be >= 1 and `skip` >= 0, got {times!r} and {skip!r}")
        with self._lock:
            self._planned[operation].append(_Planned(fault, skip, times))

    @contextlib.contextmanager
    def paused(self) -> Generator[None, None, None]:
        """No fault inside the block (calls are still counted)."""
        with self._lock:
            self._paused += 1
        try:
            yield
        finally:
            with self._lock:
                self._paused -= 1

    def _draw(self, operation: str, attempt: int) -> Fault | None:
        with self._lock:
            self._attempts[operation] += 1
            if attempt > 1:
                self._retries[operation] += 1
            if self._paused:
                return None
            fault = self._planned_fault(operation)
            if fault is None:
                stream = self._streams.get(operation)
                if stream is None:
                    stream = self._streams[operation] = random.Random(f"{self._seed}:{operation}")
                rate = self._rates.get(operation, self._rate)
                # Two draws per request whatever the outcome: the stream stays in step.
                hit, pick = stream.random(), stream.randrange(len(self._kinds))
                fault = self._kinds[pick] if hit < rate else None
            if fault is not None:
                kind = fault.code if isinstance(fault, ErrorAnswer) else fault
                self._faults[(kind, operation)] += 1
            return fault

    def _planned_fault(self, operation: str) -> Fault | None:
        plans = self._planned.get(operation)
        if not plans:
            return None
        plan = plans[0]
        if plan.skip:
            plan.skip -= 1
            return None
        plan.times -= 1
        if plan.times == 0:
            plans.pop(0)
        return plan.fault

    # -- counts --

    @property
    def calls(self) -> collections.Counter[str]:
        """API calls made through the attached clients, by operation (a copy)."""
        with self._lock:
            return collections.Counter(self._calls)

    @property
    def attempts(self) -> collections.Counter[str]:
        """Requests sent, botocore's retries included, by operation (a copy)."""
        with self._lock:
            return collections.Counter(self._attempts)

    @property
    def retries(self) -> collections.Counter[str]:
        """Requests that botocore sent again after a failed one, by operation (a copy)."""
        with self._lock:
            return collections.Counter(self._retries)

    @property
    def faults(self) -> collections.Counter[tuple[str, str]]:
        """Requests failed on purpose, by ``(kind, operation)`` (a copy).

        The kind is a :data:`FaultKind`, or the code of an :class:`ErrorAnswer`.
        """
        with self._lock:
            return collections.Counter(self._faults)

    @property
    def faulted(self) -> int:
        """How many requests failed on purpose."""
        with self._lock:
            return sum(self._faults.values())

    def faults_by_kind(self) -> collections.Counter[str]:
        """Requests failed on purpose, by kind."""
        counts: collections.Counter[str] = collections.Counter()
        for (kind, _), count in self.faults.items():
            counts[kind] += count
        return counts

    def faults_by_operation(self) -> collections.Counter[str]:
        """Requests failed on purpose, by operation."""
        counts: collections.Counter[str] = collections.Counter()
        for (_, operation), count in self.faults.items():
            counts[operation] += count
        return counts

    def reset_counts(self) -> None:
        """Start counting again from zero (planned faults and draws are kept)."""
        with self._lock:
            for counter in (self._calls, self._attempts, self._retries):
                counter.clear()
            self._faults.clear()

    def summary(self) -> str:
        """The counts, one line each: calls, requests, retries, faults by kind."""
        by_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults_by_kind().items()))
        return "\n".join(
            [
                f"calls: {sum(self.calls.values())}",
                f"requests sent: {sum(self.attempts.values())}",
                f"retries by botocore: {sum(self.retries.values())}",
                f"faulted: {self.faulted}" + (f" ({by_kind})" if by_kind else ""),
            ]
        )


def _attempt(request: AWSPreparedRequest) -> int:
    """Which attempt of its call *request* is (botocore numbers them from 1)."""
    context: Mapping[str, Any] = getattr(request, "context", None) or {}
    retries: Mapping[str, Any] = context.get("retries") or {}
    return int(retries.get("attempt", 1))


def _fraction(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"`{name}` must be a fraction from 0 to 1, got {value!r}")
    return float(value)
