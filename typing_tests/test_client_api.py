"""The types of the client, invocations and awaiting, checked by mypy and pyright (never run)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import assert_type

import boto3
from mypy_boto3_s3 import S3Client
from mypy_boto3_sagemaker import SageMakerClient
from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
from mypy_boto3_sns import SNSClient
from mypy_boto3_sqs import SQSClient

import sagemaker_async as sa
from sagemaker_async import iam


def check_client(session: boto3.Session, model: sa.Model, config: sa.EndpointConfig) -> None:
    client = sa.AsyncInferenceClient(session)
    assert_type(client.sagemaker, SageMakerClient)
    assert_type(client.runtime, SageMakerRuntimeClient)
    assert_type(client.s3, S3Client)
    assert_type(client.create_model(model), str)
    assert_type(client.create_endpoint_config(config), str)
    assert_type(client.create_endpoint("e", "c", wait=False), sa.EndpointDescription)
    assert_type(client.update_endpoint("e", "c", timeout=60.0), sa.EndpointDescription)
    assert_type(client.describe_endpoint("e"), sa.EndpointDescription)
    assert_type(client.wait_for_endpoint("e", timeout=60.0), sa.EndpointDescription)
    assert_type(client.deploy(model, config, "e"), sa.EndpointDescription)
    assert_type(client.delete_endpoint("e", wait=False), None)
    assert_type(client.delete_endpoint_config("c", force=True), None)
    assert_type(client.delete_model("m"), None)
    assert_type(client.teardown("e"), None)
    client.create_endpoint("e", "c", wait="yes")  # type: ignore[arg-type]


def check_invocations(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("e", b"payload", content_type="text/csv")
    assert_type(invocation, sa.AsyncInvocation)
    assert_type(invocation.inference_id, str)
    assert_type(invocation.output_location, str)
    assert_type(invocation.failure_location, str | None)
    assert_type(invocation.done(), bool)
    assert_type(invocation.result(timeout=1.0), bytes)
    assert_type(invocation.bind(client), sa.AsyncInvocation)
    assert_type(client.invocation("id", "s3://b/k.out"), sa.AsyncInvocation)
    assert_type(
        client.invoke_many("e", [b"a", "s3://b/k"], concurrency=4), tuple[sa.AsyncInvocation, ...]
    )
    client.invoke_many("e", [b"a"], concurrency="4")  # type: ignore[arg-type]
    client.invoke_async("e", 42)  # type: ignore[arg-type]
    client.invoke_async("e", request_ttl_seconds="60")  # type: ignore[arg-type]


async def check_aresult(invocation: sa.AsyncInvocation) -> None:
    assert_type(await invocation.aresult(timeout=1.0), bytes)


def check_awaiting(invocations: list[sa.AsyncInvocation], queue: sa.NotificationQueue) -> None:
    assert_type(sa.as_completed(invocations, timeout=1.0), Iterator[sa.AsyncInvocation])
    assert_type(sa.wait_all(invocations, notifications=queue), tuple[sa.AsyncInvocation, ...])
    assert_type(queue.queue_url, str)
    sa.wait_all(invocations, progress=lambda done, total: print(done, total))


def check_backoff(session: boto3.Session) -> None:
    backoff = sa.Backoff(initial=1.0, maximum=10.0, multiplier=2.0)
    assert_type(backoff.initial, float)
    sa.AsyncInferenceClient(session, backoff=backoff)


def check_consumers(session: boto3.Session, sqs: SQSClient, sns: SNSClient) -> None:
    client = sa.AsyncInferenceClient(session, inference_id_prefix="worker-3-")
    assert_type(client, sa.AsyncInferenceClient)
    queue = sa.NotificationQueue.create(
        "churn-worker-3",
        topics=["arn:aws:sns:us-east-1:123456789012:churn-ok"],
        inference_id_prefix="worker-3-",
        sqs_client=sqs,
        sns_client=sns,
    )
    assert_type(queue, sa.NotificationQueue)
    assert_type(queue.delete(), None)
    assert_type(queue.delete_messages(["receipt"]), None)
    assert_type(queue.release(["receipt"]), None)
    assert_type(queue.set_aside, int)
    queue.set_aside = 0  # type: ignore[misc]
    sa.NotificationQueue.create("q", topics=["arn"], inference_id_prefix=3)  # type: ignore[arg-type]
    sa.AsyncInferenceClient(session, inference_id_prefix=3)  # type: ignore[arg-type]
    policy = iam.consumer_policy("q", ["arn"], account="123456789012", region="us-east-1")
    assert_type(policy, iam.PolicyDocument)
