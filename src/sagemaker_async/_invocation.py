"""One asynchronous invocation: where its result or failure will land, and awaiting it."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from ._s3 import get_object
from ._service_errors import is_transient
from ._waiters import Backoff
from .errors import InferenceFailedError, InferenceTimeoutError, ServiceError

if TYPE_CHECKING:
    from ._client import AsyncInferenceClient
    from ._notifications import NotificationQueue

log = logging.getLogger("sagemaker_async")

RESULT_BACKOFF = Backoff(initial=0.1, maximum=2.0, multiplier=1.5)
"""Poll delays of :meth:`AsyncInvocation.result`: 0.1 s at first, growing to 2 s."""


class AsyncInvocation:
    """An invocation submitted with ``invoke_async``, awaited by :meth:`result`.

    It pickles as its inference id and locations only; rebuild one in another
    process with :meth:`AsyncInferenceClient.invocation`, or :meth:`bind` an
    unpickled one to a client (an unbound one uses a default client).
    """

    __slots__ = ("_client", "_outcome", "failure_location", "inference_id", "output_location")

    def __init__(
        self,
        inference_id: str,
        output_location: str,
        failure_location: str | None = None,
        *,
        client: AsyncInferenceClient | None = None,
    ) -> None:
        self.inference_id = inference_id
        self.output_location = output_location
        self.failure_location = failure_location
        self._client = client
        self._outcome: bytes | InferenceFailedError | None = None

    def __repr__(self) -> str:
        state = "done" if self._outcome is not None else "pending"
        return (
            f"AsyncInvocation(inference_id={self.inference_id!r}, "
            f"output_location={self.output_location!r}, "
            f"failure_location={self.failure_location!r}) <{state}>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncInvocation):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, str, str | None]:
        return (self.inference_id, self.output_location, self.failure_location)

    def __reduce__(self) -> tuple[Any, ...]:
        return (AsyncInvocation, self._key())

    @property
    def client(self) -> AsyncInferenceClient:
        """The client this invocation reads S3 with."""
        if self._client is None:
            from ._client import AsyncInferenceClient

            self._client = AsyncInferenceClient()
        return self._client

    def bind(self, client: AsyncInferenceClient) -> AsyncInvocation:
        """Return a copy that awaits through *client*."""
        return AsyncInvocation(*self._key(), client=client)

    # -- outcome ------------------------------------------------------------------------

    def _settle(self, outcome: bytes | InferenceFailedError) -> None:
        self._outcome = outcome

    def _fail(self, body: bytes | None) -> None:
        self._settle(InferenceFailedError(self.inference_id, self.failure_location, body))

    def _poll(self) -> bool:
        """One look at S3: output first, then failure. True once either has landed."""
        if self._outcome is not None:
            return True
        s3 = self.client.s3
        body = get_object(s3, self.output_location)
        if body is not None:
            self._settle(body)
            return True
        if self.failure_location is not None:
            failure = get_object(s3, self.failure_location)
            if failure is not None:
                self._fail(failure)
                return True
        return False

    def _look(self) -> bool:
        """:meth:`_poll`, taking throttling or a 5xx as "not yet" (retried at the next poll)."""
        try:
            return self._poll()
        except ServiceError as error:
            if not is_transient(error):
                raise
            log.warning("polling for %s failed, will retry: %s", self.inference_id, error)
            return False

    def _deliver(self) -> bytes:
        outcome = self._outcome
        if isinstance(outcome, InferenceFailedError):
            raise outcome
        assert outcome is not None
        return outcome

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
        passes, so with a failure path that wait ends too.

        Raises:
            InferenceFailedError: SageMaker wrote a failure object.
            InferenceTimeoutError: Nothing landed within *timeout* seconds.
            AccessDeniedError: S3 refused the read (s3:ListBucket or s3:GetObject missing).
        """
        if self._outcome is not None:
            return self._deliver()
        if notifications is not None:
            from ._awaiting import wait_all

            wait_all([self], timeout=timeout, notifications=notifications)
            return self._deliver()
        client = self.client
        clock, sleep = client._clock, client._sleep  # pyright: ignore[reportPrivateUsage]
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
        the waits between them are ``asyncio.sleep``, so the event loop never blocks."""
        if self._outcome is not None:
            return self._deliver()
        if notifications is not None:
            return await asyncio.to_thread(self.result, timeout, notifications=notifications)
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

    def _timeout(self, timeout: float) -> InferenceTimeoutError:
        return InferenceTimeoutError(
            self.inference_id,
            self.output_location,
            failure_location=self.failure_location,
            timeout=timeout,
        )
