"""Faults planned by a test: failures, forced statuses, configs not yet visible."""

from __future__ import annotations

import attrs

from ._lifecycle import UpdateFailure


@attrs.frozen
class ForcedStatus:
    """A status shown (and obeyed) regardless of the endpoint's lifecycle."""

    status: str
    failure_reason: str | None


class Faults:
    """What the next operations on a name should do differently.

    Keyed by resource name alone, in any region or account. Not thread-safe on
    its own: the control plane holds its lock around every use.
    """

    def __init__(self) -> None:
        self.create_failures: dict[str, str] = {}
        self.update_failures: dict[str, UpdateFailure] = {}
        self.forced: dict[str, ForcedStatus] = {}
        self.hidden_reads: dict[str, int] = {}

    def take_create_failure(self, endpoint_name: str) -> str | None:
        """The planned failure reason of the next CreateEndpoint, consumed."""
        return self.create_failures.pop(endpoint_name, None)

    def take_update_failure(self, endpoint_name: str) -> UpdateFailure | None:
        """The planned failure of the next UpdateEndpoint, consumed."""
        return self.update_failures.pop(endpoint_name, None)

    def take_hidden_read(self, config_name: str) -> bool:
        """Whether this read of *config_name* must not see it (consumes one read)."""
        left = self.hidden_reads.get(config_name, 0)
        if left <= 0:
            return False
        if left == 1:
            del self.hidden_reads[config_name]
        else:
            self.hidden_reads[config_name] = left - 1
        return True
