"""Tearing down an endpoint, its configs and their models, re-runnable from any interruption."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from sagemaker_async.endpoints import Configs, Endpoints
from sagemaker_async.errors import AccessDeniedError, ConfigurationError, ResourceNotFoundError
from sagemaker_async.models import EndpointDescription, check_names, check_timeout
from sagemaker_async.scaling import Autoscaling

log = logging.getLogger("sagemaker_async")


def teardown(
    configs: Configs,
    endpoints: Endpoints,
    autoscaling: Autoscaling,
    endpoint_name: str,
    *,
    config_names: Iterable[str],
    timeout: float,
) -> None:
    """Delete autoscaling, the endpoint (once at rest), then its configs, with their models."""
    names = tuple(config_names)
    check_names("teardown", endpoint_name=endpoint_name)
    check_timeout("teardown", timeout)
    for name in names:
        check_names("teardown", config_names=name)
    found = list(names)
    try:
        described = endpoints.describe(endpoint_name)
    except ResourceNotFoundError:
        log.info("teardown: endpoint %s does not exist", endpoint_name)
    else:
        if described.config_name is not None:
            found.insert(0, described.config_name)
        _remove_autoscaling(autoscaling, described)
        endpoints.remove(endpoint_name, timeout)
    for name in dict.fromkeys(found):
        remove_config(configs, name)


def _remove_autoscaling(autoscaling: Autoscaling, described: EndpointDescription) -> None:
    """Disable each variant's autoscaling, so that nothing scales an endpoint being deleted."""
    names = [variant.variant_name for variant in described.variants]
    try:
        registered = autoscaling.registered(described.name, names)
    except ConfigurationError as error:
        # Clients injected without an application-autoscaling one, and no session to
        # build it from: such a client never enabled autoscaling either.
        log.info("teardown: autoscaling of %s not checked: %s", described.name, error)
        return
    except AccessDeniedError as error:
        # A caller without Application Auto Scaling permissions never enabled it.
        log.warning("teardown: could not check autoscaling of %s: %s", described.name, error)
        return
    for variant_name in registered:
        autoscaling.disable(described.name, variant_name)


def remove_config(configs: Configs, config_name: str) -> None:
    """Delete the config's models, then the config, unless an endpoint uses it.

    Models first: if this is interrupted, the config still names what is left.
    """
    try:
        response = configs.describe_raw(config_name)
    except ResourceNotFoundError:
        return
    user = configs.endpoint_using(config_name, response["CreationTime"])
    if user is not None:
        log.warning("teardown: kept %s and its models: endpoint %r uses it", config_name, user)
        return
    variants = response["ProductionVariants"]
    for name in dict.fromkeys(each["ModelName"] for each in variants if "ModelName" in each):
        with contextlib.suppress(ResourceNotFoundError):
            configs.delete_model(name)
    with contextlib.suppress(ResourceNotFoundError):
        configs.delete_endpoint_config(config_name, force=True)
