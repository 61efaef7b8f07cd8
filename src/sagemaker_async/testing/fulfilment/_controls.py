"""The simulator's fulfilment knobs: the model, result timing, S3 reads, notification queues."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sagemaker_async.testing._handler import Handler, Latency

    from ._fulfilment import Fulfilment


class FulfilmentControls:
    """The part of :class:`SageMakerSimulator` that answers invocations."""

    _fulfilment: Fulfilment
    _denied_reads: set[str]
    _queues: int

    def _running(self) -> bool:
        raise NotImplementedError

    def client(self, service_name: str, **kwargs: Any) -> Any:
        raise NotImplementedError

    def set_handler(
        self,
        handler: Handler,
        *,
        endpoint_name: str | None = None,
        latency: Latency | None = None,
    ) -> None:
        """Answer invocations of *endpoint_name* (None: of every other endpoint) with *handler*.

        ``handler(body, content_type) -> bytes`` gets the request payload (read
        from ``InputLocation``, or the inline ``Body``) and returns the result,
        written to the output location; an exception is a failed inference: its
        text (``"ModelError: <message>"``) is written to the failure location.
        Handlers run with the simulator's lock held: they must not call AWS
        through the simulator.

        Args:
            handler: The model.
            endpoint_name: The endpoint it serves; None sets the default.
            latency: Seconds from the call to the result on :attr:`clock`, or a
                function drawing them per invocation; None keeps the default
                latency (for an endpoint) or the current one (for the default).

        Raises:
            ValueError: *latency* is a negative number.
        """
        self._fulfilment.set_handler(handler, endpoint_name, latency)

    @contextlib.contextmanager
    def holding_results(self) -> Generator[None, None, None]:
        """Hold back the results of invocations accepted inside the block.

        When the block ends, each lands its latency after that moment: submit a
        batch, then watch its results land as the latencies say.

        Example::

            sim.set_handler(score, latency=lambda: random.uniform(0, 10))
            with sim.holding_results():
                invocations = [client.invoke_async("e", row) for row in rows]
            # results now land over the next 10 s
        """
        self._fulfilment.hold()
        try:
            yield
        finally:
            self._fulfilment.release()

    def pending_invocations(self) -> int:
        """How many accepted invocations have not landed yet (due ones land first)."""
        if self._running():
            self._fulfilment.pump()
        return self._fulfilment.pending()

    @property
    def landed(self) -> dict[str, float]:
        """Each object an invocation wrote (output or failure URI), with the clock time
        it was due: subtract it from when a caller received the result to measure
        the delay. A copy; kept after the simulator stops."""
        if self._running():
            self._fulfilment.pump()
        return self._fulfilment.landed()

    def deny_s3_reads(self, bucket: str) -> None:
        """GetObject, HeadObject and ListObjectsV2 on *bucket* answer 403 AccessDenied.

        As S3 answers a caller without ``s3:GetObject`` (or, for a key that is
        not there yet, without ``s3:ListBucket``). Writes, and the simulated
        SageMaker's own reads of inputs, are not affected.
        """
        self._denied_reads.add(bucket)

    def allow_s3_reads(self, bucket: str) -> None:
        """Undo :meth:`deny_s3_reads` for *bucket*."""
        self._denied_reads.discard(bucket)

    def subscribe_queue(
        self, *topic_arns: str, raw_delivery: bool = False, queue_name: str | None = None
    ) -> str:
        """Create an SQS queue subscribed to *topic_arns*; returns its URL.

        Args:
            topic_arns: The SNS topics (for example an endpoint's success and
                error topics); each must exist.
            raw_delivery: Subscribe with ``RawMessageDelivery`` (the message
                body is SageMaker's JSON itself, not an SNS envelope).
            queue_name: The queue's name; by default a new one.

        Raises:
            ValueError: no topic given.
        """
        from ._queues import subscribe_queue

        if not topic_arns:
            raise ValueError("Give at least one topic ARN to subscribe the queue to.")
        self._queues += 1
        name = queue_name or f"sagemaker-async-notifications-{self._queues}"
        return subscribe_queue(
            self.client("sqs"), self.client("sns"), name, topic_arns, raw_delivery=raw_delivery
        )
