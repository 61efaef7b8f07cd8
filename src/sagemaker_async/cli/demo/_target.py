"""Where the demo runs: the simulator on a local HTTP server, or an AWS account.

Both are reached through boto3 clients over HTTP; only the simulator serves the
demo's model (``_demo_model.handler``) and owns a bucket the demo may delete.
"""

from __future__ import annotations

import random
import re
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from sagemaker_async.models._arguments import MAX_TIMEOUT

from . import _model as _demo_model
from ._report import DemoFailure

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

    from sagemaker_async.testing import SageMakerSimulator

DEFAULT_REGION: Final = "us-east-1"
SIMULATOR_BUCKET: Final = "sagemaker-async-demo"
SIMULATOR_START_TIMEOUT: Final = 15.0
# Simulated seconds, long enough to show each status and short enough for a demo.
SIMULATED_CREATE_SECONDS: Final = 0.8
SIMULATED_UPDATE_SECONDS: Final = 0.8
SIMULATED_DELETE_SECONDS: Final = 0.3
SIMULATED_LATENCY: Final = (0.1, 1.2)
"""Each simulated inference takes a random time in this range, so results arrive out of order."""

_ROLE_ACCOUNT = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/")


class UsageError(Exception):
    """The command line asks for something the demo cannot do; exit status 2."""


class TargetError(DemoFailure):
    """The place to run the demo cannot be reached or started; exit status 1."""


@attrs.frozen(kw_only=True)
class Settings:
    """The demo's options, from the command line."""

    name: str = "churn-demo"
    region: str | None = None
    endpoint_url: str | None = None
    role_arn: str | None = None
    image: str | None = None
    model_data_url: str | None = None
    bucket: str | None = None
    instance_type: str = "ml.m5.large"
    timeout: float | None = None

    @property
    def simulated(self) -> bool:
        """Whether no AWS resource was named, so the demo runs on the simulator."""
        return not (self.endpoint_url or self.role_arn or self.image or self.bucket)

    def check(self) -> None:
        """Raise :class:`UsageError` unless the options name a complete target."""
        if self.timeout is not None and not 0 < self.timeout <= MAX_TIMEOUT:
            raise UsageError(
                f"--timeout must be a number of seconds above 0, at most {MAX_TIMEOUT:g} "
                f"(a week), got {self.timeout}"
            )
        if self.simulated:
            if self.model_data_url is not None:
                raise UsageError("--model-data-url needs --role-arn, --image and --bucket")
            return
        missing = [
            flag
            for flag, value in (
                ("--role-arn", self.role_arn),
                ("--image", self.image),
                ("--bucket", self.bucket),
            )
            if not value
        ]
        if missing:
            raise UsageError(
                f"to run against AWS or LocalStack, also give {', '.join(missing)} "
                "(or none of --endpoint-url, --role-arn, --image, --bucket for the simulator)"
            )


class Target:
    """An account and region to deploy to, with its boto3 clients."""

    def __init__(
        self,
        *,
        description: str,
        session: boto3.Session | None,
        region: str,
        partition: str,
        account: str,
        bucket: str,
        role_arn: str,
        image: str,
        model_data_url: str | None,
        endpoint_url: str | None = None,
        simulator: SageMakerSimulator | None = None,
    ) -> None:
        self.description = description
        self._session = session
        self.region = region
        self.partition = partition
        self.account = account
        self.bucket = bucket
        self.role_arn = role_arn
        self.image = image
        self.model_data_url = model_data_url
        self.endpoint_url = endpoint_url
        self.simulator = simulator
        self._clients: dict[str, Any] = {}

    @property
    def session(self) -> boto3.Session:
        """The boto3 session: the simulator's (fake credentials) or the default chain's."""
        if self.simulator is not None:
            return self.simulator.session
        assert self._session is not None
        return self._session

    @property
    def owns_bucket(self) -> bool:
        """Whether the demo creates the bucket and deletes it at the end (the simulator)."""
        return self.simulator is not None

    def _client(self, service: str) -> Any:
        if service not in self._clients:
            if self.simulator is not None:
                self._clients[service] = self.simulator.client(service)
            else:
                from botocore.config import Config

                self._clients[service] = cast(Any, self.session).client(
                    service,
                    endpoint_url=self.endpoint_url,
                    config=Config(retries={"mode": "standard"}),
                )
        return self._clients[service]

    @property
    def sagemaker(self) -> SageMakerClient:
        """The ``sagemaker`` client."""
        return cast("SageMakerClient", self._client("sagemaker"))

    @property
    def runtime(self) -> SageMakerRuntimeClient:
        """The ``sagemaker-runtime`` client."""
        return cast("SageMakerRuntimeClient", self._client("sagemaker-runtime"))

    @property
    def s3(self) -> S3Client:
        """The ``s3`` client."""
        return cast("S3Client", self._client("s3"))

    @property
    def sns(self) -> SNSClient:
        """The ``sns`` client."""
        return cast("SNSClient", self._client("sns"))

    @property
    def sqs(self) -> SQSClient:
        """The ``sqs`` client."""
        return cast("SQSClient", self._client("sqs"))

    def start(self) -> None:
        """Start the simulator's server (nothing to start for AWS).

        Raises:
            TargetError: No port can be bound on 127.0.0.1, or the server did not start.
        """
        if self.simulator is None:
            return
        check_loopback()
        _run_with_deadline(self.simulator.start, SIMULATOR_START_TIMEOUT)
        url = self.simulator.endpoint_url
        self.description = f"the SageMaker simulator on {url} (region {self.region})"

    def stop(self) -> None:
        """Stop the simulator and drop its state (nothing for AWS)."""
        if self.simulator is not None:
            self.simulator.stop()


