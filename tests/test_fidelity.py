"""Every constraint botocore's SageMaker model declares on a member we cover is enforced.

The constraints are read from the installed botocore, not listed here: a constraint
added to a covered member makes a new case, which fails until the models enforce it.
"""

from __future__ import annotations

import copy
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from botocore.loaders import Loader
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape

import sagemaker_async as sa

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
SUCCESS_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-failed"
SUCCESS = "SUCCESS_NOTIFICATION_TOPIC"
ERROR = "ERROR_NOTIFICATION_TOPIC"

CONSTRAINTS = ("required", "min", "max", "pattern", "enum")
# Keys of a shape in botocore's JSON that constrain no value (a structure's own
# "required" lists its members: the parent's "required" makes that case).
NOT_CONSTRAINTS = frozenset(
    {
        "type",
        "members",
        "member",
        "key",
        "value",
        "required",
        "documentation",
        "box",
        "union",
        "exception",
        "error",
        "fault",
        "sensitive",
        "deprecated",
        "deprecatedMessage",
        "document",
        "timestampFormat",
        "wrapper",
        "retryable",
    }
)


@cache
def service_data() -> dict[str, Any]:
    """botocore's SageMaker model as JSON: keys botocore's Shape objects drop are kept."""
    data: dict[str, Any] = Loader().load_service_model("sagemaker", "service-2")
    return data


@cache
def service() -> ServiceModel:
    return ServiceModel(service_data(), service_name="sagemaker")


# -- valid values to start from -------------------------------------------------------------


def container_kwargs() -> dict[str, Any]:
    return {"image": IMAGE, "model_data_url": "s3://models-bucket/churn/model.tar.gz"}


def model_kwargs() -> dict[str, Any]:
    return {"name": "churn", "execution_role_arn": ROLE, "container": sa.Container(image=IMAGE)}


def serverless_kwargs() -> dict[str, Any]:
    return {"memory_size_in_mb": 2048, "max_concurrency": 10}


def variant_kwargs() -> dict[str, Any]:
    return {"model_name": "churn", "instance_type": "ml.m5.large"}


def serverless_variant_kwargs() -> dict[str, Any]:
    return {"model_name": "churn", "serverless": sa.ServerlessConfig(**serverless_kwargs())}


def notification_kwargs() -> dict[str, Any]:
    return {"success_topic": SUCCESS_TOPIC, "error_topic": ERROR_TOPIC}


def async_kwargs() -> dict[str, Any]:
    return {"output_path": "s3://results-bucket/churn"}


def config_kwargs() -> dict[str, Any]:
    return {
        "name": "churn-v1",
        "variants": [sa.ProductionVariant(**variant_kwargs())],
        "async_inference": sa.AsyncInferenceConfig(**async_kwargs()),
    }


def tags_of(count: int) -> dict[str, str]:
    return {f"key{index}": "value" for index in range(count)}


def variants_of(count: int) -> list[sa.ProductionVariant]:
    return [
        sa.ProductionVariant(**variant_kwargs(), variant_name=f"Variant{index}")
        for index in range(count)
    ]


ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"


def routing_target_kwargs() -> dict[str, Any]:
    return {
        "name": "churn-model",
        "destinations": [ENDPOINT_ARN],
        "output_path": "s3://results-bucket/churn",
        "failure_path": "s3://results-bucket/failures",
    }


def router_kwargs() -> dict[str, Any]:
    return {"name": "churn", "targets": [sa.RoutingTarget(**routing_target_kwargs())]}


def destinations_of(count: int) -> list[str]:
    return [f"{ENDPOINT_ARN}{index}" for index in range(count)]


def routing_targets_of(count: int) -> list[sa.RoutingTarget]:
    return [
        sa.RoutingTarget(**{**routing_target_kwargs(), "name": f"target{index}"})
        for index in range(count)
    ]


def same(value: object) -> object:
    return value


@dataclass(frozen=True)
class Target:
    """Where a botocore member lives in the models.

    ``sample`` is a valid value of the member; ``put`` turns a member value into the
    field's value (a tag key into a tags mapping); ``many`` builds the field's value
    with n items, for a list or map member; ``note`` says where our rule differs.
    """

    cls: type
    field: str
    base: Callable[[], dict[str, Any]]
    sample: object = None
    put: Callable[[Any], object] = same
    many: Callable[[int], object] | None = None
    note: str = ""


