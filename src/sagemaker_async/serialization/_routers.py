"""Inference routers on the wire: CreateInferenceRouter requests, DescribeInferenceRouter answers.

A routing target's settings nest as AWS nests them (``AsyncInferenceConfig`` >
``OutputConfig`` / ``ClientConfig``); the models keep them flat. Registers its
hooks on the one converter when imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import (
    InferenceRouter,
    InferenceRouterDescription,
    InferenceRouterStatus,
    NotificationConfig,
    RoutingStatus,
    RoutingTarget,
)

from ._converter import _converter  # pyright: ignore[reportPrivateUsage]


def _mapping(data: object, where: str, subject: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(subject, [Problem(where, "a mapping", data)])
    return cast("Mapping[str, Any]", data)


def _list(data: object, where: str, subject: str) -> list[Any]:
    if not isinstance(data, list | tuple):
        raise ValidationError(subject, [Problem(where, "a list", data)])
    return list(cast("list[Any]", data))


def unstructure_target(target: RoutingTarget) -> dict[str, Any]:
    """A ``RoutingTarget`` of CreateInferenceRouter and UpdateInferenceRouter."""
    output: dict[str, Any] = {
        "S3OutputPath": target.output_path,
        "S3FailurePath": target.failure_path,
    }
    if target.kms_key_id is not None:
        output["KmsKeyId"] = target.kms_key_id
    notification = target.notification
    if notification is not None:
        topics = {
            "SuccessTopic": notification.success_topic,
            "ErrorTopic": notification.error_topic,
        }
        output["NotificationConfig"] = {k: t for k, t in topics.items() if t is not None}
    config: dict[str, Any] = {"OutputConfig": output}
    if target.max_time_in_backlog_seconds is not None:
        config["ClientConfig"] = {"MaxTimeInBacklogSeconds": target.max_time_in_backlog_seconds}
    data: dict[str, Any] = {
        "Name": target.name,
        "Destinations": [{"ResourceArn": arn} for arn in target.destinations],
        "AsyncInferenceConfig": config,
    }
    if target.routing_preference is not None:
        data["RoutingPreference"] = str(target.routing_preference)
    return data


def structure_target(data: Mapping[str, Any], _: type = RoutingTarget) -> RoutingTarget:
    """A model from one of ``RoutingTargets``; keys AWS adds later are ignored."""
    subject = "RoutingTarget"
    data = _mapping(data, "", subject)
    destinations = [
        _mapping(item, f"Destinations[{index}]", subject).get("ResourceArn")
        for index, item in enumerate(_list(data.get("Destinations", []), "Destinations", subject))
    ]
    config = _mapping(data.get("AsyncInferenceConfig", {}), "AsyncInferenceConfig", subject)
    output = _mapping(config.get("OutputConfig", {}), "AsyncInferenceConfig.OutputConfig", subject)
    client = _mapping(config.get("ClientConfig", {}), "AsyncInferenceConfig.ClientConfig", subject)
    topics = output.get("NotificationConfig")
    notification = None
    if topics is not None:
        topics = _mapping(topics, "NotificationConfig", subject)
        try:
            notification = NotificationConfig(
                success_topic=topics.get("SuccessTopic"), error_topic=topics.get("ErrorTopic")
            )
        except ValidationError as error:
            raise error.prefixed("notification") from None
    return RoutingTarget(
        name=cast(str, data.get("Name")),
        destinations=cast("tuple[str, ...]", tuple(destinations)),
        output_path=cast(str, output.get("S3OutputPath")),
        failure_path=cast(str, output.get("S3FailurePath")),
        notification=notification,
        kms_key_id=output.get("KmsKeyId"),
        max_time_in_backlog_seconds=client.get("MaxTimeInBacklogSeconds"),
        routing_preference=data.get("RoutingPreference"),
    )


def _targets_in(data: object, subject: str) -> tuple[RoutingTarget, ...]:
    targets: list[RoutingTarget] = []
    problems: list[Problem] = []
    for index, item in enumerate(_list(data, "RoutingTargets", subject)):
        try:
            targets.append(structure_target(item))
        except ValidationError as error:
            problems.extend(p.prefixed(f"targets[{index}]") for p in error.problems)
    if problems:
        raise ValidationError(subject, problems)
    return tuple(targets)


def unstructure_router(router: InferenceRouter) -> dict[str, Any]:
    """The CreateInferenceRouter request of *router*."""
    data: dict[str, Any] = {
        "InferenceRouterName": router.name,
        "RoutingTargets": [unstructure_target(target) for target in router.targets],
    }
    if router.tags:
        data["Tags"] = [{"Key": key, "Value": value} for key, value in router.tags.items()]
    return data


def structure_router(data: Mapping[str, Any], _: type = InferenceRouter) -> InferenceRouter:
    """A router from a CreateInferenceRouter request or a DescribeInferenceRouter answer."""
    subject = "InferenceRouter"
    data = _mapping(data, "", subject)
    tags = {
        _mapping(tag, "Tags", subject).get("Key"): _mapping(tag, "Tags", subject).get("Value")
        for tag in _list(data.get("Tags", []), "Tags", subject)
    }
    return InferenceRouter(
        name=cast(str, data.get("InferenceRouterName")),
        targets=_targets_in(data.get("RoutingTargets", []), subject),
        tags=cast("dict[str, str]", tags),
    )


def structure_description(
    data: Mapping[str, Any], _: type = InferenceRouterDescription
) -> InferenceRouterDescription:
    """A DescribeInferenceRouter answer, each destination's RoutingStatus read out."""
    subject = "InferenceRouterDescription"
    data = _mapping(data, "", subject)
    raw_targets = _list(data.get("RoutingTargets", []), "RoutingTargets", subject)
    status: dict[str, RoutingStatus] = {}
    for target in raw_targets:
        for destination in _list(
            _mapping(target, "RoutingTargets", subject).get("Destinations", []),
            "Destinations",
            subject,
        ):
            destination = _mapping(destination, "Destinations", subject)
            if "RoutingStatus" in destination:
                status[destination["ResourceArn"]] = RoutingStatus(destination["RoutingStatus"])
    missing = [
        Problem(field, f"a value (AWS key {key})", None)
        for field, key in (
            ("name", "InferenceRouterName"),
            ("arn", "InferenceRouterArn"),
            ("status", "Status"),
        )
        if key not in data
    ]
    if missing:
        raise ValidationError(subject, missing)
    return InferenceRouterDescription(
        name=data["InferenceRouterName"],
        arn=data["InferenceRouterArn"],
        status=InferenceRouterStatus(data["Status"]),
        status_reason=data.get("StatusReason"),
        targets=_targets_in(raw_targets, subject),
        destination_status=status,
        creation_time=data.get("CreationTime"),
        last_modified_time=data.get("LastModifiedTime"),
    )


_converter.register_unstructure_hook(RoutingTarget, unstructure_target)
_converter.register_unstructure_hook(InferenceRouter, unstructure_router)
_converter.register_structure_hook(RoutingTarget, structure_target)
_converter.register_structure_hook(InferenceRouter, structure_router)
_converter.register_structure_hook(InferenceRouterDescription, structure_description)