def simulator_target(settings: Settings) -> Target:
    """The simulator, built but not started, serving the demo's model."""
    from sagemaker_async.testing import SageMakerSimulator

    rng = random.Random(1)
    low, high = SIMULATED_LATENCY
    region = settings.region or DEFAULT_REGION
    simulator = SageMakerSimulator(
        transport="server",
        region=region,
        create_seconds=SIMULATED_CREATE_SECONDS,
        update_seconds=SIMULATED_UPDATE_SECONDS,
        delete_seconds=SIMULATED_DELETE_SECONDS,
        handler=_demo_model.handler,
        latency=lambda: rng.uniform(low, high),
    )
    account = simulator.account_id
    partition = _partition(region)
    suffix = ".cn" if partition == "aws-cn" else ""
    return Target(
        description=f"the SageMaker simulator (region {region})",
        session=None,
        region=region,
        partition=partition,
        account=account,
        bucket=SIMULATOR_BUCKET,
        role_arn=f"arn:{partition}:iam::{account}:role/{settings.name}-execution",
        image=f"{account}.dkr.ecr.{region}.amazonaws.com{suffix}/{settings.name}:1",
        model_data_url=None,
        simulator=simulator,
    )


def aws_target(settings: Settings) -> Target:
    """The account of ``--role-arn`` (through ``--endpoint-url`` if given).

    Raises:
        UsageError: No region is given or configured, or the role ARN names no account.
    """
    assert settings.role_arn is not None
    assert settings.image is not None
    assert settings.bucket is not None
    session = _session(settings.region)
    region = settings.region or session.region_name
    if not region:
        raise UsageError("give --region (or configure a default region for boto3)")
    match = _ROLE_ACCOUNT.match(settings.role_arn)
    if match is None:
        raise UsageError(
            f"--role-arn: expected arn:aws:iam::<12-digit account>:role/<name>, "
            f"received {settings.role_arn!r}"
        )
    where = settings.endpoint_url or f"AWS account {match.group(2)}"
    return Target(
        description=f"{where} (region {region})",
        session=session,
        region=region,
        partition=match.group(1),
        account=match.group(2),
        bucket=settings.bucket,
        role_arn=settings.role_arn,
        image=settings.image,
        model_data_url=settings.model_data_url,
        endpoint_url=settings.endpoint_url,
    )


def check_loopback() -> None:
    """Raise :class:`TargetError` unless a port can be bound on 127.0.0.1."""
    try:
        with socket.create_server(("127.0.0.1", 0)):
            pass
    except OSError as error:
        raise TargetError(
            f"cannot bind a port on 127.0.0.1 for the simulator's server ({error}); "
            "free a port or allow loopback connections, or run against AWS or "
            "LocalStack with --endpoint-url and real names"
        ) from error


def _run_with_deadline(start: Callable[[], object], seconds: float) -> None:
    # moto's ThreadedMotoServer waits forever for a server whose bind failed in its
    # thread: wait for it here with a deadline instead.
    failure: list[BaseException] = []

    def target() -> None:
        try:
            start()
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target, name="sagemaker-async-demo-start", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TargetError(
            f"the simulator's server on 127.0.0.1 did not start within {seconds:.0f} s "
            "(could it bind a port?)"
        )
    if failure:
        raise TargetError(f"the simulator did not start: {failure[0]}") from failure[0]


def _session(region: str | None) -> boto3.Session:
    import boto3

    return boto3.Session(region_name=region)


def _partition(region: str) -> str:
    import boto3
    from botocore.exceptions import UnknownRegionError

    try:
        return boto3.Session().get_partition_for_region(region)
    except UnknownRegionError:
        raise UsageError(f"--region: no AWS partition has a region called {region!r}") from None