C, M, S, V = sa.Container, sa.Model, sa.ServerlessConfig, sa.ProductionVariant
N, A, E = sa.NotificationConfig, sa.AsyncInferenceConfig, sa.EndpointConfig
R, RT = sa.InferenceRouter, sa.RoutingTarget
NAME_NOTE = "botocore's min is 0; a name has 1 to 63 characters (stricter)"

TABLE: dict[tuple[str, str], tuple[Target, ...]] = {
    ("CreateModelInput", "ModelName"): (Target(M, "name", model_kwargs, "churn", note=NAME_NOTE),),
    ("CreateModelInput", "ExecutionRoleArn"): (
        Target(M, "execution_role_arn", model_kwargs, ROLE),
    ),
    ("CreateModelInput", "PrimaryContainer"): (
        Target(
            M,
            "container",
            model_kwargs,
            note="optional in botocore (Containers is the alternative); required here",
        ),
    ),
    ("CreateModelInput", "Tags"): (Target(M, "tags", model_kwargs, many=tags_of),),
    ("Tag", "Key"): (
        Target(M, "tags", model_kwargs, "team", put=lambda key: {key: "ml"}),
        Target(E, "tags", config_kwargs, "team", put=lambda key: {key: "ml"}),
    ),
    ("Tag", "Value"): (
        Target(M, "tags", model_kwargs, "ml", put=lambda value: {"team": value}),
        Target(E, "tags", config_kwargs, "ml", put=lambda value: {"team": value}),
    ),
    ("ContainerDefinition", "Image"): (
        Target(
            C,
            "image",
            container_kwargs,
            IMAGE,
            note="botocore's min is 0 (stricter: 1); its [\\S]+ is Java's ASCII \\S, "
            "ours Python's Unicode one (stricter)",
        ),
    ),
    ("ContainerDefinition", "ModelDataUrl"): (
        Target(
            C,
            "model_data_url",
            container_kwargs,
            "s3://models-bucket/churn/model.tar.gz",
            note="an s3:// URL must name a valid bucket (stricter)",
        ),
    ),
    ("ContainerDefinition", "Environment"): (
        Target(C, "environment", container_kwargs, many=lambda n: {f"K{i}": "v" for i in range(n)}),
    ),
    ("EnvironmentMap", "key"): (
        Target(
            C,
            "environment",
            container_kwargs,
            "MODEL_SERVER_WORKERS",
            put=lambda key: {key: "2"},
            note="botocore's min is 0; its pattern needs 1 character anyway",
        ),
    ),
    ("EnvironmentMap", "value"): (
        Target(C, "environment", container_kwargs, "2", put=lambda value: {"WORKERS": value}),
    ),
    ("ProductionVariant", "VariantName"): (
        Target(V, "variant_name", variant_kwargs, "AllTraffic", note=NAME_NOTE),
    ),
    ("ProductionVariant", "ModelName"): (
        Target(
            V,
            "model_name",
            variant_kwargs,
            "churn",
            note=NAME_NOTE + "; optional in botocore (model packages), required here",
        ),
    ),
    ("ProductionVariant", "InstanceType"): (
        Target(V, "instance_type", variant_kwargs, "ml.m5.large"),
    ),
    ("ProductionVariant", "InitialInstanceCount"): (
        Target(V, "initial_instance_count", variant_kwargs, 1),
    ),
    ("ProductionVariant", "InitialVariantWeight"): (
        Target(V, "initial_variant_weight", variant_kwargs, 1.0, note="also finite (stricter)"),
    ),
    ("ProductionVariant", "ServerlessConfig"): (
        Target(V, "serverless", serverless_variant_kwargs, note="or instance_type, not both"),
    ),
    ("ProductionVariantServerlessConfig", "MemorySizeInMB"): (
        Target(S, "memory_size_in_mb", serverless_kwargs, 2048, note="also in steps of 1024"),
    ),
    ("ProductionVariantServerlessConfig", "MaxConcurrency"): (
        Target(S, "max_concurrency", serverless_kwargs, 10),
    ),
    ("ProductionVariantServerlessConfig", "ProvisionedConcurrency"): (
        Target(S, "provisioned_concurrency", serverless_kwargs, 1, note="also <= max_concurrency"),
    ),
    ("CreateEndpointConfigInput", "EndpointConfigName"): (
        Target(E, "name", config_kwargs, "churn-v1", note=NAME_NOTE),
    ),
    ("CreateEndpointConfigInput", "ProductionVariants"): (
        Target(E, "variants", config_kwargs, many=variants_of),
    ),
    ("CreateEndpointConfigInput", "KmsKeyId"): (
        Target(E, "kms_key_id", config_kwargs, "alias/volumes", note="min 1 (stricter)"),
    ),
    ("CreateEndpointConfigInput", "Tags"): (Target(E, "tags", config_kwargs, many=tags_of),),
    ("CreateEndpointConfigInput", "AsyncInferenceConfig"): (
        Target(
            E,
            "async_inference",
            config_kwargs,
            note="optional in botocore (real-time endpoints); required for asynchronous ones",
        ),
    ),
    # AsyncInferenceConfig's OutputConfig and ClientConfig are flattened into its fields.
    ("AsyncInferenceConfig", "OutputConfig"): (
        Target(A, "output_path", async_kwargs, note="OutputConfig is there when output_path is"),
    ),
    ("AsyncInferenceConfig", "ClientConfig"): (
        Target(A, "max_concurrent_invocations_per_instance", async_kwargs),
    ),
    ("AsyncInferenceOutputConfig", "KmsKeyId"): (
        Target(A, "kms_key_id", async_kwargs, "alias/results", note="min 1 (stricter)"),
    ),
    ("AsyncInferenceOutputConfig", "S3OutputPath"): (
        Target(
            A,
            "output_path",
            async_kwargs,
            "s3://results-bucket/churn",
            note="required (stricter); botocore's pattern (https|s3)://([^/])/?(.*) takes any "
            "s3:// or https:// string whose next character is not a slash: we take s3:// URIs "
            "with a valid bucket name and no whitespace (stricter)",
        ),
    ),
    ("AsyncInferenceOutputConfig", "S3FailurePath"): (
        Target(
            A,
            "failure_path",
            async_kwargs,
            "s3://results-bucket/failures",
            note="as S3OutputPath: s3:// URIs with a valid bucket name (stricter)",
        ),
    ),
    ("AsyncInferenceOutputConfig", "NotificationConfig"): (
        Target(A, "notification", async_kwargs),
    ),
    ("AsyncInferenceClientConfig", "MaxConcurrentInvocationsPerInstance"): (
        Target(A, "max_concurrent_invocations_per_instance", async_kwargs, 4),
    ),
    ("AsyncInferenceNotificationConfig", "SuccessTopic"): (
        Target(N, "success_topic", notification_kwargs, SUCCESS_TOPIC, note="min 1 (stricter)"),
    ),
    ("AsyncInferenceNotificationConfig", "ErrorTopic"): (
        Target(N, "error_topic", notification_kwargs, ERROR_TOPIC, note="min 1 (stricter)"),
    ),
    ("AsyncInferenceNotificationConfig", "IncludeInferenceResponseIn"): (
        Target(
            N,
            "include_inference_response_in",
            notification_kwargs,
            many=lambda n: [SUCCESS, ERROR, SUCCESS][:n],
            note="each kind once, and only a configured topic's (stricter)",
        ),
    ),
    ("AsyncNotificationTopicTypeList", "member"): (
        Target(N, "include_inference_response_in", notification_kwargs, SUCCESS, put=lambda v: [v]),
    ),
    ("CreateInferenceRouterInput", "InferenceRouterName"): (
        Target(R, "name", router_kwargs, "churn"),
    ),
    ("CreateInferenceRouterInput", "RoutingTargets"): (
        Target(R, "targets", router_kwargs, many=routing_targets_of),
    ),
    ("CreateInferenceRouterInput", "Tags"): (Target(R, "tags", router_kwargs, many=tags_of),),
    ("RoutingTarget", "Name"): (Target(RT, "name", routing_target_kwargs, "churn-model"),),
    ("RoutingTarget", "Destinations"): (
        Target(RT, "destinations", routing_target_kwargs, many=destinations_of),
    ),
    ("Destination", "ResourceArn"): (
        Target(
            RT,
            "destinations",
            routing_target_kwargs,
            ENDPOINT_ARN,
            put=lambda arn: [arn],
            note="endpoints only: an asynchronous routing target takes no inference "
            "component (stricter)",
        ),
    ),
    # RoutingTarget's AsyncInferenceConfig, OutputConfig and ClientConfig are flattened.
    ("RoutingTarget", "AsyncInferenceConfig"): (
        Target(
            RT,
            "output_path",
            routing_target_kwargs,
            note="optional in botocore (real-time targets); always there for asynchronous ones",
        ),
    ),
    ("RoutingTarget", "RoutingPreference"): (
        Target(RT, "routing_preference", routing_target_kwargs, "LocalRegionFirst"),
    ),
    ("RoutingTargetAsyncInferenceConfig", "OutputConfig"): (
        Target(RT, "output_path", routing_target_kwargs),
    ),
    ("RoutingTargetAsyncInferenceConfig", "ClientConfig"): (
        Target(RT, "max_time_in_backlog_seconds", routing_target_kwargs),
    ),
    ("RoutingTargetAsyncInferenceClientConfig", "MaxTimeInBacklogSeconds"): (
        Target(RT, "max_time_in_backlog_seconds", routing_target_kwargs, 60),
    ),
    ("RoutingTargetAsyncInferenceOutputConfig", "S3OutputPath"): (
        Target(
            RT,
            "output_path",
            routing_target_kwargs,
            "s3://results-bucket/churn",
            note="as AsyncInferenceOutputConfig.S3OutputPath (stricter)",
        ),
    ),
    ("RoutingTargetAsyncInferenceOutputConfig", "S3FailurePath"): (
        Target(
            RT,
            "failure_path",
            routing_target_kwargs,
            "s3://results-bucket/failures",
            note="as AsyncInferenceOutputConfig.S3OutputPath (stricter)",
        ),
    ),
    ("RoutingTargetAsyncInferenceOutputConfig", "KmsKeyId"): (
        Target(RT, "kms_key_id", routing_target_kwargs, "alias/results", note="min 1 (stricter)"),
    ),
    ("RoutingTargetAsyncInferenceOutputConfig", "NotificationConfig"): (
        Target(RT, "notification", routing_target_kwargs),
    ),
    ("RoutingTargetAsyncInferenceNotificationConfig", "SuccessTopic"): (
        Target(N, "success_topic", notification_kwargs, SUCCESS_TOPIC),
    ),
    ("RoutingTargetAsyncInferenceNotificationConfig", "ErrorTopic"): (
        Target(N, "error_topic", notification_kwargs, ERROR_TOPIC),
    ),
}
"""(botocore shape, member) -> the model fields that carry it.

Maps have members "key" and "value", lists "member".
"""

