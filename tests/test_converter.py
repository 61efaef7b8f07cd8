"""The converter: models to AWS requests and back, checked against botocore's service model."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StringShape, StructureShape
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sagemaker_async as sa
from sagemaker_async.models import is_bucket_name
from sagemaker_async.serialization import from_response, to_request

EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
SUCCESS_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-failed"


# -- strategies: valid values only ------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
INSTALLED_INSTANCE_TYPES = sorted(
    botocore.session.get_session()
    .get_service_model("sagemaker")
    .shape_for("ProductionVariantInstanceType")
    .enum
)
names = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(ALNUM),
    st.text(ALNUM + "-", max_size=61),
    st.sampled_from(ALNUM) | st.just(""),
).filter(lambda name: not name.endswith("-"))

no_space = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="\x85"
)
account = st.text(string.digits, min_size=12, max_size=12)
partition = st.sampled_from(["aws", "aws-cn", "aws-us-gov"])
role_arns = st.builds(
    lambda part, acct, path: f"arn:{part}:iam::{acct}:role/{path}",
    partition,
    account,
    st.text(ALNUM + "+=,.@-_/", min_size=1, max_size=64),
)
images = st.text(no_space, min_size=1, max_size=255)
buckets = st.from_regex(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", fullmatch=True).filter(is_bucket_name)
s3_keys = st.text(no_space, max_size=80)
# Output and failure paths come back in HTTP headers: printable ASCII, spaces included.
ascii_keys = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
s3_uris = st.builds(lambda bucket, key: f"s3://{bucket}/{key}", buckets, ascii_keys) | st.builds(
    lambda bucket: f"s3://{bucket}", buckets
)
model_s3_uris = st.builds(
    lambda bucket, key: f"s3://{bucket}/{key}",
    buckets,
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80),
)
https_urls = st.builds(
    lambda host, path: f"https://{host}/{path}",
    st.from_regex(r"[a-z0-9.\-]{1,60}", fullmatch=True),
    s3_keys,
)
env_keys = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,40}", fullmatch=True)
env_values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
tag_text = st.characters(whitelist_categories=("L", "N", "Z"), whitelist_characters="_.:/=+-@")
tag_keys = st.text(tag_text, min_size=1, max_size=128).filter(lambda k: not k.startswith("aws:"))
tag_values = st.text(tag_text, max_size=256)
tags = st.dictionaries(tag_keys, tag_values, max_size=5)
sns_arns = st.builds(
    lambda part, region, acct, name: f"arn:{part}:sns:{region}:{acct}:{name}",
    partition,
    st.sampled_from(["us-east-1", "eu-west-3", "ap-southeast-2"]),
    account,
    st.text(ALNUM + "_.-", min_size=1, max_size=64),
)
kms_keys = st.text(ALNUM + ":/_-", min_size=1, max_size=120)

containers = st.builds(
    sa.Container,
    image=images,
    model_data_url=st.none() | model_s3_uris | https_urls,
    environment=st.dictionaries(env_keys, env_values, max_size=5),
)
models = st.builds(
    sa.Model, name=names, execution_role_arn=role_arns, container=containers, tags=tags
)


@st.composite
def serverless_configs(draw: st.DrawFn) -> sa.ServerlessConfig:
    max_concurrency = draw(st.integers(1, 200))
    return sa.ServerlessConfig(
        memory_size_in_mb=draw(st.sampled_from(range(1024, 6145, 1024))),
        max_concurrency=max_concurrency,
        provisioned_concurrency=draw(st.none() | st.integers(1, max_concurrency)),
    )


weights = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
instance_variants = st.builds(
    sa.ProductionVariant,
    model_name=names,
    variant_name=names,
    # The installed botocore's types: the requests are checked against its model.
    instance_type=st.sampled_from(INSTALLED_INSTANCE_TYPES),
    initial_instance_count=st.integers(1, 1000),
    initial_variant_weight=weights,
)
serverless_variants = st.builds(
    sa.ProductionVariant,
    model_name=names,
    variant_name=names,
    initial_variant_weight=weights,
    serverless=serverless_configs(),
)
variants = instance_variants | serverless_variants


@st.composite
def notification_configs(draw: st.DrawFn) -> sa.NotificationConfig:
    success = draw(st.none() | sns_arns)
    error = draw(st.none() | sns_arns)
    kinds = [
        kind
        for kind, topic in (
            ("SUCCESS_NOTIFICATION_TOPIC", success),
            ("ERROR_NOTIFICATION_TOPIC", error),
        )
        if topic is not None
    ]
    include = draw(st.lists(st.sampled_from(kinds), unique=True) if kinds else st.just([]))
    return sa.NotificationConfig(
        success_topic=success, error_topic=error, include_inference_response_in=include
    )


async_configs = st.builds(
    sa.AsyncInferenceConfig,
    output_path=s3_uris,
    failure_path=st.none() | s3_uris,
    notification=st.none() | notification_configs(),
    kms_key_id=st.none() | kms_keys,
    max_concurrent_invocations_per_instance=st.none() | st.integers(1, 1000),
)
endpoint_configs = st.builds(
    sa.EndpointConfig,
    name=names,
    variants=st.lists(variants, min_size=1, max_size=4, unique_by=lambda v: v.variant_name.lower()),
    async_inference=async_configs,
    kms_key_id=st.none() | kms_keys,
    tags=tags,
)

regions = st.sampled_from(["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"])


@st.composite
def routing_targets(draw: st.DrawFn) -> sa.RoutingTarget:
    part = draw(partition)
    arns = draw(
        st.lists(
            st.builds(
                lambda region, acct, name: f"arn:{part}:sagemaker:{region}:{acct}:endpoint/{name}",
                regions,
                account,
                names,
            ),
            min_size=1,
            max_size=10,
            unique=True,
        )
    )
    topics = draw(
        st.none()
        | st.builds(
            sa.NotificationConfig,
            success_topic=st.none() | sns_arns,
            error_topic=st.none() | sns_arns,
        )
    )
    return sa.RoutingTarget(
        name=draw(names),
        destinations=arns,
        output_path=draw(s3_uris),
        failure_path=draw(s3_uris),
        notification=topics,
        kms_key_id=draw(st.none() | kms_keys),
        max_time_in_backlog_seconds=draw(st.none() | st.integers(60, 21_600)),
        routing_preference=draw(st.none() | st.sampled_from(sa.RoutingPreference)),
    )


inference_routers = st.builds(
    sa.InferenceRouter,
    name=names,
    targets=st.lists(routing_targets(), min_size=1, max_size=4, unique_by=lambda t: t.name),
    tags=tags,
)

STRATEGIES: dict[type, st.SearchStrategy[Any]] = {
    sa.Container: containers,
    sa.Model: models,
    sa.ServerlessConfig: serverless_configs(),
    sa.ProductionVariant: variants,
    sa.NotificationConfig: notification_configs(),
    sa.AsyncInferenceConfig: async_configs,
    sa.EndpointConfig: endpoint_configs,
    sa.RoutingTarget: routing_targets(),
    sa.InferenceRouter: inference_routers,
}

# The operations whose requests the models build; the other models are parts of these
# requests, and their strategies parts of these strategies.
OPERATIONS: dict[type, str] = {
    sa.Model: "CreateModel",
    sa.EndpointConfig: "CreateEndpointConfig",
    sa.InferenceRouter: "CreateInferenceRouter",
}

MODELS = list(STRATEGIES)


# -- what AWS checks and botocore does not -----------------------------------------------------

_UNICODE_CLASS = re.compile(r"\\p\{(\w)\}")


def aws_fullmatch(pattern: str, value: str) -> bool:
    """Match as the service's Java regexes do: ASCII ``\\d\\s\\w``, and ``\\p{..}`` classes."""

    # Python's re has no \p{L}: stand in for it the characters of *value* in that category.
    def chars(match: re.Match[str]) -> str:
        found = {char for char in value if unicodedata.category(char).startswith(match[1])}
        return "".join(re.escape(char) for char in sorted(found)) or "\ue000"

    return re.fullmatch(_UNICODE_CLASS.sub(chars, pattern), value, re.ASCII) is not None


