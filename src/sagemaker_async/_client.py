"""The facade: one method per step of an asynchronous endpoint's lifecycle.

Each method checks its arguments by their rules (:func:`.models.checked`), before
any AWS call, and decides nothing itself: it hands over to the room that owns the
behaviour (:mod:`.endpoints`, :mod:`.invocations`, :mod:`.deployment`), all
sharing one :class:`~.aws.Services`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .aws import SERVICES_ARGUMENTS, Backoff, ServiceAccess, Services
from .deployment import deploy, teardown, update
from .endpoints import DELETE_TIMEOUT, ENDPOINT_TIMEOUT, Configs, Endpoints, ProgressCallback
from .invocations import AsyncInvocation, Body, InvokeRequest, Submitter, invoke_many
from .invocations._submit import INVOCATION_ARGUMENTS, SUBMITTER_ARGUMENTS
from .models import checked
from .routers import RouterMethods
from .scaling import Autoscaling, ScalingMethods

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_application_autoscaling import ApplicationAutoScalingClient
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

    from .models import EndpointConfig, EndpointDescription, Model, ScalingPolicy

__all__ = ["DELETE_TIMEOUT", "ENDPOINT_TIMEOUT", "AsyncInferenceClient"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AsyncInferenceClient(ScalingMethods, RouterMethods, ServiceAccess):
    """Create, update, invoke, await and delete SageMaker asynchronous endpoints.

    Built from a :class:`boto3.Session` (the default session when none is given)
    or from injected boto3 clients, as users of moto or LocalStack do. Clients
    are created on first use, with botocore's standard retry mode (five
    attempts) and a user-agent suffix naming this library.

    When botocore's retries run out, throttling, 5xx answers and lost
    connections are retried again by the client, for about two minutes, on
    *sleep*; calls that are not idempotent are made safe to repeat (see the
    "Guarantees" page of the documentation). What retrying cannot fix is
    raised at once.

    Example:
        >>> client = AsyncInferenceClient()  # doctest: +SKIP
        >>> client.deploy(model, config, "churn")  # doctest: +SKIP

    Args:
        session: The boto3 session to build clients from.
        sagemaker_client: A ``sagemaker`` client to use instead of building one.
        runtime_client: A ``sagemaker-runtime`` client to use instead.
        s3_client: An ``s3`` client to use instead.
        autoscaling_client, cloudwatch_client, router_runtime_client: ``application-autoscaling``,
            ``cloudwatch`` and ``sagemaker-inference-router-runtime`` clients to use instead.
        input_path: ``s3://bucket/prefix`` that ``invoke_async`` uploads payloads
            under; by default ``s3://<output bucket>/sagemaker-async-inputs/<endpoint>/``
            (the output bucket read once per endpoint from ``DescribeEndpoint``).
        inference_id_prefix: Every inference id the client makes starts with it (1
            to 19 printable ASCII characters), for a queue filtered on it to hear of them.
        backoff: Poll delays of the endpoint waiters.
        clock: Monotonic seconds; injectable so that tests need not wait.
        sleep: Sleeps the seconds given; injectable likewise.
        now: The wall-clock time (an aware UTC datetime) metric windows end at;
            injectable for simulated time (``sim.now``).
    """

    @checked(**SERVICES_ARGUMENTS, **SUBMITTER_ARGUMENTS)
    def __init__(
        self,
        session: boto3.Session | None = None,
        *,
        sagemaker_client: SageMakerClient | None = None,
        runtime_client: SageMakerRuntimeClient | None = None,
        s3_client: S3Client | None = None,
        autoscaling_client: ApplicationAutoScalingClient | None = None,
        cloudwatch_client: CloudWatchClient | None = None,
        router_runtime_client: Any = None,
        input_path: str | None = None,
        inference_id_prefix: str | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._aws = Services(
            session,
            clients={
                "sagemaker": sagemaker_client,
                "sagemaker-runtime": runtime_client,
                "s3": s3_client,
                "application-autoscaling": autoscaling_client,
                "cloudwatch": cloudwatch_client,
                "sagemaker-inference-router-runtime": router_runtime_client,
            },
            backoff=backoff,
            clock=clock,
            sleep=sleep,
        )
        self._configs = Configs(self._aws)
        self._endpoints = Endpoints(self._aws, self._configs)
        self._autoscaling = Autoscaling(self._aws)
        self._now = now
        self._submitter = Submitter(
            self._aws,
            input_path=input_path,
            output_path=self._endpoints.output_path,
            inference_id_prefix=inference_id_prefix,
        )

    # -- models and endpoint configs ---------------------------------------------------

    @checked()
    def create_model(self, model: Model) -> str:
        """Create *model*; return its ARN.

        Raises:
            ResourceExistsError: A model of that name exists (and this call did
                not create it: when a request's answer was lost and the retry finds
                the model, the model is this call's and its ARN is returned).
        """
        return self._configs.create_model(model)

    @checked()
    def create_endpoint_config(self, config: EndpointConfig) -> str:
        """Create the endpoint configuration *config*; return its ARN.

        Raises:
            ResourceExistsError: A config of that name exists (and this call did
                not create it; see :meth:`create_model`).
        """
        return self._configs.create_endpoint_config(config)

    @checked()
    def describe_endpoint_config(self, name: str) -> EndpointConfig:
        """Read the endpoint configuration *name* back as a model."""
        return self._configs.describe_endpoint_config(name)

    @checked()
    def delete_model(self, name: str) -> None:
        """Delete the model *name*.

        Raises:
            ResourceNotFoundError: There is no such model (a retry that finds it
                gone after a request whose answer was lost is success).
        """
        self._configs.delete_model(name)

    @checked()
    def delete_endpoint_config(self, name: str, *, force: bool = False) -> None:
        """Delete the endpoint configuration *name*.

        Unless *force*, first check that no endpoint uses it (nor is being created
        or updated to it), since SageMaker lets it go and the endpoint then cannot
        be described fully or updated back. The check costs one
        ``DescribeEndpointConfig``, one ``ListEndpoints`` per 100 endpoints changed
        since the config was created, and one ``DescribeEndpoint`` for each of them.

        Raises:
            ResourceInUseError: An endpoint uses the config (pass ``force=True``).
        """
        self._configs.delete_endpoint_config(name, force=force)

    # -- endpoints ---------------------------------------------------------------------

    @checked()
    def describe_endpoint(self, endpoint_name: str) -> EndpointDescription:
        """Describe the endpoint *endpoint_name*."""
        return self._endpoints.describe(endpoint_name)

    @checked()
    def wait_for_endpoint(
        self,
        endpoint_name: str,
        *,
        timeout: float = ENDPOINT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> EndpointDescription:
        """Wait until the endpoint is InService (default timeout 30 minutes).

        Raises:
            EndpointFailedError: It reached ``Failed``, ``OutOfService``,
                ``UpdateRollbackFailed`` or ``Deleting``.
            WaiterTimeoutError: It was still changing after *timeout* seconds.
        """
        return self._endpoints.wait_for(endpoint_name, timeout, on_progress)

    @checked()
    def create_endpoint(
        self,
        endpoint_name: str,
        config_name: str,
        *,
        wait: bool = True,
        timeout: float = ENDPOINT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> EndpointDescription:
        """Create an endpoint from the config *config_name*; wait until it is InService.

        SageMaker reads a new config with eventual consistency, so the config is
        described first and a "Could not find endpoint configuration" answer is
        retried for about 12 s before :class:`ResourceNotFoundError` is raised.
        With ``wait=False`` the endpoint's first description is returned at once.
        """
        return self._endpoints.create(
            endpoint_name, config_name, wait=wait, timeout=timeout, on_progress=on_progress
        )

    @checked()
    def update_endpoint(
        self,
        endpoint_name: str,
        config_name: str,
        *,
        wait: bool = True,
        timeout: float = ENDPOINT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> EndpointDescription:
        """Move the endpoint to the config *config_name*; wait until it serves it.

        A failed update rolls back to InService on the old config: that raises
        :class:`EndpointFailedError`, never returns.

        Raises:
            ValidationError: The endpoint is asynchronous and the new config has no
                ``AsyncInferenceConfig`` (SageMaker cannot remove it).
        """
        return update(
            self._configs,
            self._endpoints,
            self._autoscaling,
            endpoint_name,
            config_name,
            wait=wait,
            timeout=timeout,
            on_progress=on_progress,
        )

    @checked()
    def delete_endpoint(
        self,
        endpoint_name: str,
        *,
        wait: bool = True,
        timeout: float = DELETE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Delete the endpoint; with *wait*, return once it is gone (default 10 minutes)."""
        self._endpoints.delete(endpoint_name, wait=wait, timeout=timeout, on_progress=on_progress)

    # -- invocations -------------------------------------------------------------------

    @checked()
    def invoke_async(
        self,
        endpoint_name: str,
        body: Body | None = None,
        *,
        input_location: str | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        inference_id: str | None = None,
        custom_attributes: str | None = None,
        request_ttl_seconds: int | None = None,
        invocation_timeout_seconds: int | None = None,
        output_path_extension: str | None = None,
        filename: str | None = None,
        inline: bool = False,
    ) -> AsyncInvocation:
        """Submit one asynchronous inference; return the invocation to await.

        Give the payload as *body* (bytes, str or a binary file object), which is
        uploaded under the client's input path (or, with ``inline=True`` and up to
        128,000 bytes, sent in the request itself), or as the *input_location* of
        an object already in S3. Every argument is checked against the API's
        limits before any call. Without *inference_id* a unique one is made, and
        every retry of the request sends the same one, so it cannot produce a
        second result.

        Raises:
            ValidationError: An argument breaks the API's rules.
        """
        request = InvokeRequest(
            endpoint_name=endpoint_name,
            body=body,
            input_location=input_location,
            inline=inline,
            content_type=content_type,
            accept=accept,
            inference_id=inference_id,
            custom_attributes=custom_attributes,
            request_ttl_seconds=request_ttl_seconds,
            invocation_timeout_seconds=invocation_timeout_seconds,
            output_path_extension=output_path_extension,
            filename=filename,
        )
        return self._submitter.invoke(request, inference_id)

    @checked()
    def invoke_many(
        self, endpoint_name: str, bodies: Iterable[Body], *, concurrency: int = 16, **options: Any
    ) -> tuple[AsyncInvocation, ...]:
        """Submit one invocation per body, *concurrency* at a time; return them in order.

        A ``str`` starting with ``s3://`` is an input location. *options* are the
        keywords of :meth:`invoke_async` but ``inference_id``. Everything is checked
        before any call; if submissions fail, the others are still made, then
        :class:`SubmissionError` carries both.
        """
        return invoke_many(
            self._submitter, endpoint_name, bodies, concurrency=concurrency, options=options
        )

    @checked(**INVOCATION_ARGUMENTS)
    def invocation(
        self,
        inference_id: str,
        output_location: str,
        failure_location: str | None = None,
    ) -> AsyncInvocation:
        """Rebuild an invocation from its id and locations, bound to this client."""
        return self._submitter.invocation(inference_id, output_location, failure_location)

    # -- whole deployments -------------------------------------------------------------

    @checked()
    def deploy(
        self,
        model: Model,
        config: EndpointConfig,
        endpoint_name: str,
        *,
        wait: bool = True,
        timeout: float = ENDPOINT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        scaling: ScalingPolicy | None = None,
    ) -> EndpointDescription:
        """Create the model, the endpoint config and the endpoint, and wait.

        If a step fails, what this call created is deleted (and only that: a
        model, config or endpoint of the same name that existed before is left
        alone), and the original error is raised. An endpoint still being
        created is waited for (up to *timeout* more) before it is deleted.
        With *scaling*, autoscaling of the first variant is enabled last (and
        undone with the rest if it fails).
        """
        return deploy(
            self._configs,
            self._endpoints,
            self._autoscaling,
            model,
            config,
            endpoint_name,
            wait=wait,
            timeout=timeout,
            on_progress=on_progress,
            scaling=scaling,
        )

    @checked()
    def teardown(
        self,
        endpoint_name: str,
        *,
        config_names: Iterable[str] = (),
        timeout: float = DELETE_TIMEOUT,
    ) -> None:
        """Disable autoscaling, delete the endpoint, then its config and the config's models.

        Missing pieces are not errors, and an endpoint still being created or
        updated is waited for (up to *timeout*) before it is deleted, so a
        teardown that was interrupted can be run again. The endpoint config the
        endpoint runs is found by describing it; name others in *config_names*
        (for example every config the endpoint was deployed or updated with):
        they are deleted with their models too, and a teardown interrupted after
        the endpoint was deleted still finds them when run again. A config
        another endpoint uses is left in place (with its models).
        """
        teardown(
            self._configs,
            self._endpoints,
            self._autoscaling,
            endpoint_name,
            config_names=config_names,
            timeout=timeout,
        )
