"""CreateInferenceRouter and UpdateInferenceRouter requests checked as SageMaker checks them.

botocore checks required members and minimums only; the service checks the
rest: lengths, patterns, ranges, unique names and ARNs, the partition, the
mode of each endpoint it can read, and what InstancePoolOrder needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, cast

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import sagemaker_backends

from sagemaker_async.testing.fulfilment._async_config import endpoint_settings

NAME: Final = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
SHOWN_NAME: Final = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
DESTINATION: Final = re.compile(
    r"arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):([0-9]{12}):(endpoint|inference-component)/"
    r"([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})"
)
S3_URI: Final = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(/\S*)?")
TOPIC: Final = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]*:[0-9]{12}:[a-zA-Z0-9_.-]+")
PREFERENCES: Final = ("LocalRegionFirst", "InstancePoolOrder")


def section(parent: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The structure *parent* holds at *key* (empty when absent or not a structure)."""
    value: object = parent.get(key)
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else {}


def items(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The structures of the list *parent* holds at *key* (others skipped)."""
    value: object = parent.get(key)
    if not isinstance(value, list):
        return []
    found = cast("list[object]", value)
    return [cast("Mapping[str, Any]", item) for item in found if isinstance(item, Mapping)]


def destination_parts(arn: str) -> tuple[str, str, str, str, str] | None:
    """Partition, Region, account, resource kind and name of a destination ARN."""
    match = DESTINATION.fullmatch(arn)
    if match is None:
        return None
    return match[1], match[2], match[3], match[4], match[5]


def _constraint(value: object, where: str, rule: str) -> str:
    return f"Value '{value}' at '{where}' failed to satisfy constraint: Member must {rule}"


def refuse(problems: Sequence[str]) -> None:
    """Raise SageMaker's ValidationException listing *problems* (if any)."""
    if problems:
        noun = "error" if len(problems) == 1 else "errors"
        raise ValidationError(f"{len(problems)} validation {noun} detected: " + "; ".join(problems))


def name_problems(value: object, where: str) -> Iterator[str]:
    """Length and pattern of a router or routing target name."""
    if not isinstance(value, str):
        yield _constraint(value, where, "be a string")
        return
    if len(value) > 63:
        yield _constraint(value, where, "have length less than or equal to 63")
    if NAME.fullmatch(value) is None:
        yield _constraint(value, where, f"satisfy regular expression pattern: {SHOWN_NAME}")


def targets_problems(targets: Sequence[Mapping[str, Any]], partition: str) -> Iterator[str]:
    """Every rule a list of routing targets breaks."""
    if len(targets) > 20:
        yield _constraint(len(targets), "routingTargets", "have length less than or equal to 20")
    seen: set[str] = set()
    for index, target in enumerate(targets, start=1):
        where = f"routingTargets.{index}.member"
        yield from name_problems(target.get("Name"), f"{where}.name")
        name = target.get("Name")
        if isinstance(name, str):
            if name in seen:
                yield f"Routing target name {name} appears more than once. Names must be unique."
            seen.add(name)
        yield from _destination_problems(items(target, "Destinations"), where, partition)
        yield from _async_problems(target.get("AsyncInferenceConfig"), where)
        preference = target.get("RoutingPreference")
        if preference is not None and preference not in PREFERENCES:
            yield _constraint(
                preference,
                f"{where}.routingPreference",
                "satisfy enum value set: [" + ", ".join(PREFERENCES) + "]",
            )


def _destination_problems(
    destinations: Sequence[Mapping[str, Any]], where: str, partition: str
) -> Iterator[str]:
    if len(destinations) > 10:
        yield _constraint(
            len(destinations), f"{where}.destinations", "have length less than or equal to 10"
        )
    seen: set[str] = set()
    for index, destination in enumerate(destinations, start=1):
        arn = destination.get("ResourceArn")
        at = f"{where}.destinations.{index}.member.resourceArn"
        parts = destination_parts(arn) if isinstance(arn, str) else None
        if parts is None:
            yield _constraint(
                arn,
                at,
                "satisfy regular expression pattern: arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:"
                "[0-9]{12}:(endpoint|inference-component)/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
            )
            continue
        assert isinstance(arn, str)
        if arn in seen:
            yield f"Destination {arn} appears more than once in a routing target."
        seen.add(arn)
        if parts[0] != partition:
            yield f"Destination {arn} is not in the inference router's partition ({partition})."
        elif parts[3] != "endpoint":
            yield (
                f"Destination {arn} is an inference component; the destinations of an "
                "asynchronous routing target must be asynchronous endpoints."
            )


def _async_problems(config: object, where: str) -> Iterator[str]:
    if not isinstance(config, Mapping):
        yield (
            "The simulator serves asynchronous routing targets only: "
            f"{where}.asyncInferenceConfig is required."
        )
        return
    settings = cast("Mapping[str, Any]", config)
    output = section(settings, "OutputConfig")
    for key, field in (("S3OutputPath", "s3OutputPath"), ("S3FailurePath", "s3FailurePath")):
        value = output.get(key)
        if not isinstance(value, str) or S3_URI.fullmatch(value) is None:
            yield _constraint(
                value,
                f"{where}.asyncInferenceConfig.outputConfig.{field}",
                "be an S3 URI (s3://bucket/prefix) of at most 512 characters",
            )
    topics = section(output, "NotificationConfig")
    for key in ("SuccessTopic", "ErrorTopic"):
        topic = topics.get(key)
        if topic is not None and (not isinstance(topic, str) or TOPIC.fullmatch(topic) is None):
            yield _constraint(
                topic,
                f"{where}.asyncInferenceConfig.outputConfig.notificationConfig.{key[0].lower()}"
                f"{key[1:]}",
                "be an SNS topic ARN",
            )
    client = section(settings, "ClientConfig")
    seconds = client.get("MaxTimeInBacklogSeconds")
    if seconds is not None and not (isinstance(seconds, int) and 60 <= seconds <= 21_600):
        yield _constraint(
            seconds,
            f"{where}.asyncInferenceConfig.clientConfig.maxTimeInBacklogSeconds",
            "have value between 60 and 21600",
        )


def mode_problems(targets: Sequence[Mapping[str, Any]], account_id: str) -> Iterator[str]:
    """Destinations SageMaker can read that do not fit: real-time, or not pool-ordered.

    An endpoint it cannot check (missing, or in another account) is accepted.
    """
    for target in targets:
        arns = [str(d.get("ResourceArn")) for d in items(target, "Destinations")]
        for arn in arns:
            parts = destination_parts(arn)
            if parts is None or parts[2] != account_id:
                continue
            backend = sagemaker_backends[account_id][parts[1]]
            if parts[4] not in backend.endpoints:
                continue
            if endpoint_settings(backend, parts[4]) is None:
                yield (
                    f"Destination {arn} is a real-time endpoint; the destinations of an "
                    "asynchronous routing target must be asynchronous endpoints."
                )
        if target.get("RoutingPreference") == "InstancePoolOrder":
            yield from _pool_problems(arns, account_id)


def _pools(arn: str, account_id: str) -> tuple[str, ...] | None:
    parts = destination_parts(arn)
    if parts is None or parts[2] != account_id:
        return None
    backend = sagemaker_backends[account_id][parts[1]]
    endpoint = backend.endpoints.get(parts[4])
    config = (
        None if endpoint is None else backend.endpoint_configs.get(endpoint.endpoint_config_name)
    )
    if config is None:
        return None
    for variant in cast("list[Mapping[str, Any]]", config.production_variants):
        pools = sorted(
            items(variant, "InstancePools"), key=lambda pool: int(pool.get("Priority", 0))
        )
        if len(pools) >= 2:
            return tuple(str(pool.get("InstanceType")) for pool in pools)
    return ()


def _pool_problems(arns: Sequence[str], account_id: str) -> Iterator[str]:
    orders = {arn: _pools(arn, account_id) for arn in arns}
    known = {order for order in orders.values() if order}
    for arn, order in orders.items():
        if order is None or not order or len(known) > 1:
            yield (
                "RoutingPreference InstancePoolOrder needs every destination to be an endpoint "
                "that lists the same two or more instance types, each with a different "
                f"priority, in the same order: {arn} does not."
            )
            return