def aws_problems(value: Any, shape: Shape, path: str = "") -> Iterator[str]:
    """Every breach of *shape*'s min, max, pattern and enum in a request *value*."""
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        for name in shape.required_members:
            if name not in value:
                yield f"{path}.{name}: required"
        for name, item in value.items():
            if name not in shape.members:
                yield f"{path}.{name}: not a member of {shape.name}"
                continue
            yield from aws_problems(item, shape.members[name], f"{path}.{name}")
        return
    if isinstance(shape, ListShape | MapShape):
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            yield f"{path}: {len(value)} items outside {meta}"
        if isinstance(shape, ListShape):
            for index, item in enumerate(value):
                yield from aws_problems(item, shape.member, f"{path}[{index}]")
        else:
            for key, item in value.items():
                yield from aws_problems(key, shape.key, f"{path}[{key!r}] key")
                yield from aws_problems(item, shape.value, f"{path}[{key!r}]")
        return
    if isinstance(shape, StringShape):
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            yield f"{path}: length {len(value)} outside {meta}"
        if "pattern" in meta and not aws_fullmatch(meta["pattern"], value):
            yield f"{path}: {value!r} does not match {meta['pattern']}"
        if shape.enum and value not in shape.enum:
            yield f"{path}: {value!r} not in the enum"
        return
    if shape.type_name in ("integer", "long", "float", "double"):
        if "min" in meta and value < meta["min"]:
            yield f"{path}: {value} below {meta['min']}"
        if "max" in meta and value > meta["max"]:
            yield f"{path}: {value} above {meta['max']}"


