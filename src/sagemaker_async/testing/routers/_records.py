"""Routers as SageMaker keeps them: routing targets, status on the clock, times."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

Key = tuple[str, str, str]  # account, Region, router name

BUSY: Final = frozenset({"Creating", "Updating", "Deleting"})


def router_arn(account_id: str, region: str, name: str, partition: str = "aws") -> str:
    """The ARN of a router."""
    return f"arn:{partition}:sagemaker:{region}:{account_id}:inference-router/{name}"


@attrs.define(kw_only=True)
class RouterRecord:
    """One router: the targets it serves with and the change in progress, if any.

    During ``Updating`` requests use the previous targets (the update is
    applied in full or not at all); ``pending`` replaces them when it ends.
    """

    key: Key
    arn: str
    targets: list[Mapping[str, Any]]
    tags: list[Mapping[str, str]]
    status: str
    busy_until: float | None
    pending: list[Mapping[str, Any]] | None = None
    created: datetime
    modified: datetime
    status_reason: str | None = None
    # Set by SageMakerSimulator.fail_next_router_change: the change in progress ends Failed.
    failing: str | None = None

    def target(self, name: str) -> Mapping[str, Any] | None:
        """The routing target called *name*, as requests see it now."""
        return next((t for t in self.targets if t.get("Name") == name), None)


class RouterStore:
    """Every router of the simulation, brought up to date on the clock when read.

    Called with the simulator's lock held.
    """

    def __init__(
        self, wall: Callable[[float], datetime], planned_failures: dict[str, str] | None = None
    ) -> None:
        self._wall = wall
        self._routers: dict[Key, RouterRecord] = {}
        # Router name -> StatusReason of its next create or update, which ends Failed.
        self.planned_failures = {} if planned_failures is None else planned_failures

    def settle(self, now: float) -> None:
        """End every change due by *now*: Creating and Updating become InService (or Failed)."""
        for key, record in list(self._routers.items()):
            if record.busy_until is None or record.busy_until > now:
                continue
            if record.status == "Deleting":
                del self._routers[key]
                continue
            if record.failing is not None:
                # A failed change applies none of its targets.
                record.status, record.status_reason = "Failed", record.failing
                record.failing, record.pending, record.busy_until = None, None, None
                record.modified = self._wall(now)
                continue
            if record.pending is not None:
                record.targets, record.pending = record.pending, None
            record.status, record.busy_until = "InService", None
            record.modified = self._wall(now)

    def get(self, key: Key, now: float) -> RouterRecord | None:
        """The router now (None: there is none)."""
        self.settle(now)
        return self._routers.get(key)

    def add(self, record: RouterRecord) -> None:
        """Keep a new router."""
        self._routers[record.key] = record

    def begin_change(self, record: RouterRecord) -> None:
        """Note whether the create or update just begun on *record* is planned to fail."""
        record.failing = self.planned_failures.pop(record.key[2], None)

    def listed(self, account_id: str, region: str, now: float) -> list[RouterRecord]:
        """The routers of an account and Region, by name."""
        self.settle(now)
        return sorted(
            (r for k, r in self._routers.items() if k[:2] == (account_id, region)),
            key=lambda r: r.key[2],
        )

    def clear(self) -> None:
        """Forget every router."""
        self._routers.clear()
