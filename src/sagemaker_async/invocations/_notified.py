"""Await many invocations by reading SNS notifications from an SQS queue."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Final

from sagemaker_async.aws import Backoff, is_transient, retrying
from sagemaker_async.errors import ResourceNotFoundError, ServiceError

from ._fetch import LANDING_PATIENCE, Fetcher
from ._pending import PendingResult
from ._polling import Watch, sweep_once, timeout_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from ._messages import Notification
    from ._notifications import NotificationQueue

log = logging.getLogger("sagemaker_async")

_Settling = tuple[PendingResult, "Notification"]

MAX_WAIT: Final = 20
"""SQS's longest long poll."""

CROWDED_PAUSES: Final = Backoff(initial=0.05, maximum=0.5, multiplier=2.0)
"""Pauses after a batch of only others' messages, returned to the queue for their owners:
a consumer of a shared queue gives them time to take them instead of receiving them
again at once (long polling does not wait while messages are visible)."""

STOPPABLE_WAIT_SECONDS: Final = 2
"""The long poll of an await that can be called off (``aresult``): the longest its
worker thread runs on once it is told to stop."""


def _settle(invocation: PendingResult, notification: Notification, body: bytes | None) -> None:
    if notification.completed:
        assert body is not None
        invocation._settle(body)  # pyright: ignore[reportPrivateUsage]
        return
    if body is None and notification.failure_reason is not None:
        body = notification.failure_reason.encode()
    invocation._fail(body)  # pyright: ignore[reportPrivateUsage]


def _expected(item: _Settling) -> bool:
    """Whether the notification says the object to read was written."""
    notification = item[1]
    return notification.completed or notification.failure_location is not None


def missing_output(invocation: PendingResult) -> ResourceNotFoundError:
    """The error for an output that is not there although SageMaker said it completed."""
    return ResourceNotFoundError(
        f"SageMaker notified that inference {invocation.inference_id} completed, but its "
        f"output {invocation.output_location} was still not readable after "
        f"{LANDING_PATIENCE:g} s. The invocation stays pending and its notification is back "
        "in the queue: await it again later, and check that nothing deletes or moves "
        "the outputs.",
        code="NoSuchKey",
        operation="GetObject",
    )


def _bodies(
    found: list[_Settling], fetcher: Fetcher[_Settling]
) -> Iterator[tuple[_Settling, bytes | None]]:
    """Each invocation's body: from the message when included, else from S3, as they arrive."""
    requests: list[tuple[_Settling, S3Client, str]] = []
    for item in found:
        invocation, notification = item
        if notification.body is not None:
            yield item, notification.body
            continue
        location = (
            invocation.output_location if notification.completed else invocation.failure_location
        )
        if location is None:
            yield item, None
        else:
            requests.append((item, invocation.services.s3, location))
    yield from fetcher.fetch(requests, expected=_expected)


def by_notifications(
    pending_list: list[PendingResult],
    queue: NotificationQueue,
    timeout: float | None,
    clock: Callable[[], float],
    start: float,
    stop: threading.Event | None = None,
) -> Iterator[PendingResult]:
    """Yield the invocations as their notifications arrive, until none is pending.

    With *stop*, long polls last at most :data:`STOPPABLE_WAIT_SECONDS`, and once
    it is set the iteration ends after returning to the queue what it received
    but did not hand over.

    Raises:
        InferenceTimeoutError: *timeout* passed first.
        ResourceNotFoundError: An output was not readable for
            :data:`LANDING_PATIENCE` seconds after SageMaker notified it.
    """
    pending = {i.inference_id: i for i in pending_list}
    handed: set[str] = set()
    sleep = pending_list[0].services.sleep if pending_list else None
    stopped = stop.is_set if stop is not None else lambda: False
    fetcher: Fetcher[_Settling] = Fetcher(sleep=sleep, clock=clock, stopped=stopped)
    fetcher.deadline = None if timeout is None else start + timeout
    longest = MAX_WAIT if stop is None else STOPPABLE_WAIT_SECONDS
    next_pause = CROWDED_PAUSES.delays()
    try:
        while pending and not stopped():
            remaining = None if timeout is None else timeout - (clock() - start)
            if remaining is not None and remaining <= 0:
                # A last look in S3 before reporting a timeout: never call late what landed.
                last_look: Fetcher[Watch] = Fetcher(sleep=sleep)
                try:
                    for invocation in sweep_once(pending.values(), last_look):
                        del pending[invocation.inference_id]
                        queue._remember(invocation.inference_id)  # pyright: ignore[reportPrivateUsage]
                        yield invocation
                finally:
                    last_look.close()
                if pending:
                    raise timeout_error(list(pending.values()), timeout)
                return
            wait = longest if remaining is None else min(remaining, longest)
            crowded = yield from _one_batch(queue, pending, handed, fetcher, wait, sleep, stopped)
            if not crowded:
                next_pause = CROWDED_PAUSES.delays()
            elif pending:
                pause = next_pause()
                if timeout is not None:
                    pause = min(pause, max(0.0, timeout - (clock() - start)))
                (sleep or time.sleep)(pause)
    finally:
        fetcher.close()


