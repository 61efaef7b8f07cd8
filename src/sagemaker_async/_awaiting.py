"""Await many invocations: by listing S3 prefixes, or by reading notifications.

Polling S3 lists the output and failure prefixes (``ListObjectsV2``, narrowed
to the common prefix of the awaited keys) and fetches only what landed, so a
poll costs a page per prefix, not a request per invocation. Where fewer
objects are awaited than a listing takes pages, it probes them directly.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ._constraints import split_s3_uri
from ._invocation import AsyncInvocation
from ._s3 import get_object, list_keys
from ._service_errors import is_transient
from ._waiters import Backoff
from .errors import InferenceTimeoutError, ServiceError

if TYPE_CHECKING:
    from ._notifications import Notification, NotificationQueue

log = logging.getLogger("sagemaker_async")

AWAIT_BACKOFF = Backoff(initial=0.1, maximum=0.5, multiplier=1.5)
"""Delays between S3 polls of :func:`as_completed`; back to 0.1 s whenever a result lands."""

_Watch = tuple[str, str, AsyncInvocation, bool]  # bucket, key, invocation, is failure


class _Poller:
    """Looks for every pending invocation's output and failure in one sweep."""

    def __init__(self) -> None:
        # Pages the last listing of each prefix took: the cost of listing it again.
        self._pages: dict[tuple[str, str], int] = {}

    def sweep(self, pending: Iterable[AsyncInvocation], landed: list[AsyncInvocation]) -> None:
        """Settle whatever has landed, appending each to *landed* as it settles.

        Appending as it goes means an error part-way loses nothing already read.
        """
        groups: dict[tuple[str, str], list[_Watch]] = defaultdict(list)
        for invocation in pending:
            for location, failure in (
                (invocation.output_location, False),
                (invocation.failure_location, True),
            ):
                if location is None:
                    continue
                bucket, key = split_s3_uri(location)
                groups[(bucket, key.rpartition("/")[0])].append((bucket, key, invocation, failure))
        for (bucket, _directory), watches in groups.items():
            # Character by character on purpose: ids share a prefix, not a folder.
            prefix = os.path.commonprefix([key for _, key, _, _ in watches])  # noqa: RUF071
            cost = self._pages.get((bucket, prefix), 1)
            if cost < len(watches):
                keys, pages = list_keys(watches[0][2].client.s3, bucket, prefix)
                self._pages[(bucket, prefix)] = pages
                present = [w for w in watches if w[1] in keys]
            else:
                present = watches
            for _bucket, _key, invocation, failure in present:
                if invocation._outcome is not None:  # pyright: ignore[reportPrivateUsage]
                    continue  # the output and the failure both landed: the first one wins
                location = invocation.failure_location if failure else invocation.output_location
                assert location is not None
                body = get_object(invocation.client.s3, location)
                if body is None:
                    continue
                if failure:
                    invocation._fail(body)  # pyright: ignore[reportPrivateUsage]
                else:
                    invocation._settle(body)  # pyright: ignore[reportPrivateUsage]
                landed.append(invocation)


def _sweep(
    poller: _Poller, pending: Iterable[AsyncInvocation]
) -> tuple[list[AsyncInvocation], ServiceError | None]:
    """What one sweep settled, and the error that cut it short (transient ones logged)."""
    landed: list[AsyncInvocation] = []
    try:
        poller.sweep(pending, landed)
    except ServiceError as error:
        if not is_transient(error):
            return landed, error
        log.warning("polling S3 for results failed, will retry: %s", error)
    return landed, None


def _timeout_error(pending: list[AsyncInvocation], timeout: float | None) -> InferenceTimeoutError:
    first = pending[0]
    return InferenceTimeoutError(
        first.inference_id,
        first.output_location,
        failure_location=first.failure_location,
        pending=tuple(i.inference_id for i in pending),
        timeout=timeout,
    )


def _settle_from(notification: Notification, invocation: AsyncInvocation) -> None:
    body = notification.body
    if notification.completed:
        if body is None:
            body = get_object(invocation.client.s3, invocation.output_location)
        if body is not None:
            invocation._settle(body)  # pyright: ignore[reportPrivateUsage]
            return
    location = invocation.failure_location
    if body is None and location is not None:
        body = get_object(invocation.client.s3, location)
    if body is None and notification.failure_reason is not None:
        body = notification.failure_reason.encode()
    invocation._fail(body)  # pyright: ignore[reportPrivateUsage]


