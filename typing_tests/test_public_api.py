"""The types of the models of ``sagemaker_async``, checked by mypy and pyright (never run).

A ``# type: ignore[code]`` marks a call the types must refuse: mypy --strict
reports an ignore that is no longer needed, so these fail when the types loosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, assert_type

import attrs

import sagemaker_async as sa

RESPONSE: Mapping[str, Any] = {}


def check_container() -> None:
    container = sa.Container(image="img:1", environment={"A": "1"})
    assert_type(container.image, str)
    assert_type(container.model_data_url, str | None)
    assert_type(container.environment, Mapping[str, str])


def check_model() -> None:
    model = sa.Model(
        name="churn",
        execution_role_arn="arn:aws:iam::123456789012:role/R",
        container=sa.Container(image="img:1"),
        tags={"team": "ml"},
    )
    assert_type(model.name, str)
    assert_type(model.execution_role_arn, str)
    assert_type(model.container, sa.Container)
    assert_type(model.tags, Mapping[str, str])
    assert_type(sa.Model.from_response(RESPONSE), sa.Model)


def check_serverless_config() -> None:
    serverless = sa.ServerlessConfig(memory_size_in_mb=2048, max_concurrency=5)
    assert_type(serverless.memory_size_in_mb, int)
    assert_type(serverless.max_concurrency, int)
    assert_type(serverless.provisioned_concurrency, int | None)


def check_production_variant() -> None:
    variant = sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")
    assert_type(variant.model_name, str)
    assert_type(variant.variant_name, str)
    assert_type(variant.instance_type, str | None)
    assert_type(variant.initial_instance_count, int)
    assert_type(variant.initial_variant_weight, float)
    assert_type(variant.serverless, sa.ServerlessConfig | None)
    assert_type(attrs.evolve(variant, initial_instance_count=2), sa.ProductionVariant)


def check_notification_config() -> None:
    # A list of topic kinds is accepted and kept as a tuple.
    notification = sa.NotificationConfig(
        success_topic="arn:aws:sns:us-east-1:123456789012:ok",
        include_inference_response_in=["SUCCESS_NOTIFICATION_TOPIC"],
    )
    assert_type(notification.success_topic, str | None)
    assert_type(notification.error_topic, str | None)
    assert_type(notification.include_inference_response_in, tuple[sa.NotificationTopic, ...])


def check_async_inference_config() -> None:
    config = sa.AsyncInferenceConfig(output_path="s3://bucket/out")
    assert_type(config.output_path, str)
    assert_type(config.failure_path, str | None)
    assert_type(config.notification, sa.NotificationConfig | None)
    assert_type(config.kms_key_id, str | None)
    assert_type(config.max_concurrent_invocations_per_instance, int | None)


def check_endpoint_config() -> None:
    # A list of variants is accepted and kept as a tuple.
    config = sa.EndpointConfig(
        name="churn-v1",
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(output_path="s3://bucket/out"),
    )
    assert_type(config.name, str)
    assert_type(config.variants, tuple[sa.ProductionVariant, ...])
    assert_type(config.async_inference, sa.AsyncInferenceConfig)
    assert_type(config.kms_key_id, str | None)
    assert_type(config.tags, Mapping[str, str])
    assert_type(config.model_names, tuple[str, ...])
    assert_type(sa.EndpointConfig.from_response(RESPONSE), sa.EndpointConfig)


class VersionedConfig(sa.EndpointConfig):
    """A subclass: ``from_response`` returns ``Self``."""


def check_from_response_returns_the_subclass() -> None:
    assert_type(VersionedConfig.from_response(RESPONSE), VersionedConfig)


def check_endpoint_description() -> None:
    described = sa.EndpointDescription.from_response(RESPONSE)
    assert_type(described, sa.EndpointDescription)
    assert_type(described.name, str)
    assert_type(described.arn, str)
    assert_type(described.status, sa.EndpointStatus)
    assert_type(described.config_name, str | None)
    assert_type(described.failure_reason, str | None)
    assert_type(described.variants, tuple[sa.VariantSummary, ...])
    assert_type(described.async_inference, sa.AsyncInferenceConfig | None)
    assert_type(described.creation_time, datetime | None)
    assert_type(described.last_modified_time, datetime | None)


def check_variant_summary(summary: sa.VariantSummary) -> None:
    assert_type(summary.variant_name, str)
    assert_type(summary.current_instance_count, int | None)
    assert_type(summary.desired_instance_count, int | None)
    assert_type(summary.current_weight, float | None)
    assert_type(summary.desired_weight, float | None)


def check_endpoint_status_is_a_str(status: sa.EndpointStatus) -> str:
    return status


def check_what_the_types_refuse(container: sa.Container) -> None:
    sa.Container("img:1")  # type: ignore[call-arg]
    container.image = "other"  # type: ignore[misc]
    sa.ProductionVariant(model_name=1)  # type: ignore[arg-type]
    sa.ServerlessConfig(memory_size_in_mb="2048", max_concurrency=1)  # type: ignore[arg-type]
    sa.NotificationConfig(include_inference_response_in=["SUCCESS"])  # type: ignore[list-item]
    sa.EndpointConfig(name="c", async_inference=sa.AsyncInferenceConfig(output_path="s3://b/o"))  # type: ignore[call-arg]
