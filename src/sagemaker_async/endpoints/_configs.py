"""Models and endpoint configurations: create, describe, delete, and who uses a config."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sagemaker_async.aws import Services, read_answer
from sagemaker_async.errors import (
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
)
from sagemaker_async.models import EndpointConfig, Model, check_names
from sagemaker_async.serialization import to_request

from ._lost_answers import arn_in, gone

log = logging.getLogger("sagemaker_async")


class Configs:
    """CreateModel, CreateEndpointConfig and their describe and delete calls."""

    def __init__(self, aws: Services) -> None:
        self._aws = aws

    def create_model(self, model: Model) -> str:
        """Create *model*; return its ARN (also when a lost answer's retry finds it)."""
        aws = self._aws

        def echo(error: ServiceError) -> Any:
            if not isinstance(error, ResourceExistsError):
                raise error
            log.info(
                "CreateModel: model %s was created by a request whose answer was lost", model.name
            )
            arn = (
                arn_in(error.message)
                or aws.call("DescribeModel", aws.sagemaker.describe_model, ModelName=model.name)[
                    "ModelArn"
                ]
            )
            return {"ModelArn": arn}

        response = aws.call(
            "CreateModel", aws.sagemaker.create_model, echo=echo, **to_request(model)
        )
        return str(response["ModelArn"])

    def create_endpoint_config(self, config: EndpointConfig) -> str:
        """Create *config*; return its ARN (also when a lost answer's retry finds it)."""
        aws = self._aws

        def echo(error: ServiceError) -> Any:
            if not isinstance(error, ResourceExistsError):
                raise error
            log.info(
                "CreateEndpointConfig: config %s was created by a request whose answer was lost",
                config.name,
            )
            arn = arn_in(error.message) or self.describe_raw(config.name)["EndpointConfigArn"]
            return {"EndpointConfigArn": arn}

        response = aws.call(
            "CreateEndpointConfig",
            aws.sagemaker.create_endpoint_config,
            echo=echo,
            **to_request(config),
        )
        return str(response["EndpointConfigArn"])

    def describe_raw(self, name: str) -> dict[str, Any]:
        """The ``DescribeEndpointConfig`` answer, as AWS gives it."""
        aws = self._aws
        return dict(
            aws.call(
                "DescribeEndpointConfig",
                aws.sagemaker.describe_endpoint_config,
                EndpointConfigName=name,
            )
        )

    def describe_endpoint_config(self, name: str) -> EndpointConfig:
        """Read the endpoint configuration *name* back as a model."""
        check_names("describe_endpoint_config", name=name)
        return read_answer(EndpointConfig, self.describe_raw(name), "DescribeEndpointConfig")

    def delete_model(self, name: str) -> None:
        """Delete the model *name* ("not found" on a retry after a lost answer is success)."""
        check_names("delete_model", name=name)
        aws = self._aws
        aws.call("DeleteModel", aws.sagemaker.delete_model, echo=gone, ModelName=name)

    def delete_endpoint_config(self, name: str, *, force: bool = False) -> None:
        """Delete the config *name*; unless *force*, refuse while an endpoint uses it."""
        check_names("delete_endpoint_config", name=name)
        if not force:
            user = self.endpoint_using(name)
            if user is not None:
                raise ResourceInUseError(
                    f"Endpoint {user!r} uses endpoint configuration {name!r}. Delete or "
                    "update the endpoint first, or pass force=True.",
                    code="ResourceInUse",
                    operation="DeleteEndpointConfig",
                )
        aws = self._aws
        aws.call(
            "DeleteEndpointConfig",
            aws.sagemaker.delete_endpoint_config,
            echo=gone,
            EndpointConfigName=name,
        )

    def endpoint_using(self, config_name: str, created: Any = None) -> str | None:
        """An endpoint that runs *config_name* or is moving to it, or None."""
        aws = self._aws
        if created is None:
            created = self.describe_raw(config_name)["CreationTime"]
        for endpoint_name in self._endpoints_changed_since(created):
            try:
                response = aws.call(
                    "DescribeEndpoint", aws.sagemaker.describe_endpoint, EndpointName=endpoint_name
                )
            except ResourceNotFoundError:
                continue
            pending = response.get("PendingDeploymentSummary", {}).get("EndpointConfigName")
            if config_name in (response.get("EndpointConfigName"), pending):
                return endpoint_name
        return None

    def _endpoints_changed_since(self, when: Any) -> Iterator[str]:
        # An endpoint can only use a config created or updated to after it existed.
        aws = self._aws
        kwargs: dict[str, Any] = {"MaxResults": 100, "LastModifiedTimeAfter": when}
        while True:
            page = aws.call("ListEndpoints", aws.sagemaker.list_endpoints, **kwargs)
            for summary in page["Endpoints"]:
                yield summary["EndpointName"]
            token = page.get("NextToken")
            if not token:
                return
            kwargs["NextToken"] = token
