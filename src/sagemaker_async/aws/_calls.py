"""Turn botocore's exceptions into this library's, by error code and message."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
from botocore.exceptions import (
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
)
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from sagemaker_async.errors import (
    AccessDeniedError,
    ConfigurationError,
    Problem,
    ResourceExistsError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServiceError,
    ValidationError,
)

T = TypeVar("T")

log = logging.getLogger("sagemaker_async")

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
    "ObjectNotFoundException": ResourceNotFoundError,  # Application Auto Scaling
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
    if _OUTCOMES.current is not None:
        _watch(method)
    try:
        return method(**kwargs)
    except ClientError as error:
        raise service_error(error, operation) from error
    except (BotocoreConnectionError, HTTPClientError) as error:
        # botocore's own retries are spent: the network, not AWS, said no.
        raise ServiceError(
            f"{type(error).__name__}: {error}", code="ConnectionError", operation=operation
        ) from error
    except NoCredentialsError as error:
        raise ConfigurationError(
            "credentials",
            "Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run "
            "`aws configure` (or `aws sso login`), or pass a boto3.Session that has them.",
        ) from error
    except ParamValidationError as error:
        # Our models validate first; this catches what slipped past (e.g. a wrong type
        # in an argument that is not a model).
        report = str(error.kwargs.get("report", error))
        raise ValidationError(
            operation, [Problem(operation, "parameters botocore accepts", report)]
        ) from error


# -- the library's own retries ---------------------------------------------------------


@attrs.frozen
class Retries:
    """How often and how patiently a call is retried after botocore's own retries.

    botocore retries a throttled or failed request a few times, then gives up,
    and sooner once its retry quota is spent (a long run of faults spends it).
    The call is then made again, up to *attempts* times, *initial* seconds
    apart at first, doubling up to *maximum*: about two minutes in all.
    """

    attempts: int = 12
    initial: float = 0.5
    maximum: float = 20.0


RETRIES: Final = Retries()


@attrs.define
class Trail:
    """What the requests of one logical call have shown so far."""

    # A request may have taken effect without its answer reaching us.
    unseen: bool = False


class _Outcomes(threading.local):
    """The requests of the call under way on this thread: True for each that may
    have taken effect unseen (the answer was lost, or a 5xx came back)."""

    current: list[bool] | None = None


_OUTCOMES = _Outcomes()
_OBSERVER_ID: Final = "sagemaker-async-outcomes"

# Answers that say the request was turned away before it was handled.
_THROTTLING_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    }
)


def _unseen(exception: BaseException | None, parsed: Mapping[str, Any] | None) -> bool:
    """Whether one request may have taken effect though its caller never learnt of it."""
    if exception is not None:
        # Sent, then the connection dropped or the answer did not come in time.
        # (A botocore ConnectionError means it never reached the service.)
        return isinstance(exception, HTTPClientError)
    response: Mapping[str, Any] = parsed or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
    code = response.get("Error", {}).get("Code")
    return int(status) >= 500 and code not in _THROTTLING_CODES


def _observe(
    exception: BaseException | None = None,
    parsed_response: Mapping[str, Any] | None = None,
    **_: Any,
) -> None:
    """botocore's ``response-received`` hook: note each request of the call under way."""
    outcomes = _OUTCOMES.current
    if outcomes is not None:
        outcomes.append(_unseen(exception, parsed_response))


_WATCHED: weakref.WeakSet[Any] = weakref.WeakSet()
_WATCHING = threading.Lock()


def _watch(method: Callable[..., Any]) -> None:
    """Have the client of *method* report each request it sends (once per client)."""
    meta = getattr(getattr(method, "__self__", None), "meta", None)
    events = getattr(meta, "events", None)
    if events is None or events in _WATCHED:
        return
    with _WATCHING:
        events.register("response-received", _observe, unique_id=_OBSERVER_ID)
        _WATCHED.add(events)


def _retried_unseen(error: ServiceError) -> bool:
    """For a client that reports nothing: whether botocore sent the request more than once."""
    cause = error.__cause__
    if isinstance(cause, HTTPClientError):
        return True
    if isinstance(cause, ClientError):
        metadata: Mapping[str, Any] = cause.response.get("ResponseMetadata", {})
        return int(metadata.get("RetryAttempts", 0)) > 0
    return False


def retrying(
    attempt: Callable[[], T],
    *,
    sleep: Callable[[float], None],
    echo: Callable[[ServiceError], T] | None = None,
    trail: Trail | None = None,
    retries: Retries = RETRIES,
) -> T:
    """Run *attempt* (one API call made through :func:`call`), retrying transient errors.

    Throttling, 5xx and lost connections are retried as :class:`Retries` says,
    pausing on *sleep*; the last one is raised. What retrying cannot change
    (validation, access denied, not found...) is raised at once, unless an
    earlier request of the call may have taken effect unseen (its answer was
    lost): then *echo* decides whether the refusal is that request's doing,
    returning the call's result (a "not found" answering a repeated delete),
    or raises. *trail* carries that knowledge across calls of one operation.
    """
    trail = trail if trail is not None else Trail()
    delay = retries.initial
    for number in range(1, retries.attempts + 1):
        outcomes: list[bool] = []
        outer, _OUTCOMES.current = _OUTCOMES.current, outcomes
        try:
            return attempt()
        except ServiceError as error:
            if not is_transient(error):
                earlier = any(outcomes[:-1]) if outcomes else _retried_unseen(error)
                if echo is None or not (trail.unseen or earlier):
                    raise
                return echo(error)
            trail.unseen = trail.unseen or (any(outcomes) if outcomes else _retried_unseen(error))
            if number == retries.attempts:
                raise
            log.warning(
                "retrying %s in %.1f s (attempt %d of %d): %s",
                error.operation,
                delay,
                number + 1,
                retries.attempts,
                error,
            )
        finally:
            _OUTCOMES.current = outer
        sleep(delay)
        delay = min(delay * 2, retries.maximum)
    raise AssertionError("unreachable")  # pragma: no cover