# The structures our models start from, with the members they cover; every member of
# a structure reached from these must be in TABLE (or in NOT_MODELLED, with the reason).
ROOTS: dict[str, tuple[str, ...]] = {
    "CreateModelInput": ("ModelName", "ExecutionRoleArn", "PrimaryContainer", "Tags"),
    "ContainerDefinition": ("Image", "ModelDataUrl", "Environment"),
    "ProductionVariant": (
        "VariantName",
        "ModelName",
        "InstanceType",
        "InitialInstanceCount",
        "InitialVariantWeight",
        "ServerlessConfig",
    ),
    "CreateEndpointConfigInput": (
        "EndpointConfigName",
        "ProductionVariants",
        "KmsKeyId",
        "Tags",
        "AsyncInferenceConfig",
    ),
    "CreateInferenceRouterInput": ("InferenceRouterName", "RoutingTargets", "Tags"),
}
# Members reached from ROOTS that the models leave out on purpose, with the reason
NOT_MODELLED: dict[tuple[str, str], str] = {
    ("Destination", "RoutingStatus"): "SageMaker ignores it in requests; "
    "InferenceRouterDescription.destination_status reads it from answers",
}

# Patterns no string breaks: nothing to enforce.
UNBREAKABLE: dict[tuple[str, str], str] = {
    ("EnvironmentMap", "value"): "[\\S\\s]* matches every string",
}