@cache
def service() -> ServiceModel:
    return botocore.session.get_session().get_service_model("sagemaker")


def request_shape(cls: type) -> Shape:
    shape = service().operation_model(OPERATIONS[cls]).input_shape
    assert shape is not None
    return shape


def model_id(cls: type) -> str:
    return cls.__name__


# -- properties ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", MODELS, ids=model_id)
@EXAMPLES
@given(data=st.data())
def test_round_trip(cls: type, data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[cls])

    assert value == from_response(cls, to_request(value))


@pytest.mark.parametrize("cls", list(OPERATIONS), ids=model_id)
@EXAMPLES
@given(data=st.data())
def test_requests_pass_botocores_validation(cls: type, data: st.DataObject) -> None:
    request = to_request(data.draw(STRATEGIES[cls]))
    report = ParamValidator().validate(request, request_shape(cls))

    expected = (False, "")
    assert expected == (report.has_errors(), report.generate_report())


@pytest.mark.parametrize("cls", list(OPERATIONS), ids=model_id)
@EXAMPLES
@given(data=st.data())
def test_requests_keep_every_service_constraint(cls: type, data: st.DataObject) -> None:
    request = to_request(data.draw(STRATEGIES[cls]))

    expected = []
    assert expected == list(aws_problems(request, request_shape(cls)))


def test_aws_fullmatch_reads_unicode_classes() -> None:
    pattern = service().shape_for("TagKey").metadata["pattern"]

    expected = (True, False)
    assert expected == (aws_fullmatch(pattern, "Équipe 7"), aws_fullmatch(pattern, "a!"))


def test_aws_fullmatch_digits_are_ascii() -> None:
    assert False is aws_fullmatch(r"\d+", "١٢٣")


# -- examples -----------------------------------------------------------------------------------


def full_endpoint_config() -> sa.EndpointConfig:
    return sa.EndpointConfig(
        name="churn-v1",
        variants=[
            sa.ProductionVariant(
                model_name="churn",
                variant_name="Blue",
                instance_type="ml.m5.large",
                initial_instance_count=2,
                initial_variant_weight=0.0,
            ),
            sa.ProductionVariant(
                model_name="churn",
                variant_name="Green",
                serverless=sa.ServerlessConfig(
                    memory_size_in_mb=2048, max_concurrency=5, provisioned_concurrency=1
                ),
            ),
        ],
        async_inference=sa.AsyncInferenceConfig(
            output_path="s3://results-bucket/churn",
            failure_path="s3://results-bucket/churn-failures",
            notification=sa.NotificationConfig(
                success_topic=SUCCESS_TOPIC,
                error_topic=ERROR_TOPIC,
                include_inference_response_in=["ERROR_NOTIFICATION_TOPIC"],
            ),
            kms_key_id="alias/results",
            max_concurrent_invocations_per_instance=4,
        ),
        kms_key_id="alias/volumes",
        tags={"team": "ml", "stage": ""},
    )


