"""The simulator object: transport, session and clients, planned faults."""

from __future__ import annotations

import contextlib
import importlib.util
import tempfile
from collections import Counter
from collections.abc import Generator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, cast, overload

from ._clock import Clock, MonotonicClock
from ._lifecycle import ENDPOINT_STATUSES, UpdateFailure

if TYPE_CHECKING:
    import boto3
    from moto.sagemaker.models import SageMakerModelBackend
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

    from sagemaker_async import AsyncInferenceClient

    from ._control_plane import ControlPlane, Listener
    from ._fulfilment import Fulfilment
    from ._handler import Handler, Latency
    from ._transport import Transport, TransportName

DEFAULT_REGION: Final = "us-east-1"
DEFAULT_CREATE_SECONDS: Final = 0.2
DEFAULT_UPDATE_SECONDS: Final = 0.2
DEFAULT_DELETE_SECONDS: Final = 0.1
DEFAULT_LATENCY: Final = 0.05
DEFAULT_CREATE_FAILURE: Final = (
    "The primary container for production variant AllTraffic did not pass the ping "
    "health check. Please check CloudWatch logs for this endpoint."
)
DEFAULT_UPDATE_FAILURE: Final = (
    "The primary container for production variant AllTraffic did not pass the ping "
    "health check during the update. The endpoint was rolled back to its previous "
    "endpoint configuration."
)


def _require_moto() -> None:
    # moto is the optional `testing` extra: import it only when a simulator is built,
    # and say how to get it.
    if importlib.util.find_spec("moto") is None:
        raise ModuleNotFoundError(
            "The SageMaker simulator needs moto: pip install 'sagemaker-async[testing]'",
            name="moto",
        )


def _non_negative(name: str, value: float) -> float:
    if value < 0:
        raise ValueError(f"`{name}` must be >= 0 seconds, got {value!r}")
    return float(value)


