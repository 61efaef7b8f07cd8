"""A bursty day on the simulator: a fixed fleet against scaling to zero.

24 simulated hours, a burst of 200 requests every 3 hours, 60 s per request,
4 concurrent requests per instance, up to 4 instances. Prints instance-hours
and p95 time-to-result for (a) a fixed fleet of 4, (b) a fixed single instance,
(c) ``ScalingPolicy(max_instances=4)`` (from zero). Targets: (c) uses at most 40%
of (a)'s instance-hours with a p95 within 2x of (a)'s; every result lands once.
"""

from __future__ import annotations

import sys

from scenarios import Run, simulate

import sagemaker_async as sa

HOURS = 24
BURSTS = [180 * n + 5 for n in range(8)]  # minutes
SIZE = 200
LATENCY = 60.0
SLOTS = 4


def day(instances: int, scaling: sa.ScalingPolicy | None) -> Run:
    return simulate(
        hours=HOURS,
        bursts_at=BURSTS,
        burst_size=SIZE,
        instances=instances,
        max_concurrent=SLOTS,
        latency=LATENCY,
        scaling=scaling,
    )


def main() -> int:
    runs = {
        "(a) fixed fleet of 4": day(4, None),
        "(b) fixed single instance": day(1, None),
        "(c) ScalingPolicy(max_instances=4)": day(1, sa.ScalingPolicy(max_instances=4)),
    }
    for name, run in runs.items():
        print(
            f"{name:36} {run.instance_hours:6.1f} instance-hours, "
            f"p95 time-to-result {run.delay_percentile(0.95) / 60:5.1f} min, "
            f"{run.landed}/{run.submitted} results"
        )
    fleet, scaled = runs["(a) fixed fleet of 4"], runs["(c) ScalingPolicy(max_instances=4)"]
    hours_ratio = scaled.instance_hours / fleet.instance_hours
    p95_ratio = scaled.delay_percentile(0.95) / fleet.delay_percentile(0.95)
    print(f"(c)/(a) instance-hours: {hours_ratio:.2f} (target <= 0.40)")
    print(f"(c)/(a) p95 time-to-result: {p95_ratio:.2f} (target <= 2.0)")
    complete = all(run.landed == run.submitted == SIZE * len(BURSTS) for run in runs.values())
    print(f"every result landed exactly once: {complete}")
    return 0 if hours_ratio <= 0.4 and p95_ratio <= 2.0 and complete else 1


if __name__ == "__main__":
    sys.exit(main())
