"""The types of ``sagemaker_async.errors``, checked by mypy and pyright (never run)."""

from __future__ import annotations

from typing import assert_type

import sagemaker_async as sa
from sagemaker_async import errors


def check_validation_error() -> None:
    error = sa.ValidationError("Model", [sa.Problem("name", "a string", 1)])
    assert_type(error.subject, str)
    assert_type(error.problems, tuple[sa.Problem, ...])
    assert_type(error.fields, tuple[str, ...])
    assert_type(error.prefixed("variants[0]"), sa.ValidationError)
    as_value_error: ValueError = error
    as_root: sa.SageMakerAsyncError = error
    del as_value_error, as_root


def check_problem(problem: sa.Problem) -> None:
    assert_type(problem.path, str)
    assert_type(problem.expected, str)
    assert_type(problem.received, object)
    assert_type(problem.prefixed("async_inference"), sa.Problem)


def check_service_errors() -> None:
    error = sa.ResourceNotFoundError("gone", code="ValidationException", operation="X")
    assert_type(error.code, str)
    assert_type(error.message, str)
    assert_type(error.request_id, str | None)
    assert_type(error.operation, str)
    as_service: sa.ServiceError = error
    del as_service
    sa.ServiceError("no code")  # type: ignore[call-arg]


def check_waiter_errors() -> None:
    failed = sa.EndpointFailedError("churn", "Failed", None)
    assert_type(failed.endpoint_name, str)
    assert_type(failed.status, str)
    assert_type(failed.failure_reason, str | None)
    timeout = sa.WaiterTimeoutError("churn", "Creating", 1.5)
    assert_type(timeout.endpoint_name, str)
    assert_type(timeout.last_status, str | None)
    assert_type(timeout.elapsed, float)
    as_timeout: TimeoutError = timeout
    as_waiter: sa.WaiterError = timeout
    del as_timeout, as_waiter


def check_inference_errors() -> None:
    failed = sa.InferenceFailedError("inf-1", None, b"boom")
    assert_type(failed.inference_id, str)
    assert_type(failed.failure_location, str | None)
    assert_type(failed.failure_body, bytes | None)
    timeout = sa.InferenceTimeoutError("inf-1", "s3://b/o/inf-1.out", timeout=3.0)
    assert_type(timeout.inference_id, str)
    assert_type(timeout.output_location, str | None)
    assert_type(timeout.failure_location, str | None)
    assert_type(timeout.pending, tuple[str, ...])
    assert_type(timeout.timeout, float | None)
    as_inference: sa.InferenceError = timeout
    as_timeout: TimeoutError = timeout
    del as_inference, as_timeout


def check_the_package_reexports_the_errors_module() -> None:
    assert_type(errors.ValidationError, type[sa.ValidationError])


def check_submission_error(error: sa.SubmissionError) -> None:
    assert_type(error.failures, dict[int, Exception])