class SageMakerSimulator:
    """moto with SageMaker's endpoint lifecycle, duplicate and name rules, and faults.

    Build it through :func:`simulated_sagemaker` (or enter it with ``with``);
    only one simulator can be active in a process at a time, because it patches
    moto's classes. Faults can be planned before or after it starts.

    Args:
        transport: ``"inprocess"`` (``moto.mock_aws``) or ``"server"`` (a
            ``ThreadedMotoServer`` on 127.0.0.1, a free port; real HTTP).
        region: The region of :attr:`session` and :meth:`client`.
        clock: Where status transitions read the time; default the real
            monotonic clock. Pass a :class:`FakeClock` to run waiters instantly.
        create_seconds: How long an endpoint stays ``Creating`` (default 0.2).
        update_seconds: How long ``Updating`` and ``RollingBack`` last (default 0.2).
        delete_seconds: How long ``Deleting`` lasts before the endpoint is gone
            (default 0.1).
        handler: The model every endpoint serves: ``handler(body, content_type)
            -> bytes``, an exception being a failed inference (default: echo
            the body). :meth:`set_handler` sets one per endpoint.
        latency: Seconds from InvokeEndpointAsync to the result landing, on
            :attr:`clock` (default 0.05); or a function called per invocation,
            for results landing at random times.
    """

    def __init__(
        self,
        *,
        transport: TransportName = "inprocess",
        region: str = DEFAULT_REGION,
        clock: Clock | None = None,
        create_seconds: float = DEFAULT_CREATE_SECONDS,
        update_seconds: float = DEFAULT_UPDATE_SECONDS,
        delete_seconds: float = DEFAULT_DELETE_SECONDS,
        handler: Handler | None = None,
        latency: Latency = DEFAULT_LATENCY,
    ) -> None:
        _require_moto()
        from ._control_plane import ControlPlane, Delays
        from ._fulfilment import Fulfilment
        from ._handler import echo
        from ._transport import make_transport

        self._transport: Transport = make_transport(transport)
        self._region = region
        self._clock: Clock = MonotonicClock() if clock is None else clock
        delays = Delays(
            create=_non_negative("create_seconds", create_seconds),
            update=_non_negative("update_seconds", update_seconds),
            delete=_non_negative("delete_seconds", delete_seconds),
        )
        self._plane: ControlPlane = ControlPlane(self._clock, delays)
        self._fulfilment: Fulfilment = Fulfilment(
            self._clock, self._settle, echo if handler is None else handler, latency
        )
        self._denied_reads: set[str] = set()
        self._queues = 0
        self._session: boto3.Session | None = None
        self._clients: dict[str, Any] = {}
        self._exit_stack: contextlib.ExitStack | None = None

    # -- lifetime --

    def start(self) -> SageMakerSimulator:
        """Patch moto, start the transport and build the session; returns self.

        Raises:
            RuntimeError: this or another simulator is already active.
        """
        if self._exit_stack is not None:
            raise RuntimeError("This simulator is already started.")
        from ._moto_patch import patched_sagemaker
        from ._moto_speed import faster_sqs_clock
        from ._notify import TopicCheck
        from ._retry_pauses import retry_pauses_on
        from ._runtime_patch import patched_runtime
        from ._transport import build_session

        real_clock = isinstance(self._clock, MonotonicClock)
        fulfilment = self._fulfilment
        with contextlib.ExitStack() as stack:
            stack.enter_context(patched_sagemaker(self._plane))
            stack.enter_context(faster_sqs_clock())
            if not real_clock:
                stack.enter_context(retry_pauses_on(self._clock))
            stack.enter_context(
                patched_runtime(
                    self._plane, fulfilment, self._denied_reads, simulated_waits=not real_clock
                )
            )
            stack.callback(self._plane.forget)
            fulfilment.clear()
            stack.callback(fulfilment.drop_pending)
            topic_check = TopicCheck()
            self._plane.add_listener(topic_check)
            stack.callback(self._plane.remove_listener, topic_check)
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            self._transport.start()
            stack.callback(self._transport.stop)
            self._session = build_session(self._region, self._transport.endpoint_url, directory)
            if real_clock:
                fulfilment.start_thread()
                stack.callback(fulfilment.stop_thread)
            self._exit_stack = stack.pop_all()
        return self

    def stop(self) -> None:
        """Stop the transport, drop moto's state and undo the patches (idempotent)."""
        stack, self._exit_stack = self._exit_stack, None
        self._session = None
        self._clients.clear()
        if stack is not None:
            stack.close()

    def __enter__(self) -> SageMakerSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where it is --

    @property
    def transport(self) -> TransportName:
        """``"inprocess"`` or ``"server"``."""
        return self._transport.name

    @property
    def region(self) -> str:
        """The region of :attr:`session` and :meth:`client`."""
        return self._region

    @property
    def account_id(self) -> str:
        """The account moto puts in ARNs (fake credentials map to it)."""
        from moto.core.models import DEFAULT_ACCOUNT_ID

        return DEFAULT_ACCOUNT_ID

    @property
    def clock(self) -> Clock:
        """The clock status transitions are computed from."""
        return self._clock

    @property
    def create_seconds(self) -> float:
        """How long an endpoint stays ``Creating``."""
        return self._plane.delays.create

    @property
    def update_seconds(self) -> float:
        """How long ``Updating`` (and, after a failed update, ``RollingBack``) lasts."""
        return self._plane.delays.update

    @property
    def delete_seconds(self) -> float:
        """How long an endpoint stays ``Deleting`` before it is gone."""
        return self._plane.delays.delete

    @property
    def endpoint_url(self) -> str | None:
        """None in-process; ``"http://127.0.0.1:<port>"`` for the server."""
        self._require_started()
        return self._transport.endpoint_url

    @property
    def session(self) -> boto3.Session:
        """A boto3 session with fake credentials and :attr:`region`.

        Every client built from it reaches the simulator, whatever the transport
        (for the server, its profile carries the endpoint URL; an
        ``AWS_ENDPOINT_URL`` environment variable would take precedence).
        """
        self._require_started()
        assert self._session is not None
        return self._session

    @overload
    def client(self, service_name: Literal["sagemaker"], **kwargs: Any) -> SageMakerClient: ...
    @overload
    def client(
        self, service_name: Literal["sagemaker-runtime"], **kwargs: Any
    ) -> SageMakerRuntimeClient: ...
    @overload
    def client(self, service_name: Literal["s3"], **kwargs: Any) -> S3Client: ...
    @overload
    def client(self, service_name: Literal["sns"], **kwargs: Any) -> SNSClient: ...
    @overload
    def client(self, service_name: Literal["sqs"], **kwargs: Any) -> SQSClient: ...
    @overload
    def client(self, service_name: str, **kwargs: Any) -> Any: ...
    def client(self, service_name: str, **kwargs: Any) -> Any:
        """A boto3 client of *service_name* for this transport.

        Keyword arguments go to ``boto3.Session.client``; for the server the
        endpoint URL is set and proxies are disabled (loopback only). Without
        keyword arguments the client is built once and reused (building a
        SageMaker client takes about 0.1 s).
        """
        if not kwargs and service_name in self._clients:
            self._require_started()
            return self._clients[service_name]
        client = self._new_client(service_name, **kwargs)
        if not kwargs:
            self._clients[service_name] = client
        return client

    def _new_client(self, service_name: str, **kwargs: Any) -> Any:
        session = self.session
        url = self.endpoint_url
        if url is not None:
            from botocore.config import Config

            kwargs.setdefault("endpoint_url", url)
            loopback = Config(proxies={})
            given: Config | None = kwargs.get("config")
            kwargs["config"] = loopback if given is None else loopback.merge(given)
        # boto3-stubs types Session.client per literal service name; this is any name.
        return cast(Any, session).client(service_name, **kwargs)

    # -- planned faults --

    def fail_next_create(self, endpoint_name: str, reason: str = DEFAULT_CREATE_FAILURE) -> None:
        """The next CreateEndpoint of *endpoint_name* ends ``Failed`` with *reason*."""
        with self._plane.lock:
            self._plane.faults.create_failures[endpoint_name] = reason

    def fail_next_update(
        self,
        endpoint_name: str,
        reason: str = DEFAULT_UPDATE_FAILURE,
        *,
        rollback_fails: bool = False,
    ) -> None:
        """The next UpdateEndpoint of *endpoint_name* fails and rolls back.

        ``Updating``, then ``RollingBack`` (for ``update_seconds``), then
        ``InService`` with FailureReason *reason* and the previous config, as
        SageMaker does; with *rollback_fails*, ``UpdateRollbackFailed`` instead.
        """
        with self._plane.lock:
            self._plane.faults.update_failures[endpoint_name] = UpdateFailure(
                reason, rollback_fails
            )

    def set_status(
        self, endpoint_name: str, status: str | None, failure_reason: str | None = None
    ) -> None:
        """Show (and obey) *status* for *endpoint_name* until ``set_status(name, None)``.

        For statuses no API call leads to, such as ``SystemUpdating`` or
        ``OutOfService``. UpdateEndpoint and DeleteEndpoint judge the forced
        status; the endpoint's own lifecycle goes on underneath and shows again
        once cleared.

        Raises:
            ValueError: *status* is not a SageMaker endpoint status, or there is
                no endpoint called *endpoint_name* in :attr:`region`.
        """
        from ._faults import ForcedStatus

        if status is not None and str(status) not in ENDPOINT_STATUSES:
            raise ValueError(
                f"`status` must be one of {sorted(ENDPOINT_STATUSES)} or None, got {status!r}"
            )
        backend = self._backend()
        with self._plane.lock:
            if status is not None and self._plane.status(backend, endpoint_name) is None:
                raise ValueError(
                    f"No endpoint called {endpoint_name!r} in {self._region}: "
                    "create it before forcing its status."
                )
            forced = None if status is None else ForcedStatus(str(status), failure_reason)
            self._plane.force_status(backend, endpoint_name, forced)

    def hide_endpoint_config(self, config_name: str, reads: int = 1) -> None:
        """The next *reads* reads of *config_name* do not find it (eventual consistency).

        DescribeEndpointConfig and CreateEndpoint's own read of the config answer
        ``Could not find endpoint configuration "<arn>".`` meanwhile, as a newly
        created config sometimes does on AWS. ``reads=0`` clears it.

        Raises:
            ValueError: *reads* is negative.
        """
        if reads < 0:
            raise ValueError(f"`reads` must be >= 0, got {reads!r}")
        with self._plane.lock:
            if reads == 0:
                self._plane.faults.hidden_reads.pop(config_name, None)
            else:
                self._plane.faults.hidden_reads[config_name] = reads

    # -- observing --

    def status(self, endpoint_name: str) -> str | None:
        """The status DescribeEndpoint would show now, without an API call (None: gone)."""
        backend = self._backend()
        with self._plane.lock:
            return self._plane.status(backend, endpoint_name)

    def resource_counts(self) -> dict[str, int]:
        """``{"models": n, "endpoint_configs": n, "endpoints": n}`` in :attr:`region`.

        Endpoints still ``Deleting`` count; wait (or advance a fake clock) for
        them to go.
        """
        backend = self._backend()
        with self._plane.lock:
            return self._plane.counts(backend)

    @property
    def calls(self) -> Counter[str]:
        """SageMaker API requests served, by operation name (``"CreateEndpoint"``...).

        Live and shared with the server thread; ``calls.clear()`` starts over.
        """
        return self._plane.calls

    # -- asynchronous invocations --

    def set_handler(
        self,
        handler: Handler,
        *,
        endpoint_name: str | None = None,
        latency: Latency | None = None,
    ) -> None:
        """Answer invocations of *endpoint_name* (None: of every other endpoint) with *handler*.

        ``handler(body, content_type) -> bytes`` gets the request payload (read
        from ``InputLocation``, or the inline ``Body``) and returns the result,
        written to the output location; an exception is a failed inference: its
        text (``"ModelError: <message>"``) is written to the failure location.
        Handlers run with the simulator's lock held: they must not call AWS
        through the simulator.

        Args:
            handler: The model.
            endpoint_name: The endpoint it serves; None sets the default.
            latency: Seconds from the call to the result on :attr:`clock`, or a
                function drawing them per invocation; None keeps the default
                latency (for an endpoint) or the current one (for the default).

        Raises:
            ValueError: *latency* is a negative number.
        """
        self._fulfilment.set_handler(handler, endpoint_name, latency)

    @contextlib.contextmanager
    def holding_results(self) -> Generator[None, None, None]:
        """Hold back the results of invocations accepted inside the block.

        When the block ends, each lands its latency after that moment: submit a
        batch, then watch its results land as the latencies say.

        Example::

            sim.set_handler(score, latency=lambda: random.uniform(0, 10))
            with sim.holding_results():
                invocations = [client.invoke_async("e", row) for row in rows]
            # results now land over the next 10 s
        """
        self._fulfilment.hold()
        try:
            yield
        finally:
            self._fulfilment.release()

    def pending_invocations(self) -> int:
        """How many accepted invocations have not landed yet (due ones land first)."""
        if self._exit_stack is not None:
            self._fulfilment.pump()
        return self._fulfilment.pending()

    @property
    def landed(self) -> dict[str, float]:
        """Each object an invocation wrote (output or failure URI), with the clock time
        it was due: subtract it from when a caller received the result to measure
        the delay. A copy; kept after the simulator stops."""
        return self._fulfilment.landed()

    def deny_s3_reads(self, bucket: str) -> None:
        """GetObject, HeadObject and ListObjectsV2 on *bucket* answer 403 AccessDenied.

        As S3 answers a caller without ``s3:GetObject`` (or, for a key that is
        not there yet, without ``s3:ListBucket``). Writes, and the simulated
        SageMaker's own reads of inputs, are not affected.
        """
        self._denied_reads.add(bucket)

    def allow_s3_reads(self, bucket: str) -> None:
        """Undo :meth:`deny_s3_reads` for *bucket*."""
        self._denied_reads.discard(bucket)

    def subscribe_queue(
        self, *topic_arns: str, raw_delivery: bool = False, queue_name: str | None = None
    ) -> str:
        """Create an SQS queue subscribed to *topic_arns*; returns its URL.

        Args:
            topic_arns: The SNS topics (for example an endpoint's success and
                error topics); each must exist.
            raw_delivery: Subscribe with ``RawMessageDelivery`` (the message
                body is SageMaker's JSON itself, not an SNS envelope).
            queue_name: The queue's name; by default a new one.

        Raises:
            ValueError: no topic given.
        """
        from ._queues import subscribe_queue

        if not topic_arns:
            raise ValueError("Give at least one topic ARN to subscribe the queue to.")
        self._queues += 1
        name = queue_name or f"sagemaker-async-notifications-{self._queues}"
        return subscribe_queue(
            self.client("sqs"), self.client("sns"), name, topic_arns, raw_delivery=raw_delivery
        )

    def async_client(self, **kwargs: Any) -> AsyncInferenceClient:
        """An ``AsyncInferenceClient`` on this simulator's clients and clock.

        Its sagemaker, sagemaker-runtime and s3 clients are :meth:`client`'s, and
        it waits on :attr:`clock` (``clock=sim.clock.time, sleep=sim.clock.sleep``).
        Keyword arguments go to the client (``backoff=``, ``input_path=``, ...)
        and override these.
        """
        from sagemaker_async import AsyncInferenceClient

        arguments: dict[str, Any] = {
            "session": self.session,
            "sagemaker_client": self.client("sagemaker"),
            "runtime_client": self.client("sagemaker-runtime"),
            "s3_client": self.client("s3"),
            "clock": self._clock.time,
            "sleep": self._clock.sleep,
        }
        arguments.update(kwargs)
        return AsyncInferenceClient(**arguments)

    def add_listener(self, listener: Listener) -> None:
        """Call *listener* with an ``EndpointEvent`` for each state entered.

        Transitions are computed when something reads the endpoint or sends the
        simulator a request (and, on the real clock, by its thread), so events
        arrive in order at the first such moment at or after the time they
        happened, on the thread doing it, with the simulator's lock held: a
        listener must not wait for another thread's API call.
        """
        self._plane.add_listener(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling *listener*."""
        self._plane.remove_listener(listener)

    # -- helpers --

    def _require_started(self) -> None:
        if self._exit_stack is None:
            raise RuntimeError(
                "The simulator is not running: use `with simulated_sagemaker() as sim:`."
            )

    def _settle(self) -> None:
        backend = self._backend()
        with self._plane.lock:
            self._plane.settle(backend)

    def _backend(self) -> SageMakerModelBackend:
        from moto.sagemaker.models import sagemaker_backends

        return sagemaker_backends[self.account_id][self._region]

    def __repr__(self) -> str:
        state = "running" if self._exit_stack is not None else "stopped"
        return f"<SageMakerSimulator {self.transport} {self._region} {state} clock={self._clock!r}>"


@contextlib.contextmanager
def simulated_sagemaker(
    *,
    transport: TransportName = "inprocess",
    region: str = DEFAULT_REGION,
    clock: Clock | None = None,
    create_seconds: float = DEFAULT_CREATE_SECONDS,
    update_seconds: float = DEFAULT_UPDATE_SECONDS,
    delete_seconds: float = DEFAULT_DELETE_SECONDS,
    handler: Handler | None = None,
    latency: Latency = DEFAULT_LATENCY,
) -> Generator[SageMakerSimulator, None, None]:
    """A running :class:`SageMakerSimulator`, stopped (and its state dropped) on exit.

    Example::

        with simulated_sagemaker(clock=FakeClock()) as sim:
            sagemaker = sim.client("sagemaker")
            ...
    """
    with SageMakerSimulator(
        transport=transport,
        region=region,
        clock=clock,
        create_seconds=create_seconds,
        update_seconds=update_seconds,
        delete_seconds=delete_seconds,
        handler=handler,
        latency=latency,
    ) as simulator:
        yield simulator
