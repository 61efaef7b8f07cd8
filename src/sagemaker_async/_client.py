"""The facade: one method per step of an asynchronous endpoint's lifecycle."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, Final, TypeVar

from . import _constraints as c
from . import _validation as v
from ._converter import from_response, to_request
from ._input_path import default_input_path
from ._invocation import AsyncInvocation
from ._invoke import Body, InvokeRequest, id_prefix, new_inference_id
from ._models import EndpointConfig, EndpointDescription, EndpointStatus, Model
from ._s3 import delete_object, put_object
from ._service_errors import Trail, call, is_missing_config, is_transient, retrying
from ._waiters import (
    DELETED,
    IN_SERVICE,
    SETTLED,
    UPDATED,
    Backoff,
    ProgressCallback,
    Waiter,
    wait,
)
from .errors import (
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
    ValidationError,
)

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

log = logging.getLogger("sagemaker_async")

T = TypeVar("T")

ENDPOINT_TIMEOUT: Final = 1800.0
"""Default seconds to wait for an endpoint to be created or updated (30 minutes)."""

DELETE_TIMEOUT: Final = 600.0
"""Default seconds to wait for an endpoint to be deleted (10 minutes)."""

CONFIG_VISIBILITY_BACKOFF: Final = Backoff(initial=0.5, maximum=4.0, multiplier=2.0)
CONFIG_VISIBILITY_ATTEMPTS: Final = 6
"""A new endpoint config may stay invisible for a few seconds: about 12 s of retries."""

RETRY_ATTEMPTS: Final = 5
"""Attempts botocore makes per request in the clients the library builds (standard mode)."""

_NAME = v.rules(*c.NAME)[v.RULES][0]
_QUOTED_ARN = re.compile(r'"(arn:[^"]+)"')


def _check_names(subject: str, **names: object) -> None:
    problems: list[Problem] = []
    for field, value in names.items():
        for rule in _NAME:
            if isinstance(rule, v.Rule) and not _passes(rule, value):
                problems.append(Problem(field, rule.expected, value))
                break
    if problems:
        raise ValidationError(subject, problems)


def _check_s3_uri(subject: str, **uris: object) -> None:
    problems = [
        Problem(field, rule.expected, value)
        for field, value in uris.items()
        for rule in c.DESTINATION_S3_URI[:1] + c.DESTINATION_S3_URI[2:]
        if not _passes(rule, value)
    ][:1]
    if problems:
        raise ValidationError(subject, problems)


def _passes(rule: v.Rule, value: object) -> bool:
    try:
        return bool(rule.ok(value))
    except (TypeError, ValueError):
        return False


def _arn_in(message: str) -> str | None:
    """The ARN quoted in a message: ``Cannot create already existing model "arn:..."``."""
    found = _QUOTED_ARN.search(message)
    return None if found is None else found.group(1)


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"sagemaker-async/{version('sagemaker-async')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "sagemaker-async/unknown"


class AsyncInferenceClient:
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
        input_path: ``s3://bucket/prefix`` that ``invoke_async`` uploads payloads
            under; by default ``s3://<output bucket>/sagemaker-async-inputs/<endpoint>/``
            (the output bucket read once per endpoint from ``DescribeEndpoint``).
        backoff: Poll delays of the endpoint waiters.
        clock: Monotonic seconds; injectable so that tests need not wait.
        sleep: Sleeps the seconds given; injectable likewise.
    """

    def __init__(
        self,
        session: boto3.Session | None = None,
        *,
        sagemaker_client: SageMakerClient | None = None,
        runtime_client: SageMakerRuntimeClient | None = None,
        s3_client: S3Client | None = None,
        input_path: str | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if input_path is not None:
            _check_s3_uri("AsyncInferenceClient", input_path=input_path)
        self._input_path = input_path
        self._input_prefixes: dict[str, str] = {}
        self._id_prefix = id_prefix()
        self._session = session
        self._sagemaker = sagemaker_client
        self._runtime = runtime_client
        self._s3 = s3_client
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._sleep = sleep

    # -- boto3 clients, built on first use ---------------------------------------------

    def _client(self, service: str) -> Any:
        from botocore.config import Config

        if self._session is None:
            import boto3

            self._session = boto3.Session()
        config = Config(
            retries={"mode": "standard", "total_max_attempts": RETRY_ATTEMPTS},
            user_agent_extra=_user_agent(),
        )
        return self._session.client(service, config=config)  # type: ignore[call-overload]

    @property
    def sagemaker(self) -> SageMakerClient:
        """The ``sagemaker`` boto3 client in use."""
        if self._sagemaker is None:
            self._sagemaker = self._client("sagemaker")
        return self._sagemaker

    @property
    def runtime(self) -> SageMakerRuntimeClient:
        """The ``sagemaker-runtime`` boto3 client in use."""
        if self._runtime is None:
            self._runtime = self._client("sagemaker-runtime")
        return self._runtime

    @property
    def s3(self) -> S3Client:
        """The ``s3`` boto3 client in use."""
        if self._s3 is None:
            self._s3 = self._client("s3")
        return self._s3

    def _call(
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
            lambda: call(operation, method, **kwargs), sleep=self._sleep, echo=echo, trail=trail
        )

    # -- models and endpoint configs ---------------------------------------------------

    def create_model(self, model: Model) -> str:
        """Create *model*; return its ARN.

        Raises:
            ResourceExistsError: A model of that name exists (and this call did
                not create it: when a request's answer was lost and the retry finds
                the model, the model is this call's and its ARN is returned).
        """

        def echo(error: ServiceError) -> Any:
            if not isinstance(error, ResourceExistsError):
                raise error
            log.info(
                "CreateModel: model %s was created by a request whose answer was lost", model.name
            )
            arn = (
                _arn_in(error.message)
                or self._call("DescribeModel", self.sagemaker.describe_model, ModelName=model.name)[
                    "ModelArn"
                ]
            )
            return {"ModelArn": arn}

        response = self._call(
            "CreateModel", self.sagemaker.create_model, echo=echo, **to_request(model)
        )
        return str(response["ModelArn"])

    def create_endpoint_config(self, config: EndpointConfig) -> str:
        """Create the endpoint configuration *config*; return its ARN.

        Raises:
            ResourceExistsError: A config of that name exists (and this call did
                not create it; see :meth:`create_model`).
        """

        def echo(error: ServiceError) -> Any:
            if not isinstance(error, ResourceExistsError):
                raise error
            log.info(
                "CreateEndpointConfig: config %s was created by a request whose answer was lost",
                config.name,
            )
            arn = (
                _arn_in(error.message)
                or self._call(
                    "DescribeEndpointConfig",
                    self.sagemaker.describe_endpoint_config,
                    EndpointConfigName=config.name,
                )["EndpointConfigArn"]
            )
            return {"EndpointConfigArn": arn}

        response = self._call(
            "CreateEndpointConfig",
            self.sagemaker.create_endpoint_config,
            echo=echo,
            **to_request(config),
        )
        return str(response["EndpointConfigArn"])

    def describe_endpoint_config(self, name: str) -> EndpointConfig:
        """Read the endpoint configuration *name* back as a model."""
        _check_names("describe_endpoint_config", name=name)
        response = self._call(
            "DescribeEndpointConfig",
            self.sagemaker.describe_endpoint_config,
            EndpointConfigName=name,
        )
        return from_response(EndpointConfig, response)

    def delete_model(self, name: str) -> None:
        """Delete the model *name*.

        Raises:
            ResourceNotFoundError: There is no such model (a retry that finds it
                gone after a request whose answer was lost is success).
        """
        _check_names("delete_model", name=name)
        self._call("DeleteModel", self.sagemaker.delete_model, echo=_gone, ModelName=name)

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
        _check_names("delete_endpoint_config", name=name)
        if not force:
            user = self._endpoint_using(name)
            if user is not None:
                raise ResourceInUseError(
                    f"Endpoint {user!r} uses endpoint configuration {name!r}. Delete or "
                    "update the endpoint first, or pass force=True.",
                    code="ResourceInUse",
                    operation="DeleteEndpointConfig",
                )
        self._call(
            "DeleteEndpointConfig",
            self.sagemaker.delete_endpoint_config,
            echo=_gone,
            EndpointConfigName=name,
        )

    def _endpoint_using(self, config_name: str, created: Any = None) -> str | None:
        if created is None:
            created = self._call(
                "DescribeEndpointConfig",
                self.sagemaker.describe_endpoint_config,
                EndpointConfigName=config_name,
            )["CreationTime"]
        for endpoint_name in self._endpoints_changed_since(created):
            try:
                response = self._call(
                    "DescribeEndpoint", self.sagemaker.describe_endpoint, EndpointName=endpoint_name
                )
            except ResourceNotFoundError:
                continue
            pending = response.get("PendingDeploymentSummary", {}).get("EndpointConfigName")
            if config_name in (response.get("EndpointConfigName"), pending):
                return endpoint_name
        return None

    def _endpoints_changed_since(self, when: Any) -> Iterator[str]:
        # An endpoint can only use a config created or updated to after it existed.
        kwargs: dict[str, Any] = {"MaxResults": 100, "LastModifiedTimeAfter": when}
        while True:
            page = self._call("ListEndpoints", self.sagemaker.list_endpoints, **kwargs)
            for summary in page["Endpoints"]:
                yield summary["EndpointName"]
            token = page.get("NextToken")
            if not token:
                return
            kwargs["NextToken"] = token

    # -- endpoints ---------------------------------------------------------------------

    def describe_endpoint(self, endpoint_name: str) -> EndpointDescription:
        """Describe the endpoint *endpoint_name*."""
        _check_names("describe_endpoint", endpoint_name=endpoint_name)
        return self._describe(endpoint_name)

    def _describe(self, endpoint_name: str) -> EndpointDescription:
        return from_response(EndpointDescription, self._describe_raw(endpoint_name))

    def _describe_once(self, endpoint_name: str) -> EndpointDescription:
        # For the waiters, which retry throttling and 5xx themselves, within their timeout.
        response = call(
            "DescribeEndpoint", self.sagemaker.describe_endpoint, EndpointName=endpoint_name
        )
        return from_response(EndpointDescription, response)

    def _describe_raw(self, endpoint_name: str) -> dict[str, Any]:
        return dict(
            self._call(
                "DescribeEndpoint", self.sagemaker.describe_endpoint, EndpointName=endpoint_name
            )
        )

    def _wait(
        self,
        waiter: Waiter,
        endpoint_name: str,
        timeout: float,
        on_progress: ProgressCallback | None,
        **extra: Any,
    ) -> EndpointDescription | None:
        return wait(
            waiter,
            endpoint_name,
            self._describe_once,
            timeout=timeout,
            backoff=self._backoff,
            clock=self._clock,
            sleep=self._sleep,
            on_progress=on_progress,
            **extra,
        )

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
        _check_names("wait_for_endpoint", endpoint_name=endpoint_name)
        described = self._wait(IN_SERVICE, endpoint_name, timeout, on_progress)
        assert described is not None  # IN_SERVICE never succeeds on a missing endpoint
        return described

    def _await_config(self, config_name: str, operation: str) -> dict[str, Any]:
        """Describe the config, retrying while SageMaker does not see it yet."""
        return dict(
            self._retry_missing_config(
                operation, self.sagemaker.describe_endpoint_config, EndpointConfigName=config_name
            )
        )

    def _retry_missing_config(
        self,
        operation: str,
        method: Callable[..., Any],
        *,
        echo: Callable[[ServiceError], Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        delays = CONFIG_VISIBILITY_BACKOFF.delays()
        trail = Trail()  # one call, however many times it is made
        for attempt in range(CONFIG_VISIBILITY_ATTEMPTS):
            try:
                return self._call(operation, method, echo=echo, trail=trail, **kwargs)
            except ServiceError as error:
                if not is_missing_config(error) or attempt == CONFIG_VISIBILITY_ATTEMPTS - 1:
                    raise
                log.info("%s: endpoint config not visible yet, retrying", operation)
                self._sleep(delays())
        raise AssertionError("unreachable")  # pragma: no cover

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
        _check_names("create_endpoint", endpoint_name=endpoint_name, config_name=config_name)

        self._await_config(config_name, "DescribeEndpointConfig")
        self._retry_missing_config(
            "CreateEndpoint",
            self.sagemaker.create_endpoint,
            # "Already exists" on this config: a request whose answer was lost created it.
            echo=self._done_by_lost_answer(
                "CreateEndpoint", ResourceExistsError, endpoint_name, config_name
            ),
            EndpointName=endpoint_name,
            EndpointConfigName=config_name,
        )
        if not wait:
            return self._describe(endpoint_name)
        described = self._wait(IN_SERVICE, endpoint_name, timeout, on_progress)
        assert described is not None
        return described

    def _done_by_lost_answer(
        self,
        operation: str,
        refusal: type[ServiceError],
        endpoint_name: str,
        config_name: str,
    ) -> Callable[[ServiceError], Any]:
        """An ``echo`` for a retried request: *refusal* is success if the endpoint
        already runs (or moves to) *config_name*, the work of an earlier attempt."""

        def echo(error: ServiceError) -> Any:
            if isinstance(error, refusal) and config_name in self._configs_of(endpoint_name):
                log.info(
                    "%s: endpoint %s was changed by a request whose answer was lost",
                    operation,
                    endpoint_name,
                )
                return {}
            raise error

        return echo

    def _configs_of(self, endpoint_name: str) -> tuple[str, ...]:
        """The config the endpoint runs and the one it is being updated to; () if it is gone."""
        try:
            response = self._describe_raw(endpoint_name)
        except ResourceNotFoundError:
            return ()
        pending = response.get("PendingDeploymentSummary", {}).get("EndpointConfigName")
        return tuple(name for name in (response.get("EndpointConfigName"), pending) if name)

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
        _check_names("update_endpoint", endpoint_name=endpoint_name, config_name=config_name)
        before = self._describe(endpoint_name)
        new_config = self._await_config(config_name, "DescribeEndpointConfig")
        if before.async_inference is not None and "AsyncInferenceConfig" not in new_config:
            raise ValidationError(
                "update_endpoint",
                [
                    Problem(
                        "config_name",
                        f"an endpoint config with an AsyncInferenceConfig, since endpoint "
                        f"{endpoint_name!r} is asynchronous",
                        config_name,
                    )
                ],
            )

        self._retry_missing_config(
            "UpdateEndpoint",
            self.sagemaker.update_endpoint,
            # "In progress" to this config: a request whose answer was lost started it.
            echo=self._done_by_lost_answer(
                "UpdateEndpoint", ResourceInUseError, endpoint_name, config_name
            ),
            EndpointName=endpoint_name,
            EndpointConfigName=config_name,
        )
        if not wait:
            return self._describe(endpoint_name)
        described = self._wait(
            UPDATED,
            endpoint_name,
            timeout,
            on_progress,
            target_config=config_name,
            failure_reason_before=before.failure_reason,
        )
        assert described is not None
        return described

    def delete_endpoint(
        self,
        endpoint_name: str,
        *,
        wait: bool = True,
        timeout: float = DELETE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Delete the endpoint; with *wait*, return once it is gone (default 10 minutes)."""
        _check_names("delete_endpoint", endpoint_name=endpoint_name)

        def echo(error: ServiceError) -> None:
            # Gone, or "in progress" while Deleting: a request whose answer was lost did it.
            if not isinstance(error, ResourceNotFoundError) and not (
                isinstance(error, ResourceInUseError) and self._deleting(endpoint_name)
            ):
                raise error

        self._call(
            "DeleteEndpoint", self.sagemaker.delete_endpoint, echo=echo, EndpointName=endpoint_name
        )
        if wait:
            self._wait(DELETED, endpoint_name, timeout, on_progress)

    def _deleting(self, endpoint_name: str) -> bool:
        """Whether the endpoint is being deleted or is gone."""
        try:
            return self._describe(endpoint_name).status is EndpointStatus.DELETING
        except ResourceNotFoundError:
            return True

    # -- invocations -------------------------------------------------------------------

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
        the_id = inference_id or new_inference_id(self._id_prefix)
        uploaded: str | None = None
        location = input_location
        if body is not None and not inline:
            uploaded = location = self._input_prefix(endpoint_name) + the_id
            self._upload(uploaded, request.payload(), content_type)
        try:
            response = self._call(
                "InvokeEndpointAsync",
                self.runtime.invoke_endpoint_async,
                **request.parameters(the_id, location),
            )
        except (ServiceError, ValidationError) as error:
            if uploaded is None:
                raise
            if isinstance(error, ServiceError) and is_transient(error):
                # No answer: SageMaker may have queued it, and will read the input.
                error.add_note(
                    f"The invocation may have been accepted: its input stays at {uploaded}. "
                    f"Invoke again with inference_id={the_id!r} to have one result either way."
                )
            else:
                # Refused: leave nothing behind for a request that was never accepted.
                with contextlib.suppress(ServiceError):
                    self._call_s3(lambda: delete_object(self.s3, uploaded))
            raise
        return AsyncInvocation(
            response.get("InferenceId") or the_id,
            response["OutputLocation"],
            response.get("FailureLocation"),
            client=self,
        )

    def _call_s3(self, attempt: Callable[[], T]) -> T:
        return retrying(attempt, sleep=self._sleep)

    def _upload(self, uri: str, payload: bytes | IO[bytes], content_type: str | None) -> None:
        """PutObject, retried; a file object is read again from where it started."""
        if isinstance(payload, bytes):
            self._call_s3(lambda: put_object(self.s3, uri, payload, content_type))
            return
        try:
            start: int | None = payload.tell() if payload.seekable() else None
        except (OSError, ValueError):
            start = None
        if start is None:
            # A stream read once cannot be sent again: botocore's retries only.
            put_object(self.s3, uri, payload, content_type)
            return

        def upload() -> None:
            payload.seek(start)
            put_object(self.s3, uri, payload, content_type)

        self._call_s3(upload)

    def invocation(
        self,
        inference_id: str,
        output_location: str,
        failure_location: str | None = None,
    ) -> AsyncInvocation:
        """Rebuild an invocation from its id and locations, bound to this client."""
        _check_s3_uri("invocation", output_location=output_location)
        if failure_location is not None:
            _check_s3_uri("invocation", failure_location=failure_location)
        return AsyncInvocation(inference_id, output_location, failure_location, client=self)

    def _input_prefix(self, endpoint_name: str) -> str:
        if self._input_path is not None:
            return self._input_path.rstrip("/") + "/"
        prefix = self._input_prefixes.get(endpoint_name)
        if prefix is None:
            output_path = self._output_path(endpoint_name)
            prefix = self._input_prefixes[endpoint_name] = default_input_path(
                output_path, endpoint_name
            )
        return prefix

    def _output_path(self, endpoint_name: str) -> str:
        described = self._describe(endpoint_name)
        if described.async_inference is not None:
            return described.async_inference.output_path
        if described.config_name is not None:
            # Some emulators leave AsyncInferenceConfig out of DescribeEndpoint.
            config = self._call(
                "DescribeEndpointConfig",
                self.sagemaker.describe_endpoint_config,
                EndpointConfigName=described.config_name,
            )
            output = config.get("AsyncInferenceConfig", {}).get("OutputConfig", {})
            if "S3OutputPath" in output:
                return str(output["S3OutputPath"])
        raise ValidationError(
            "invoke_async",
            [
                Problem(
                    "endpoint_name",
                    "an asynchronous endpoint (with an AsyncInferenceConfig), or pass "
                    "input_path= to the client",
                    endpoint_name,
                )
            ],
        )

    # -- whole deployments -------------------------------------------------------------

    def deploy(
        self,
        model: Model,
        config: EndpointConfig,
        endpoint_name: str,
        *,
        wait: bool = True,
        timeout: float = ENDPOINT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> EndpointDescription:
        """Create the model, the endpoint config and the endpoint, and wait.

        If a step fails, what this call created is deleted (and only that: a
        model, config or endpoint of the same name that existed before is left
        alone), and the original error is raised. An endpoint still being
        created is waited for (up to *timeout* more) before it is deleted.
        """
        _check_names("deploy", endpoint_name=endpoint_name)
        if model.name not in config.model_names:
            raise ValidationError(
                "deploy",
                [
                    Problem(
                        "config.variants",
                        f"a variant serving model {model.name!r}",
                        config.model_names,
                    )
                ],
            )
        undo: list[tuple[str, Callable[[], object]]] = []
        try:
            self.create_model(model)
            undo.append((f"model {model.name}", lambda: self.delete_model(model.name)))
            self.create_endpoint_config(config)
            undo.append(
                (
                    f"endpoint config {config.name}",
                    lambda: self.delete_endpoint_config(config.name, force=True),
                )
            )
            # Whatever CreateEndpoint answered, an endpoint running this new config
            # can only be this call's: the undo deletes that one and no other.
            undo.append(
                (
                    f"endpoint {endpoint_name}",
                    lambda: self._remove_endpoint(endpoint_name, timeout, running=config.name),
                )
            )
            return self.create_endpoint(
                endpoint_name, config.name, wait=wait, timeout=timeout, on_progress=on_progress
            )
        except BaseException as error:
            self._undo(reversed(undo), error)
            raise

    def _remove_endpoint(
        self, endpoint_name: str, timeout: float, *, running: str | None = None
    ) -> bool:
        """Delete the endpoint once it is at rest, and wait until it is gone.

        Returns False, having done nothing, if it does not exist, or (with
        *running*) if it neither runs nor is being updated to *running*.
        """
        if running is not None and running not in self._configs_of(endpoint_name):
            return False
        # SageMaker refuses to delete an endpoint being created or updated.
        settled = self._wait(SETTLED, endpoint_name, timeout, None)
        if settled is None:
            return False
        if settled.status is not EndpointStatus.DELETING:
            self.delete_endpoint(endpoint_name, wait=False)
        self._wait(DELETED, endpoint_name, timeout, None)
        return True

    def _undo(
        self, steps: Iterator[tuple[str, Callable[[], object]]], error: BaseException
    ) -> None:
        for what, step in steps:
            try:
                if step() is not False:
                    log.info("deploy failed; deleted %s", what)
            except ResourceNotFoundError:
                pass
            except Exception as undo_error:
                log.error("deploy failed, and deleting %s failed too: %s", what, undo_error)
                error.add_note(f"Deleting {what} after the failure failed too: {undo_error}")

    def teardown(
        self,
        endpoint_name: str,
        *,
        config_names: Iterable[str] = (),
        timeout: float = DELETE_TIMEOUT,
    ) -> None:
        """Delete the endpoint, wait until it is gone, then its config and the config's models.

        Missing pieces are not errors, and an endpoint still being created or
        updated is waited for (up to *timeout*) before it is deleted, so a
        teardown that was interrupted can be run again. The endpoint config the
        endpoint runs is found by describing it; name others in *config_names*
        (for example every config the endpoint was deployed or updated with):
        they are deleted with their models too, and a teardown interrupted after
        the endpoint was deleted still finds them when run again. A config
        another endpoint uses is left in place (with its models).
        """
        names = tuple(config_names)
        _check_names("teardown", endpoint_name=endpoint_name)
        for name in names:
            _check_names("teardown", config_names=name)
        configs = list(names)
        try:
            described = self._describe(endpoint_name)
        except ResourceNotFoundError:
            log.info("teardown: endpoint %s does not exist", endpoint_name)
        else:
            if described.config_name is not None:
                configs.insert(0, described.config_name)
            self._remove_endpoint(endpoint_name, timeout)
        for name in dict.fromkeys(configs):
            self._remove_config(name)

    def _remove_config(self, config_name: str) -> None:
        """Delete the config's models, then the config, unless an endpoint uses it.

        Models first: if this is interrupted, the config still names what is left.
        """
        try:
            response = self._call(
                "DescribeEndpointConfig",
                self.sagemaker.describe_endpoint_config,
                EndpointConfigName=config_name,
            )
        except ResourceNotFoundError:
            return
        user = self._endpoint_using(config_name, response["CreationTime"])
        if user is not None:
            log.warning("teardown: kept %s and its models: endpoint %r uses it", config_name, user)
            return
        variants = response["ProductionVariants"]
        for name in dict.fromkeys(each["ModelName"] for each in variants if "ModelName" in each):
            with contextlib.suppress(ResourceNotFoundError):
                self.delete_model(name)
        with contextlib.suppress(ResourceNotFoundError):
            self.delete_endpoint_config(config_name, force=True)


def _gone(error: ServiceError) -> None:
    """Echo of a delete: "not found" after a request whose answer was lost is success."""
    if not isinstance(error, ResourceNotFoundError):
        raise error
