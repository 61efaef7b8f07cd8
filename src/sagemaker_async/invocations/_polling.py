"""Await many invocations by polling S3: list the prefixes, fetch what landed.

A sweep lists the output and failure prefixes (``ListObjectsV2``, narrowed to
the common prefix of the awaited keys: ids from one client share a random
prefix), so it costs a page per prefix, not a request per invocation. Where
fewer objects are awaited than a listing takes pages, it probes them directly.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from sagemaker_async.aws import Backoff, is_transient
from sagemaker_async.aws._s3 import list_keys
from sagemaker_async.errors import InferenceTimeoutError, ServiceError
from sagemaker_async.models import split_s3_uri

from ._fetch import Fetcher
from ._pending import PendingResult

log = logging.getLogger("sagemaker_async")

AWAIT_BACKOFF = Backoff(initial=0.1, maximum=0.15, multiplier=1.5)
"""Delays between S3 polls of :func:`as_completed`: a quick first look, then every 0.15 s."""

Watch = tuple[str, PendingResult, bool]
"""What a sweep looks for: a key, its invocation, whether it is the failure object."""


class Poller:
    """Looks for every pending invocation's output and failure in one sweep."""

    def __init__(self, fetcher: Fetcher[Watch]) -> None:
        self._fetcher = fetcher
        # Pages the last listing of each prefix took: the cost of listing it again.
        self._pages: dict[tuple[str, str], int] = {}

    def _present(self, bucket: str, watches: list[Watch]) -> list[Watch]:
        """The watched keys that exist, oldest first; all of them when probing is cheaper."""
        # Character by character on purpose: ids share a prefix, not a folder.
        prefix = os.path.commonprefix([key for key, _, _ in watches])  # noqa: RUF071
        if self._pages.get((bucket, prefix), 1) >= len(watches):
            return watches
        keys, self._pages[(bucket, prefix)] = list_keys(watches[0][1].services.s3, bucket, prefix)
        present = [watch for watch in watches if watch[0] in keys]
        present.sort(key=lambda watch: keys[watch[0]])
        return present

    def sweep(self, pending: Iterable[PendingResult]) -> Iterator[PendingResult]:
        """Settle and yield each pending invocation whose output or failure has landed."""
        groups: dict[tuple[str, str], list[Watch]] = defaultdict(list)
        for invocation in pending:
            for location, failure in (
                (invocation.output_location, False),
                (invocation.failure_location, True),
            ):
                if location is not None:
                    bucket, key = split_s3_uri(location)
                    groups[(bucket, key.rpartition("/")[0])].append((key, invocation, failure))
        for (bucket, _directory), watches in groups.items():
            present = self._present(bucket, watches)
            requests = [
                (watch, watch[1].services.s3, f"s3://{bucket}/{watch[0]}") for watch in present
            ]
            for (_key, invocation, failure), body in self._fetcher.fetch(requests):
                if body is None or invocation._outcome is not None:  # pyright: ignore[reportPrivateUsage]
                    continue  # not there; or the output and the failure both landed
                if failure:
                    invocation._fail(body)  # pyright: ignore[reportPrivateUsage]
                else:
                    invocation._settle(body)  # pyright: ignore[reportPrivateUsage]
                yield invocation


def sweep_once(
    pending: Iterable[PendingResult], fetcher: Fetcher[Watch]
) -> Iterator[PendingResult]:
    """One sweep; throttling and 5xx end it early (logged), other errors are raised."""
    try:
        yield from Poller(fetcher).sweep(list(pending))
    except ServiceError as error:
        if not is_transient(error):
            raise
        log.warning("polling S3 for results failed, will retry: %s", error)


def timeout_error(pending: list[PendingResult], timeout: float | None) -> InferenceTimeoutError:
    """The error naming every invocation still pending."""
    first = pending[0]
    return InferenceTimeoutError(
        first.inference_id,
        first.output_location,
        failure_location=first.failure_location,
        pending=tuple(i.inference_id for i in pending),
        timeout=timeout,
    )


def by_polling(
    pending_list: list[PendingResult],
    timeout: float | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    start: float,
) -> Iterator[PendingResult]:
    """Yield the invocations as sweeps find them, until none is pending."""
    pending = dict.fromkeys(pending_list)
    fetcher: Fetcher[Watch] = Fetcher(sleep=sleep)
    poller = Poller(fetcher)
    next_delay = AWAIT_BACKOFF.delays()
    try:
        while pending:
            try:
                for invocation in poller.sweep(list(pending)):
                    del pending[invocation]
                    yield invocation
            except ServiceError as error:
                if not is_transient(error):
                    raise
                log.warning("polling S3 for results failed, will retry: %s", error)
            if not pending:
                return
            # No reset when results land: a listing costs the same for one result
            # or a hundred, so a steady stream is cheapest read at the longest delay.
            delay = next_delay()
            if timeout is not None:
                remaining = timeout - (clock() - start)
                if remaining <= 0:
                    raise timeout_error(list(pending), timeout)
                delay = min(delay, remaining)
            sleep(delay)
    finally:
        fetcher.close()
