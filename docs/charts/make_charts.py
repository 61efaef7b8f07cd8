"""Draw the documentation's charts from simulator runs: ``python docs/charts/make_charts.py``.

Needs matplotlib (the ``docs`` dependency group). Writes PNG files to
``docs/images/``; commit them with the change that alters what they show.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

import sagemaker_async as sa

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from scenarios import Run, burst, simulate  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def draw(run: Run, title: str, path: Path, *, hours: bool = False) -> None:
    figure, backlog_axis = plt.subplots(figsize=(9, 3.6), dpi=110)
    scale = 60.0 if hours else 1.0
    times = [minute / scale for minute in run.minutes]
    backlog_axis.fill_between(times, run.backlog, step="post", alpha=0.35, color="tab:blue")
    backlog_axis.set_ylabel("backlog (requests)", color="tab:blue")
    backlog_axis.set_xlabel("simulated hours" if hours else "simulated minutes")
    instance_axis = backlog_axis.twinx()
    instance_axis.step(times, run.instances, where="post", color="tab:red", linewidth=2)
    instance_axis.set_ylabel("serving instances", color="tab:red")
    instance_axis.set_ylim(0, max(run.instances) + 1)
    backlog_axis.set_title(title)
    backlog_axis.set_xlim(times[0], times[-1])
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    # 200 requests, one slot per instance, 60 s each; target tracking to 4 per instance.
    tracked = burst(
        minutes=150,
        size=200,
        max_concurrent=1,
        latency=60.0,
        scaling=sa.ScalingPolicy(max_instances=8, min_instances=1, target_backlog_per_instance=4),
    )
    draw(
        tracked,
        "Burst of 200 on 1 instance (1 slot, 60 s), target tracking at 4 per instance",
        IMAGES / "capacity-burst.png",
    )
    day = simulate(
        hours=24,
        bursts_at=[180 * n + 5 for n in range(8)],
        burst_size=200,
        instances=1,
        max_concurrent=4,
        latency=60.0,
        scaling=sa.ScalingPolicy(max_instances=4),
    )
    draw(
        day,
        "A bursty day scaled to zero: 200 requests every 3 hours, up to 4 instances",
        IMAGES / "scale-to-zero-day.png",
        hours=True,
    )


if __name__ == "__main__":
    main()