def as_completed(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
) -> Iterator[AsyncInvocation]:
    """Yield each invocation once its output or failure has landed.

    Each is yielded once (duplicates in *invocations* too), and its ``result()``
    then returns or raises at once, with no further request. Without
    *notifications*, S3 is polled every 0.1 to 0.5 s by listing prefixes; with
    them, SQS is long-polled and S3 read only for the bodies.

    Raises:
        InferenceTimeoutError: *timeout* seconds passed first; ``pending`` names
            the inference ids still awaited (they can be awaited again).
    """
    unique = list(dict.fromkeys(invocations))
    if not unique:
        return
    client = unique[0].client
    clock: Callable[[], float] = client._clock  # pyright: ignore[reportPrivateUsage]
    sleep: Callable[[float], None] = client._sleep  # pyright: ignore[reportPrivateUsage]
    start = clock()
    pending = {i: None for i in unique if i._outcome is None}  # pyright: ignore[reportPrivateUsage]
    for invocation in unique:
        if invocation not in pending:
            yield invocation
    if notifications is None:
        yield from _by_polling(list(pending), timeout, clock, sleep, start)
    else:
        yield from _by_notifications(list(pending), notifications, timeout, clock, start)


def _remaining(timeout: float | None, clock: Callable[[], float], start: float) -> float | None:
    return None if timeout is None else timeout - (clock() - start)


def _by_polling(
    pending_list: list[AsyncInvocation],
    timeout: float | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    start: float,
) -> Iterator[AsyncInvocation]:
    pending = dict.fromkeys(pending_list)
    poller = _Poller()
    next_delay = AWAIT_BACKOFF.delays()
    while pending:
        landed, error = _sweep(poller, pending)
        for invocation in landed:
            del pending[invocation]
            yield invocation
        if error is not None:
            raise error
        if not pending:
            return
        if landed:
            next_delay = AWAIT_BACKOFF.delays()
        delay = next_delay()
        remaining = _remaining(timeout, clock, start)
        if remaining is not None:
            if remaining <= 0:
                raise _timeout_error(list(pending), timeout)
            delay = min(delay, remaining)
        sleep(delay)


def _by_notifications(
    pending_list: list[AsyncInvocation],
    queue: NotificationQueue,
    timeout: float | None,
    clock: Callable[[], float],
    start: float,
) -> Iterator[AsyncInvocation]:
    pending = {i.inference_id: i for i in pending_list}
    handed: dict[str, AsyncInvocation] = {}
    while pending:
        remaining = _remaining(timeout, clock, start)
        if remaining is not None and remaining <= 0:
            # A last look in S3 before reporting a timeout: never call late what landed.
            landed, error = _sweep(_Poller(), pending.values())
            for invocation in landed:
                del pending[invocation.inference_id]
                yield invocation
            if error is not None:
                raise error
            if pending:
                raise _timeout_error(list(pending.values()), timeout)
            return
        wait = 20.0 if remaining is None else remaining
        try:
            messages = queue.receive(wait)
        except ServiceError as error:
            if not is_transient(error):
                raise
            log.warning("reading notifications failed, will retry: %s", error)
            continue
        ready: list[tuple[AsyncInvocation, str]] = []
        done_handles: list[str] = []
        for message in messages:
            if message.event == "TestNotification":
                done_handles.append(message.receipt_handle)
                continue
            inference_id = message.inference_id
            if message.event != "InferenceResult" or inference_id is None:
                log.warning("ignoring a notification that is not an inference result")
                continue
            if inference_id in handed:
                done_handles.append(message.receipt_handle)  # a duplicate delivery
                continue
            found = pending.get(inference_id)
            if found is None:
                continue  # another consumer's: leave it in the queue
            try:
                _settle_from(message, found)
            except ServiceError as error:
                if not is_transient(error):
                    raise
                # The message stays in the queue and comes back after its visibility timeout.
                log.warning("reading result %s failed, will retry: %s", inference_id, error)
                continue
            del pending[inference_id]
            handed[inference_id] = found
            ready.append((found, message.receipt_handle))
        try:
            for invocation, handle in ready:
                done_handles.append(handle)
                yield invocation
        finally:
            # Delete only what the caller has had (also when it stops iterating);
            # a process that dies first gets the messages again after the
            # visibility timeout.
            if done_handles:
                queue.delete(done_handles)


def wait_all(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
) -> tuple[AsyncInvocation, ...]:
    """Return the invocations, in the order given, once every one is done.

    Raises:
        InferenceTimeoutError: *timeout* passed first; ``pending`` names the rest.
    """
    given = tuple(invocations)
    for _ in as_completed(given, timeout=timeout, notifications=notifications):
        pass
    return given
