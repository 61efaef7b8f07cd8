"""One accepted request as capacity sees it: when it came, how long it may wait and run."""

from __future__ import annotations

from typing import Final

import attrs

from sagemaker_async.testing.fulfilment._invocation import Invocation

from ._fleet import Instance, VariantFleet

DEFAULT_TTL_SECONDS: Final = 21_600
"""RequestTTLSeconds when the request does not say (6 hours)."""

DEFAULT_INVOCATION_TIMEOUT_SECONDS: Final = 900
"""InvocationTimeoutSeconds when the request does not say (15 minutes)."""


@attrs.define(eq=False)
class Request:
    """An invocation waiting in its endpoint's backlog, then running on an instance."""

    invocation: Invocation
    accepted_at: float
    latency: float
    ttl: float
    timeout: float
    started_at: float | None = None
    variant: VariantFleet | None = None
    instance: Instance | None = None
    finished: bool = False

    @property
    def expires_at(self) -> float:
        """When it fails if no slot has taken it by then."""
        return self.accepted_at + self.ttl

    def run_until(self) -> tuple[float, bool]:
        """When it ends once started, and whether that end is the invocation timeout."""
        assert self.started_at is not None
        if self.latency > self.timeout:
            return self.started_at + self.timeout, True
        return self.started_at + self.latency, False