# -- reading botocore ------------------------------------------------------------------------


def parent_and_member(shape_name: str, member: str) -> tuple[Shape, Shape]:
    parent = service().shape_for(shape_name)
    if isinstance(parent, StructureShape):
        return parent, parent.members[member]
    if isinstance(parent, MapShape):
        return parent, {"key": parent.key, "value": parent.value}[member]
    assert isinstance(parent, ListShape), shape_name
    assert member == "member", member
    return parent, parent.member


def constraints(shape_name: str, member: str) -> list[str]:
    """The constraints botocore declares on a member, and any metadata we do not know."""
    parent, shape = parent_and_member(shape_name, member)
    found = [key for key in service_data()["shapes"][shape.name] if key not in NOT_CONSTRAINTS]
    if isinstance(parent, StructureShape) and member in parent.required_members:
        found.insert(0, "required")
    # A minimum of 0 length or items has nothing below it.
    if shape.type_name in ("string", "list", "map") and shape.metadata.get("min") == 0:
        found.remove("min")
    return found


def walk() -> Iterator[tuple[str, str]]:
    """Every (shape, member) reached from ROOTS, going into structures, lists and maps."""
    seen: set[str] = set()

    def into(shape: Shape) -> Iterator[tuple[str, str]]:
        if shape.name in seen or shape.name in ROOTS:
            return
        seen.add(shape.name)
        if isinstance(shape, StructureShape):
            for name, member in shape.members.items():
                yield shape.name, name
                yield from into(member)
        elif isinstance(shape, ListShape):
            if not isinstance(shape.member, StructureShape):
                yield shape.name, "member"
            yield from into(shape.member)
        elif isinstance(shape, MapShape):
            yield shape.name, "key"
            yield shape.name, "value"

    for root, members in ROOTS.items():
        for name in members:
            yield root, name
            yield from into(service().shape_for(root).members[name])


