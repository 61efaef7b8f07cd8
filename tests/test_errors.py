"""The exception tree: relations, attributes, messages and pickling."""

from __future__ import annotations

import pickle

import pytest

from sagemaker_async import errors
from sagemaker_async.errors import (
    AccessDeniedError,
    EndpointFailedError,
    InferenceError,
    InferenceFailedError,
    InferenceTimeoutError,
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    SageMakerAsyncError,
    ServiceError,
    ValidationError,
    WaiterError,
    WaiterTimeoutError,
)

PARENTS = [
    (ValidationError, SageMakerAsyncError),
    (ValidationError, ValueError),
    (ServiceError, SageMakerAsyncError),
    (ResourceNotFoundError, ServiceError),
    (ResourceInUseError, ServiceError),
    (ResourceExistsError, ServiceError),
    (AccessDeniedError, ServiceError),
    (WaiterError, SageMakerAsyncError),
    (EndpointFailedError, WaiterError),
    (WaiterTimeoutError, WaiterError),
    (WaiterTimeoutError, TimeoutError),
    (InferenceError, SageMakerAsyncError),
    (InferenceFailedError, InferenceError),
    (InferenceTimeoutError, InferenceError),
    (InferenceTimeoutError, TimeoutError),
]


def pair_id(pair: object) -> str:
    return getattr(pair, "__name__", str(pair))


@pytest.mark.parametrize(("child", "parent"), PARENTS, ids=pair_id)
def test_exception_tree(child: type, parent: type) -> None:
    assert issubclass(child, parent)


@pytest.mark.parametrize(
    ("child", "other"),
    [
        (ServiceError, WaiterError),
        (WaiterError, InferenceError),
        (EndpointFailedError, TimeoutError),
        (InferenceFailedError, TimeoutError),
        (ServiceError, ValueError),
    ],
    ids=pair_id,
)
def test_branches_do_not_overlap(child: type, other: type) -> None:
    assert not issubclass(child, other)


def exception_classes() -> list[type[BaseException]]:
    found = [getattr(errors, name) for name in errors.__all__]
    return [cls for cls in found if isinstance(cls, type) and issubclass(cls, BaseException)]


@pytest.mark.parametrize("cls", exception_classes(), ids=pair_id)
def test_every_exception_derives_from_the_root(cls: type) -> None:
    assert issubclass(cls, SageMakerAsyncError)


@pytest.mark.parametrize("cls", exception_classes(), ids=pair_id)
def test_every_exception_is_drawn_in_the_module_docstring(cls: type) -> None:
    assert f" {cls.__name__}" in (errors.__doc__ or "")


def validation_error() -> ValidationError:
    return ValidationError(
        "ProductionVariant",
        [
            Problem("initial_instance_count", "a number >= 1", 0),
            Problem("instance_type", "a SageMaker instance type such as 'ml.m5.large'", "m5"),
        ],
    )


def test_validation_error_is_caught_as_value_error() -> None:
    with pytest.raises(ValueError, match="2 problems with ProductionVariant"):
        raise validation_error()


def test_validation_error_keeps_subject_and_problems() -> None:
    error = validation_error()

    expected = ("ProductionVariant", ("initial_instance_count", "instance_type"))
    assert expected == (
        error.subject,
        error.fields,
    )


def test_validation_error_message() -> None:
    expected = (
        "2 problems with ProductionVariant:\n"
        "  initial_instance_count: expected a number >= 1, received 0 (int)\n"
        "  instance_type: expected a SageMaker instance type such as 'ml.m5.large', "
        "received 'm5' (str)\n"
        "Fix the values and try again."
    )
    assert expected == str(validation_error())


def test_validation_error_prefixed_nests_every_path() -> None:
    error = validation_error().prefixed("variants[2]")

    expected = ("variants[2].initial_instance_count", "variants[2].instance_type")
    assert expected == error.fields


def test_problem_prefixed_under_an_index() -> None:
    expected = "variants[0]"
    assert expected == Problem("[0]", "x", 1).prefixed("variants").path


def test_problem_prefixed_with_empty_path_takes_the_prefix() -> None:
    expected = "async_inference"
    assert expected == Problem("", "a mapping", 1).prefixed("async_inference").path


def test_problem_without_a_path_shows_no_colon() -> None:
    expected = "expected a mapping, received [] (list)"
    assert expected == str(Problem("", "a mapping", []))


def service_error() -> ServiceError:
    return ResourceNotFoundError(
        "Could not find endpoint configuration churn-v1.",
        code="ValidationException",
        operation="CreateEndpoint",
        request_id="4f1c-88",
    )


def test_service_error_keeps_its_attributes() -> None:
    error = service_error()

    expected = (
        "ValidationException",
        "Could not find endpoint configuration churn-v1.",
        "4f1c-88",
        "CreateEndpoint",
    )
    assert expected == (error.code, error.message, error.request_id, error.operation)


def test_service_error_message() -> None:
    expected = (
        "CreateEndpoint failed with ValidationException: Could not find endpoint "
        "configuration churn-v1. (request id 4f1c-88)"
    )
    assert expected == str(service_error())


def test_service_error_message_without_request_id() -> None:
    error = AccessDeniedError("not authorized", code="AccessDeniedException", operation="X")

    expected = "X failed with AccessDeniedException: not authorized"
    assert expected == str(error)


def endpoint_failed() -> EndpointFailedError:
    return EndpointFailedError("churn", "Failed", "Image does not exist.", action="finish updating")


