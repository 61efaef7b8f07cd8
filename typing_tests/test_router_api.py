"""The types of inference routers, checked by mypy and pyright (never run)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import assert_type

import boto3

import sagemaker_async as sa


def check_router_models() -> None:
    target = sa.RoutingTarget(
        name="churn",
        destinations=["arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"],
        output_path="s3://results/out",
        failure_path="s3://results/failed",
        max_time_in_backlog_seconds=60,
        routing_preference=sa.RoutingPreference.LOCAL_REGION_FIRST,
    )
    router = sa.InferenceRouter(name="churn", targets=[target])
    assert_type(target.destinations, tuple[str, ...])
    assert_type(target.backlog_seconds, int)
    assert_type(router.targets, tuple[sa.RoutingTarget, ...])
    assert_type(router.target("churn"), sa.RoutingTarget | None)


def check_router_description(described: sa.InferenceRouterDescription) -> None:
    assert_type(described.status, sa.InferenceRouterStatus)
    assert_type(described.status_reason, str | None)
    assert_type(described.destination_status, Mapping[str, sa.RoutingStatus])
    assert_type(described.creation_time, datetime | None)


def check_router_client(session: boto3.Session, router: sa.InferenceRouter) -> None:
    client = sa.AsyncInferenceClient(session, router_runtime_client=None)
    assert_type(client.create_inference_router(router), sa.InferenceRouterDescription)
    assert_type(
        client.update_inference_router(router, wait=False, timeout=60.0),
        sa.InferenceRouterDescription,
    )
    assert_type(client.describe_inference_router("churn"), sa.InferenceRouterDescription)
    assert_type(
        client.wait_for_inference_router("churn", timeout=60.0), sa.InferenceRouterDescription
    )
    assert_type(client.delete_inference_router("churn", wait=False), None)
    invocation = client.invoke_router_async("churn", "churn", b"x", request_ttl_seconds=60)
    assert_type(invocation, sa.AsyncInvocation)
    assert_type(invocation.result(timeout=1.0), bytes)
