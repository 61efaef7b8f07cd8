"""What ``apply`` would change: the named resources a file wants, next to what exists.

Model and endpoint-config names in a deployment file are prefixes: the names
used append a short hash of the resource's request, so any change to a model
or config makes a new one (both are immutable in SageMaker) and an unchanged
file names exactly the resources that already exist.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Final, Literal

import attrs

from sagemaker_async.aws import Services
from sagemaker_async.endpoints import Configs, Endpoints
from sagemaker_async.errors import Problem, ResourceNotFoundError, ValidationError
from sagemaker_async.models import (
    EndpointConfig,
    EndpointDescription,
    Model,
    ScalingDescription,
    ScalingPolicy,
)
from sagemaker_async.scaling import Autoscaling
from sagemaker_async.serialization import to_request

HASH_LENGTH: Final = 8
"""Hex digits of the content hash appended to model and config names."""

_NAME_LIMIT: Final = 63

Action = Literal["create", "update", "delete", "enable autoscaling", "disable autoscaling"]


@attrs.frozen(kw_only=True)
class Desired:
    """The resources a deployment file asks for, with their hashed names."""

    model: Model
    config: EndpointConfig
    endpoint_name: str
    scaling: ScalingPolicy | None = None

    @property
    def variant_name(self) -> str:
        """The variant autoscaling applies to: the config's first."""
        return self.config.variants[0].variant_name


@attrs.frozen(kw_only=True)
class Change:
    """One call ``apply`` would make."""

    action: Action
    kind: Literal["model", "endpoint config", "endpoint", "scaling"]
    name: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        kind = "of" if self.kind == "scaling" else self.kind
        return f"{self.action} {kind} {self.name}{detail}"


@attrs.frozen(kw_only=True)
class Plan:
    """The changes that bring the account to the file, and what was read to decide them."""

    desired: Desired
    endpoint: EndpointDescription | None
    scaling: ScalingDescription | None
    changes: tuple[Change, ...]
    retired_configs: tuple[str, ...] = ()
    retired_models: tuple[str, ...] = ()

    @property
    def endpoint_changes(self) -> bool:
        """Whether the endpoint is created or updated."""
        return any(change.kind == "endpoint" for change in self.changes)


def content_hash(request: object) -> str:
    """A short hash of a request (a dict of AWS keys), stable across runs."""
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]


def desired(
    model: Model, config: EndpointConfig, endpoint_name: str, scaling: ScalingPolicy | None
) -> Desired:
    """The file's resources, with ``-<hash>`` appended to the model and config names.

    Raises:
        ValidationError: A prefix leaves no room for the hash in a 63-character name.
    """
    problems = [
        Problem(
            f"{field}.name",
            f"at most {_NAME_LIMIT - HASH_LENGTH - 1} characters (apply appends "
            f"-<{HASH_LENGTH}-digit hash>)",
            name,
        )
        for field, name in (("model", model.name), ("config", config.name))
        if len(name) > _NAME_LIMIT - HASH_LENGTH - 1
    ]
    if problems:
        raise ValidationError("deployment file", problems)
    named_model = attrs.evolve(model, name=_hashed(model.name, model))
    variants = tuple(
        attrs.evolve(variant, model_name=named_model.name)
        if variant.model_name == model.name
        else variant
        for variant in config.variants
    )
    with_model = attrs.evolve(config, variants=variants)
    named_config = attrs.evolve(with_model, name=_hashed(config.name, with_model))
    return Desired(
        model=named_model, config=named_config, endpoint_name=endpoint_name, scaling=scaling
    )


def _hashed(prefix: str, value: Model | EndpointConfig) -> str:
    request = to_request(value)
    request.pop("ModelName", None)
    request.pop("EndpointConfigName", None)
    return f"{prefix}-{content_hash(request)}"


