"""The execution-role policy under moto's IAM enforcement, which checks S3 object ARNs faithfully.

moto does not check resource-scoped SageMaker actions or iam:PassRole, so only
the S3 statements are exercised here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from sagemaker_async.iam import execution_role_policy
from test_iam_cases import ACCOUNT, ENDPOINT, REGION, config, model

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

BUCKET = "acme-inference"
# The requests that set the scene before moto starts checking permissions:
# CreateBucket, CreateRole, PutRolePolicy, AssumeRole.
SETUP_REQUESTS = 4


def role_s3_client() -> S3Client:
    """An S3 client acting as a role that holds the generated execution-role policy."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    iam = boto3.client("iam", region_name=REGION)
    # moto does not evaluate trust policies: this one only lets the test assume the role.
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="churn-sagemaker", AssumeRolePolicyDocument=json.dumps(trust))
    policy = execution_role_policy(
        model(), config(), account=ACCOUNT, region=REGION, endpoint_name=ENDPOINT
    )
    iam.put_role_policy(
        RoleName="churn-sagemaker", PolicyName="execution", PolicyDocument=policy.to_json()
    )
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=role["Role"]["Arn"], RoleSessionName="sagemaker"
    )["Credentials"]
    return boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def put(key: str) -> int:
    client = role_s3_client()
    response = client.put_object(Bucket=BUCKET, Key=key, Body=b'{"churn": 0.12}')
    return int(response["ResponseMetadata"]["HTTPStatusCode"])


def denied_code(key: str) -> str:
    with pytest.raises(ClientError) as caught:
        put(key)
    return str(caught.value.response["Error"]["Code"])


@set_initial_no_auth_action_count(SETUP_REQUESTS)
@mock_aws
def test_the_role_may_write_a_result_under_the_output_prefix() -> None:
    assert put("churn/results/inference-1.out") == 200


@set_initial_no_auth_action_count(SETUP_REQUESTS)
@mock_aws
def test_the_role_may_not_write_elsewhere_in_the_output_bucket() -> None:
    assert denied_code("churn/other/inference-1.out") == "AccessDenied"


@set_initial_no_auth_action_count(SETUP_REQUESTS)
@mock_aws
def test_the_role_may_not_write_under_a_sibling_of_the_output_prefix() -> None:
    assert denied_code("churn/results-old/inference-1.out") == "AccessDenied"


@set_initial_no_auth_action_count(SETUP_REQUESTS)
@mock_aws
def test_the_role_may_not_write_where_it_reads_inputs() -> None:
    assert denied_code(f"sagemaker-async-inputs/{ENDPOINT}/request-1") == "AccessDenied"
