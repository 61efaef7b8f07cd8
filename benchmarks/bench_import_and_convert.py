"""Import time against boto3's, and the converter against a dict built by hand.

(a) Whole-process import: `python -c "import sagemaker_async"` and `python -c
    "import boto3"` in fresh interpreters, interleaved; medians and their ratio.
    Target: at most 1.15 (the library imports little beyond what boto3 does).
(b) `to_request` of a two-variant EndpointConfig against a hand-written function
    building the same dict from the same model; best of several timeit repeats.
    Target: at most 5 times the hand-written cost.

Exits non-zero when a target is missed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
from typing import Any

import sagemaker_async as sa
from sagemaker_async.serialization import to_request

IMPORT_RUNS = 21
IMPORT_TARGET = 1.15
CONVERT_NUMBER = 20_000
CONVERT_REPEATS = 7
CONVERT_TARGET = 5.0

CONFIG = sa.EndpointConfig(
    name="churn-v1",
    variants=[
        sa.ProductionVariant(
            model_name="churn-a",
            variant_name="Blue",
            instance_type="ml.m5.large",
            initial_instance_count=2,
            initial_variant_weight=0.9,
        ),
        sa.ProductionVariant(
            model_name="churn-b",
            variant_name="Green",
            instance_type="ml.g5.xlarge",
            initial_variant_weight=0.1,
        ),
    ],
    async_inference=sa.AsyncInferenceConfig(
        output_path="s3://results-bucket/churn",
        failure_path="s3://results-bucket/churn-failures",
        notification=sa.NotificationConfig(
            success_topic="arn:aws:sns:us-east-1:123456789012:churn-ok",
            error_topic="arn:aws:sns:us-east-1:123456789012:churn-failed",
            include_inference_response_in=["SUCCESS_NOTIFICATION_TOPIC"],
        ),
        kms_key_id="alias/results",
        max_concurrent_invocations_per_instance=4,
    ),
    kms_key_id="alias/volumes",
    tags={"team": "ml", "cost-center": "42"},
)


def by_hand(config: sa.EndpointConfig) -> dict[str, Any]:
    """The request for CONFIG's shape, as one would write it without a converter."""
    output = config.async_inference
    notification = output.notification
    assert notification is not None
    return {
        "EndpointConfigName": config.name,
        "ProductionVariants": [
            {
                "ModelName": variant.model_name,
                "VariantName": variant.variant_name,
                "InstanceType": variant.instance_type,
                "InitialInstanceCount": variant.initial_instance_count,
                "InitialVariantWeight": variant.initial_variant_weight,
            }
            for variant in config.variants
        ],
        "AsyncInferenceConfig": {
            "OutputConfig": {
                "S3OutputPath": output.output_path,
                "S3FailurePath": output.failure_path,
                "KmsKeyId": output.kms_key_id,
                "NotificationConfig": {
                    "SuccessTopic": notification.success_topic,
                    "ErrorTopic": notification.error_topic,
                    "IncludeInferenceResponseIn": list(notification.include_inference_response_in),
                },
            },
            "ClientConfig": {
                "MaxConcurrentInvocationsPerInstance": (
                    output.max_concurrent_invocations_per_instance
                )
            },
        },
        "KmsKeyId": config.kms_key_id,
        "Tags": [{"Key": key, "Value": value} for key, value in config.tags.items()],
    }


def import_seconds(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - start


def bench_import() -> bool:
    ours: list[float] = []
    theirs: list[float] = []
    import_seconds("sagemaker_async")  # warm the file system cache for both
    import_seconds("boto3")
    for _ in range(IMPORT_RUNS):
        ours.append(import_seconds("sagemaker_async"))
        theirs.append(import_seconds("boto3"))
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    ratio = ours_median / theirs_median
    print(f"import sagemaker_async: median {ours_median * 1000:.0f} ms over {IMPORT_RUNS} runs")
    print(f"import boto3:           median {theirs_median * 1000:.0f} ms over {IMPORT_RUNS} runs")
    print(f"import sagemaker_async / import boto3: {ratio:.2f}x (target <= {IMPORT_TARGET})")
    return ratio <= IMPORT_TARGET


def best_microseconds(function: Any) -> float:
    return min(timeit.repeat(function, number=CONVERT_NUMBER, repeat=1)) / CONVERT_NUMBER * 1e6


def bench_convert() -> bool:
    if to_request(CONFIG) != by_hand(CONFIG):
        print("to_request and the hand-written request differ:", file=sys.stderr)
        print(f"  to_request: {to_request(CONFIG)}", file=sys.stderr)
        print(f"  by hand:    {by_hand(CONFIG)}", file=sys.stderr)
        return False
    converter: list[float] = []
    hand: list[float] = []
    # Alternate, so that a noisy moment slows both alike.
    for _ in range(CONVERT_REPEATS):
        converter.append(best_microseconds(lambda: to_request(CONFIG)))
        hand.append(best_microseconds(lambda: by_hand(CONFIG)))
    ours, theirs = min(converter), min(hand)
    ratio = ours / theirs
    print(f"to_request(EndpointConfig): {ours:.2f} us per call (best of {CONVERT_REPEATS})")
    print(f"hand-written request:       {theirs:.2f} us per call (best of {CONVERT_REPEATS})")
    print(f"to_request / by hand: {ratio:.2f}x (target <= {CONVERT_TARGET:g})")
    return ratio <= CONVERT_TARGET


def main() -> int:
    results = [bench_import(), bench_convert()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
