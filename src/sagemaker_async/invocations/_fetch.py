"""Read many S3 objects at once, handing each over as soon as it arrives."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from sagemaker_async.aws import Retries, retrying
from sagemaker_async.aws._s3 import get_object

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

FETCH_WORKERS = 8
"""Concurrent GETs while awaiting many results: S3 answers each in tens of milliseconds."""

FETCH_RETRIES: Final = Retries(attempts=4, initial=0.1, maximum=0.5)
"""A GET that fails after botocore's retries is made again for under a second: a
result that has landed is read now, not at the next sweep or redelivery."""


class Fetcher(Generic[T]):
    """GETs objects, several at a time; the worker threads end with :meth:`close`.

    With *sleep*, a GET failing with throttling, a 5xx or a lost connection is
    retried (see :data:`FETCH_RETRIES`), pausing on *sleep*.
    """

    def __init__(
        self, workers: int = FETCH_WORKERS, sleep: Callable[[float], None] | None = None
    ) -> None:
        self._workers = workers
        self._sleep = sleep
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def _get(self, s3: S3Client, uri: str) -> bytes | None:
        sleep = self._sleep
        if sleep is None:
            return get_object(s3, uri)
        return retrying(lambda: get_object(s3, uri), sleep=sleep, retries=FETCH_RETRIES)

    def fetch(self, items: Sequence[tuple[T, S3Client, str]]) -> Iterator[tuple[T, bytes | None]]:
        """Each item's tag and body (None if missing), in the order they arrive."""
        if len(items) <= 1 or self._workers <= 1:
            for tag, s3, uri in items:
                yield tag, self._get(s3, uri)
            return
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(
                self._workers, thread_name_prefix="sagemaker-async-fetch"
            )
        futures = {self._pool.submit(self._get, s3, uri): tag for tag, s3, uri in items}
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
