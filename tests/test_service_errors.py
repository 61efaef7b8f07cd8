"""botocore's exceptions become this library's, by code and message."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.stub import Stubber

from sagemaker_async import (
    AccessDeniedError,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
    ValidationError,
)
from sagemaker_async.aws._calls import (
    Retries,
    Trail,
    call,
    is_missing_config,
    is_transient,
    retrying,
    service_error,
)


def client_error(code: str, message: str, operation: str = "CreateEndpoint") -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": "req-1", "HTTPStatusCode": 400},
    }
    return ClientError(response, operation)


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("AccessDeniedException", "not authorized", AccessDeniedError),
        ("AccessDenied", "Access Denied", AccessDeniedError),
        ("403", "Forbidden", AccessDeniedError),
        ("NoSuchKey", "The specified key does not exist.", ResourceNotFoundError),
        ("404", "Not Found", ResourceNotFoundError),
        ("ResourceNotFound", "Resource not found", ResourceNotFoundError),
        ("ValidationException", 'Could not find endpoint "ep".', ResourceNotFoundError),
        (
            "ValidationException",
            "Endpoint ep of account 123456789012 not found.",
            ResourceNotFoundError,
        ),
        (
            "ValidationException",
            'Cannot create already existing endpoint "arn:aws:sagemaker:x".',
            ResourceExistsError,
        ),
        (
            "ValidationException",
            'Cannot update in-progress endpoint "arn:aws:sagemaker:x".',
            ResourceInUseError,
        ),
        ("ResourceInUse", "Resource in use", ResourceInUseError),
        ("ResourceLimitExceeded", "limit of 5 endpoints", ServiceError),
        ("ThrottlingException", "Rate exceeded", ServiceError),
        ("ValidationException", "1 validation error detected", ServiceError),
    ],
)
def test_codes_map_to_the_exception_the_caller_acts_on(
    code: str, message: str, expected: type[ServiceError]
) -> None:
    error = service_error(client_error(code, message))

    assert type(error) is expected
    assert (error.code, error.message, error.request_id, error.operation) == (
        code,
        message,
        "req-1",
        "CreateEndpoint",
    )


def test_message_names_operation_code_and_request_id() -> None:
    error = service_error(client_error("ThrottlingException", "Rate exceeded"))

    assert str(error) == (
        "CreateEndpoint failed with ThrottlingException: Rate exceeded (request id req-1)"
    )


def test_missing_config_is_recognised_by_its_message() -> None:
    missing = service_error(
        client_error("ValidationException", 'Could not find endpoint configuration "c1".')
    )
    other = service_error(client_error("ValidationException", 'Could not find model "m".'))

    assert (is_missing_config(missing), is_missing_config(other)) == (True, False)


def test_call_raises_service_error_from_a_real_client() -> None:
    sagemaker = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    # Stubber: AccessDenied is an answer moto does not give for SageMaker.
    with Stubber(sagemaker) as stub:
        stub.add_client_error(
            "describe_endpoint",
            service_error_code="AccessDeniedException",
            service_message="User is not authorized to perform: sagemaker:DescribeEndpoint",
        )
        with pytest.raises(AccessDeniedError) as caught:
            call("DescribeEndpoint", sagemaker.describe_endpoint, EndpointName="ep")

    assert caught.value.operation == "DescribeEndpoint"
    assert isinstance(caught.value.__cause__, ClientError)


def test_param_validation_error_never_escapes() -> None:
    sagemaker = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    with pytest.raises(ValidationError) as caught:
        call("DescribeEndpoint", sagemaker.describe_endpoint, EndpointName=5)

    assert caught.value.fields == ("DescribeEndpoint",)
    assert "EndpointName" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "transient"),
    [
        ("ThrottlingException", True),
        ("SlowDown", True),
        ("InternalFailure", True),
        ("ServiceUnavailable", True),
        ("503", True),
        ("ValidationException", False),
        ("AccessDeniedException", False),
        ("NoSuchKey", False),
    ],
)
def test_only_throttling_and_server_errors_are_transient(code: str, transient: bool) -> None:
    error = service_error(client_error(code, "message"))

    assert is_transient(error) is transient


def test_a_lost_connection_becomes_a_transient_service_error() -> None:
    sagemaker = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )

    with pytest.raises(ServiceError) as caught:
        call("DescribeEndpoint", sagemaker.describe_endpoint, EndpointName="ep")

    assert (caught.value.code, is_transient(caught.value)) == ("ConnectionError", True)


# -- the library's own retries -----------------------------------------------------------


class Attempts:
    """An API call that fails as told, then answers "done"; records the sleeps between."""

    def __init__(self, *failures: ServiceError) -> None:
        self.failures = list(failures)
        self.calls = 0
        self.sleeps: list[float] = []

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def failed(code: str, message: str = "message") -> ServiceError:
    return service_error(client_error(code, message))


def lost_answer() -> ServiceError:
    error = ServiceError("read timeout", code="ConnectionError", operation="CreateModel")
    error.__cause__ = ReadTimeoutError(endpoint_url="https://sagemaker")
    return error


def test_transient_errors_are_retried_with_growing_pauses() -> None:
    attempts = Attempts(*[failed("ThrottlingException")] * 7)

    assert retrying(attempts, sleep=attempts.sleep) == "done"
    assert attempts.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0]


def test_the_last_transient_error_is_raised_once_the_attempts_are_spent() -> None:
    attempts = Attempts(*[failed("InternalFailure")] * 3)

    with pytest.raises(ServiceError) as caught:
        retrying(attempts, sleep=attempts.sleep, retries=Retries(attempts=3))

    assert (caught.value.code, attempts.calls) == ("InternalFailure", 3)


def test_what_retrying_cannot_fix_is_raised_at_once() -> None:
    attempts = Attempts(failed("ValidationException", "Cannot create already existing model"))
    echoed: list[ServiceError] = []

    def echo(error: ServiceError) -> str:
        echoed.append(error)
        return "echoed"

    with pytest.raises(ResourceExistsError):
        retrying(attempts, sleep=attempts.sleep, echo=echo)

    assert (attempts.calls, attempts.sleeps, echoed) == (1, [], [])


def test_a_refusal_after_a_lost_answer_is_the_echos_to_judge() -> None:
    exists = failed("ValidationException", "Cannot create already existing model")
    attempts = Attempts(lost_answer(), exists)

    result = retrying(attempts, sleep=attempts.sleep, echo=lambda error: f"echo of {error.code}")

    assert result == "echo of ValidationException"


def test_a_refusal_after_botocore_retried_is_the_echos_to_judge() -> None:
    retried = client_error("ValidationException", "Cannot create already existing model")
    retried.response["ResponseMetadata"]["RetryAttempts"] = 1
    exists = service_error(retried)
    exists.__cause__ = retried
    attempts = Attempts(exists)

    result = retrying(attempts, sleep=attempts.sleep, echo=lambda error: "echoed")

    assert result == "echoed"


def test_the_trail_carries_a_lost_answer_to_a_later_call() -> None:
    trail = Trail()
    first = Attempts(*[lost_answer()] * 2)
    with pytest.raises(ServiceError):
        retrying(first, sleep=first.sleep, trail=trail, retries=Retries(attempts=2))
    later = Attempts(failed("ValidationException", "Cannot create already existing model"))

    result = retrying(later, sleep=later.sleep, echo=lambda error: "echoed", trail=trail)

    assert (trail.unseen, result) == (True, "echoed")
