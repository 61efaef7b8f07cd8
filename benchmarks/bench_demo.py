"""The demo's wall time: a newcomer's first command must finish in under 15 seconds.

Runs `python -m sagemaker_async demo` a few times and prints the median and worst
wall time. Target: the median under 15 s. A benchmark, not a test: these machines
are shared, and a timed test fails whenever a neighbour is busy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

RUNS = 3
TARGET_SECONDS = 15.0


def one_run() -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "sagemaker_async", "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"the demo failed (exit {process.returncode}):\n{process.stderr}")
    return seconds


def main() -> int:
    times = [one_run() for _ in range(RUNS)]
    median = statistics.median(times)
    print(
        f"demo wall time: median {median:.1f} s, worst {max(times):.1f} s "
        f"over {RUNS} runs (target: median < {TARGET_SECONDS:.0f} s)"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
