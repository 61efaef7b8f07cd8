"""Read many S3 objects at once, handing each over as soon as it arrives."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from sagemaker_async.aws import Backoff, Retries, retrying
from sagemaker_async.aws._s3 import get_object

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

FETCH_WORKERS = 8
"""Concurrent GETs while awaiting many results: S3 answers each in tens of milliseconds."""

FETCH_RETRIES: Final = Retries(attempts=4, initial=0.1, maximum=0.5)
"""A GET that fails after botocore's retries is made again for under a second: a
result that has landed is read now, not at the next sweep or redelivery."""

LANDING_PATIENCE: Final = 10.0
"""Seconds an object that a notification says is written is read again until it is
there: S3 need not show an object at once to every reader once SageMaker notifies."""

LANDING_BACKOFF: Final = Backoff(initial=0.1, maximum=2.0, multiplier=2.0)
"""Pauses between those reads: 0.1 s, doubling up to 2 s (about a dozen reads in all)."""


class Fetcher(Generic[T]):
    """GETs objects, several at a time; the worker threads end with :meth:`close`.

    With *sleep*, a GET failing with throttling, a 5xx or a lost connection is
    retried (see :data:`FETCH_RETRIES`), pausing on *sleep*. An object expected
    to be there is read again while missing, for up to :data:`LANDING_PATIENCE`
    seconds of *clock* (never past :attr:`deadline`, the caller's timeout),
    unless *stopped* says the work is called off.
    """

    deadline: float | None = None
    """The *clock* time at which the caller stops waiting; None: no limit."""

    def __init__(
        self,
        workers: int = FETCH_WORKERS,
        sleep: Callable[[float], None] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        stopped: Callable[[], bool] = lambda: False,
    ) -> None:
        self._workers = workers
        self._sleep = sleep
        self._clock = clock
        self._stopped = stopped
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def _get_once(self, s3: S3Client, uri: str) -> bytes | None:
        sleep = self._sleep
        if sleep is None:
            return get_object(s3, uri)
        return retrying(lambda: get_object(s3, uri), sleep=sleep, retries=FETCH_RETRIES)

    def _get(self, s3: S3Client, uri: str, expected: bool) -> bytes | None:
        body = self._get_once(s3, uri)
        if body is not None or not expected:
            return body
        sleep = self._sleep or time.sleep
        deadline = self._clock() + LANDING_PATIENCE
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        next_delay = LANDING_BACKOFF.delays()
        while body is None and not self._stopped():
            remaining = deadline - self._clock()
            if remaining <= 0:
                break
            sleep(min(next_delay(), remaining))
            body = self._get_once(s3, uri)
        return body

    def past_deadline(self) -> bool:
        """Whether the caller's timeout has passed."""
        return self.deadline is not None and self._clock() >= self.deadline

    def fetch(
        self,
        items: Sequence[tuple[T, S3Client, str]],
        *,
        expected: Callable[[T], bool] = lambda _: False,
    ) -> Iterator[tuple[T, bytes | None]]:
        """Each item's tag and body (None if missing), in the order they arrive.

        An item whose tag is *expected* is read again while missing (see the class).
        """
        if len(items) <= 1 or self._workers <= 1:
            for tag, s3, uri in items:
                yield tag, self._get(s3, uri, expected(tag))
            return
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(
                self._workers, thread_name_prefix="sagemaker-async-fetch"
            )
        futures = {
            self._pool.submit(self._get, s3, uri, expected(tag)): tag for tag, s3, uri in items
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        """Stop the worker threads, waiting for GETs under way."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
