"""The one converter between the models and AWS's request and response shapes.

Only this module knows AWS key names. Field names become PascalCase by rule,
with :data:`IRREGULAR` for the names AWS spells otherwise. Unset optional
fields are omitted (by comparison with ``None``, never by truthiness, so ``0``,
``0.0`` and ``False`` are sent); keys AWS adds to responses later are ignored.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, TypeVar, Union, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    EndpointDescription,
    FrozenMap,
    Model,
    NotificationConfig,
    ProductionVariant,
    ServerlessConfig,
    VariantSummary,
)
from sagemaker_async.models._reading import register_reader

T = TypeVar("T")

IRREGULAR: Final[Mapping[tuple[type, str], str]] = {
    (Model, "name"): "ModelName",
    (Model, "container"): "PrimaryContainer",
    (ServerlessConfig, "memory_size_in_mb"): "MemorySizeInMB",
    (ProductionVariant, "serverless"): "ServerlessConfig",
    (EndpointConfig, "name"): "EndpointConfigName",
    (EndpointConfig, "variants"): "ProductionVariants",
    (EndpointConfig, "async_inference"): "AsyncInferenceConfig",
    (EndpointDescription, "name"): "EndpointName",
    (EndpointDescription, "arn"): "EndpointArn",
    (EndpointDescription, "status"): "EndpointStatus",
    (EndpointDescription, "config_name"): "EndpointConfigName",
    (EndpointDescription, "variants"): "ProductionVariants",
    (EndpointDescription, "async_inference"): "AsyncInferenceConfig",
}
"""AWS key names that do not follow from the field name by PascalCase."""

_TAGGED: Final = frozenset({Model, EndpointConfig})


def aws_name(cls: type, field: str) -> str:
    """The AWS key of *field* of *cls*."""
    irregular = IRREGULAR.get((cls, field))
    if irregular is not None:
        return irregular
    return "".join(part.capitalize() for part in field.split("_"))


def _tags_out(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _is_tag(item: object) -> bool:
    return isinstance(item, Mapping) and "Key" in item and "Value" in item


def _tags_in(tags: object) -> object:
    if not isinstance(tags, list):
        return tags  # the model reports the type
    pairs: dict[object, object] = {}
    for index, item in enumerate(cast("list[object]", tags)):
        if not _is_tag(item):
            raise ValidationError(
                "tags", [Problem(f"[{index}]", "a mapping with 'Key' and 'Value'", item)]
            )
        tag = cast("Mapping[str, object]", item)
        pairs[tag["Key"]] = tag["Value"]
    return pairs


def _unstructure_async(config: AsyncInferenceConfig) -> dict[str, Any]:
    output: dict[str, Any] = {"S3OutputPath": config.output_path}
    if config.failure_path is not None:
        output["S3FailurePath"] = config.failure_path
    if config.kms_key_id is not None:
        output["KmsKeyId"] = config.kms_key_id
    if config.notification is not None:
        output["NotificationConfig"] = _converter.unstructure(config.notification)
    result: dict[str, Any] = {"OutputConfig": output}
    if config.max_concurrent_invocations_per_instance is not None:
        result["ClientConfig"] = {
            "MaxConcurrentInvocationsPerInstance": config.max_concurrent_invocations_per_instance
        }
    return result


def _mapping(data: object, expected: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError("AsyncInferenceConfig", [Problem("", expected, data)])
    return data  # pyright: ignore[reportUnknownVariableType]


def _structure_async(data: Mapping[str, Any], _: type) -> AsyncInferenceConfig:
    data = _mapping(data, "a mapping")
    output = _mapping(data.get("OutputConfig", {}), "an OutputConfig that is a mapping")
    client = _mapping(data.get("ClientConfig", {}), "a ClientConfig that is a mapping")
    notification = output.get("NotificationConfig")
    try:
        structured = (
            None if notification is None else _converter.structure(notification, NotificationConfig)
        )
    except ValidationError as error:
        raise error.prefixed("notification") from None
    return AsyncInferenceConfig(
        # A missing path is None, which validation reports.
        output_path=cast(str, output.get("S3OutputPath")),
        failure_path=output.get("S3FailurePath"),
        notification=structured,
        kms_key_id=output.get("KmsKeyId"),
        max_concurrent_invocations_per_instance=client.get("MaxConcurrentInvocationsPerInstance"),
    )


def _unstructure_factory(cls: type) -> Callable[[Any], dict[str, Any]]:
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        # Unset means the default None, an empty collection factory or ().
        omit = (
            field.default is None or field.default == () or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        )
        hook = _tags_out if field.name == "tags" and cls in _TAGGED else None
        overrides[field.name] = override(
            rename=aws_name(cls, field.name), omit_if_default=omit, unstruct_hook=hook
        )
    return make_dict_unstructure_fn(cls, _converter, **overrides)


def _unstructure_variant(fn: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    def unstructure(variant: ProductionVariant) -> dict[str, Any]:
        data = fn(variant)
        if variant.serverless is not None:
            # A serverless variant has no instances to count.
            del data["InitialInstanceCount"]
        return data

    return unstructure


def _is_model_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and attrs.has(args[0])


def _structure_tuple(tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = get_args(tp)[0]

    def structure(data: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(data, list | tuple):
            return data  # type: ignore[no-any-return]  # the model reports the type
        items: list[Any] = []
        problems: list[Problem] = []
        for index, item in enumerate(data):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            try:
                items.append(_converter.structure(item, item_type))
            except ValidationError as error:
                problems.extend(p.prefixed(f"[{index}]") for p in error.problems)
        if problems:
            raise ValidationError(f"tuple[{item_type.__name__}, ...]", problems)
        return tuple(items)

    return structure


def _field_plan(cls: type) -> list[tuple[str, str, Any]]:
    hints = attrs.resolve_types(cls)
    plan: list[tuple[str, str, Any]] = []
    for field in attrs.fields(hints):
        plan.append((field.name, aws_name(cls, field.name), _structurable(field.type)))
    return plan


def _structurable(tp: Any) -> Any:
    """The type to structure a field's raw value to, or None to pass it as it is."""
    if get_origin(tp) in (Union, types.UnionType):
        inner = [arg for arg in get_args(tp) if arg is not type(None)]
        return _structurable(inner[0]) if len(inner) == 1 else None
    if attrs.has(tp) or _is_model_tuple(tp) or tp is datetime:
        return tp
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    # Leaves (str, int, Literal, mappings) go to the model, whose validation
    # reports a wrong type with the field's name.
    return None


