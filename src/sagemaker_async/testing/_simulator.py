"""The simulator object: transport, session and clients, planned faults."""

from __future__ import annotations

import contextlib
import importlib.util
import tempfile
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, cast, overload

from ._clock import Clock, MonotonicClock
from .capacity._controls import CapacityControls
from .control_plane._controls import ControlPlaneControls
from .fulfilment._controls import FulfilmentControls
from .routers._controls import RouterControls

if TYPE_CHECKING:
    import boto3
    from moto.sagemaker.models import SageMakerModelBackend
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

    from sagemaker_async._client import AsyncInferenceClient
    from sagemaker_async.testing.control_plane._plane import ControlPlane
    from sagemaker_async.testing.fulfilment._fulfilment import Fulfilment

    from ._handler import Handler, Latency
    from ._transport import Transport, TransportName
    from .autoscaling._room import AutoScaling
    from .capacity._engine import Capacity
    from .metrics._minute import EndpointMinute

DEFAULT_REGION: Final = "us-east-1"
DEFAULT_CREATE_SECONDS: Final = 0.2
DEFAULT_UPDATE_SECONDS: Final = 0.2
DEFAULT_DELETE_SECONDS: Final = 0.1
DEFAULT_LATENCY: Final = 0.05
DEFAULT_INSTANCE_START_SECONDS: Final = 180.0


def _require_moto() -> None:
    # moto is the optional `testing` extra: import it only when a simulator is built,
    # and say how to get it.
    if importlib.util.find_spec("moto") is None:
        raise ModuleNotFoundError(
            "The SageMaker simulator needs moto: pip install 'sagemaker-async[testing]'",
            name="moto",
        )


def _whole_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _non_negative(name: str, value: float) -> float:
    if value < 0:
        raise ValueError(f"`{name}` must be >= 0 seconds, got {value!r}")
    return float(value)


class SageMakerSimulator(
    ControlPlaneControls, FulfilmentControls, CapacityControls, RouterControls
):
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
        latency: Seconds a request runs once an instance's slot takes it, on
            :attr:`clock` (default 0.05); or a function called per invocation,
            for results landing at random times. With free slots (every
            instance has MaxConcurrentInvocationsPerInstance of them, 1000 when
            unset), a result lands *latency* after the call.
        instance_start_seconds: How long an instance added by scaling (or
            UpdateEndpointWeightsAndCapacities) takes to serve (default 180).
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
        instance_start_seconds: float = DEFAULT_INSTANCE_START_SECONDS,
    ) -> None:
        _require_moto()
        from sagemaker_async.testing.control_plane._plane import ControlPlane, Delays
        from sagemaker_async.testing.fulfilment._fulfilment import Fulfilment

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
        self._origin = (self._clock.time(), _whole_minute(datetime.now(UTC)))
        self._fulfilment: Fulfilment = Fulfilment(
            self._clock,
            self.wall,
            self._plane.lock,
            self._settle,
            echo if handler is None else handler,
            latency,
        )
        self._instance_start_seconds = _non_negative(
            "instance_start_seconds", instance_start_seconds
        )
        self._capacity: Capacity | None = None
        self._autoscaling: AutoScaling | None = None
        self._denied_reads: set[str] = set()
        self._router_failures: dict[str, str] = {}
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
        from sagemaker_async.testing.control_plane._moto_patch import patched_sagemaker
        from sagemaker_async.testing.faults._retry_pauses import retry_pauses_on
        from sagemaker_async.testing.fulfilment._delivery_patch import patched_delivery
        from sagemaker_async.testing.fulfilment._notify import TopicCheck
        from sagemaker_async.testing.fulfilment._runtime_patch import patched_runtime

        from ._moto_speed import faster_dispatch, faster_sqs_clock
        from ._transport import build_session
        from .autoscaling._room import AutoScaling
        from .capacity._port import VariantPort
        from .capacity._room import capacity_running
        from .routers._room import routers_running

        real_clock = isinstance(self._clock, MonotonicClock)
        fulfilment = self._fulfilment
        with contextlib.ExitStack() as stack:
            stack.enter_context(patched_sagemaker(self._plane))
            stack.enter_context(faster_sqs_clock())
            stack.enter_context(faster_dispatch())
            stack.enter_context(patched_delivery())
            if not real_clock:
                stack.enter_context(retry_pauses_on(self._clock))
            stack.enter_context(
                patched_runtime(
                    self._plane, fulfilment, self._denied_reads, simulated_waits=not real_clock
                )
            )
            stack.callback(self._plane.forget)
            port = VariantPort(self._plane, lambda: self._capacity)
            autoscaling = AutoScaling(self._clock, self.wall, port, lock=self._plane.lock)
            stack.enter_context(autoscaling.patched())
            self._autoscaling = autoscaling
            self._capacity = stack.enter_context(
                capacity_running(
                    self._plane,
                    fulfilment,
                    origin=self._origin[0],
                    start_seconds=self._instance_start_seconds,
                    targets=autoscaling,
                    on_minute=self._on_minute,
                )
            )
            stack.enter_context(
                routers_running(
                    self._plane, fulfilment, self._capacity, autoscaling, self._router_failures
                )
            )
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

    def async_client(self, **kwargs: Any) -> AsyncInferenceClient:
        """An ``AsyncInferenceClient`` on this simulator's clients and clock.

        Its sagemaker, sagemaker-runtime and s3 clients are :meth:`client`'s, and
        it waits on :attr:`clock` (``clock=sim.clock.time, sleep=sim.clock.sleep``).
        Keyword arguments go to the client (``backoff=``, ``input_path=``, ...)
        and override these.
        """
        from sagemaker_async._client import AsyncInferenceClient

        arguments: dict[str, Any] = {
            "session": self.session,
            "sagemaker_client": self.client("sagemaker"),
            "runtime_client": self.client("sagemaker-runtime"),
            "s3_client": self.client("s3"),
            "autoscaling_client": self.client("application-autoscaling"),
            "cloudwatch_client": self.client("cloudwatch"),
            "now": self.now,
            "clock": self._clock.time,
            "sleep": self._clock.sleep,
        }
        arguments.update(kwargs)
        return AsyncInferenceClient(**arguments)

    # -- helpers --

    def _running(self) -> bool:
        return self._exit_stack is not None

    def _require_started(self) -> None:
        if self._exit_stack is None:
            raise RuntimeError(
                "The simulator is not running: use `with simulated_sagemaker() as sim:`."
            )

    def _settle(self) -> None:
        with self._plane.lock:
            self._plane.settle(self._backend())
            self._plane.settle_all()

    def _pump(self) -> None:
        if self._exit_stack is not None:
            self._fulfilment.pump()

    def _on_minute(self, at: float, minutes: list[EndpointMinute]) -> None:
        from .metrics._publish import publish

        publish(minutes, self.wall(at))
        if self._autoscaling is None:
            return
        scopes = {(minute.account_id, minute.region) for minute in minutes}
        scopes.add((self.account_id, self._region))
        for account_id, region in sorted(scopes):
            self._autoscaling.on_minute(account_id, region, at)

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
    instance_start_seconds: float = DEFAULT_INSTANCE_START_SECONDS,
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
        instance_start_seconds=instance_start_seconds,
    ) as simulator:
        yield simulator