def test_endpoint_failed_error_keeps_its_attributes() -> None:
    error = endpoint_failed()

    expected = ("churn", "Failed", "Image does not exist.", "finish updating")
    assert expected == (
        error.endpoint_name,
        error.status,
        error.failure_reason,
        error.action,
    )


def test_endpoint_failed_error_points_to_the_logs() -> None:
    expected = (
        "Endpoint 'churn' did not finish updating: it is Failed. Reason: Image does not exist. "
        "Check the endpoint's CloudWatch logs (/aws/sagemaker/Endpoints/churn)."
    )
    assert expected == str(endpoint_failed())


def test_endpoint_failed_error_ends_the_reason_with_one_period() -> None:
    error = EndpointFailedError("churn", "Failed", "Out of capacity")

    assert "Reason: Out of capacity. Check" in str(error)


def test_endpoint_failed_error_without_reason() -> None:
    error = EndpointFailedError("churn", "Failed", None)

    assert "Reason: SageMaker gave no failure reason." in str(error)


def waiter_timeout() -> WaiterTimeoutError:
    return WaiterTimeoutError("churn", "Creating", 1800.04)


def test_waiter_timeout_keeps_its_attributes() -> None:
    error = waiter_timeout()

    expected = ("churn", "Creating", 1800.04)
    assert expected == (error.endpoint_name, error.last_status, error.elapsed)


def test_waiter_timeout_says_what_to_do() -> None:
    expected = (
        "Endpoint 'churn' was still Creating after 1800.0 s. Increase `timeout`, or pass "
        "`wait=False` and call `wait_for_endpoint` later."
    )
    assert expected == str(waiter_timeout())


def test_waiter_timeout_is_caught_as_timeout_error() -> None:
    with pytest.raises(TimeoutError, match="still Creating"):
        raise waiter_timeout()


def inference_failed() -> InferenceFailedError:
    return InferenceFailedError(
        "inf-1", "s3://results-bucket/failures/inf-1-error.out", b'{"error": "bad input"}\n'
    )


def test_inference_failed_keeps_its_attributes() -> None:
    error = inference_failed()

    expected = (
        "inf-1",
        "s3://results-bucket/failures/inf-1-error.out",
        b'{"error": "bad input"}\n',
    )
    assert expected == (error.inference_id, error.failure_location, error.failure_body)


def test_inference_failed_message_shows_location_and_body() -> None:
    expected = (
        "Inference 'inf-1' failed (see s3://results-bucket/failures/inf-1-error.out): "
        '{"error": "bad input"}'
    )
    assert expected == str(inference_failed())


def test_inference_failed_message_shortens_a_long_body() -> None:
    error = InferenceFailedError("inf-1", None, b"x" * 1000)

    assert f"Inference 'inf-1' failed: {'x' * 497}..." == str(error)


def test_inference_failed_message_without_body() -> None:
    expected = "Inference 'inf-1' failed: no failure body"
    assert expected == str(InferenceFailedError("inf-1", None, None))


def inference_timeout() -> InferenceTimeoutError:
    return InferenceTimeoutError(
        "inf-1",
        "s3://results-bucket/out/inf-1.out",
        failure_location="s3://results-bucket/failures/inf-1-error.out",
        timeout=30,
    )


def test_inference_timeout_keeps_its_attributes() -> None:
    error = inference_timeout()

    expected = (
        "inf-1",
        "s3://results-bucket/out/inf-1.out",
        "s3://results-bucket/failures/inf-1-error.out",
        ("inf-1",),
        30,
    )
    assert expected == (
        error.inference_id,
        error.output_location,
        error.failure_location,
        error.pending,
        error.timeout,
    )


def test_inference_timeout_says_what_to_do() -> None:
    expected = (
        "Inference 'inf-1' had no result after 30 s at s3://results-bucket/out/inf-1.out. "
        "Increase `timeout`; the invocation can still be awaited later."
    )
    assert expected == str(inference_timeout())


def test_inference_timeout_names_the_pending_ones() -> None:
    error = InferenceTimeoutError("a", None, pending=tuple("abcdefg"), timeout=5)

    expected = (
        "7 inferences had no result after 5 s: 'a', 'b', 'c', 'd', 'e' and 2 more. "
        "Increase `timeout`; the invocations can still be awaited later."
    )
    assert expected == str(error)


def test_inference_timeout_is_caught_as_timeout_error() -> None:
    with pytest.raises(TimeoutError, match="had no result"):
        raise inference_timeout()


def raised() -> list[SageMakerAsyncError]:
    return [
        SageMakerAsyncError("plain"),
        validation_error(),
        service_error(),
        ServiceError("boom", code="InternalFailure", operation="DescribeEndpoint"),
        ResourceInUseError("busy", code="ResourceInUse", operation="DeleteEndpointConfig"),
        ResourceExistsError("exists", code="ValidationException", operation="CreateModel"),
        AccessDeniedError("no", code="AccessDenied", operation="GetObject", request_id="r"),
        WaiterError("stopped"),
        endpoint_failed(),
        waiter_timeout(),
        InferenceError("lost"),
        inference_failed(),
        inference_timeout(),
        InferenceTimeoutError("a", None, pending=("a", "b"), timeout=5),
    ]


def error_id(error: object) -> str:
    return type(error).__name__


@pytest.mark.parametrize("error", raised(), ids=error_id)
def test_pickle_keeps_type_message_and_attributes(error: SageMakerAsyncError) -> None:
    copy = pickle.loads(pickle.dumps(error))

    assert (type(error), str(error), vars(error)) == (type(copy), str(copy), vars(copy))
