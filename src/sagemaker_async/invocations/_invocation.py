"""One asynchronous invocation: where its result or failure will land, and awaiting it."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING, Any

from sagemaker_async.aws import Backoff

from ._awaiting_arguments import check_awaiting
from ._notified import by_notifications
from ._pending import HasServices, PendingResult

if TYPE_CHECKING:
    from ._notifications import NotificationQueue

RESULT_BACKOFF = Backoff(initial=0.1, maximum=2.0, multiplier=1.5)
"""Poll delays of :meth:`AsyncInvocation.result`: 0.1 s at first, growing to 2 s."""


class AsyncInvocation(PendingResult):
    """An invocation submitted with ``invoke_async``, awaited by :meth:`result`.

    It pickles as its inference id and locations only; rebuild one in another
    process with :meth:`AsyncInferenceClient.invocation`, or :meth:`bind` an
    unpickled one to a client (an unbound one uses a default client).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        state = "done" if self._outcome is not None else "pending"
        return (
            f"AsyncInvocation(inference_id={self.inference_id!r}, "
            f"output_location={self.output_location!r}, "
            f"failure_location={self.failure_location!r}) <{state}>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (AsyncInvocation, self._key())

    def bind(self, client: HasServices) -> AsyncInvocation:
        """Return a copy that awaits through *client*."""
        return AsyncInvocation(*self._key(), client=client)

    def done(self) -> bool:
        """Whether the result or failure has landed (one S3 look if not known yet).

        Throttling or a 5xx that outlasts the retries reads as "not yet".
        """
        return self._look()

    def result(
        self,
        timeout: float | None = None,
        *,
        notifications: NotificationQueue | None = None,
    ) -> bytes:
        """Wait for the result and return its bytes.

        Polls S3 (output and failure together) from 0.1 s apart up to 2 s apart,
        or reads *notifications* instead. ``timeout=None`` waits until one lands;
        SageMaker writes a failure for a request whose TTL or invocation timeout
        passes, so with a failure path that wait ends too. ``timeout=0`` looks
        once.

        Raises:
            ValidationError: *timeout* is not None or a finite number of seconds
                from 0 to a week (``nan``, ``inf`` and negatives are refused), or
                *notifications* is not a NotificationQueue.
            InferenceFailedError: SageMaker wrote a failure object.
            InferenceTimeoutError: Nothing landed within *timeout* seconds.
            AccessDeniedError: S3 refused the read (s3:ListBucket or s3:GetObject missing).
            ResourceNotFoundError: A notification said the result was written, yet
                it stayed unreadable for 10 s; the invocation stays pending.
        """
        check_awaiting("AsyncInvocation.result", timeout, notifications)
        if self._outcome is not None:
            return self._deliver()
        if notifications is not None:
            self._notified(timeout, notifications)
            return self._deliver()
        clock, sleep = self.services.clock, self.services.sleep
        start = clock()
        next_delay = RESULT_BACKOFF.delays()
        while not self._look():
            delay = next_delay()
            if timeout is not None:
                remaining = timeout - (clock() - start)
                if remaining <= 0:
                    raise self._timeout(timeout)
                delay = min(delay, remaining)
            sleep(delay)
        return self._deliver()

    async def aresult(
        self,
        timeout: float | None = None,
        *,
        notifications: NotificationQueue | None = None,
    ) -> bytes:
        """Like :meth:`result`, for asyncio: S3 reads run in a worker thread and
        the waits between them are ``asyncio.sleep``, so the event loop never blocks.

        Cancelling it (``asyncio.wait_for``, say) stops the work: with
        *notifications*, the worker thread ends within about 2 s (its long polls
        are that short) and returns what it received to the queue, for a later
        await to have.
        """
        check_awaiting("AsyncInvocation.aresult", timeout, notifications)
        if self._outcome is not None:
            return self._deliver()
        if notifications is not None:
            stop = threading.Event()
            try:
                await asyncio.to_thread(self._notified, timeout, notifications, stop)
            except asyncio.CancelledError:
                stop.set()
                raise
            return self._deliver()
        start = time.monotonic()
        next_delay = RESULT_BACKOFF.delays()
        while not await asyncio.to_thread(self._look):
            delay = next_delay()
            if timeout is not None:
                remaining = timeout - (time.monotonic() - start)
                if remaining <= 0:
                    raise self._timeout(timeout)
                delay = min(delay, remaining)
            await asyncio.sleep(delay)
        return self._deliver()

    def _notified(
        self,
        timeout: float | None,
        notifications: NotificationQueue,
        stop: threading.Event | None = None,
    ) -> None:
        """Read *notifications* until this invocation is settled (or *stop* is set)."""
        clock = self.services.clock
        for _ in by_notifications([self], notifications, timeout, clock, clock(), stop):
            pass
