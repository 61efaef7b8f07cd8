"""Submitting many invocations at once: every request checked first, then a bounded pool."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, cast

from sagemaker_async.errors import Problem, SubmissionError, ValidationError

from ._invocation import AsyncInvocation
from ._request import Body, InvokeRequest
from ._submit import Submitter

MAX_CONCURRENCY: Final = 256
"""The most submissions ``invoke_many`` runs at once."""

_OPTIONS: Final = frozenset(
    {
        "content_type",
        "accept",
        "custom_attributes",
        "request_ttl_seconds",
        "invocation_timeout_seconds",
        "output_path_extension",
        "inline",
    }
)


def requests(
    endpoint_name: str, bodies: Iterable[Body], concurrency: object, options: dict[str, Any]
) -> tuple[InvokeRequest, ...]:
    """One checked request per body; every problem of every argument in one error.

    A ``str`` starting with ``s3://`` is the input location of an object already
    in S3; any other body is a payload.
    """
    subject = "invoke_many"
    problems: list[Problem] = []
    if (
        not isinstance(concurrency, int)
        or isinstance(concurrency, bool)
        or not 1 <= concurrency <= MAX_CONCURRENCY
    ):
        problems.append(Problem("concurrency", f"an int from 1 to {MAX_CONCURRENCY}", concurrency))
    for key in sorted(set(options) - _OPTIONS):
        expected = f"one of the keywords {', '.join(sorted(_OPTIONS))}"
        if key == "inference_id":
            expected = "no inference_id (each invocation gets its own)"
        problems.append(Problem(key, expected, options[key]))
    given = cast(object, bodies)  # callers without a type checker pass anything
    if isinstance(given, str | bytes | bytearray) or not isinstance(given, Iterable):
        problems.append(Problem("bodies", "an iterable of bodies, not one body", bodies))
        bodies = ()
    built: list[InvokeRequest] = []
    allowed = {key: value for key, value in options.items() if key in _OPTIONS}
    for index, body in enumerate(bodies):
        location = body if isinstance(body, str) and body.startswith("s3://") else None
        try:
            built.append(
                InvokeRequest(
                    endpoint_name=endpoint_name,
                    body=None if location is not None else body,
                    input_location=location,
                    **allowed,
                )
            )
        except ValidationError as error:
            for problem in error.problems:
                if problem.path == "endpoint_name":
                    if index == 0:
                        problems.append(problem)
                    continue
                problems.append(problem.prefixed(f"bodies[{index}]"))
    if problems:
        raise ValidationError(subject, problems)
    return tuple(built)


def invoke_many(
    submitter: Submitter,
    endpoint_name: str,
    bodies: Iterable[Body],
    *,
    concurrency: int,
    options: dict[str, Any],
) -> tuple[AsyncInvocation, ...]:
    """Check every request, then submit them with at most *concurrency* in flight.

    The order of *bodies* is kept. A submission that fails does not stop the
    others: once all were tried, a :class:`SubmissionError` carries the
    invocations accepted and the errors.
    """
    checked = requests(endpoint_name, bodies, concurrency, options)
    if not checked:
        return ()
    return _submit_all(submitter, checked, concurrency)


def _submit_all(
    submitter: Submitter, requests: tuple[InvokeRequest, ...], concurrency: int
) -> tuple[AsyncInvocation, ...]:
    # Clients and the endpoint's input prefix are built lazily: build them once
    # here, not in several threads at the same time.
    submitter.prepare(requests[0])
    results: list[AsyncInvocation | None] = [None] * len(requests)
    failures: dict[int, Exception] = {}

    def submit(index: int) -> None:
        try:
            results[index] = submitter.invoke(requests[index], None)
        except Exception as error:
            # Kept for the caller, so that one failure does not lose the others' work.
            failures[index] = error

    workers = min(concurrency, len(requests))
    if workers == 1:
        for index in range(len(requests)):
            submit(index)
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="sagemaker-async-invoke") as pool:
            for future in [pool.submit(submit, index) for index in range(len(requests))]:
                future.result()
    if failures:
        raise SubmissionError(tuple(results), dict(sorted(failures.items())))
    return tuple(result for result in results if result is not None)