def _one_batch(
    queue: NotificationQueue,
    pending: dict[str, PendingResult],
    handed: set[str],
    fetcher: Fetcher[_Settling],
    wait: float,
    sleep: Callable[[float], None] | None,
    stopped: Callable[[], bool],
) -> Generator[PendingResult, None, bool]:
    """Receive once, yield what was awaited; True if only others' messages came."""
    try:
        messages = queue.receive(wait)
    except ServiceError as error:
        if not is_transient(error):
            raise
        log.warning("reading notifications failed, will retry: %s", error)
        return False
    if stopped():
        # Called off while receiving: nothing is handed over, so nothing may wait
        # out the visibility timeout before a later await can have it.
        queue._return_now(messages)  # pyright: ignore[reportPrivateUsage]
        return False
    done_handles: list[str] = []
    found: list[_Settling] = []
    receipts: dict[str, list[str]] = {}
    others: list[Notification] = []
    unreadable: list[Notification] = []
    for message in messages:
        inference_id = message.inference_id
        if message.event == "TestNotification" or (inference_id in handed):
            done_handles.append(message.receipt_handle)  # a check, or a duplicate
            continue
        if message.event != "InferenceResult" or inference_id is None:
            unreadable.append(message)
            continue
        if inference_id in receipts:
            receipts[inference_id].append(message.receipt_handle)  # duplicate in one batch
            continue
        invocation = pending.get(inference_id)
        if invocation is None:
            if queue._handed(inference_id):  # pyright: ignore[reportPrivateUsage]
                # A late copy of a result this queue handed over before (SageMaker ran
                # a request twice, or a deletion failed): nobody needs it.
                done_handles.append(message.receipt_handle)
            else:
                others.append(message)  # another consumer's
            continue
        receipts[inference_id] = [message.receipt_handle]
        found.append((invocation, message))
    if others:
        # Back in the queue before anything else, so their owners are not kept waiting.
        queue.release(others)
    # Nobody can use these: deleted (or left for the dead-letter queue), never raised.
    done_handles.extend(queue._setting_aside(unreadable))  # pyright: ignore[reportPrivateUsage]
    unhanded: list[_Settling] = []
    try:
        for item, body in _bodies(found, fetcher):
            invocation, notification = item
            if notification.completed and body is None:
                unhanded.append(item)  # not readable yet: see missing_output
                continue
            _settle(invocation, notification, body)
            del pending[invocation.inference_id]
            handed.add(invocation.inference_id)
            queue._remember(invocation.inference_id)  # pyright: ignore[reportPrivateUsage]
            done_handles.extend(receipts[invocation.inference_id])
            yield invocation
    except ServiceError as error:
        if not is_transient(error):
            raise
        # What was not read stays in the queue and comes back after its visibility timeout.
        log.warning("reading a result failed, will retry: %s", error)
    finally:
        # Delete only what the caller has had (also when it stops iterating); a
        # process that dies first gets the messages again after the visibility timeout.
        if done_handles:
            _delete(queue, done_handles, sleep)
    if unhanded:
        queue._return_now(n for _, n in unhanded)  # pyright: ignore[reportPrivateUsage]
        # Out of time, it is a timeout (after a last look in S3), not a missing output.
        if not stopped() and not fetcher.past_deadline():
            raise missing_output(unhanded[0][0])
    return bool(others) and not found


def _delete(
    queue: NotificationQueue, handles: list[str], sleep: Callable[[float], None] | None
) -> None:
    """Delete handled messages, retrying; those left come back and are deleted as copies."""
    try:
        if sleep is None:
            queue.delete_messages(handles)
        else:
            retrying(lambda: queue.delete_messages(handles), sleep=sleep)
    except ServiceError as error:
        if not is_transient(error):
            raise
        log.warning("could not delete %d notifications (they come back): %s", len(handles), error)
