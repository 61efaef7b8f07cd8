"""The simulator's capacity at scale: 10,000 invocations on a FakeClock.

10 instances with 4 slots each and a 30 s model: 10,000 requests submitted at
once through plain boto3 drain in 7,500 simulated seconds. Prints the real time
per invocation at 1,000 and at 10,000 (submitting and draining), their ratio
(target <= 1.3: no quadratic scheduling), peak memory, and checks that every
result landed exactly once at the time the slots allow.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from sagemaker_async.testing import FakeClock, simulated_sagemaker

INSTANCES = 10
SLOTS = 4
LATENCY = 30.0
TARGET = 1.3


def run(count: int, *, trace: bool = False) -> tuple[float, int, bool]:
    """Seconds of real time per invocation, peak traced bytes, and whether all landed right.

    With *trace*, memory is traced (which slows every allocation: times are
    measured in runs without it).
    """
    clock = FakeClock()
    with simulated_sagemaker(clock=clock, latency=LATENCY, create_seconds=10) as sim:
        sagemaker = sim.client("sagemaker")
        sim.client("s3").create_bucket(Bucket="bench")
        sagemaker.create_model(
            ModelName="bench",
            ExecutionRoleArn="arn:aws:iam::123456789012:role/Bench",
            PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/b:1"},
        )
        sagemaker.create_endpoint_config(
            EndpointConfigName="bench",
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "bench",
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": INSTANCES,
                }
            ],
            AsyncInferenceConfig={
                "OutputConfig": {"S3OutputPath": "s3://bench/out"},
                "ClientConfig": {"MaxConcurrentInvocationsPerInstance": SLOTS},
            },
        )
        sagemaker.create_endpoint(EndpointName="bench", EndpointConfigName="bench")
        clock.advance(10)
        runtime = sim.client("sagemaker-runtime")
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        start = clock.time()
        locations = [
            runtime.invoke_endpoint_async(EndpointName="bench", Body=b"x", InferenceId=f"r{n}")[
                "OutputLocation"
            ]
            for n in range(count)
        ]
        rounds = -(-count // (INSTANCES * SLOTS))
        clock.advance(rounds * LATENCY)
        landed = sim.landed
        seconds = time.perf_counter() - started
        peak = 0
        if trace:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        per_round = INSTANCES * SLOTS
        expected = {
            location: start + (n // per_round + 1) * LATENCY for n, location in enumerate(locations)
        }
        exact = len(set(locations)) == count and all(
            landed.get(location) == due for location, due in expected.items()
        )
        return seconds / count, peak, exact and sim.pending_invocations() == 0


def main() -> int:
    run(200)  # warm up: imports, moto's first requests
    small, _, small_ok = run(1_000)
    large, _, large_ok = run(10_000)
    _, small_peak, _ = run(1_000, trace=True)
    _, large_peak, _ = run(10_000, trace=True)
    ratio = large / small
    print(f"1,000 invocations:  {small * 1e3:.2f} ms each, peak {small_peak / 2**20:.1f} MiB")
    print(f"10,000 invocations: {large * 1e3:.2f} ms each, peak {large_peak / 2**20:.1f} MiB")
    print(f"per-invocation time at 10,000 / at 1,000: {ratio:.2f}x (target <= {TARGET})")
    print(f"every result landed exactly once, on time: {small_ok and large_ok}")
    return 0 if ratio <= TARGET and small_ok and large_ok else 1


if __name__ == "__main__":
    sys.exit(main())
