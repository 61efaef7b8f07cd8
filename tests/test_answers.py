"""An answer AWS never gives is the service's fault: ServiceError, not ValidationError."""

from __future__ import annotations

import pytest

import sagemaker_async as sa
from sagemaker_async.aws import read_answer
from sagemaker_async.testing import SageMakerSimulator


def test_a_wrong_typed_field_is_a_malformed_response() -> None:
    answer = {"EndpointName": "e", "EndpointArn": "arn", "EndpointStatus": 5}

    with pytest.raises(sa.ServiceError) as caught:
        read_answer(sa.EndpointDescription, answer, "DescribeEndpoint")

    assert (caught.value.code, caught.value.operation, type(caught.value)) == (
        "MalformedResponse",
        "DescribeEndpoint",
        sa.ServiceError,
    )
    assert "status: expected a value for EndpointStatus, received 5" in str(caught.value)


def test_the_request_id_is_kept() -> None:
    answer = {"EndpointName": "e", "ResponseMetadata": {"RequestId": "r-1"}}

    with pytest.raises(sa.ServiceError) as caught:
        read_answer(sa.EndpointDescription, answer, "DescribeEndpoint")

    assert caught.value.request_id == "r-1"


def test_describe_endpoint_blames_the_service_for_a_missing_status(
    sim: SageMakerSimulator,
) -> None:
    sagemaker = sim.client("sagemaker", region_name="us-east-1")
    client = sa.AsyncInferenceClient(sagemaker_client=sagemaker)
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-v1",
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": "churn", "InstanceType": "ml.m5.large"}
        ],
    )
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-v1")

    def drop_status(parsed: dict[str, object], **_: object) -> None:
        parsed.pop("EndpointStatus", None)  # an answer AWS never sends

    sagemaker.meta.events.register("after-call.sagemaker.DescribeEndpoint", drop_status)
    with pytest.raises(sa.ServiceError, match="MalformedResponse") as caught:
        client.describe_endpoint("churn")

    assert not isinstance(caught.value, sa.ValidationError)
