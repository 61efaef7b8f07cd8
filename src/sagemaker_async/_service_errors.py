"""Turn botocore's exceptions into this library's, by error code and message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from .errors import (
    AccessDeniedError,
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
    ValidationError,
)

T = TypeVar("T")

_BY_CODE: Final[Mapping[str, type[ServiceError]]] = {
    "AccessDenied": AccessDeniedError,
    "AccessDeniedException": AccessDeniedError,
    "AuthorizationError": AccessDeniedError,
    "Forbidden": AccessDeniedError,
    "403": AccessDeniedError,
    "UnauthorizedOperation": AccessDeniedError,
    "ResourceNotFound": ResourceNotFoundError,
    "ResourceNotFoundException": ResourceNotFoundError,
    "NoSuchKey": ResourceNotFoundError,
    "NoSuchBucket": ResourceNotFoundError,
    "NotFound": ResourceNotFoundError,
    "404": ResourceNotFoundError,
    "NotFoundException": ResourceNotFoundError,
    "AWS.SimpleQueueService.NonExistentQueue": ResourceNotFoundError,
    "QueueDoesNotExist": ResourceNotFoundError,
    "ResourceInUse": ResourceInUseError,
    "ResourceInUseException": ResourceInUseError,
    "ConflictException": ResourceInUseError,
}

# SageMaker reports most of these as a ValidationException; the message tells which.
_BY_MESSAGE: Final[tuple[tuple[str, type[ServiceError]], ...]] = (
    ("Could not find", ResourceNotFoundError),
    # InvokeEndpointAsync: "Endpoint <name> of account <account> not found."
    ("not found", ResourceNotFoundError),
    ("Cannot create already existing", ResourceExistsError),
    ("already exists", ResourceExistsError),
    ("Cannot update in-progress", ResourceInUseError),
    ("in-progress", ResourceInUseError),
)


def service_error(error: ClientError, operation: str | None = None) -> ServiceError:
    """The :class:`ServiceError` subclass for a botocore ``ClientError``."""
    response: Mapping[str, Any] = error.response
    details: Mapping[str, Any] = response.get("Error", {})
    code = str(details.get("Code") or "Unknown")
    message = str(details.get("Message") or code)
    metadata: Mapping[str, Any] = response.get("ResponseMetadata", {})
    request_id = metadata.get("RequestId")
    kind = _BY_CODE.get(code)
    if kind is None and code in ("ValidationException", "ValidationError"):
        kind = next((cls for text, cls in _BY_MESSAGE if text in message), None)
    kind = kind or ServiceError
    return kind(
        message,
        code=code,
        operation=operation or error.operation_name or "unknown",
        request_id=str(request_id) if request_id else None,
    )


_TRANSIENT_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "InternalFailure",
        "InternalError",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
        "ConnectionError",
        "500",
        "502",
        "503",
        "504",
    }
)


def is_transient(error: ServiceError) -> bool:
    """Whether asking again may succeed: throttling, a 5xx, a lost connection.

    Validation, access denied and not found never are, so they are never retried.
    """
    return type(error) is ServiceError and error.code in _TRANSIENT_CODES


def is_missing_config(error: ServiceError) -> bool:
    """Whether *error* is SageMaker not (yet) seeing an endpoint configuration."""
    return (
        isinstance(error, ResourceNotFoundError)
        and "Could not find endpoint configuration" in error.message
    )


def call(operation: str, method: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a boto3 *method*, raising this library's exceptions instead of botocore's."""
    try:
        return method(**kwargs)
    except ClientError as error:
        raise service_error(error, operation) from error
    except (BotocoreConnectionError, HTTPClientError) as error:
        # botocore's own retries are spent: the network, not AWS, said no.
        raise ServiceError(
            f"{type(error).__name__}: {error}", code="ConnectionError", operation=operation
        ) from error
    except ParamValidationError as error:
        # Our models validate first; this catches what slipped past (e.g. a wrong type
        # in an argument that is not a model).
        report = str(error.kwargs.get("report", error))
        raise ValidationError(
            operation, [Problem(operation, "parameters botocore accepts", report)]
        ) from error
