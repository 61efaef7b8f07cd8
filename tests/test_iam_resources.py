"""The ARNs behind the policies: partitions, S3 locations, images, keys, the default input path."""

from __future__ import annotations

import pytest

from sagemaker_async import ValidationError
from sagemaker_async.iam._resources import (
    S3Location,
    Target,
    ecr_repository,
    kms_key,
    model_artifact,
    partition_of,
)
from sagemaker_async.models._input_path import default_input_path
from test_iam_cases import config

TARGET = Target("aws", "us-east-1", "123456789012")


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("eu-central-2", "aws"),
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
    ],
)
def test_the_partition_follows_from_the_region(region: str, partition: str) -> None:
    assert partition_of(region) == partition


def test_a_region_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        partition_of(None)

    assert caught.value.fields == ("region",)


@pytest.mark.parametrize(
    "url",
    [
        "https://acme-models.s3.amazonaws.com/churn/model.tar.gz",
        "https://acme-models.s3.us-east-1.amazonaws.com/churn/model.tar.gz",
        "https://acme-models.s3-us-east-1.amazonaws.com/churn/model.tar.gz",
        "https://s3.us-east-1.amazonaws.com/acme-models/churn/model.tar.gz",
        "https://s3.amazonaws.com/acme-models/churn/model.tar.gz",
    ],
)
def test_https_artifact_urls_of_s3_name_bucket_and_key(url: str) -> None:
    assert model_artifact(url, "url") == S3Location("acme-models", "churn/model.tar.gz")


def test_a_path_style_url_without_key_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        model_artifact("https://s3.amazonaws.com/acme-models", "url")

    assert caught.value.fields == ("url",)


def test_a_key_arn_is_its_own_resource() -> None:
    arn = "arn:aws:kms:eu-west-1:210987654321:key/mrk-0f1e2d3c4b5a69788a9b0c1d2e3f4a5b"

    assert (kms_key(TARGET, arn, "key").resource, kms_key(TARGET, arn, "key").conditions) == (
        arn,
        {},
    )


def test_an_alias_is_granted_as_the_keys_that_carry_it() -> None:
    key = kms_key(TARGET, "alias/churn", "key")

    assert (key.resource, key.conditions) == (
        "arn:aws:kms:us-east-1:123456789012:key/*",
        {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ("alias/churn",)}},
    )


def test_a_registry_account_must_be_an_account() -> None:
    with pytest.raises(ValidationError) as caught:
        ecr_repository(TARGET, "churn:1", "acme")

    assert caught.value.fields == ("registry_account",)


def test_an_image_with_a_digest_and_no_registry_names_its_repository() -> None:
    image = "team/churn@sha256:" + "0" * 64

    assert ecr_repository(TARGET, image, "210987654321") == (
        "arn:aws:ecr:us-east-1:210987654321:repository/team/churn"
    )


def test_the_default_input_path_is_in_the_output_bucket_under_the_endpoint_name() -> None:
    output_path = config().async_inference.output_path

    assert default_input_path(output_path, "churn-prod") == (
        "s3://acme-inference/sagemaker-async-inputs/churn-prod/"
    )


def test_without_endpoint_name_the_default_input_path_is_a_pattern_for_every_endpoint() -> None:
    output_path = config().async_inference.output_path

    assert default_input_path(output_path, None) == "s3://acme-inference/sagemaker-async-inputs/*/"
