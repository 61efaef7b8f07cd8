"""The exceptions raised by ``sagemaker_async``.

Every exception derives from :class:`SageMakerAsyncError`, grouped by what the
caller does next::

    SageMakerAsyncError
    ├── ValidationError (also ValueError)          bad input, raised before any AWS call
    ├── ConfigurationError                         no credentials, no Region: says how to fix it
    ├── ServiceError                               AWS said no
    │   ├── ResourceNotFoundError
    │   ├── ResourceInUseError
    │   ├── ResourceExistsError
    │   └── AccessDeniedError
    ├── WaiterError
    │   ├── EndpointFailedError                    the endpoint reached a failure state
    │   └── WaiterTimeoutError (also TimeoutError) the wait ran out of time
    ├── InferenceError
    │   ├── InferenceFailedError                   the model wrote a failure object
    │   └── InferenceTimeoutError (also TimeoutError)
    └── SubmissionError                            some of many submissions failed

Data lives on attributes; the text is built in ``__str__`` and says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "AccessDeniedError",
    "ConfigurationError",
    "EndpointFailedError",
    "InferenceError",
    "InferenceFailedError",
    "InferenceTimeoutError",
    "Problem",
    "ResourceExistsError",
    "ResourceInUseError",
    "ResourceNotFoundError",
    "SageMakerAsyncError",
    "ServiceError",
    "SubmissionError",
    "ValidationError",
    "WaiterError",
    "WaiterTimeoutError",
]


class SageMakerAsyncError(Exception):
    """The root of every exception this library raises."""


@attrs.frozen
class Problem:
    """One thing wrong with a value: the field path, the rule it breaks, what came."""

    path: str
    expected: str
    received: object

    def prefixed(self, prefix: str) -> Problem:
        """Return this problem with its path nested under *prefix*."""
        if not self.path:
            return attrs.evolve(self, path=prefix)
        sep = "" if self.path.startswith("[") else "."
        return attrs.evolve(self, path=f"{prefix}{sep}{self.path}")

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}expected {self.expected}, received {_show(self.received)}"


def _show(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print (over 4300 digits)
        bits = value.bit_length() if isinstance(value, int) else 0
        text = f"<an integer of {bits} bits>"
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


class ValidationError(SageMakerAsyncError, ValueError):
    """A value breaks a rule of the service; raised before any AWS call.

    ``problems`` lists every problem found, each with its field path.
    """

    def __init__(self, subject: str, problems: Iterable[Problem]) -> None:
        self.subject = subject
        self.problems = tuple(problems)
        super().__init__(subject, self.problems)

    @property
    def fields(self) -> tuple[str, ...]:
        """The paths of the offending fields, in the order found."""
        return tuple(p.path for p in self.problems)

    def prefixed(self, prefix: str) -> ValidationError:
        """Return the same error with every path nested under *prefix*."""
        return ValidationError(self.subject, (p.prefixed(prefix) for p in self.problems))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} with {self.subject}"
        lines = "".join(f"\n  {p}" for p in self.problems)
        return f"{head}:{lines}\nFix the value{'s' if count != 1 else ''} and try again."


class ConfigurationError(SageMakerAsyncError):
    """The environment cannot reach AWS (no credentials, no Region); the text says how to fix it.

    Attributes:
        setting: What is missing (``"credentials"``, ``"region"``).
        remedy: How to provide it.
    """

    def __init__(self, setting: str, remedy: str) -> None:
        super().__init__(setting, remedy)
        self.setting = setting
        self.remedy = remedy

    def __str__(self) -> str:
        return f"No AWS {self.setting} found. {self.remedy}"


class ServiceError(SageMakerAsyncError):
    """AWS refused a request.

    Attributes:
        code: The AWS error code, such as ``ValidationException``.
        message: The message AWS sent.
        request_id: The AWS request id, for support cases.
        operation: The API operation, such as ``CreateEndpoint``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        operation: str,
        request_id: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.request_id = request_id
        self.operation = operation
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickling calls the class with ``self.args`` only, which lacks the
        # keyword-only arguments; rebuild through them instead.
        return (
            _rebuild_service_error,
            (type(self), self.message, self.code, self.operation, self.request_id),
            self.__dict__,
        )

    def __str__(self) -> str:
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.operation} failed with {self.code}: {self.message}{rid}"


def _rebuild_service_error(
    cls: type[ServiceError], message: str, code: str, operation: str, request_id: str | None
) -> ServiceError:
    return cls(message, code=code, operation=operation, request_id=request_id)


class ResourceNotFoundError(ServiceError):
    """The model, endpoint configuration, endpoint or object does not exist."""


class ResourceInUseError(ServiceError):
    """The resource is used by another one, or busy with another operation."""


class ResourceExistsError(ServiceError):
    """A resource of that name exists already; pick another name or delete it first."""


class AccessDeniedError(ServiceError):
    """The caller's identity lacks a permission; ``sagemaker_async.iam`` generates it."""


