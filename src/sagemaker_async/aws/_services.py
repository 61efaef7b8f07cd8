"""The boto3 clients, clock and sleep that every room calls AWS with."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sagemaker_async.errors import ConfigurationError
from sagemaker_async.models import CALLBACK, Arg, instance_of
from sagemaker_async.models import validation as v

from ._backoff import Backoff
from ._calls import Trail, call, retrying

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_application_autoscaling import ApplicationAutoScalingClient
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

    from sagemaker_async.errors import ServiceError

T = TypeVar("T")

RETRY_ATTEMPTS: Final = 5
"""Attempts botocore makes per request in the clients built here (standard mode)."""


def user_agent() -> str:
    """``sagemaker-async/<version>``, appended to botocore's user agent."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"sagemaker-async/{version('sagemaker-async')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "sagemaker-async/unknown"


def _service_name(client: object) -> object:
    model = getattr(getattr(client, "meta", None), "service_model", None)
    return getattr(model, "service_name", None)


def _has_client(session: object) -> bool:
    return callable(getattr(session, "client", None))


def _client_of(service: str) -> Arg:
    rule = v.Rule(f"a boto3 {service!r} client", lambda client: _service_name(client) == service)
    return Arg((rule,), optional=True)


SERVICES_ARGUMENTS: Final = {
    "session": Arg(
        (v.Rule("a boto3.Session (an object with a client() method)", _has_client),),
        optional=True,
    ),
    "sagemaker_client": _client_of("sagemaker"),
    "runtime_client": _client_of("sagemaker-runtime"),
    "s3_client": _client_of("s3"),
    "autoscaling_client": _client_of("application-autoscaling"),
    "cloudwatch_client": _client_of("cloudwatch"),
    "router_runtime_client": _client_of("sagemaker-inference-router-runtime"),
    "backoff": instance_of(Backoff, "a Backoff").or_none,
    "clock": CALLBACK,
    "sleep": CALLBACK,
    "now": CALLBACK,
}
"""The rules of the client's constructor arguments that build its :class:`Services`."""


class Services:
    """Lazily built boto3 clients plus the clock, sleep and backoff of one client.

    Clients come from *session* (the default session when none is given), with
    botocore's standard retry mode and this library's user agent, unless one is
    injected by service name.
    """

    def __init__(
        self,
        session: boto3.Session | None = None,
        *,
        clients: dict[str, Any] | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._session = session
        self._clients: dict[str, Any] = {
            name: client for name, client in (clients or {}).items() if client is not None
        }
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.sleep = sleep

    @property
    def services(self) -> Services:
        """Itself: whatever binds to a client binds to its services."""
        return self

    def client(self, service: str) -> Any:
        """The boto3 client for *service*, built on first use."""
        client = self._clients.get(service)
        if client is None:
            client = self._clients[service] = self._build(service)
        return client

    def _build(self, service: str) -> Any:
        from botocore.config import Config
        from botocore.exceptions import NoRegionError

        if self._session is None:
            import boto3

            self._session = boto3.Session()
        config = Config(
            retries={"mode": "standard", "total_max_attempts": RETRY_ATTEMPTS},
            user_agent_extra=user_agent(),
        )
        try:
            return self._session.client(service, config=config)  # type: ignore[call-overload]
        except NoRegionError as error:
            raise ConfigurationError(
                "Region",
                f"Building the {service} client needs one: set AWS_DEFAULT_REGION, "
                "run `aws configure`, pass a boto3.Session(region_name=...), or inject "
                f"the {service} client.",
            ) from error

    @property
    def sagemaker(self) -> SageMakerClient:
        """The ``sagemaker`` client."""
        client: SageMakerClient = self.client("sagemaker")
        return client

    @property
    def runtime(self) -> SageMakerRuntimeClient:
        """The ``sagemaker-runtime`` client."""
        client: SageMakerRuntimeClient = self.client("sagemaker-runtime")
        return client

    @property
    def s3(self) -> S3Client:
        """The ``s3`` client."""
        client: S3Client = self.client("s3")
        return client

    @property
    def autoscaling(self) -> ApplicationAutoScalingClient:
        """The ``application-autoscaling`` client."""
        client: ApplicationAutoScalingClient = self.client("application-autoscaling")
        return client

    @property
    def cloudwatch(self) -> CloudWatchClient:
        """The ``cloudwatch`` client."""
        client: CloudWatchClient = self.client("cloudwatch")
        return client

    def call(
        self,
        operation: str,
        method: Callable[..., T],
        /,
        *,
        echo: Callable[[ServiceError], T] | None = None,
        trail: Trail | None = None,
        **kwargs: Any,
    ) -> T:
        """:func:`call`, retried on throttling, 5xx and lost connections (see :func:`retrying`)."""
        return retrying(
            lambda: call(operation, method, **kwargs), sleep=self.sleep, echo=echo, trail=trail
        )

    def retry(self, attempt: Callable[[], T]) -> T:
        """*attempt* (already translating errors), retried like :meth:`call`."""
        return retrying(attempt, sleep=self.sleep)


class ServiceAccess:
    """The boto3 clients of an object calling AWS through ``_aws`` (mixed into the client)."""

    _aws: Services

    @property
    def services(self) -> Services:
        """The boto3 clients, clock and sleep this client calls AWS with."""
        return self._aws

    @property
    def sagemaker(self) -> SageMakerClient:
        """The ``sagemaker`` boto3 client in use."""
        return self._aws.sagemaker

    @property
    def runtime(self) -> SageMakerRuntimeClient:
        """The ``sagemaker-runtime`` boto3 client in use."""
        return self._aws.runtime

    @property
    def s3(self) -> S3Client:
        """The ``s3`` boto3 client in use."""
        return self._aws.s3