def plan(aws: Services, wanted: Desired) -> Plan:
    """Read what exists (no call that changes anything) and list the changes."""
    configs = Configs(aws)
    endpoints = Endpoints(aws, configs)
    endpoint = _describe(endpoints, wanted.endpoint_name)
    scaling = None
    if endpoint is not None:
        scaling = Autoscaling(aws).describe(wanted.endpoint_name, wanted.variant_name)
    changes: list[Change] = []
    if not _exists(aws, "model", wanted.model.name):
        changes.append(Change(action="create", kind="model", name=wanted.model.name))
    if not _exists(aws, "config", wanted.config.name):
        changes.append(Change(action="create", kind="endpoint config", name=wanted.config.name))
    retired_configs: tuple[str, ...] = ()
    retired_models: tuple[str, ...] = ()
    if endpoint is None:
        changes.append(
            Change(
                action="create",
                kind="endpoint",
                name=wanted.endpoint_name,
                detail=f"with {wanted.config.name}",
            )
        )
    elif endpoint.config_name != wanted.config.name:
        changes.append(
            Change(
                action="update",
                kind="endpoint",
                name=wanted.endpoint_name,
                detail=f"{endpoint.config_name} -> {wanted.config.name}",
            )
        )
        retired_configs, retired_models = _retired(configs, endpoint.config_name, wanted)
    changes.extend(_scaling_changes(wanted, scaling))
    # Last, once the endpoint serves the new config: nothing after them needs undoing.
    changes.extend(
        Change(action="delete", kind="endpoint config", name=name) for name in retired_configs
    )
    changes.extend(Change(action="delete", kind="model", name=name) for name in retired_models)
    return Plan(
        desired=wanted,
        endpoint=endpoint,
        scaling=scaling,
        changes=tuple(changes),
        retired_configs=retired_configs,
        retired_models=retired_models,
    )


def _scaling_changes(wanted: Desired, current: ScalingDescription | None) -> Iterator[Change]:
    name = f"{wanted.endpoint_name}/{wanted.variant_name}"
    if wanted.scaling is None:
        if current is not None:
            yield Change(action="disable autoscaling", kind="scaling", name=name)
        return
    if current is None or current.policy != wanted.scaling:
        policy = wanted.scaling
        yield Change(
            action="enable autoscaling",
            kind="scaling",
            name=name,
            detail=f"{policy.min_instances} to {policy.max_instances} instances, "
            f"{policy.target_backlog_per_instance:g} waiting per instance",
        )


def _describe(endpoints: Endpoints, name: str) -> EndpointDescription | None:
    try:
        return endpoints.describe(name)
    except ResourceNotFoundError:
        return None


def _exists(aws: Services, kind: Literal["model", "config"], name: str) -> bool:
    try:
        if kind == "model":
            aws.call("DescribeModel", aws.sagemaker.describe_model, ModelName=name)
        else:
            aws.call(
                "DescribeEndpointConfig",
                aws.sagemaker.describe_endpoint_config,
                EndpointConfigName=name,
            )
    except ResourceNotFoundError:
        return False
    return True


def _retired(
    configs: Configs, config_name: str | None, wanted: Desired
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The endpoint's current config and its models, when apply made them (their prefixes)."""
    config_prefix = wanted.config.name[: -HASH_LENGTH - 1] + "-"
    model_prefix = wanted.model.name[: -HASH_LENGTH - 1] + "-"
    if config_name is None or not _made_by_apply(config_name, config_prefix):
        return (), ()
    try:
        current = configs.describe_endpoint_config(config_name)
    except ResourceNotFoundError:
        return (), ()
    models = tuple(
        name
        for name in dict.fromkeys(current.model_names)
        if _made_by_apply(name, model_prefix) and name != wanted.model.name
    )
    return (config_name,), models


def _made_by_apply(name: str, prefix: str) -> bool:
    suffix = name[len(prefix) :]
    return name.startswith(prefix) and len(suffix) == HASH_LENGTH and _is_hex(suffix)


def _is_hex(text: str) -> bool:
    return all(char in "0123456789abcdef" for char in text)
