"""A result not yet known: where it will land, one look at S3, and the outcome once seen.

The awaiting strategies (polling, notifications) settle these; the public
:class:`~sagemaker_async.AsyncInvocation` builds on it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sagemaker_async.aws import Services, get_object, is_transient
from sagemaker_async.errors import InferenceFailedError, InferenceTimeoutError, ServiceError

log = logging.getLogger("sagemaker_async")


class HasServices(Protocol):
    """Anything that carries the AWS clients to read results with (a client, say)."""

    @property
    def services(self) -> Services: ...


class PendingResult:
    """The locations of one invocation's output and failure, and its outcome once seen."""

    __slots__ = ("_outcome", "_services", "failure_location", "inference_id", "output_location")

    def __init__(
        self,
        inference_id: str,
        output_location: str,
        failure_location: str | None = None,
        *,
        client: HasServices | None = None,
    ) -> None:
        self.inference_id = inference_id
        self.output_location = output_location
        self.failure_location = failure_location
        self._services = None if client is None else client.services
        self._outcome: bytes | InferenceFailedError | None = None

    @property
    def services(self) -> Services:
        """The AWS clients, clock and sleep this invocation awaits with."""
        if self._services is None:
            # Unbound (unpickled, say): the default session's clients.
            self._services = Services()
        return self._services

    def _key(self) -> tuple[str, str, str | None]:
        return (self.inference_id, self.output_location, self.failure_location)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PendingResult):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    # -- outcome ------------------------------------------------------------------------

    def _settle(self, outcome: bytes | InferenceFailedError) -> None:
        self._outcome = outcome

    def _fail(self, body: bytes | None) -> None:
        self._settle(InferenceFailedError(self.inference_id, self.failure_location, body))

    def _poll(self) -> bool:
        """One look at S3: output first, then failure. True once either has landed."""
        if self._outcome is not None:
            return True
        s3 = self.services.s3
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

    def _timeout(self, timeout: float) -> InferenceTimeoutError:
        return InferenceTimeoutError(
            self.inference_id,
            self.output_location,
            failure_location=self.failure_location,
            timeout=timeout,
        )