def full_endpoint_config_request() -> dict[str, Any]:
    return {
        "EndpointConfigName": "churn-v1",
        "ProductionVariants": [
            {
                "ModelName": "churn",
                "VariantName": "Blue",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
                "InitialVariantWeight": 0.0,
            },
            {
                "ModelName": "churn",
                "VariantName": "Green",
                "InitialVariantWeight": 1.0,
                "ServerlessConfig": {
                    "MemorySizeInMB": 2048,
                    "MaxConcurrency": 5,
                    "ProvisionedConcurrency": 1,
                },
            },
        ],
        "AsyncInferenceConfig": {
            "OutputConfig": {
                "S3OutputPath": "s3://results-bucket/churn",
                "S3FailurePath": "s3://results-bucket/churn-failures",
                "KmsKeyId": "alias/results",
                "NotificationConfig": {
                    "SuccessTopic": SUCCESS_TOPIC,
                    "ErrorTopic": ERROR_TOPIC,
                    "IncludeInferenceResponseIn": ["ERROR_NOTIFICATION_TOPIC"],
                },
            },
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4},
        },
        "KmsKeyId": "alias/volumes",
        "Tags": [{"Key": "team", "Value": "ml"}, {"Key": "stage", "Value": ""}],
    }


def test_endpoint_config_request() -> None:
    assert full_endpoint_config_request() == to_request(full_endpoint_config())


def test_model_request() -> None:
    model = sa.Model(
        name="churn",
        execution_role_arn=ROLE,
        container=sa.Container(
            image=IMAGE,
            model_data_url="s3://models-bucket/churn/model.tar.gz",
            environment={"MODEL_SERVER_WORKERS": "2"},
        ),
        tags={"team": "ml"},
    )

    expected = {
        "ModelName": "churn",
        "ExecutionRoleArn": ROLE,
        "PrimaryContainer": {
            "Image": IMAGE,
            "ModelDataUrl": "s3://models-bucket/churn/model.tar.gz",
            "Environment": {"MODEL_SERVER_WORKERS": "2"},
        },
        "Tags": [{"Key": "team", "Value": "ml"}],
    }
    assert expected == to_request(model)


def test_zero_weight_is_sent() -> None:
    request = to_request(
        sa.ProductionVariant(
            model_name="churn", instance_type="ml.m5.large", initial_variant_weight=0
        )
    )

    assert ("InitialVariantWeight", 0.0) in request.items()


def test_empty_environment_value_is_sent() -> None:
    request = to_request(sa.Container(image=IMAGE, environment={"EMPTY": ""}))

    expected = {"EMPTY": ""}
    assert expected == request["Environment"]


def test_empty_tag_value_is_sent() -> None:
    request = to_request(full_endpoint_config())

    assert {"Key": "stage", "Value": ""} in request["Tags"]


def test_environment_is_sent_as_a_plain_dict() -> None:
    request = to_request(sa.Container(image=IMAGE, environment={"A": "1"}))

    assert dict is type(request["Environment"])


def test_unset_container_fields_are_omitted() -> None:
    expected = {"Image": IMAGE}
    assert expected == to_request(sa.Container(image=IMAGE))


def test_unset_model_tags_are_omitted() -> None:
    model = sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE))

    expected = ["ModelName", "ExecutionRoleArn", "PrimaryContainer"]
    assert expected == list(to_request(model))


def test_unset_variant_fields_are_omitted() -> None:
    variant = sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")

    expected = {
        "ModelName": "churn",
        "VariantName": "AllTraffic",
        "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 1,
        "InitialVariantWeight": 1.0,
    }
    assert expected == to_request(variant)


