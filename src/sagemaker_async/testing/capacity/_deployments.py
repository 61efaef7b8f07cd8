"""Endpoint lifecycle events turned into fleet changes: deployed, redeployed, gone.

A CreateEndpoint or UpdateEndpoint that reaches ``InService`` on a config
deploys that config's variants (InitialInstanceCount instances each, serving
from that instant; with RetainAllVariantProperties the current counts and
weights are kept); a deleted endpoint takes its backlog with it.
"""

from __future__ import annotations

from typing import Any, cast

from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends

from sagemaker_async.testing.control_plane._lifecycle import EndpointEvent

from ._endpoint import Key
from ._engine import Capacity, Deployment, VariantSpec
from ._fleet import DEFAULT_SLOTS


def key_of(event: EndpointEvent) -> Key:
    """(account, Region, name) from the event's endpoint ARN."""
    parts = event.endpoint_arn.split(":")
    return (parts[4], parts[3], event.endpoint_name)


def _image(backend: SageMakerModelBackend, model_name: str) -> str | None:
    models: dict[str, Any] = getattr(backend, "_models", {})
    model: Any = models.get(model_name)
    if model is None:
        return None
    containers: list[Any] = (
        [model.primary_container] if model.primary_container else list(model.containers or [])
    )
    for container in containers:
        fields = cast(dict[str, object], container) if isinstance(container, dict) else {}
        image = fields.get("Image")
        if isinstance(image, str) and image:
            return image
    return None


def deployment_of(
    backend: SageMakerModelBackend, key: Key, config_name: str, retain: bool
) -> Deployment | None:
    """The fleet *config_name* deploys, or None when the config is gone."""
    config = backend.endpoint_configs.get(config_name)
    if config is None:
        return None
    async_config: Any = config.async_inference_config or {}
    client_config: Any = async_config.get("ClientConfig") or {}
    slots = int(client_config.get("MaxConcurrentInvocationsPerInstance") or DEFAULT_SLOTS)
    variants = tuple(
        VariantSpec(
            name=str(variant["VariantName"]),
            instance_type=variant.get("InstanceType"),
            count=int(variant.get("InitialInstanceCount") or 1),
            weight=float(variant.get("InitialVariantWeight", 1.0)),
            image=_image(backend, str(variant.get("ModelName", ""))),
        )
        for variant in config.production_variants
    )
    return Deployment(key=key, variants=variants, slots=slots, retain=retain)


class Deployer:
    """Endpoint listener: keeps the capacity's fleets in step with endpoint lifecycles."""

    def __init__(self, capacity: Capacity) -> None:
        self._capacity = capacity
        self._configs: dict[Key, str] = {}
        self.retain: dict[Key, bool] = {}  # set by UpdateEndpoint, read when it completes

    def __call__(self, event: EndpointEvent) -> None:
        key = key_of(event)
        if event.status is None:
            self._configs.pop(key, None)
            self._capacity.remove(key, event.at)
            return
        if event.status != "InService" or self._configs.get(key) == event.config_name:
            return  # still changing, or back on the config it serves (a rollback)
        backend = sagemaker_backends[key[0]][key[1]]
        retain = self.retain.pop(key, False) and key in self._configs
        deployment = deployment_of(backend, key, event.config_name, retain)
        if deployment is not None:
            self._configs[key] = event.config_name
            self._capacity.deploy(deployment, event.at)