_UNICODE_CLASS = re.compile(r"\\p\{(\w)\}")


def aws_fullmatch(pattern: str, value: str) -> bool:
    """Match as the service's Java regexes do: ASCII ``\\d\\s\\w``, and ``\\p{..}`` classes."""

    # Python's re has no \p{L}: stand in for it the characters of *value* in that category.
    def chars(match: re.Match[str]) -> str:
        found = {char for char in value if unicodedata.category(char).startswith(match[1])}
        return "".join(re.escape(char) for char in sorted(found)) or "\ue000"

    return re.fullmatch(_UNICODE_CLASS.sub(chars, pattern), value, re.ASCII) is not None


def pattern_breakers(sample: str) -> list[str]:
    return [
        sample + "!",
        "!" + sample,
        sample + " ",
        " " + sample,
        sample + "\n",
        sample.replace("-", "_"),
        "",
    ]


def breaking_value(shape: Shape, constraint: str, target: Target) -> object:
    """A value of the field whose member value breaks *constraint* of *shape*."""
    meta = shape.metadata
    sample = target.sample
    low, high = meta.get("min", 0), meta.get("max")
    if constraint == "required":
        return None
    if shape.type_name in ("list", "map"):
        assert target.many is not None, "give the target a `many`"
        return target.many(meta["min"] - 1 if constraint == "min" else meta["max"] + 1)
    if shape.type_name in ("integer", "long"):
        return target.put(meta["min"] - 1 if constraint == "min" else meta["max"] + 1)
    if shape.type_name in ("float", "double"):
        return target.put(meta["min"] - 0.5 if constraint == "min" else meta["max"] + 0.5)
    assert isinstance(sample, str), "give the target a string `sample`"
    if constraint == "min":
        return target.put(sample[: low - 1])
    if constraint == "max":
        # Too long, of characters the sample shows valid.
        return target.put(sample + sample[-1] * (high + 1 - len(sample)))
    if constraint == "enum":
        unknown = sample + "-unknown"
        assert unknown not in shape.enum
        return target.put(unknown)
    breakers = [
        value
        for value in pattern_breakers(sample)
        if low <= len(value) <= (high or len(value)) and not aws_fullmatch(meta["pattern"], value)
    ]
    assert breakers, "no value breaks the pattern: add the member to UNBREAKABLE"
    return target.put(breakers[0])


def cases() -> Iterator[Any]:
    for (shape_name, member), targets in TABLE.items():
        for constraint in constraints(shape_name, member):
            if constraint == "pattern" and (shape_name, member) in UNBREAKABLE:
                continue
            for target in targets:
                yield pytest.param(
                    shape_name,
                    member,
                    constraint,
                    target,
                    id=f"{shape_name}.{member}-{constraint}-{target.cls.__name__}",
                )


CASES = list(cases())


