"""Patches on moto's SageMaker for capacity, undone on exit.

- UpdateEndpointWeightsAndCapacities resizes fleets: ``Updating`` until the
  new instances serve, then ``InService`` (moto flips the counts at once);
- DescribeEndpoint's variants show the fleet: CurrentInstanceCount,
  DesiredInstanceCount, CurrentWeight, DesiredWeight and DeployedImages;
- UpdateEndpoint honours RetainAllVariantProperties and refuses to change the
  instance type of a variant with a registered scalable target;
- DeleteEndpoint deregisters the variants' scalable targets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NoReturn, Protocol

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from sagemaker_async.testing.control_plane._moto_patch import Patcher
from sagemaker_async.testing.control_plane._plane import ControlPlane

from ._deployments import Deployer
from ._engine import Capacity
from ._fleet import VariantFleet


class ScalingTargets(Protocol):
    """What capacity asks of the simulated Application Auto Scaling."""

    def is_autoscaled(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool: ...

    def endpoint_deleted(self, account_id: str, region: str, endpoint_name: str) -> None: ...


def _reject(message: str) -> NoReturn:
    raise ValidationError(message)


def _resolved(image: str) -> str:
    digest = hashlib.sha256(image.encode()).hexdigest()
    return f"{image.split('@')[0]}@sha256:{digest}"


def variant_summary(
    fleet: VariantFleet, now: float, resolved_at: datetime | None
) -> dict[str, Any]:
    """A ProductionVariantSummary as DescribeEndpoint answers it."""
    summary: dict[str, Any] = {
        "VariantName": fleet.name,
        "CurrentWeight": fleet.current_weight,
        "DesiredWeight": fleet.desired_weight,
        "CurrentInstanceCount": fleet.current_count(now),
        "DesiredInstanceCount": fleet.desired,
    }
    if fleet.image is not None:
        image: dict[str, Any] = {
            "SpecifiedImage": fleet.image,
            "ResolvedImage": _resolved(fleet.image),
        }
        if resolved_at is not None:
            image["ResolutionTime"] = resolved_at
        summary["DeployedImages"] = [image]
    return summary


@contextmanager
def patched_capacity(
    plane: ControlPlane, capacity: Capacity, deployer: Deployer, targets: ScalingTargets
) -> Generator[Patcher, None, None]:
    """moto's SageMaker with capacity, for the duration of the block (after the control plane's)."""
    patcher = Patcher()
    try:
        _patch_backend(patcher, plane, capacity, targets)
        _patch_responses(patcher, plane, capacity, deployer, targets)
        yield patcher
    finally:
        patcher.restore()


def _resize(
    backend: SageMakerModelBackend,
    plane: ControlPlane,
    capacity: Capacity,
    name: str,
    desired: list[dict[str, Any]],
) -> str:
    endpoint = plane.check_resizable(backend, name)
    fleet = capacity.endpoint((backend.account_id, backend.region_name, name))
    seen: list[str] = []
    for each in desired:
        variant = each.get("VariantName")
        if variant in seen:
            _reject(f'The variant name "{variant}" was non-unique within the request.')
        if fleet is None or variant not in fleet.variants:
            _reject(
                f'The variant name(s) "{variant}" is/are not present within endpoint '
                f'configuration "{endpoint.endpoint_config_name}".'
            )
        seen.append(str(variant))
    for each in desired:
        count = each.get("DesiredInstanceCount")
        weight = each.get("DesiredWeight")
        assert fleet is not None
        current = fleet.variants[str(each["VariantName"])]
        capacity.set_desired_count(
            backend.account_id,
            backend.region_name,
            name,
            str(each["VariantName"]),
            current.desired if count is None else int(count),
            None if weight is None else float(weight),
        )
    return str(endpoint.arn)


def _patch_backend(
    patcher: Patcher, plane: ControlPlane, capacity: Capacity, targets: ScalingTargets
) -> None:
    backend_class = SageMakerModelBackend
    describe_endpoint = backend_class.describe_endpoint
    delete_endpoint = backend_class.delete_endpoint

    def patched_describe_endpoint(
        self: SageMakerModelBackend, endpoint_name: str
    ) -> dict[str, Any]:
        with plane.lock:
            answer = dict(describe_endpoint(self, endpoint_name))
            fleet = capacity.endpoint((self.account_id, self.region_name, endpoint_name))
            if fleet is not None:
                shown = {
                    each.get("VariantName"): each for each in answer.get("ProductionVariants", [])
                }
                created = answer.get("CreationTime")
                for name, variant in fleet.variants.items():
                    shown[name] = variant_summary(
                        variant, capacity.now, created if isinstance(created, datetime) else None
                    )
                answer["ProductionVariants"] = list(shown.values())
            return answer

    def patched_delete_endpoint(self: SageMakerModelBackend, endpoint_name: str) -> None:
        with plane.lock:
            delete_endpoint(self, endpoint_name)
            targets.endpoint_deleted(self.account_id, self.region_name, endpoint_name)

    def update_endpoint_weights_and_capacities(
        self: SageMakerModelBackend,
        endpoint_name: str,
        desired_weights_and_capacities: list[dict[str, Any]],
    ) -> str:
        with plane.lock:
            return _resize(self, plane, capacity, endpoint_name, desired_weights_and_capacities)

    patcher.replace(backend_class, "describe_endpoint", patched_describe_endpoint)
    patcher.replace(backend_class, "delete_endpoint", patched_delete_endpoint)
    patcher.replace(
        backend_class,
        "update_endpoint_weights_and_capacities",
        update_endpoint_weights_and_capacities,
    )


def _instance_types(backend: SageMakerModelBackend, config_name: str) -> dict[str, Any]:
    config = backend.endpoint_configs.get(config_name)
    variants = [] if config is None else config.production_variants
    return {str(v.get("VariantName")): v.get("InstanceType") for v in variants}


def _patch_responses(
    patcher: Patcher,
    plane: ControlPlane,
    capacity: Capacity,
    deployer: Deployer,
    targets: ScalingTargets,
) -> None:
    # The control plane's handler (moto has none): patched in before this one.
    update_endpoint: Any = getattr(SageMakerResponse, "update_endpoint")  # noqa: B009

    def patched_update_endpoint(self: SageMakerResponse) -> ActionResult:
        backend = self.sagemaker_backend
        name = str(self._get_param("EndpointName"))  # pyright: ignore[reportPrivateUsage]
        config_name = str(self._get_param("EndpointConfigName"))  # pyright: ignore[reportPrivateUsage]
        retain = bool(self._get_param("RetainAllVariantProperties"))  # pyright: ignore[reportPrivateUsage]
        key = (backend.account_id, backend.region_name, name)
        with plane.lock:
            fleet = capacity.endpoint(key)
            wanted = _instance_types(backend, config_name)
            for variant_name, variant in ({} if fleet is None else fleet.variants).items():
                changes = variant_name in wanted and wanted[variant_name] != variant.instance_type
                if changes and targets.is_autoscaled(*key, variant_name):
                    _reject(
                        "The endpoint has a variant with autoscaling policies applied. "
                        f"Deregister the scalable target of variant {variant_name!r} "
                        "before changing its instance type, then register it again."
                    )
            answer: ActionResult = update_endpoint(self)
            deployer.retain[key] = retain
            return answer

    patcher.replace(SageMakerResponse, "update_endpoint", patched_update_endpoint)
