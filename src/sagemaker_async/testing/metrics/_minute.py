"""One minute of an endpoint's activity, as its metrics report it.

Endpoint metrics (dimension EndpointName) are a snapshot at the minute's end;
variant metrics (EndpointName and VariantName) count what happened during it.
"""

from __future__ import annotations

import attrs


@attrs.define
class Samples:
    """Values observed during a minute: published as a statistic set."""

    count: int = 0
    total: float = 0.0
    low: float = 0.0
    high: float = 0.0

    def add(self, value: float) -> None:
        self.low = value if self.count == 0 else min(self.low, value)
        self.high = value if self.count == 0 else max(self.high, value)
        self.count += 1
        self.total += value


@attrs.define
class VariantMinute:
    """What one variant did during a minute."""

    processed: int = 0
    failures: int = 0
    expired: int = 0
    download_failures: int = 0
    upload_failures: int = 0
    notification_failures: int = 0
    time_in_backlog_ms: Samples = attrs.Factory(Samples)
    processing_time_ms: Samples = attrs.Factory(Samples)


@attrs.frozen(kw_only=True)
class EndpointMinute:
    """An endpoint's backlog at the end of a minute and its variants' activity during it."""

    account_id: str
    region: str
    endpoint_name: str
    backlog_size: int
    instance_count: int
    oldest_request_age_seconds: float
    variants: dict[str, VariantMinute]

    @property
    def backlog_size_per_instance(self) -> float:
        """The backlog divided by the serving instances (the backlog itself at none)."""
        return self.backlog_size / max(self.instance_count, 1)

    @property
    def has_backlog_without_capacity(self) -> float:
        """1 when requests wait and no instance serves, else 0."""
        return 1.0 if self.backlog_size and not self.instance_count else 0.0