def root(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


# -- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape_name", "member", "constraint", "target"), CASES)
def test_breaking_a_botocore_constraint_is_refused(
    shape_name: str, member: str, constraint: str, target: Target
) -> None:
    assert constraint in CONSTRAINTS, (
        f"botocore declares {constraint!r} on {shape_name}.{member}: enforce it, then teach "
        "this test to break it"
    )
    _, shape = parent_and_member(shape_name, member)
    kwargs = target.base()
    kwargs[target.field] = breaking_value(shape, constraint, target)

    with pytest.raises(sa.ValidationError) as info:
        target.cls(**kwargs)

    assert target.field in {root(path) for path in info.value.fields}


@pytest.mark.parametrize(("shape_name", "member"), list(UNBREAKABLE))
def test_unbreakable_patterns_are_unbreakable(shape_name: str, member: str) -> None:
    _, shape = parent_and_member(shape_name, member)
    (target,) = TABLE[shape_name, member]
    assert isinstance(target.sample, str)

    breakers = pattern_breakers(target.sample)
    expected = []
    assert expected == [v for v in breakers if not aws_fullmatch(shape.metadata["pattern"], v)]


def test_the_table_covers_exactly_what_the_roots_reach() -> None:
    assert set(TABLE) | set(NOT_MODELLED) == set(walk())


def test_every_sample_is_valid() -> None:
    invalid = []
    for key, targets in TABLE.items():
        for target in targets:
            if target.sample is None:
                continue
            kwargs = target.base()
            kwargs[target.field] = target.put(target.sample)
            try:
                target.cls(**kwargs)
            except sa.ValidationError as error:
                invalid.append((key, str(error)))
    expected = []
    assert expected == invalid


def test_every_sample_keeps_botocores_constraints() -> None:
    broken = []
    for (shape_name, member), targets in TABLE.items():
        _, shape = parent_and_member(shape_name, member)
        meta = shape.metadata
        for target in targets:
            sample = target.sample
            if not isinstance(sample, str):
                continue
            if not meta.get("min", 0) <= len(sample) <= meta.get("max", len(sample)):
                broken.append((shape_name, member, "length"))
            if "pattern" in meta and not aws_fullmatch(meta["pattern"], sample):
                broken.append((shape_name, member, "pattern"))
    expected = []
    assert expected == broken


def test_there_are_cases_for_every_kind_of_constraint() -> None:
    kinds = {param.values[2] for param in CASES}

    assert set(CONSTRAINTS) == kinds


def test_every_botocore_instance_type_is_accepted() -> None:
    enum = service().shape_for("ProductionVariantInstanceType").enum
    refused = []
    for instance_type in enum:
        try:
            sa.ProductionVariant(model_name="churn", instance_type=instance_type)
        except sa.ValidationError:
            refused.append(instance_type)

    expected = []
    assert expected == refused


def test_aws_fullmatch_reads_unicode_classes() -> None:
    pattern = service().shape_for("TagKey").metadata["pattern"]

    expected = (True, False)
    assert expected == (aws_fullmatch(pattern, "Équipe 7"), aws_fullmatch(pattern, "a!"))


def test_aws_fullmatch_digits_are_ascii() -> None:
    assert False is aws_fullmatch(r"\d+", "١٢٣")


def with_metadata(monkeypatch: pytest.MonkeyPatch, shape_name: str, **metadata: object) -> None:
    """Make this module read a SageMaker model whose *shape_name* declares *metadata* too."""
    data = copy.deepcopy(service_data())
    data["shapes"][shape_name].update(metadata)
    patched = ServiceModel(data, service_name="sagemaker")
    monkeypatch.setattr(sys.modules[__name__], "service_data", lambda: data)
    monkeypatch.setattr(sys.modules[__name__], "service", lambda: patched)


def test_a_maximum_botocore_adds_makes_a_case_the_models_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_metadata(monkeypatch, "InitialTaskCount", max=5)
    (target,) = TABLE["ProductionVariant", "InitialInstanceCount"]
    _, shape = parent_and_member("ProductionVariant", "InitialInstanceCount")

    value = breaking_value(shape, "max", target)

    assert "max" in constraints("ProductionVariant", "InitialInstanceCount")
    assert value == V(**variant_kwargs(), initial_instance_count=value).initial_instance_count


def test_an_unknown_constraint_botocore_adds_makes_a_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_metadata(monkeypatch, "InitialTaskCount", multipleOf=2)

    expected = ["min", "multipleOf"]
    assert expected == constraints("ProductionVariant", "InitialInstanceCount")
