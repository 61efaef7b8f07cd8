"""Models for the IAM tests: one full deployment, and copies with one part changed.

No tests live here; the test_iam_* modules import these builders.
"""

from __future__ import annotations

from typing import Any

import sagemaker_async as sa

ACCOUNT = "123456789012"
REGION = "us-east-1"
ENDPOINT = "churn-prod"
VOLUME_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
OUTPUT_KEY = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def partition_of(region: str) -> str:
    return {"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"}.get(region, "aws")


def model(region: str = REGION, **changes: Any) -> sa.Model:
    fields: dict[str, Any] = {
        "name": "Churn",
        "execution_role_arn": f"arn:{partition_of(region)}:iam::{ACCOUNT}:role/churn-sagemaker",
        "container": sa.Container(
            image=f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/churn/model:1.4.0",
            model_data_url="s3://acme-models/churn/1.4.0/model.tar.gz",
        ),
        "tags": {"team": "ml"},
    }
    fields.update(changes)
    return sa.Model(**fields)


def notification(region: str = REGION, **changes: Any) -> sa.NotificationConfig:
    partition = partition_of(region)
    fields: dict[str, Any] = {
        "success_topic": f"arn:{partition}:sns:{region}:{ACCOUNT}:churn-success",
        "error_topic": f"arn:{partition}:sns:{region}:{ACCOUNT}:churn-errors",
    }
    fields.update(changes)
    return sa.NotificationConfig(**fields)


def async_inference(region: str = REGION, **changes: Any) -> sa.AsyncInferenceConfig:
    fields: dict[str, Any] = {
        "output_path": "s3://acme-inference/churn/results",
        "failure_path": "s3://acme-failures/churn",
        "notification": notification(region),
        "kms_key_id": OUTPUT_KEY.replace("arn:aws:", f"arn:{partition_of(region)}:").replace(
            REGION, region
        ),
    }
    fields.update(changes)
    return sa.AsyncInferenceConfig(**fields)


def config(region: str = REGION, **changes: Any) -> sa.EndpointConfig:
    fields: dict[str, Any] = {
        "name": "Churn-V1",
        "variants": [sa.ProductionVariant(model_name="Churn", instance_type="ml.m5.large")],
        "async_inference": async_inference(region),
        "kms_key_id": VOLUME_KEY,
        "tags": {"team": "ml"},
    }
    fields.update(changes)
    return sa.EndpointConfig(**fields)


def minimal_config(**changes: Any) -> sa.EndpointConfig:
    """A config with an output path only: no failure path, topics, keys or tags."""
    fields: dict[str, Any] = {
        "async_inference": sa.AsyncInferenceConfig(output_path="s3://acme-inference/churn/results"),
        "kms_key_id": None,
        "tags": {},
    }
    fields.update(changes)
    return config(**fields)
