"""The instances behind one production variant, and their concurrency slots.

Each instance runs at most ``slots`` requests at once. New instances serve
once they are ready (``instance_start_seconds`` after they were asked for);
instances taken away stop taking work at once and leave when their running
requests are done, as SageMaker drains an instance before it terminates.
"""

from __future__ import annotations

from typing import Final

import attrs

DEFAULT_SLOTS: Final = 1000
"""Slots per instance when MaxConcurrentInvocationsPerInstance is unset (the service maximum)."""


@attrs.define(eq=False)
class Instance:
    """One instance: when it serves, how many requests it runs, whether it is leaving."""

    ready_at: float
    running: int = 0
    retiring: bool = False

    def serving(self, now: float) -> bool:
        return not self.retiring and self.ready_at <= now


@attrs.define(eq=False)
class VariantFleet:
    """A variant's instances and the desired count and weight SageMaker reports."""

    name: str
    instance_type: str | None
    slots: int
    desired: int
    current_weight: float
    desired_weight: float
    image: str | None = None
    instances: list[Instance] = attrs.field(factory=list[Instance])

    def current_count(self, now: float) -> int:
        """Instances serving now (``CurrentInstanceCount``)."""
        return sum(1 for instance in self.instances if instance.serving(now))

    def resize(self, count: int, now: float, start_seconds: float) -> float:
        """Make *count* instances the goal; return when the last new one is ready.

        Instances still starting are cancelled first, then serving ones retire
        (newest first); a retiring instance with no work leaves at once.
        """
        self.desired = count
        staying = [each for each in self.instances if not each.retiring]
        ready = now
        if count > len(staying):
            for _ in range(count - len(staying)):
                self.instances.append(Instance(ready_at=now + start_seconds))
            ready = now + start_seconds
        else:
            starting_last = sorted(staying, key=lambda each: (each.serving(now), -each.ready_at))
            for instance in starting_last[: len(staying) - count]:
                instance.retiring = True
        self.instances = [each for each in self.instances if not each.retiring or each.running]
        return ready

    def free_instance(self, now: float) -> Instance | None:
        """The least busy serving instance with a free slot, or None."""
        best: Instance | None = None
        for instance in self.instances:
            free = instance.serving(now) and instance.running < self.slots
            if free and (best is None or instance.running < best.running):
                best = instance
        return best

    def release(self, instance: Instance) -> None:
        """A request on *instance* ended; a retiring instance with no work left goes."""
        instance.running -= 1
        if instance.retiring and instance.running == 0 and instance in self.instances:
            self.instances.remove(instance)

    def next_ready(self, now: float) -> float | None:
        """When the next instance still starting will serve, or None."""
        times = [
            each.ready_at for each in self.instances if not each.retiring and each.ready_at > now
        ]
        return min(times) if times else None
