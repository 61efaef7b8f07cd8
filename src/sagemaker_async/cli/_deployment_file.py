"""A deployment described in a small TOML or JSON file, read into models.

The file mirrors the arguments of the ``sagemaker_async.iam`` functions: top
level keys ``account``, ``region``, ``endpoint_name`` (and optionally
``input_path``, ``registry_account``, ``steps``), a ``model`` table and a
``config`` table whose keys are the fields of :class:`Model` and
:class:`EndpointConfig`, and optionally a ``scaling`` table whose keys are the
fields of :class:`ScalingPolicy`, and a ``router`` table (an :class:`InferenceRouter`
with ``[[router.targets]]``). docs/iam.md shows an example.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import attrs

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.iam._arguments import STEPS, Step
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    InferenceRouter,
    Model,
    NotificationConfig,
    ProductionVariant,
    RoutingTarget,
    ScalingPolicy,
    ServerlessConfig,
)

T = TypeVar("T")

# Fields whose value is a table of another model, or an array of tables.
_TABLES: Final[Mapping[type, Mapping[str, type]]] = {
    Model: {"container": Container},
    EndpointConfig: {"async_inference": AsyncInferenceConfig},
    AsyncInferenceConfig: {"notification": NotificationConfig},
    ProductionVariant: {"serverless": ServerlessConfig},
    RoutingTarget: {"notification": NotificationConfig},
}
_ARRAYS: Final[Mapping[type, Mapping[str, type]]] = {
    EndpointConfig: {"variants": ProductionVariant},
    InferenceRouter: {"targets": RoutingTarget},
}
_TEXT_KEYS: Final = ("account", "region", "endpoint_name", "input_path", "registry_account")
_REQUIRED_KEYS: Final = ("account", "region", "endpoint_name", "model", "config")
_KEYS: Final = (*_TEXT_KEYS, "steps", "model", "config", "scaling", "router")


@attrs.frozen(kw_only=True)
class Deployment:
    """The values a deployment file describes; the iam functions check them."""

    model: Model
    config: EndpointConfig
    endpoint_name: str
    account: str
    region: str
    input_path: str | None = None
    registry_account: str | None = None
    steps: tuple[Step, ...] = STEPS
    scaling: ScalingPolicy | None = None
    router: InferenceRouter | None = None


def load(path: Path) -> Deployment:
    """Read a ``.toml`` or ``.json`` deployment file.

    Raises:
        ValidationError: The file describes no valid deployment; every problem is listed.
        OSError: The file cannot be read.
        ValueError: The file is not valid TOML or JSON.
    """
    text = path.read_text(encoding="utf-8")
    data: object = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    return parse(data, source=str(path))


def parse(data: object, *, source: str) -> Deployment:
    """Build a :class:`Deployment` from a file's parsed content."""
    subject = f"deployment file {source}"
    if not isinstance(data, Mapping):
        raise ValidationError(subject, (Problem("(top level)", "a table of keys", data),))
    table = cast(Mapping[str, object], data)
    problems: list[Problem] = []
    for key in table:
        if key not in _KEYS:
            problems.append(Problem(key, f"one of the keys {', '.join(_KEYS)}", key))
    for key in _REQUIRED_KEYS:
        if key not in table:
            problems.append(Problem(key, "a value (this key is required)", None))
    for key in _TEXT_KEYS:
        if key in table and not isinstance(table[key], str):
            problems.append(Problem(key, "a string", table[key]))
    steps = _steps(table.get("steps", list(STEPS)), problems)
    model = _build(Model, table["model"], "model", problems) if "model" in table else None
    config = None
    if "config" in table:
        filled = _with_model_names(table["config"], table.get("model"))
        config = _build(EndpointConfig, filled, "config", problems)
    scaling = None
    if "scaling" in table:
        scaling = _build(ScalingPolicy, table["scaling"], "scaling", problems)
    router = None
    if "router" in table:
        router = _build(InferenceRouter, table["router"], "router", problems)
    if problems or model is None or config is None:
        raise ValidationError(subject, problems)

    def text(key: str) -> str | None:
        value = table.get(key)
        return value if isinstance(value, str) else None

    return Deployment(
        model=model,
        config=config,
        endpoint_name=cast(str, table["endpoint_name"]),
        account=cast(str, table["account"]),
        region=cast(str, table["region"]),
        input_path=text("input_path"),
        registry_account=text("registry_account"),
        steps=steps,
        scaling=scaling,
        router=router,
    )


def _steps(value: object, problems: list[Problem]) -> tuple[Step, ...]:
    expected = f"one of {', '.join(STEPS)}"
    if not isinstance(value, list):
        problems.append(Problem("steps", f"an array of steps, each {expected}", value))
        return ()
    given = cast(list[object], value)
    for index, step in enumerate(given):
        if step not in STEPS:
            problems.append(Problem(f"steps[{index}]", expected, step))
    if not given:
        problems.append(Problem("steps", f"at least {expected}", given))
    return tuple(step for step in STEPS if step in given)


def _with_model_names(config: object, model: object) -> object:
    # A variant without model_name serves the file's model.
    name = cast(Mapping[str, object], model).get("name") if isinstance(model, Mapping) else None
    if not isinstance(name, str) or not isinstance(config, Mapping):
        return config
    table = cast(Mapping[str, object], config)
    variants = table.get("variants")
    if not isinstance(variants, list):
        return table
    filled = [
        {"model_name": name, **cast(Mapping[str, object], variant)}
        if isinstance(variant, Mapping)
        else variant
        for variant in cast(list[object], variants)
    ]
    return {**table, "variants": filled}


def _build(cls: type[T], value: object, path: str, problems: list[Problem]) -> T | None:
    """Build *cls* from a table, recording every problem under *path*."""
    if not isinstance(value, Mapping):
        problems.append(Problem(path, f"a table of {cls.__name__} fields", value))
        return None
    table = cast(Mapping[str, object], value)
    fields = {field.name: field for field in attrs.fields(cast(Any, cls))}
    tables = _TABLES.get(cls, {})
    arrays = _ARRAYS.get(cls, {})
    kwargs: dict[str, object] = {}
    # An unknown key is reported but the rest is still checked; a missing key or a
    # nested table that failed leaves nothing to build.
    complete = True
    for key, item in table.items():
        where = f"{path}.{key}"
        if key not in fields:
            problems.append(Problem(where, f"one of the keys {', '.join(fields)}", key))
        elif key in tables:
            kwargs[key] = nested = _build(tables[key], item, where, problems)
            complete = complete and nested is not None
        elif key in arrays and isinstance(item, list):
            kwargs[key] = entries = [
                _build(arrays[key], entry, f"{where}[{index}]", problems)
                for index, entry in enumerate(cast(list[object], item))
            ]
            complete = complete and None not in entries
        else:
            kwargs[key] = item
    for name, field in fields.items():
        if field.default is attrs.NOTHING and name not in table:
            problems.append(Problem(f"{path}.{name}", "a value (this key is required)", None))
            complete = False
    if not complete:
        return None
    try:
        built = cast(T, cast(Any, cls)(**kwargs))
    except ValidationError as error:
        problems.extend(error.prefixed(path).problems)
        return None
    return built if len(table) == len(kwargs) else None
