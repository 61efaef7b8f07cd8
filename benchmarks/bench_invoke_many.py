"""Submitting many invocations, and applying an unchanged deployment file.

Against the simulator's HTTP server (``sagemaker-async simulator`` in a process
of its own, so that serving does not compete with the client for this process's
GIL), every request delayed 20 ms on the client side (a botocore
``before-send`` handler that sleeps, as a round trip to AWS would take):

- ``invoke_many(concurrency=16)`` next to a sequential ``invoke_async`` loop,
  in submissions per second (inline bodies: one request each). Target: >= 8x.
  Also printed: the server's own ceiling (no delay), which bounds the speed-up.
  The simulator's model takes 60 s per request (``--latency 60``), so that no
  result is written during the measurement: on AWS the model runs elsewhere,
  while here writing results would take the server's CPU from submissions.
- ``sagemaker-async apply`` of a file already applied: mutating SageMaker
  calls (target 0) and wall time (target < 2 s).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

import sagemaker_async as sa
from sagemaker_async.cli import main
from sagemaker_async.testing import SageMakerSimulator, simulated_sagemaker

COUNT = 160
ROUNDS = 5
DELAY = 0.020
LATENCY = 60.0
SIMULATOR = (sys.executable, "-m", "sagemaker_async", "simulator")
BUCKET = "bench-results"
ROLE = "arn:aws:iam::123456789012:role/bench"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"
TARGET_SPEEDUP = 8.0
TARGET_APPLY_SECONDS = 2.0
MUTATING = re.compile(r"^(Create|Update|Delete)")
DELAYING = {"on"}

FILE = f"""\
account = "123456789012"
region = "us-east-1"
endpoint_name = "bench"

[model]
name = "bench"
execution_role_arn = "{ROLE}"
container = {{ image = "{IMAGE}" }}

[config]
name = "bench"
variants = [{{ instance_type = "ml.m5.large" }}]

[config.async_inference]
output_path = "s3://{BUCKET}/out"

[scaling]
max_instances = 2
min_instances = 1
"""


def delayed(client: Any) -> Any:
    """*client*, each of whose requests waits DELAY before it is sent."""

    def wait(**_: Any) -> None:
        if DELAYING:
            time.sleep(DELAY)

    client.meta.events.register("before-send", wait)
    return client


def submissions_per_second(path: Path) -> tuple[float, float, float]:
    server = subprocess.Popen(
        [*SIMULATOR, "--bucket", BUCKET, "--latency", str(LATENCY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert main(["apply", str(path), "--endpoint-url", url]) == 0
        return _measure(url)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _measure(url: str) -> tuple[float, float, float]:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    config = Config(max_pool_connections=32)
    client = sa.AsyncInferenceClient(
        sagemaker_client=session.client("sagemaker", endpoint_url=url),
        runtime_client=delayed(
            session.client("sagemaker-runtime", endpoint_url=url, config=config)
        ),
        s3_client=session.client("s3", endpoint_url=url),
    )
    bodies = [f"row {index}".encode() for index in range(COUNT)]
    client.invoke_async("bench", b"warm up", inline=True)

    def rate(submit: Callable[[], object]) -> float:
        start = time.perf_counter()
        submit()
        return COUNT / (time.perf_counter() - start)

    def loop() -> None:
        for body in bodies:
            client.invoke_async("bench", body, inline=True)

    def many() -> None:
        client.invoke_many("bench", bodies, concurrency=16, inline=True)

    # Rounds side by side, medians: a shared machine's noise hits both alike.
    rounds = [(rate(loop), rate(many)) for _ in range(ROUNDS)]
    sequential = statistics.median(r[0] for r in rounds)
    concurrent = statistics.median(r[1] for r in rounds)
    DELAYING.clear()
    ceiling = statistics.median(rate(many) for _ in range(ROUNDS))
    return sequential, concurrent, ceiling


def unchanged_apply(sim: SageMakerSimulator, path: Path) -> tuple[int, float]:
    assert sim.endpoint_url is not None
    before = sum(n for name, n in sim.calls.items() if MUTATING.match(name))
    start = time.perf_counter()
    status = main(["apply", str(path), "--endpoint-url", sim.endpoint_url])
    elapsed = time.perf_counter() - start
    after = sum(n for name, n in sim.calls.items() if MUTATING.match(name))
    assert status == 0
    return after - before, elapsed


def run() -> int:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deploy.toml"
        path.write_text(FILE, encoding="utf-8")
        sequential, many, ceiling = submissions_per_second(path)
        # In this process, where the simulator counts the SageMaker calls it serves.
        with simulated_sagemaker(transport="server", create_seconds=0.05) as sim:
            sim.client("s3").create_bucket(Bucket=BUCKET)
            assert sim.endpoint_url is not None
            assert main(["apply", str(path), "--endpoint-url", sim.endpoint_url]) == 0
            mutations, seconds = unchanged_apply(sim, path)
    speedup = many / sequential
    print(
        f"invoke_async loop:          {sequential:8.1f} submissions/s ({DELAY * 1000:.0f} ms each)"
    )
    print(f"invoke_many(concurrency=16): {many:7.1f} submissions/s")
    print(
        f"the simulator's own ceiling: {ceiling:7.1f} requests/s (invoke_many, no delay); "
        f"{TARGET_SPEEDUP:g}x needs {TARGET_SPEEDUP * sequential:.0f}"
    )
    print(f"speed-up:                   {speedup:8.1f}x (target >= {TARGET_SPEEDUP:g}x)")
    print(
        f"apply of an unchanged file: {mutations} mutating calls, {seconds:.2f} s "
        f"(targets 0 and < {TARGET_APPLY_SECONDS:g} s)"
    )
    missed = speedup < TARGET_SPEEDUP or mutations != 0 or seconds >= TARGET_APPLY_SECONDS
    if missed:
        print("target missed", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(run())
