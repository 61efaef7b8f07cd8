"""Nothing lost under faults: the whole life of an endpoint with 30% of requests failing.

The scenario of ``tests/test_faults.py`` (``tests/fault_scenario.py``): deploy, update,
submit 300 invocations, await them all by notifications and by polling, tear down, on
the in-process simulator and a FakeClock, with a FaultInjector failing 30% of the
requests of every client the library uses (throttling, 5xx, lost connections, read
timeouts after the request took effect). One line per seed; targets: no duplicate, no
loss, nothing left behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fault_scenario  # lives with the tests, found through the path above


def main() -> int:
    print(
        f"{fault_scenario.INVOCATIONS} invocations, {fault_scenario.RATE:.0%} of requests "
        "faulted (in-process moto, fake clock)"
    )
    runs = [fault_scenario.run(seed) for seed in fault_scenario.SEEDS]
    for figures in runs:
        print(figures.line())
    totals = {
        "calls faulted": sum(f.faulted for f in runs),
        "retries made": sum(f.botocore_retries + f.library_retries for f in runs),
        "invocations submitted": sum(f.submitted for f in runs),
        "results received": sum(f.received for f in runs),
        "duplicates": sum(f.duplicates for f in runs),
        "lost": sum(f.lost for f in runs),
        "resources left": sum(f.left for f in runs),
    }
    print("; ".join(f"{name} {value}" for name, value in totals.items()))
    met = totals["duplicates"] == totals["lost"] == totals["resources left"] == 0
    print(f"targets: 0 duplicates, 0 lost, 0 resources left: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
