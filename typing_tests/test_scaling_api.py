"""The types of autoscaling and metrics, checked by mypy and pyright (never run)."""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

import sagemaker_async as sa


def check_scaling(client: sa.AsyncInferenceClient) -> None:
    policy = sa.ScalingPolicy(max_instances=4)
    assert_type(policy.min_instances, int)
    assert_type(policy.target_backlog_per_instance, float)
    assert_type(client.enable_autoscaling("e", policy), sa.ScalingDescription)
    assert_type(client.enable_autoscaling("e", policy, variant_name="Blue"), sa.ScalingDescription)
    assert_type(client.describe_autoscaling("e"), sa.ScalingDescription | None)
    assert_type(client.disable_autoscaling("e"), None)
    metrics = client.endpoint_metrics("e", minutes=30)
    assert_type(metrics, sa.EndpointMetrics)
    assert_type(metrics.backlog_size, float | None)
    assert_type(metrics.has_backlog_without_capacity, bool | None)
    assert_type(metrics.instance_count, int)
    assert_type(metrics.series["ApproximateBacklogSize"], tuple[tuple[datetime, float], ...])
    client.enable_autoscaling("e", {"max_instances": 4})  # type: ignore[arg-type]


def check_deploy_with_scaling(
    client: sa.AsyncInferenceClient, model: sa.Model, config: sa.EndpointConfig
) -> None:
    described = client.deploy(model, config, "e", scaling=sa.ScalingPolicy(max_instances=2))
    assert_type(described, sa.EndpointDescription)