def _structure_factory(cls: type) -> Callable[[Any, Any], Any]:
    plan = _field_plan(cls)
    tagged = cls in _TAGGED

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValidationError(cls.__name__, [Problem("", "a mapping", data)])
        response = cast("Mapping[str, Any]", data)
        kwargs: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, key, target in plan:
            if key not in response:
                continue
            raw = response[key]
            if name == "tags" and tagged:
                try:
                    raw = _tags_in(raw)
                except ValidationError as error:
                    problems.extend(p.prefixed(name) for p in error.problems)
                    continue
            if target is None or raw is None:
                kwargs[name] = raw
                continue
            try:
                kwargs[name] = _converter.structure(raw, target)
            except ValidationError as error:
                problems.extend(p.prefixed(name) for p in error.problems)
            except (ValueError, TypeError):
                problems.append(Problem(name, f"a value for {target.__name__}", raw))
        if problems:
            raise ValidationError(cls.__name__, problems)
        missing = [
            Problem(name, f"a value (AWS key {key})", None)
            for (name, key, _t), field in zip(plan, attrs.fields(cls), strict=True)
            if name not in kwargs and field.default is attrs.NOTHING
        ]
        if missing:
            raise ValidationError(cls.__name__, missing)
        return cls(**kwargs)

    return structure


def _structure_datetime(value: Any, _: type) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _build() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(FrozenMap, dict)
    converter.register_unstructure_hook(AsyncInferenceConfig, _unstructure_async)
    converter.register_structure_hook(AsyncInferenceConfig, _structure_async)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_structure_hook_factory(_is_model_tuple, _structure_tuple)
    return converter


_converter: Final = _build()

_cls: type
# Inner classes first: a generated hook binds the hooks of its fields' types.
for _cls in (Container, Model, ServerlessConfig, NotificationConfig):
    _converter.register_unstructure_hook(_cls, _unstructure_factory(_cls))
_converter.register_unstructure_hook(
    ProductionVariant, _unstructure_variant(_unstructure_factory(ProductionVariant))
)
_converter.register_unstructure_hook(EndpointConfig, _unstructure_factory(EndpointConfig))
for _cls in (
    Container,
    Model,
    ServerlessConfig,
    ProductionVariant,
    NotificationConfig,
    EndpointConfig,
    VariantSummary,
    EndpointDescription,
):
    _converter.register_structure_hook(_cls, _structure_factory(_cls))


def to_request(value: object) -> dict[str, Any]:
    """The AWS request (or request part) for a model value."""
    return _converter.unstructure(value)  # type: ignore[no-any-return]


def from_response(cls: type[T], response: Mapping[str, Any]) -> T:
    """Build *cls* from an AWS answer or request dict; unknown keys are ignored."""
    return _converter.structure(response, cls)


register_reader(from_response)