def test_serverless_variant_sends_no_instance_count() -> None:
    variant = sa.ProductionVariant(
        model_name="churn",
        serverless=sa.ServerlessConfig(memory_size_in_mb=1024, max_concurrency=1),
    )

    expected = {
        "ModelName": "churn",
        "VariantName": "AllTraffic",
        "InitialVariantWeight": 1.0,
        "ServerlessConfig": {"MemorySizeInMB": 1024, "MaxConcurrency": 1},
    }
    assert expected == to_request(variant)


def test_unset_notification_fields_are_omitted() -> None:
    expected = {}
    assert expected == to_request(sa.NotificationConfig())


def test_unset_async_inference_fields_are_omitted() -> None:
    config = sa.AsyncInferenceConfig(output_path="s3://results-bucket/churn")

    expected = {"OutputConfig": {"S3OutputPath": "s3://results-bucket/churn"}}
    assert expected == to_request(config)


def test_unset_endpoint_config_fields_are_omitted() -> None:
    config = sa.EndpointConfig(
        name="churn-v1",
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(output_path="s3://results-bucket/churn"),
    )

    expected = ["EndpointConfigName", "ProductionVariants", "AsyncInferenceConfig"]
    assert expected == list(to_request(config))


def with_unknown_keys(request: dict[str, Any]) -> dict[str, Any]:
    """*request* as a Describe answer could have it: with keys this library does not model."""
    request["EndpointConfigArn"] = "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x"
    request["ProductionVariants"][0]["VolumeSizeInGB"] = 30
    request["ProductionVariants"][1]["ServerlessConfig"]["FutureSetting"] = 1
    output = request["AsyncInferenceConfig"]["OutputConfig"]
    output["FutureOutput"] = {"Anything": [1, 2]}
    output["NotificationConfig"]["FutureTopic"] = "x"
    request["AsyncInferenceConfig"]["ClientConfig"]["FutureClient"] = "x"
    request["ResponseMetadata"] = {"RequestId": "x", "HTTPStatusCode": 200}
    return request


def test_unknown_response_keys_are_ignored() -> None:
    response = with_unknown_keys(full_endpoint_config_request())

    assert full_endpoint_config() == sa.EndpointConfig.from_response(response)


def test_tags_are_read_from_key_value_pairs() -> None:
    model = sa.Model.from_response(
        {
            "ModelName": "churn",
            "ExecutionRoleArn": ROLE,
            "PrimaryContainer": {"Image": IMAGE},
            "Tags": [{"Key": "team", "Value": "ml"}, {"Key": "cost", "Value": "42"}],
        }
    )

    expected = {"team": "ml", "cost": "42"}
    assert expected == model.tags


def test_a_missing_required_key_names_the_field_and_key() -> None:
    response = full_endpoint_config_request()
    del response["EndpointConfigName"]

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    assert "name: expected a value (AWS key EndpointConfigName), received None" in str(info.value)


def test_a_malformed_tag_names_its_index() -> None:
    response = full_endpoint_config_request() | {"Tags": [{"Key": "team"}]}

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    expected = ("tags[0]",)
    assert expected == info.value.fields


def test_an_async_inference_config_that_is_not_a_mapping_is_reported() -> None:
    response = full_endpoint_config_request() | {"AsyncInferenceConfig": "s3://results-bucket"}

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    expected = ("async_inference",)
    assert expected == info.value.fields


def test_an_output_config_that_is_not_a_mapping_is_reported() -> None:
    response = full_endpoint_config_request() | {"AsyncInferenceConfig": {"OutputConfig": []}}

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    assert "async_inference: expected an OutputConfig that is a mapping" in str(info.value)


def test_a_response_that_is_not_a_mapping_is_reported() -> None:
    with pytest.raises(sa.ValidationError) as info:
        from_response(sa.EndpointConfig, [])  # type: ignore[arg-type]

    assert "1 problem with EndpointConfig:\n  expected a mapping, received [] (list)" in str(
        info.value
    )
