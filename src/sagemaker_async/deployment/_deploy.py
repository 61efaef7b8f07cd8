"""Deploying a model, its endpoint config and the endpoint, undoing it all if a step fails."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from sagemaker_async.endpoints import Configs, Endpoints, ProgressCallback
from sagemaker_async.errors import Problem, ResourceNotFoundError, ValidationError
from sagemaker_async.models import (
    EndpointConfig,
    EndpointDescription,
    Model,
    ScalingPolicy,
    check_names,
    check_timeout,
)
from sagemaker_async.scaling import Autoscaling

log = logging.getLogger("sagemaker_async")

Undo = tuple[str, Callable[[], object]]


def deploy(
    configs: Configs,
    endpoints: Endpoints,
    autoscaling: Autoscaling,
    model: Model,
    config: EndpointConfig,
    endpoint_name: str,
    *,
    wait: bool,
    timeout: float,
    on_progress: ProgressCallback | None,
    scaling: ScalingPolicy | None = None,
) -> EndpointDescription:
    """Create the model, the config and the endpoint (and autoscaling); undo all on failure."""
    check_names("deploy", endpoint_name=endpoint_name)
    check_timeout("deploy", timeout)
    if scaling is not None and not wait:
        raise ValidationError(
            "deploy",
            [Problem("wait", "True when scaling is given (the endpoint must serve first)", wait)],
        )
    if model.name not in config.model_names:
        raise ValidationError(
            "deploy",
            [
                Problem(
                    "config.variants", f"a variant serving model {model.name!r}", config.model_names
                )
            ],
        )
    undo: list[Undo] = []
    try:
        configs.create_model(model)
        undo.append((f"model {model.name}", lambda: configs.delete_model(model.name)))
        configs.create_endpoint_config(config)
        undo.append(
            (
                f"endpoint config {config.name}",
                lambda: configs.delete_endpoint_config(config.name, force=True),
            )
        )
        # Whatever CreateEndpoint answered, an endpoint running this new config
        # can only be this call's: the undo deletes that one and no other.
        undo.append(
            (
                f"endpoint {endpoint_name}",
                lambda: endpoints.remove(endpoint_name, timeout, running=config.name),
            )
        )
        described = endpoints.create(
            endpoint_name, config.name, wait=wait, timeout=timeout, on_progress=on_progress
        )
        if scaling is None:
            return described
        variant_name = config.variants[0].variant_name
        undo.append(
            (
                f"autoscaling of {endpoint_name}",
                lambda: autoscaling.disable(endpoint_name, variant_name),
            )
        )
        autoscaling.enable(endpoint_name, scaling, variant_name)
        return endpoints.describe(endpoint_name)
    except BaseException as error:
        undo_all(reversed(undo), error)
        raise


def undo_all(steps: Iterator[Undo], error: BaseException) -> None:
    """Run each undo step; note on *error* any that fails too."""
    for what, step in steps:
        try:
            if step() is not False:
                log.info("deploy failed; deleted %s", what)
        except ResourceNotFoundError:
            pass
        except Exception as undo_error:
            log.error("deploy failed, and deleting %s failed too: %s", what, undo_error)
            error.add_note(f"Deleting {what} after the failure failed too: {undo_error}")
