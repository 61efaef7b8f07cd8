"""Updating an endpoint without losing its autoscaling.

SageMaker refuses an UpdateEndpoint that changes the instance type of a
variant with a registered scalable target. The sequence AWS documents:
deregister the variant, update with RetainAllVariantProperties, register it
again with the same policy. Other updates keep autoscaling as it is.
"""

from __future__ import annotations

import logging
from typing import Any

from sagemaker_async.endpoints import Configs, Endpoints, ProgressCallback
from sagemaker_async.models import EndpointDescription, ScalingPolicy, check_names
from sagemaker_async.scaling import Autoscaling

log = logging.getLogger("sagemaker_async")


def _instance_types(config: dict[str, Any]) -> dict[str, str | None]:
    return {
        str(each["VariantName"]): each.get("InstanceType")
        for each in config.get("ProductionVariants", [])
    }


def update(
    configs: Configs,
    endpoints: Endpoints,
    autoscaling: Autoscaling,
    endpoint_name: str,
    config_name: str,
    *,
    wait: bool,
    timeout: float,
    on_progress: ProgressCallback | None,
) -> EndpointDescription:
    """UpdateEndpoint; around it, re-register autoscaled variants whose instance type changes."""
    check_names("update_endpoint", endpoint_name=endpoint_name, config_name=config_name)
    current = endpoints.describe(endpoint_name).config_name
    changed: list[str] = []
    if current is not None and current != config_name:
        before = _instance_types(configs.describe_raw(current))
        after = _instance_types(configs.describe_raw(config_name))
        changed = [name for name, kind in after.items() if name in before and before[name] != kind]
    saved: dict[str, ScalingPolicy] = {}
    for variant_name in changed:
        described = autoscaling.describe(endpoint_name, variant_name)
        if described is not None:
            saved[variant_name] = described.policy
    if not saved:
        return endpoints.update(
            endpoint_name, config_name, wait=wait, timeout=timeout, on_progress=on_progress
        )
    for variant_name in saved:
        log.info("update_endpoint: deregistering %s of %s first", variant_name, endpoint_name)
        autoscaling.disable(endpoint_name, variant_name)
    try:
        # Waits even with wait=False: the variants are registered again once it serves.
        result = endpoints.update(
            endpoint_name,
            config_name,
            wait=True,
            timeout=timeout,
            on_progress=on_progress,
            retain_variant_properties=True,
        )
    finally:
        if endpoints.describe(endpoint_name).status == "InService":
            for variant_name, policy in saved.items():
                autoscaling.enable(endpoint_name, policy, variant_name)
    return result