class WaiterError(SageMakerAsyncError):
    """Waiting for an endpoint did not end in the state asked for."""


class EndpointFailedError(WaiterError):
    """The endpoint reached a failure state, or an update rolled back."""

    def __init__(
        self,
        endpoint_name: str,
        status: str,
        failure_reason: str | None,
        *,
        action: str = "reach InService",
    ) -> None:
        self.endpoint_name = endpoint_name
        self.status = status
        self.failure_reason = failure_reason
        self.action = action
        super().__init__(endpoint_name, status, failure_reason)

    def __str__(self) -> str:
        reason = (self.failure_reason or "").strip() or "SageMaker gave no failure reason"
        # SageMaker's reasons mostly end with a period already.
        if not reason.endswith((".", "!", "?")):
            reason += "."
        return (
            f"Endpoint {self.endpoint_name!r} did not {self.action}: it is {self.status}. "
            f"Reason: {reason} Check the endpoint's CloudWatch logs "
            f"(/aws/sagemaker/Endpoints/{self.endpoint_name})."
        )


class WaiterTimeoutError(WaiterError, TimeoutError):
    """The endpoint was still not in the state asked for when the timeout passed."""

    def __init__(self, endpoint_name: str, last_status: str | None, elapsed: float) -> None:
        self.endpoint_name = endpoint_name
        self.last_status = last_status
        self.elapsed = elapsed
        super().__init__(endpoint_name, last_status, elapsed)

    def __str__(self) -> str:
        return (
            f"Endpoint {self.endpoint_name!r} was still {self.last_status} after "
            f"{self.elapsed:.1f} s. Increase `timeout`, or pass `wait=False` and call "
            "`wait_for_endpoint` later."
        )


class InferenceError(SageMakerAsyncError):
    """An asynchronous inference did not produce a result."""


class InferenceFailedError(InferenceError):
    """The inference failed: SageMaker wrote an object under the failure path."""

    def __init__(
        self,
        inference_id: str,
        failure_location: str | None,
        failure_body: bytes | None,
    ) -> None:
        self.inference_id = inference_id
        self.failure_location = failure_location
        self.failure_body = failure_body
        super().__init__(inference_id, failure_location, failure_body)

    def __str__(self) -> str:
        body = (self.failure_body or b"").decode("utf-8", "replace").strip()
        if len(body) > 500:
            body = body[:497] + "..."
        where = f" (see {self.failure_location})" if self.failure_location else ""
        return f"Inference {self.inference_id!r} failed{where}: {body or 'no failure body'}"


class InferenceTimeoutError(InferenceError, TimeoutError):
    """No result or failure had landed when the timeout passed."""

    def __init__(
        self,
        inference_id: str,
        output_location: str | None,
        *,
        failure_location: str | None = None,
        pending: tuple[str, ...] = (),
        timeout: float | None = None,
    ) -> None:
        self.inference_id = inference_id
        self.output_location = output_location
        self.failure_location = failure_location
        self.pending: tuple[str, ...] = pending or (inference_id,)
        self.timeout = timeout
        super().__init__(inference_id, output_location)

    def __str__(self) -> str:
        after = f" after {self.timeout:g} s" if self.timeout is not None else ""
        if len(self.pending) > 1:
            shown = ", ".join(repr(i) for i in self.pending[:5])
            more = f" and {len(self.pending) - 5} more" if len(self.pending) > 5 else ""
            return (
                f"{len(self.pending)} inferences had no result{after}: {shown}{more}. "
                "Increase `timeout`; the invocations can still be awaited later."
            )
        return (
            f"Inference {self.inference_id!r} had no result{after} at "
            f"{self.output_location}. Increase `timeout`; the invocation can still be "
            "awaited later."
        )


class SubmissionError(SageMakerAsyncError):
    """Some submissions of ``invoke_many`` failed; the others were accepted.

    Attributes:
        invocations: One entry per body, in order: the ``AsyncInvocation``
            accepted, or None where the submission failed.
        failures: The index of each failed body and its error.
    """

    def __init__(self, invocations: tuple[Any, ...], failures: dict[int, Exception]) -> None:
        self.invocations = invocations
        self.failures = failures
        super().__init__(invocations, failures)

    @property
    def accepted(self) -> tuple[Any, ...]:
        """The invocations that were accepted, in the order of their bodies."""
        return tuple(each for each in self.invocations if each is not None)

    def __str__(self) -> str:
        shown = "; ".join(f"bodies[{i}]: {error}" for i, error in list(self.failures.items())[:3])
        more = f"; and {len(self.failures) - 3} more" if len(self.failures) > 3 else ""
        return (
            f"{len(self.failures)} of {len(self.invocations)} submissions failed ({shown}{more}). "
            f"The {len(self.accepted)} accepted are in `.accepted`; submit the failed "
            "bodies again (their indexes are the keys of `.failures`)."
        )
