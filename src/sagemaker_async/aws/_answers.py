"""Reading an AWS answer into a model, blaming the service (not the caller) when it is odd."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from sagemaker_async.errors import ServiceError, ValidationError
from sagemaker_async.serialization import from_response

T = TypeVar("T")


def _request_id(response: Mapping[str, Any]) -> str | None:
    metadata: object = response.get("ResponseMetadata")
    if not isinstance(metadata, Mapping):
        return None
    found = cast(Mapping[str, object], metadata).get("RequestId")
    return found if isinstance(found, str) else None


def read_answer(cls: type[T], response: Mapping[str, Any], operation: str) -> T:
    """Build *cls* from *operation*'s answer.

    Raises:
        ServiceError: The answer misses a field or has one of the wrong type (code
            ``MalformedResponse``): the service answered what it never answers.
    """
    try:
        return from_response(cls, response)
    except (ValidationError, TypeError, ValueError, KeyError) as error:
        odd = (
            "; ".join(str(problem) for problem in error.problems)
            if isinstance(error, ValidationError)
            else f"{type(error).__name__}: {error}"
        )
        raise ServiceError(
            f"the service answered what it never answers, so it cannot be read as "
            f"{cls.__name__} ({odd}). Retry; if it persists, report the request id.",
            code="MalformedResponse",
            operation=operation,
            request_id=_request_id(response),
        ) from error
