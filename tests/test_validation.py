"""Validation at construction: which values are refused, with which path and message."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

import sagemaker_async as sa

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
SUCCESS_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-failed"
SUCCESS: sa.NotificationTopic = "SUCCESS_NOTIFICATION_TOPIC"
ERROR: sa.NotificationTopic = "ERROR_NOTIFICATION_TOPIC"


def container_kwargs() -> dict[str, Any]:
    return {
        "image": IMAGE,
        "model_data_url": "s3://models-bucket/churn/model.tar.gz",
        "environment": {"MODEL_SERVER_WORKERS": "2"},
    }


def model_kwargs() -> dict[str, Any]:
    return {
        "name": "churn",
        "execution_role_arn": ROLE,
        "container": sa.Container(image=IMAGE),
        "tags": {"team": "ml"},
    }


def serverless_kwargs() -> dict[str, Any]:
    return {"memory_size_in_mb": 2048, "max_concurrency": 10}


def variant_kwargs() -> dict[str, Any]:
    return {"model_name": "churn", "instance_type": "ml.m5.large"}


def notification_kwargs() -> dict[str, Any]:
    return {
        "success_topic": SUCCESS_TOPIC,
        "error_topic": ERROR_TOPIC,
        "include_inference_response_in": [SUCCESS],
    }


def async_kwargs() -> dict[str, Any]:
    return {
        "output_path": "s3://results-bucket/churn",
        "failure_path": "s3://results-bucket/churn-failures",
    }


def config_kwargs() -> dict[str, Any]:
    return {
        "name": "churn-v1",
        "variants": [sa.ProductionVariant(**variant_kwargs())],
        "async_inference": sa.AsyncInferenceConfig(**async_kwargs()),
    }


BASES: dict[type, Any] = {
    sa.Container: container_kwargs,
    sa.Model: model_kwargs,
    sa.ServerlessConfig: serverless_kwargs,
    sa.ProductionVariant: variant_kwargs,
    sa.NotificationConfig: notification_kwargs,
    sa.AsyncInferenceConfig: async_kwargs,
    sa.EndpointConfig: config_kwargs,
}


def named_variants(count: int) -> list[sa.ProductionVariant]:
    return [
        sa.ProductionVariant(**variant_kwargs(), variant_name=f"Variant{index}")
        for index in range(count)
    ]


def bad(cls: type, field: str, value: object, path: str | None = None, *, case: str) -> Any:
    return pytest.param(cls, field, value, path or field, id=f"{cls.__name__}.{field}-{case}")


C, M, S, V = sa.Container, sa.Model, sa.ServerlessConfig, sa.ProductionVariant
N, A, E = sa.NotificationConfig, sa.AsyncInferenceConfig, sa.EndpointConfig
LONG_TAG_KEY = "k" * 129

BAD_VALUES = [
    # Container
    bad(C, "image", 1, case="int"),
    bad(C, "image", None, case="none"),
    bad(C, "image", "", case="empty"),
    bad(C, "image", "churn image:1", case="space"),
    bad(C, "image", "i" * 256, case="too-long"),
    bad(C, "model_data_url", "http://models-bucket/model.tar.gz", case="http"),
    bad(C, "model_data_url", "s3://Models_Bucket/model.tar.gz", case="bad-bucket"),
    bad(C, "model_data_url", "s3://ab/model.tar.gz", case="short-bucket"),
    bad(C, "model_data_url", b"s3://models-bucket/model.tar.gz", case="bytes"),
    bad(C, "model_data_url", "s3://models-bucket/" + "k" * 1006, case="too-long"),
    bad(C, "environment", [("A", "1")], case="list"),
    bad(C, "environment", "A=1", case="str"),
    bad(C, "environment", {"1A": "x"}, "environment['1A']", case="key-digit-first"),
    bad(C, "environment", {"A-B": "x"}, "environment['A-B']", case="key-hyphen"),
    bad(C, "environment", {7: "x"}, "environment[7]", case="key-int"),
    bad(C, "environment", {"A": 1}, "environment['A']", case="value-int"),
    bad(C, "environment", {"A": None}, "environment['A']", case="value-none"),
    bad(C, "environment", {"A": "v" * 1025}, "environment['A']", case="value-too-long"),
    bad(C, "environment", {f"K{i}": "v" for i in range(101)}, case="101-variables"),
    # Model
    bad(M, "name", 5, case="int"),
    bad(M, "name", None, case="none"),
    bad(M, "name", "", case="empty"),
    bad(M, "name", "-churn", case="leading-hyphen"),
    bad(M, "name", "churn-", case="trailing-hyphen"),
    bad(M, "name", "churn_v1", case="underscore"),
    bad(M, "name", "a" * 64, case="64-chars"),
    bad(M, "execution_role_arn", "arn:aws:iam::12345:role/R", case="short-account"),
    bad(M, "execution_role_arn", "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/R", case="unicode-digits"),
    bad(M, "execution_role_arn", "arn:aws:iam::123456789012:user/R", case="user"),
    bad(M, "execution_role_arn", 123456789012, case="int"),
    bad(M, "execution_role_arn", None, case="none"),
    bad(M, "container", {"image": IMAGE}, case="dict"),
    bad(M, "container", None, case="none"),
    bad(M, "tags", {"aws:owner": "x"}, "tags['aws:owner']", case="reserved-key"),
    bad(M, "tags", {"": "x"}, "tags['']", case="empty-key"),
    bad(M, "tags", {LONG_TAG_KEY: "x"}, f"tags[{LONG_TAG_KEY!r}]", case="key-too-long"),
    bad(M, "tags", {"team": "a!b"}, "tags['team']", case="value-char"),
    bad(M, "tags", {"team": "v" * 257}, "tags['team']", case="value-too-long"),
    bad(M, "tags", {"team": None}, "tags['team']", case="value-none"),
    bad(M, "tags", {f"k{i}": "v" for i in range(51)}, case="51-tags"),
    bad(M, "tags", [("team", "ml")], case="list"),
    # ServerlessConfig
    bad(S, "memory_size_in_mb", 1023, case="below"),
    bad(S, "memory_size_in_mb", 7168, case="above"),
    bad(S, "memory_size_in_mb", 1536, case="off-step"),
    bad(S, "memory_size_in_mb", "2048", case="str"),
    bad(S, "memory_size_in_mb", 2048.0, case="float"),
    bad(S, "memory_size_in_mb", True, case="bool"),
    bad(S, "max_concurrency", 0, case="zero"),
    bad(S, "max_concurrency", 201, case="above"),
    bad(S, "max_concurrency", None, case="none"),
    bad(S, "provisioned_concurrency", 0, case="zero"),
    bad(S, "provisioned_concurrency", 201, case="above"),
    bad(S, "provisioned_concurrency", "1", case="str"),
    # ProductionVariant
    bad(V, "model_name", None, case="none"),
    bad(V, "model_name", "churn model", case="space"),
    bad(V, "variant_name", "", case="empty"),
    bad(V, "variant_name", "v" * 64, case="64-chars"),
    bad(V, "variant_name", 7, case="int"),
    bad(V, "instance_type", "m5.large", case="no-prefix"),
    bad(V, "instance_type", "ml.m5.huge", case="unknown"),
    bad(V, "instance_type", 5, case="int"),
    bad(V, "initial_instance_count", 0, case="zero"),
    bad(V, "initial_instance_count", -1, case="negative"),
    bad(V, "initial_instance_count", 1.0, case="float"),
    bad(V, "initial_instance_count", True, case="bool"),
    bad(V, "initial_instance_count", "1", case="str"),
    bad(V, "initial_variant_weight", -0.1, case="negative"),
    bad(V, "initial_variant_weight", "1.0", case="str"),
    bad(V, "initial_variant_weight", None, case="none"),
    bad(V, "initial_variant_weight", False, case="bool"),
    bad(V, "initial_variant_weight", math.nan, case="nan"),
    bad(V, "initial_variant_weight", math.inf, case="inf"),
    bad(V, "serverless", {"memory_size_in_mb": 2048, "max_concurrency": 1}, case="dict"),
    # NotificationConfig
    bad(N, "success_topic", "arn:aws:sqs:us-east-1:123456789012:queue", case="sqs-arn"),
    bad(N, "success_topic", "churn-ok", case="bare-name"),
    bad(N, "success_topic", "", case="empty"),
    bad(N, "error_topic", 1, case="int"),
    bad(N, "error_topic", "arn:aws:sns:us-east-1:12345:t", case="short-account"),
    bad(
        N,
        "include_inference_response_in",
        ["SUCCESS"],
        "include_inference_response_in[0]",
        case="unknown",
    ),
    bad(N, "include_inference_response_in", [1], "include_inference_response_in[0]", case="int"),
    bad(N, "include_inference_response_in", SUCCESS, case="str"),
    bad(N, "include_inference_response_in", [SUCCESS, ERROR, SUCCESS], case="three"),
    # AsyncInferenceConfig
    bad(A, "output_path", "https://results-bucket/out", case="https"),
    bad(A, "output_path", "s3://results_bucket/out", case="underscore-bucket"),
    bad(A, "output_path", "s3://ab/out", case="short-bucket"),
    bad(A, "output_path", "s3://results-bucket/" + "k" * 493, case="too-long"),
    bad(A, "output_path", None, case="none"),
    bad(A, "output_path", 3, case="int"),
    bad(A, "failure_path", "/tmp/failures", case="local-path"),
    bad(A, "failure_path", "s3://results-bucket/with\nnewline", case="control"),
    bad(A, "failure_path", "s3://results-bucket/données", case="non-ascii"),
    bad(A, "output_path", "s3://results..bucket/out", case="double-dot-bucket"),
    bad(A, "output_path", "s3://192.168.5.4/out", case="ip-bucket"),
    bad(A, "output_path", "s3://xn--results/out", case="reserved-prefix"),
    bad(A, "output_path", "s3://results--x-s3/out", case="reserved-suffix"),
    bad(A, "output_path", "s3://results-/out", case="hyphen-end"),
    bad(A, "output_path", "s3://" + "b" * 64 + "/out", case="bucket-64"),
    bad(A, "notification", {"success_topic": SUCCESS_TOPIC}, case="dict"),
    bad(A, "kms_key_id", "", case="empty"),
    bad(A, "kms_key_id", "alias/my key", case="space"),
    bad(A, "kms_key_id", 42, case="int"),
    bad(A, "max_concurrent_invocations_per_instance", 0, case="zero"),
    bad(A, "max_concurrent_invocations_per_instance", 1001, case="above"),
    bad(A, "max_concurrent_invocations_per_instance", "5", case="str"),
    bad(A, "max_concurrent_invocations_per_instance", 5.0, case="float"),
    # EndpointConfig
    bad(E, "name", "churn.v1", case="dot"),
    bad(E, "name", None, case="none"),
    bad(E, "variants", [], case="empty"),
    bad(E, "variants", None, case="none"),
    bad(E, "variants", sa.ProductionVariant(**variant_kwargs()), case="one-not-in-list"),
    bad(E, "variants", [{"model_name": "churn"}], "variants[0]", case="dict"),
    bad(E, "variants", named_variants(11), case="eleven"),
    bad(E, "async_inference", None, case="none"),
    bad(E, "async_inference", {"output_path": "s3://results-bucket/x"}, case="dict"),
    bad(E, "kms_key_id", "key with spaces", case="space"),
    bad(E, "tags", {"aws:cost": "x"}, "tags['aws:cost']", case="reserved-key"),
]


def test_the_table_is_large_enough() -> None:
    assert len(BAD_VALUES) >= 70


@pytest.mark.parametrize(("cls", "field", "value", "path"), BAD_VALUES)
def test_bad_value_is_refused_naming_its_field(
    cls: type, field: str, value: object, path: str
) -> None:
    kwargs = BASES[cls]()
    kwargs[field] = value

    with pytest.raises(sa.ValidationError) as info:
        cls(**kwargs)

    assert (path,) == info.value.fields


@pytest.mark.parametrize(("cls", "field", "value", "path"), BAD_VALUES)
def test_bad_value_message_names_field_expected_and_received(
    cls: type, field: str, value: object, path: str
) -> None:
    kwargs = BASES[cls]()
    kwargs[field] = value

    with pytest.raises(ValueError, match="expected") as info:
        cls(**kwargs)

    # The problem's line: "  <path>: expected <rule>, received <repr> (<type>)".
    (line,) = [text for text in str(info.value).splitlines() if text.startswith(f"  {path}: ")]
    assert re.fullmatch(rf"  {re.escape(path)}: expected .+, received .+ \(\w+\)", line), line


@pytest.mark.parametrize("cls", list(BASES), ids=lambda cls: cls.__name__)
def test_the_base_values_are_valid(cls: type) -> None:
    assert cls(**BASES[cls]()) == cls(**BASES[cls]())


def test_one_error_lists_every_problem() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ProductionVariant(
            model_name="", variant_name="a b", instance_type="ml.x", initial_instance_count=0
        )

    expected = ("model_name", "variant_name", "instance_type", "initial_instance_count")
    assert expected == info.value.fields


def test_the_message_counts_the_problems() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ServerlessConfig(memory_size_in_mb=0, max_concurrency=0)

    assert str(info.value).startswith("2 problems with ServerlessConfig:\n")


def test_the_message_says_field_expected_and_received() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ServerlessConfig(memory_size_in_mb=1536, max_concurrency=1)

    expected = (
        "1 problem with ServerlessConfig:\n"
        "  memory_size_in_mb: expected a number from 1024 to 6144 in steps of 1024, "
        "received 1536 (int)\n"
        "Fix the value and try again."
    )
    assert expected == str(info.value)


def test_the_message_shows_the_type_received() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.Container(image=IMAGE, model_data_url=b"s3://models-bucket/m")  # type: ignore[arg-type]

    assert "model_data_url: expected a string, received b's3://models-bucket/m' (bytes)" in str(
        info.value
    )


def test_a_long_received_value_is_shortened() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.Container(image="i" * 300)

    assert f"received '{'i' * 76}... (str)" in str(info.value)


def test_a_problem_keeps_path_expected_and_received() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.Model(**model_kwargs() | {"name": "churn_v1"})

    (problem,) = info.value.problems
    expected = ("name", "churn_v1")
    assert expected == (problem.path, problem.received)


def test_a_wrong_type_is_not_also_reported_as_a_wrong_length() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.Container(image=["x"] * 300)  # type: ignore[arg-type]

    expected = (("image", "a string"),)
    assert expected == tuple((p.path, p.expected) for p in info.value.problems)


def test_variant_names_must_differ_ignoring_case() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig(
            **config_kwargs()
            | {
                "variants": [
                    sa.ProductionVariant(**variant_kwargs(), variant_name="Blue"),
                    sa.ProductionVariant(**variant_kwargs(), variant_name="BLUE"),
                ]
            }
        )

    assert (
        "variants[1].variant_name: expected a name distinct from variants[0].variant_name, "
        "received 'BLUE' (str)" in str(info.value)
    )


def test_variant_needs_an_instance_type_or_serverless() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ProductionVariant(model_name="churn")

    assert "instance_type: expected an instance type, or a serverless config instead" in str(
        info.value
    )


def test_variant_cannot_have_both_instance_type_and_serverless() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ProductionVariant(
            **variant_kwargs(), serverless=sa.ServerlessConfig(**serverless_kwargs())
        )

    expected = ("serverless",)
    assert expected == info.value.fields


def test_serverless_variant_takes_no_instance_count() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ProductionVariant(
            model_name="churn",
            serverless=sa.ServerlessConfig(**serverless_kwargs()),
            initial_instance_count=2,
        )

    expected = ("initial_instance_count",)
    assert expected == info.value.fields


def test_include_inference_response_in_names_only_configured_topics() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.NotificationConfig(success_topic=SUCCESS_TOPIC, include_inference_response_in=[ERROR])

    assert (
        "include_inference_response_in[0]: expected a topic kind that is configured "
        "(error_topic is not set), received 'ERROR_NOTIFICATION_TOPIC' (str)"
    ) in str(info.value)


def test_include_inference_response_in_names_each_topic_once() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.NotificationConfig(
            success_topic=SUCCESS_TOPIC, include_inference_response_in=[SUCCESS, SUCCESS]
        )

    expected = ("include_inference_response_in[1]",)
    assert expected == info.value.fields


def test_provisioned_concurrency_at_most_max_concurrency() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ServerlessConfig(memory_size_in_mb=1024, max_concurrency=5, provisioned_concurrency=6)

    assert "provisioned_concurrency: expected at most max_concurrency (5), received 6" in str(
        info.value
    )


def test_a_cross_field_rule_is_not_reported_on_a_broken_field() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.ServerlessConfig(memory_size_in_mb=1024, max_concurrency="5", provisioned_concurrency=6)  # type: ignore[arg-type]

    expected = ("max_concurrency",)
    assert expected == info.value.fields


def describe_endpoint_config() -> dict[str, Any]:
    return {
        "EndpointConfigName": "churn-v1",
        "ProductionVariants": [
            {"VariantName": "A", "ModelName": "churn", "InstanceType": "ml.m5.large"},
            {"VariantName": "B", "ModelName": "churn", "InstanceType": "ml.m5.enormous"},
        ],
        "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "ftp://results"}},
    }


def test_from_response_nests_the_paths() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(describe_endpoint_config())

    expected = ("variants[1].instance_type", "async_inference.output_path")
    assert expected == info.value.fields


def test_from_response_nested_message() -> None:
    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(describe_endpoint_config())

    assert (
        "  variants[1].instance_type: expected a SageMaker instance type such as 'ml.m5.large', "
        "received 'ml.m5.enormous' (str)\n"
    ) in str(info.value)


def test_from_response_nests_notification_paths() -> None:
    response = describe_endpoint_config()
    response["ProductionVariants"].pop()
    response["AsyncInferenceConfig"]["OutputConfig"] = {
        "S3OutputPath": "s3://results-bucket/x",
        "NotificationConfig": {"SuccessTopic": "not-an-arn"},
    }

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    expected = ("async_inference.notification.success_topic",)
    assert expected == info.value.fields


def test_from_response_wrong_type_names_the_field() -> None:
    response = describe_endpoint_config()
    response["ProductionVariants"] = [
        {
            "VariantName": "A",
            "ModelName": "churn",
            "InstanceType": "ml.m5.large",
            "InitialInstanceCount": "2",
        }
    ]
    response["AsyncInferenceConfig"]["OutputConfig"]["S3OutputPath"] = "s3://results-bucket/x"

    with pytest.raises(sa.ValidationError) as info:
        sa.EndpointConfig.from_response(response)

    expected = ("variants[0].initial_instance_count",)
    assert expected == info.value.fields


GOOD_VALUES = [
    pytest.param(A, "max_concurrent_invocations_per_instance", 1, id="concurrency-1"),
    pytest.param(A, "max_concurrent_invocations_per_instance", 1000, id="concurrency-1000"),
    pytest.param(S, "memory_size_in_mb", 1024, id="memory-1024"),
    pytest.param(S, "memory_size_in_mb", 6144, id="memory-6144"),
    pytest.param(S, "max_concurrency", 1, id="serverless-concurrency-1"),
    pytest.param(S, "max_concurrency", 200, id="serverless-concurrency-200"),
    pytest.param(S, "provisioned_concurrency", 10, id="provisioned-equals-max"),
    pytest.param(M, "name", "a" * 63, id="name-63"),
    pytest.param(M, "name", "a", id="name-1"),
    pytest.param(M, "name", "a--b", id="name-double-hyphen"),
    pytest.param(V, "variant_name", "V" * 63, id="variant-name-63"),
    pytest.param(E, "name", "9" * 63, id="config-name-63"),
    pytest.param(V, "initial_variant_weight", 0.0, id="weight-0.0"),
    pytest.param(V, "initial_variant_weight", 0, id="weight-0"),
    pytest.param(V, "initial_instance_count", 1, id="count-1"),
    pytest.param(C, "image", "i" * 255, id="image-255"),
    pytest.param(C, "model_data_url", "https://example.com/model.tar.gz", id="https-model"),
    pytest.param(C, "environment", {f"K{i}": "" for i in range(100)}, id="100-variables"),
    pytest.param(C, "environment", {"_": "v" * 1024}, id="value-1024"),
    pytest.param(M, "tags", {f"k{i}": "v" for i in range(50)}, id="50-tags"),
    pytest.param(M, "tags", {"k" * 128: "v" * 256}, id="tag-128-256"),
    pytest.param(M, "tags", {"Équipe données": "Zürich 7"}, id="tag-unicode"),
    pytest.param(M, "tags", {"team": ""}, id="tag-empty-value"),
    pytest.param(M, "execution_role_arn", "arn:aws-cn:iam::123456789012:role/a/b", id="role-path"),
    pytest.param(A, "output_path", "s3://abc", id="bucket-3-no-key"),
    pytest.param(A, "output_path", "s3://" + "b" * 63 + "/k", id="bucket-63"),
    pytest.param(A, "output_path", "s3://results-bucket/" + "k" * 492, id="path-512"),
    pytest.param(A, "failure_path", "s3://results-bucket/with space", id="key-space"),
    pytest.param(A, "failure_path", "s3://results-bucket/a+b%20#?=&", id="key-url-characters"),
    pytest.param(A, "output_path", "s3://1.2.3.bucket/out", id="bucket-dotted-digits"),
    pytest.param(C, "model_data_url", "s3://models-bucket/données/modèle.tar.gz", id="key-unicode"),
    pytest.param(A, "kms_key_id", "arn:aws:kms:us-east-1:123456789012:key/1234abcd", id="kms-arn"),
    pytest.param(N, "include_inference_response_in", [ERROR, SUCCESS], id="both-topics"),
    pytest.param(E, "variants", named_variants(10), id="ten-variants"),
]


@pytest.mark.parametrize(("cls", "field", "value"), GOOD_VALUES)
def test_boundary_value_is_accepted(cls: type, field: str, value: object) -> None:
    kwargs = BASES[cls]()
    kwargs[field] = value

    # Lists come back as tuples.
    expected = tuple(value) if isinstance(value, list) else value
    assert expected == getattr(cls(**kwargs), field)
