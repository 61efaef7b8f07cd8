"""Endpoints: create, update, describe, wait for and delete one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from sagemaker_async.aws import Backoff, Services, Trail, call, is_missing_config, read_answer
from sagemaker_async.errors import (
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
    ValidationError,
)
from sagemaker_async.models import EndpointDescription, EndpointStatus, check_names, check_timeout

from ._configs import Configs
from ._waiters import DELETED, IN_SERVICE, SETTLED, UPDATED, ProgressCallback, Waiter, wait

log = logging.getLogger("sagemaker_async")

ENDPOINT_TIMEOUT: Final = 1800.0
"""Default seconds to wait for an endpoint to be created or updated (30 minutes)."""

DELETE_TIMEOUT: Final = 600.0
"""Default seconds to wait for an endpoint to be deleted (10 minutes)."""

CONFIG_VISIBILITY_BACKOFF: Final = Backoff(initial=0.5, maximum=4.0, multiplier=2.0)
CONFIG_VISIBILITY_ATTEMPTS: Final = 6
"""A new endpoint config may stay invisible for a few seconds: about 12 s of retries."""


class Endpoints:
    """CreateEndpoint, UpdateEndpoint, DescribeEndpoint, DeleteEndpoint and the waiters."""

    def __init__(self, aws: Services, configs: Configs) -> None:
        self._aws = aws
        self._configs = configs

    # -- describing and waiting ----------------------------------------------------------

    def describe_raw(self, endpoint_name: str) -> dict[str, Any]:
        """The ``DescribeEndpoint`` answer as AWS gives it (retried)."""
        aws = self._aws
        return dict(
            aws.call(
                "DescribeEndpoint", aws.sagemaker.describe_endpoint, EndpointName=endpoint_name
            )
        )

    def describe(self, endpoint_name: str) -> EndpointDescription:
        """Describe the endpoint (retried)."""
        return read_answer(
            EndpointDescription, self.describe_raw(endpoint_name), "DescribeEndpoint"
        )

    def _describe_once(self, endpoint_name: str) -> EndpointDescription:
        # For the waiters, which retry throttling and 5xx themselves, within their timeout.
        response = call(
            "DescribeEndpoint", self._aws.sagemaker.describe_endpoint, EndpointName=endpoint_name
        )
        return read_answer(EndpointDescription, response, "DescribeEndpoint")

    def wait(
        self,
        waiter: Waiter,
        endpoint_name: str,
        timeout: float,
        on_progress: ProgressCallback | None,
        **extra: Any,
    ) -> EndpointDescription | None:
        """Run *waiter* on the endpoint with this client's backoff, clock and sleep."""
        aws = self._aws
        return wait(
            waiter,
            endpoint_name,
            self._describe_once,
            timeout=timeout,
            backoff=aws.backoff,
            clock=aws.clock,
            sleep=aws.sleep,
            on_progress=on_progress,
            **extra,
        )

    def wait_for(
        self, endpoint_name: str, timeout: float, on_progress: ProgressCallback | None
    ) -> EndpointDescription:
        """Wait until the endpoint is InService."""
        check_names("wait_for_endpoint", endpoint_name=endpoint_name)
        check_timeout("wait_for_endpoint", timeout)
        described = self.wait(IN_SERVICE, endpoint_name, timeout, on_progress)
        assert described is not None  # IN_SERVICE never succeeds on a missing endpoint
        return described

    def configs_of(self, endpoint_name: str) -> tuple[str, ...]:
        """The config the endpoint runs and the one it is being updated to; () if it is gone."""
        try:
            response = self.describe_raw(endpoint_name)
        except ResourceNotFoundError:
            return ()
        pending = response.get("PendingDeploymentSummary", {}).get("EndpointConfigName")
        return tuple(name for name in (response.get("EndpointConfigName"), pending) if name)

    def output_path(self, endpoint_name: str) -> str:
        """The endpoint's ``S3OutputPath``; ValidationError if it is not asynchronous."""
        described = self.describe(endpoint_name)
        if described.async_inference is not None:
            return described.async_inference.output_path
        if described.config_name is not None:
            # Some emulators leave AsyncInferenceConfig out of DescribeEndpoint.
            config = self._configs.describe_raw(described.config_name)
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

    # -- eventual consistency and lost answers ---------------------------------------------

    def _await_config(self, config_name: str) -> dict[str, Any]:
        """Describe the config, retrying while SageMaker does not see it yet."""
        aws = self._aws
        return dict(
            self._retry_missing_config(
                "DescribeEndpointConfig",
                aws.sagemaker.describe_endpoint_config,
                EndpointConfigName=config_name,
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
                return self._aws.call(operation, method, echo=echo, trail=trail, **kwargs)
            except ServiceError as error:
                if not is_missing_config(error) or attempt == CONFIG_VISIBILITY_ATTEMPTS - 1:
                    raise
                log.info("%s: endpoint config not visible yet, retrying", operation)
                self._aws.sleep(delays())
        raise AssertionError("unreachable")  # pragma: no cover

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
            if isinstance(error, refusal) and config_name in self.configs_of(endpoint_name):
                log.info(
                    "%s: endpoint %s was changed by a request whose answer was lost",
                    operation,
                    endpoint_name,
                )
                return {}
            raise error

        return echo

    # -- changing endpoints ----------------------------------------------------------------

    def create(
        self,
        endpoint_name: str,
        config_name: str,
        *,
        wait: bool,
        timeout: float,
        on_progress: ProgressCallback | None,
    ) -> EndpointDescription:
        """CreateEndpoint once the config is visible; wait until InService if asked."""
        check_names("create_endpoint", endpoint_name=endpoint_name, config_name=config_name)
        check_timeout("create_endpoint", timeout)
        self._await_config(config_name)
        self._retry_missing_config(
            "CreateEndpoint",
            self._aws.sagemaker.create_endpoint,
            # "Already exists" on this config: a request whose answer was lost created it.
            echo=self._done_by_lost_answer(
                "CreateEndpoint", ResourceExistsError, endpoint_name, config_name
            ),
            EndpointName=endpoint_name,
            EndpointConfigName=config_name,
        )
        if not wait:
            return self.describe(endpoint_name)
        described = self.wait(IN_SERVICE, endpoint_name, timeout, on_progress)
        assert described is not None
        return described

    def update(
        self,
        endpoint_name: str,
        config_name: str,
        *,
        wait: bool,
        timeout: float,
        on_progress: ProgressCallback | None,
        retain_variant_properties: bool = False,
    ) -> EndpointDescription:
        """UpdateEndpoint to *config_name*; wait until it serves it (a rollback raises).

        With *retain_variant_properties*, the variants keep their current instance
        counts and weights (``RetainAllVariantProperties``).
        """
        check_names("update_endpoint", endpoint_name=endpoint_name, config_name=config_name)
        check_timeout("update_endpoint", timeout)
        before = self.describe(endpoint_name)
        new_config = self._await_config(config_name)
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
            self._aws.sagemaker.update_endpoint,
            # "In progress" to this config: a request whose answer was lost started it.
            echo=self._done_by_lost_answer(
                "UpdateEndpoint", ResourceInUseError, endpoint_name, config_name
            ),
            EndpointName=endpoint_name,
            EndpointConfigName=config_name,
            **({"RetainAllVariantProperties": True} if retain_variant_properties else {}),
        )
        if not wait:
            return self.describe(endpoint_name)
        described = self.wait(
            UPDATED,
            endpoint_name,
            timeout,
            on_progress,
            target_config=config_name,
            failure_reason_before=before.failure_reason,
        )
        assert described is not None
        return described

    def delete(
        self,
        endpoint_name: str,
        *,
        wait: bool,
        timeout: float,
        on_progress: ProgressCallback | None,
    ) -> None:
        """DeleteEndpoint; with *wait*, return once it is gone."""
        check_names("delete_endpoint", endpoint_name=endpoint_name)
        check_timeout("delete_endpoint", timeout)

        def echo(error: ServiceError) -> None:
            # Gone, or "in progress" while Deleting: a request whose answer was lost did it.
            if not isinstance(error, ResourceNotFoundError) and not (
                isinstance(error, ResourceInUseError) and self._deleting(endpoint_name)
            ):
                raise error

        aws = self._aws
        aws.call(
            "DeleteEndpoint", aws.sagemaker.delete_endpoint, echo=echo, EndpointName=endpoint_name
        )
        if wait:
            self.wait(DELETED, endpoint_name, timeout, on_progress)

    def _deleting(self, endpoint_name: str) -> bool:
        """Whether the endpoint is being deleted or is gone."""
        try:
            return self.describe(endpoint_name).status is EndpointStatus.DELETING
        except ResourceNotFoundError:
            return True

    def remove(self, endpoint_name: str, timeout: float, *, running: str | None = None) -> bool:
        """Delete the endpoint once it is at rest, and wait until it is gone.

        Returns False, having done nothing, if it does not exist, or (with
        *running*) if it neither runs nor is being updated to *running*.
        """
        if running is not None and running not in self.configs_of(endpoint_name):
            return False
        # SageMaker refuses to delete an endpoint being created or updated.
        settled = self.wait(SETTLED, endpoint_name, timeout, None)
        if settled is None:
            return False
        if settled.status is not EndpointStatus.DELETING:
            self.delete(endpoint_name, wait=False, timeout=timeout, on_progress=None)
        self.wait(DELETED, endpoint_name, timeout, None)
        return True
