"""The models: construction, defaults, immutability and reading AWS answers."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import botocore.session
import pytest

import sagemaker_async as sa

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
SUCCESS_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR_TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-failed"
CREATED = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
MODIFIED = CREATED + timedelta(minutes=7)


def variant(**changes: Any) -> sa.ProductionVariant:
    kwargs: dict[str, Any] = {"model_name": "churn", "instance_type": "ml.m5.large"}
    return sa.ProductionVariant(**(kwargs | changes))


def endpoint_config(**changes: Any) -> sa.EndpointConfig:
    kwargs: dict[str, Any] = {
        "name": "churn-v1",
        "variants": [variant()],
        "async_inference": sa.AsyncInferenceConfig(output_path="s3://results-bucket/churn"),
    }
    return sa.EndpointConfig(**(kwargs | changes))


def describe_endpoint_response() -> dict[str, Any]:
    """A DescribeEndpoint answer as boto3 returns it, keys we do not model included."""
    return {
        "EndpointName": "churn",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
        "EndpointConfigName": "churn-v1",
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "DeployedImages": [
                    {
                        "SpecifiedImage": IMAGE,
                        "ResolvedImage": IMAGE + "@sha256:" + "a" * 64,
                        "ResolutionTime": CREATED,
                    }
                ],
                "CurrentWeight": 1.0,
                "DesiredWeight": 1.0,
                "CurrentInstanceCount": 1,
                "DesiredInstanceCount": 1,
                "VariantStatus": [{"Status": "Baking", "StartTime": MODIFIED}],
            },
            {
                "VariantName": "Serverless",
                "CurrentWeight": 0.0,
                "DesiredWeight": 0.0,
                "CurrentServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
            },
        ],
        "DataCaptureConfig": {
            "EnableCapture": False,
            "CaptureStatus": "Stopped",
            "CurrentSamplingPercentage": 0,
            "DestinationS3Uri": "s3://capture-bucket/churn",
            "KmsKeyId": "",
        },
        "EndpointStatus": "Failed",
        "FailureReason": "The primary container for production variant AllTraffic did not pass "
        "the ping health check.",
        "CreationTime": CREATED,
        "LastModifiedTime": MODIFIED,
        "AsyncInferenceConfig": {
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4},
            "OutputConfig": {
                "S3OutputPath": "s3://results-bucket/churn",
                "S3FailurePath": "s3://results-bucket/churn-failures",
                "NotificationConfig": {
                    "SuccessTopic": SUCCESS_TOPIC,
                    "ErrorTopic": ERROR_TOPIC,
                    "IncludeInferenceResponseIn": ["SUCCESS_NOTIFICATION_TOPIC"],
                    "SomeFutureKey": True,
                },
                "FutureOutputOption": "x",
            },
        },
        "PendingDeploymentSummary": {"EndpointConfigName": "churn-v2"},
        "ResponseMetadata": {"RequestId": "4f1c", "HTTPStatusCode": 200, "RetryAttempts": 0},
    }


def test_container_defaults() -> None:
    container = sa.Container(image=IMAGE)

    assert (container.image, container.model_data_url, dict(container.environment)) == (
        IMAGE,
        None,
        {},
    )


def test_model_tags_default_to_empty() -> None:
    model = sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE))

    expected = {}
    assert expected == dict(model.tags)


def test_production_variant_defaults() -> None:
    v = sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")

    expected = ("AllTraffic", 1, 1.0, None)
    assert expected == (
        v.variant_name,
        v.initial_instance_count,
        v.initial_variant_weight,
        v.serverless,
    )


def test_serverless_config_provisioned_concurrency_defaults_to_none() -> None:
    assert (
        sa.ServerlessConfig(memory_size_in_mb=1024, max_concurrency=1).provisioned_concurrency
        is None
    )


def test_notification_config_defaults() -> None:
    config = sa.NotificationConfig()

    expected = (None, None, ())
    assert expected == (
        config.success_topic,
        config.error_topic,
        config.include_inference_response_in,
    )


def test_async_inference_config_defaults() -> None:
    config = sa.AsyncInferenceConfig(output_path="s3://results-bucket/churn")

    expected = (None, None, None, None)
    assert expected == (
        config.failure_path,
        config.notification,
        config.kms_key_id,
        config.max_concurrent_invocations_per_instance,
    )


def test_endpoint_config_defaults() -> None:
    config = endpoint_config()

    expected = (None, {})
    assert expected == (config.kms_key_id, dict(config.tags))


def test_variants_list_becomes_tuple() -> None:
    first, second = variant(), variant(variant_name="B")

    assert (first, second) == endpoint_config(variants=[first, second]).variants


def test_include_inference_response_in_list_becomes_tuple() -> None:
    config = sa.NotificationConfig(
        success_topic=SUCCESS_TOPIC, include_inference_response_in=["SUCCESS_NOTIFICATION_TOPIC"]
    )

    expected = ("SUCCESS_NOTIFICATION_TOPIC",)
    assert expected == config.include_inference_response_in


def test_integer_weight_becomes_float() -> None:
    weight = variant(initial_variant_weight=0).initial_variant_weight

    assert (0.0, float) == (weight, type(weight))


def test_models_are_keyword_only() -> None:
    with pytest.raises(TypeError, match="positional"):
        sa.Container(IMAGE)  # type: ignore[misc]


def test_models_are_frozen() -> None:
    container = sa.Container(image=IMAGE)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        container.image = "other"  # type: ignore[misc]


def test_environment_cannot_be_changed() -> None:
    container = sa.Container(image=IMAGE, environment={"A": "1"})

    with pytest.raises(TypeError, match="does not support item assignment"):
        container.environment["A"] = "2"  # type: ignore[index]


def test_environment_is_copied_from_the_callers_dict() -> None:
    environment = {"A": "1"}
    container = sa.Container(image=IMAGE, environment=environment)
    environment["A"] = "2"

    expected = {"A": "1"}
    assert expected == dict(container.environment)


def test_mapping_equals_a_dict_with_the_same_items() -> None:
    expected = {"team": "ml"}
    assert expected == endpoint_config(tags={"team": "ml"}).tags


def test_equal_models_hash_equal() -> None:
    def build() -> sa.Model:
        return sa.Model(
            name="churn",
            execution_role_arn=ROLE,
            container=sa.Container(image=IMAGE, environment={"A": "1", "B": "2"}),
            tags={"team": "ml"},
        )

    assert hash(build()) == hash(build())


def test_models_work_as_set_members() -> None:
    config = endpoint_config(tags={"team": "ml"})

    expected = 1
    assert expected == len({config, endpoint_config(tags={"team": "ml"})})


def test_models_pickle_round_trip() -> None:
    config = endpoint_config(tags={"team": "ml"}, kms_key_id="alias/results")

    assert config == pickle.loads(pickle.dumps(config))


def test_evolve_makes_a_changed_copy() -> None:
    original = variant()

    changed = attrs.evolve(original, initial_instance_count=3)

    expected = (1, 3)
    assert expected == (original.initial_instance_count, changed.initial_instance_count)


def test_evolve_revalidates() -> None:
    with pytest.raises(sa.ValidationError) as info:
        attrs.evolve(variant(), initial_instance_count=0)

    expected = ("initial_instance_count",)
    assert expected == info.value.fields


def test_model_names_are_distinct_and_in_order() -> None:
    config = endpoint_config(
        variants=[
            variant(model_name="churn-b", variant_name="One"),
            variant(model_name="churn-a", variant_name="Two"),
            variant(model_name="churn-b", variant_name="Three"),
        ]
    )

    expected = ("churn-b", "churn-a")
    assert expected == config.model_names


def test_endpoint_description_from_describe_endpoint() -> None:
    expected = sa.EndpointDescription(
        name="churn",
        arn="arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
        status=sa.EndpointStatus.FAILED,
        config_name="churn-v1",
        failure_reason="The primary container for production variant AllTraffic did not pass "
        "the ping health check.",
        variants=(
            sa.VariantSummary(
                variant_name="AllTraffic",
                current_instance_count=1,
                desired_instance_count=1,
                current_weight=1.0,
                desired_weight=1.0,
            ),
            sa.VariantSummary(variant_name="Serverless", current_weight=0.0, desired_weight=0.0),
        ),
        async_inference=sa.AsyncInferenceConfig(
            output_path="s3://results-bucket/churn",
            failure_path="s3://results-bucket/churn-failures",
            notification=sa.NotificationConfig(
                success_topic=SUCCESS_TOPIC,
                error_topic=ERROR_TOPIC,
                include_inference_response_in=("SUCCESS_NOTIFICATION_TOPIC",),
            ),
            max_concurrent_invocations_per_instance=4,
        ),
        creation_time=CREATED,
        last_modified_time=MODIFIED,
    )

    assert expected == sa.EndpointDescription.from_response(describe_endpoint_response())


def test_endpoint_description_reads_iso_timestamps() -> None:
    response = describe_endpoint_response() | {"CreationTime": "2024-05-01T12:00:00.123000+00:00"}

    expected = CREATED
    assert expected == sa.EndpointDescription.from_response(response).creation_time


def test_endpoint_description_of_a_minimal_answer() -> None:
    response = {
        "EndpointName": "churn",
        "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
        "EndpointStatus": "Creating",
    }

    expected = sa.EndpointDescription(
        name="churn",
        arn="arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
        status=sa.EndpointStatus.CREATING,
    )
    assert expected == sa.EndpointDescription.from_response(response)


def test_endpoint_description_status_is_the_enum() -> None:
    described = sa.EndpointDescription.from_response(describe_endpoint_response())

    assert sa.EndpointStatus.FAILED is described.status


def test_endpoint_status_has_exactly_botocores_values() -> None:
    shape = (
        botocore.session.get_session().get_service_model("sagemaker").shape_for("EndpointStatus")
    )

    assert sorted(shape.enum) == sorted(status.value for status in sa.EndpointStatus)


def test_endpoint_status_compares_equal_to_its_string() -> None:
    expected = "InService"
    assert expected == sa.EndpointStatus.IN_SERVICE


def test_model_from_describe_model() -> None:
    response = {
        "ModelName": "churn",
        "PrimaryContainer": {
            "Image": IMAGE,
            "Mode": "SingleModel",
            "ModelDataUrl": "s3://models-bucket/churn/model.tar.gz",
            "Environment": {"MODEL_SERVER_WORKERS": "2"},
        },
        "ExecutionRoleArn": ROLE,
        "CreationTime": CREATED,
        "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/churn",
        "EnableNetworkIsolation": False,
        "DeploymentRecommendation": {"RecommendationStatus": "COMPLETED"},
        "ResponseMetadata": {"RequestId": "1", "HTTPStatusCode": 200},
    }

    expected = sa.Model(
        name="churn",
        execution_role_arn=ROLE,
        container=sa.Container(
            image=IMAGE,
            model_data_url="s3://models-bucket/churn/model.tar.gz",
            environment={"MODEL_SERVER_WORKERS": "2"},
        ),
    )
    assert expected == sa.Model.from_response(response)


def test_endpoint_config_from_describe_endpoint_config() -> None:
    response = {
        "EndpointConfigName": "churn-v1",
        "EndpointConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/churn-v1",
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn",
                "InitialInstanceCount": 2,
                "InstanceType": "ml.m5.large",
                "InitialVariantWeight": 1.0,
                "EnableSSMAccess": False,
            }
        ],
        "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://results-bucket/churn"}},
        "KmsKeyId": "alias/churn",
        "CreationTime": CREATED,
        "EnableNetworkIsolation": False,
    }

    expected = endpoint_config(
        variants=[variant(initial_instance_count=2)], kms_key_id="alias/churn"
    )
    assert expected == sa.EndpointConfig.from_response(response)


def test_a_status_sagemaker_adds_later_is_read_not_refused() -> None:
    described = sa.EndpointDescription.from_response(
        {
            "EndpointName": "churn",
            "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
            "EndpointStatus": "Hibernating",
        }
    )

    assert (described.status, isinstance(described.status, sa.EndpointStatus)) == (
        "Hibernating",
        True,
    )
    assert len(sa.EndpointStatus) == 9
