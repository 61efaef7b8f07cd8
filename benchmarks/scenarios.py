"""Scenarios on the simulator's FakeClock, shared by the benchmarks and the docs' charts.

Each deploys an asynchronous endpoint through the SDK, sends bursts of work,
moves the clock a minute at a time and records, per minute, the backlog and the
serving instances; every result's time from submission to landing is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

import sagemaker_async as sa
from sagemaker_async.testing import FakeClock, simulated_sagemaker

ROLE = "arn:aws:iam::123456789012:role/Bench"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"
MINUTE = 60.0


@attrs.frozen
class Run:
    """What a scenario produced: one sample a minute, and each result's delay."""

    minutes: tuple[float, ...]
    backlog: tuple[int, ...]
    instances: tuple[int, ...]
    delays: tuple[float, ...]  # seconds from submission to the result landing
    submitted: int
    landed: int

    @property
    def instance_hours(self) -> float:
        return sum(self.instances) / 60

    def delay_percentile(self, fraction: float) -> float:
        ordered = sorted(self.delays)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def simulate(
    *,
    hours: float,
    bursts_at: Sequence[float],
    burst_size: int,
    instances: int,
    max_concurrent: int,
    latency: float,
    scaling: sa.ScalingPolicy | None = None,
    instance_start_seconds: float = 180.0,
) -> Run:
    """Run the scenario; *bursts_at* are the minutes at which each burst is sent."""
    clock = FakeClock()
    with simulated_sagemaker(
        clock=clock,
        latency=latency,
        create_seconds=60,
        instance_start_seconds=instance_start_seconds,
    ) as sim:
        sim.client("s3").create_bucket(Bucket="bench")
        client = sim.async_client(backoff=sa.Backoff(initial=10, maximum=10, multiplier=1))
        model = sa.Model(name="bench", execution_role_arn=ROLE, container=sa.Container(image=IMAGE))
        config = sa.EndpointConfig(
            name="bench-v1",
            variants=[
                sa.ProductionVariant(
                    model_name="bench",
                    instance_type="ml.m5.large",
                    initial_instance_count=instances,
                )
            ],
            async_inference=sa.AsyncInferenceConfig(
                output_path="s3://bench/out",
                failure_path="s3://bench/failed",
                max_concurrent_invocations_per_instance=max_concurrent,
            ),
        )
        client.deploy(model, config, "bench", scaling=scaling)
        start = clock.time()
        pending = sorted(bursts_at)
        submitted: dict[str, float] = {}
        minutes: list[float] = []
        backlog: list[int] = []
        serving: list[int] = []
        for minute in range(int(hours * 60)):
            while pending and pending[0] <= minute:
                pending.pop(0)
                now = clock.time()
                for _ in range(burst_size):
                    invocation = client.invoke_async("bench", b"x", inline=True)
                    submitted[invocation.output_location] = now
            clock.advance(MINUTE)
            minutes.append((clock.time() - start) / 60)
            backlog.append(sim.backlog_size("bench"))
            serving.append(sim.instance_count("bench"))
        landed = sim.landed
        delays = tuple(
            landed[location] - at for location, at in submitted.items() if location in landed
        )
        return Run(
            minutes=tuple(minutes),
            backlog=tuple(backlog),
            instances=tuple(serving),
            delays=delays,
            submitted=len(submitted),
            landed=sum(1 for location in submitted if location in landed),
        )


def burst(
    *,
    minutes: int,
    size: int,
    max_concurrent: int,
    latency: float,
    scaling: sa.ScalingPolicy | None,
    instance_start_seconds: float = 180.0,
) -> Run:
    """One burst at minute 1 against one instance, watched for *minutes*."""
    return simulate(
        hours=minutes / 60,
        bursts_at=[1],
        burst_size=size,
        instances=1,
        max_concurrent=max_concurrent,
        latency=latency,
        scaling=scaling,
        instance_start_seconds=instance_start_seconds,
    )
