"""What the client adds over raw boto3 making the same API calls, against in-process moto.

Runs the same lifecycle (create model, config and endpoint, describe, delete all)
through `AsyncInferenceClient` and through boto3 by hand, in alternating rounds,
and prints the median ratio. Target: at most 1.05.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
from moto import mock_aws

import sagemaker_async as sa

ROUNDS = 15
CYCLES = 20
TARGET = 1.05

MODEL = sa.Model(
    name="bench-model",
    execution_role_arn="arn:aws:iam::123456789012:role/Bench",
    container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"),
)
CONFIG = sa.EndpointConfig(
    name="bench-config",
    variants=[sa.ProductionVariant(model_name="bench-model", instance_type="ml.m5.large")],
    async_inference=sa.AsyncInferenceConfig(
        output_path="s3://bench-bucket/out", failure_path="s3://bench-bucket/failed"
    ),
)


def with_client(client: sa.AsyncInferenceClient) -> None:
    client.create_model(MODEL)
    client.create_endpoint_config(CONFIG)
    client.create_endpoint("bench-endpoint", "bench-config", wait=False)
    client.describe_endpoint("bench-endpoint")
    client.delete_endpoint("bench-endpoint", wait=True)
    client.delete_endpoint_config("bench-config", force=True)
    client.delete_model("bench-model")


def by_hand(sm: Any) -> None:
    sm.create_model(
        ModelName="bench-model",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/Bench",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="bench-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "bench-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
                "InitialVariantWeight": 1.0,
            }
        ],
        AsyncInferenceConfig={
            "OutputConfig": {
                "S3OutputPath": "s3://bench-bucket/out",
                "S3FailurePath": "s3://bench-bucket/failed",
            }
        },
    )
    sm.describe_endpoint_config(EndpointConfigName="bench-config")
    sm.create_endpoint(EndpointName="bench-endpoint", EndpointConfigName="bench-config")
    sm.describe_endpoint(EndpointName="bench-endpoint")
    sm.describe_endpoint(EndpointName="bench-endpoint")
    sm.delete_endpoint(EndpointName="bench-endpoint")
    with contextlib.suppress(sm.exceptions.ClientError):
        sm.describe_endpoint(EndpointName="bench-endpoint")
    sm.delete_endpoint_config(EndpointConfigName="bench-config")
    sm.delete_model(ModelName="bench-model")


def timed(fn: Callable[[Any], None], arg: Any) -> float:
    start = time.perf_counter()
    for _ in range(CYCLES):
        fn(arg)
    return time.perf_counter() - start


def main() -> int:
    with mock_aws():
        session = boto3.Session(
            region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench"
        )
        sagemaker = session.client("sagemaker")
        client = sa.AsyncInferenceClient(sagemaker_client=sagemaker)
        with_client(client)  # warm both paths
        by_hand(sagemaker)
        ratios = []
        ours_total = raw_total = 0.0
        for index in range(ROUNDS):
            if index % 2:
                raw = timed(by_hand, sagemaker)
                ours = timed(with_client, client)
            else:
                ours = timed(with_client, client)
                raw = timed(by_hand, sagemaker)
            ratios.append(ours / raw)
            ours_total += ours
            raw_total += raw
    calls = ROUNDS * CYCLES
    ratio = statistics.median(ratios)
    print(
        f"lifecycle via client: {ours_total / calls * 1e3:.2f} ms, raw boto3: "
        f"{raw_total / calls * 1e3:.2f} ms per cycle of 10 API calls"
    )
    print(f"client / raw boto3 (median of {ROUNDS} rounds): {ratio:.3f}x (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
