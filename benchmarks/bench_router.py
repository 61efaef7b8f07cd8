"""A burst through an inference router against the same burst on one endpoint, on a FakeClock.

Two Regions, one endpoint each: one instance, MaxConcurrentInvocationsPerInstance 1,
60 s a request. 100 requests arrive at once for the local endpoint, either directly
(InvokeEndpointAsync) or through a router whose routing target lists both endpoints
(MaxTimeInBacklogSeconds 60). Prints the simulated time until the last result and
the 95th percentile of time-to-result for both; the router must finish in at most
0.6x the single endpoint's time, with every result exactly once at the OutputLocation
the router answered, moved requests included.
"""

from __future__ import annotations

import math
import sys

from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

BURST = 100
LATENCY = 60.0
BACKLOG = 60
TARGET = 0.6
REGIONS = ("us-east-1", "us-west-2")


def deploy(sim: SageMakerSimulator, region: str) -> str:
    sagemaker = sim.client("sagemaker", region_name=region)
    sagemaker.create_model(
        ModelName="bench",
        ExecutionRoleArn=f"arn:aws:iam::{sim.account_id}:role/Bench",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/b:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="bench",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "bench",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        AsyncInferenceConfig={
            "OutputConfig": {"S3OutputPath": "s3://bench/endpoint"},
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 1},
        },
    )
    sagemaker.create_endpoint(EndpointName="bench", EndpointConfigName="bench")
    return f"arn:aws:sagemaker:{region}:{sim.account_id}:endpoint/bench"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def run(through_router: bool) -> tuple[float, float, bool]:
    """Seconds to the last result, p95 time-to-result, and whether each landed exactly once."""
    clock = FakeClock()
    with simulated_sagemaker(clock=clock, latency=LATENCY, create_seconds=10) as sim:
        s3 = sim.client("s3")
        s3.create_bucket(Bucket="bench")
        s3.put_object(Bucket="bench", Key="input", Body=b"x")
        arns = [deploy(sim, region) for region in REGIONS]
        if through_router:
            sim.client("sagemaker").create_inference_router(
                InferenceRouterName="bench",
                RoutingTargets=[
                    {
                        "Name": "bench",
                        "Destinations": [{"ResourceArn": arn} for arn in arns],
                        "AsyncInferenceConfig": {
                            "OutputConfig": {
                                "S3OutputPath": "s3://bench/router",
                                "S3FailurePath": "s3://bench/router-failures",
                            },
                            "ClientConfig": {"MaxTimeInBacklogSeconds": BACKLOG},
                        },
                    }
                ],
            )
        clock.advance(10)
        start = clock.time()
        runtime = sim.client("sagemaker-inference-router-runtime")
        endpoint = sim.client("sagemaker-runtime")
        locations = []
        for index in range(BURST):
            if through_router:
                answer = runtime.invoke_inference_router_async(
                    InferenceRouterName="bench",
                    RoutingTargetName="bench",
                    InputLocation="s3://bench/input",
                    InferenceId=f"r{index}",
                )
            else:
                answer = endpoint.invoke_endpoint_async(
                    EndpointName="bench", InputLocation="s3://bench/input", InferenceId=f"r{index}"
                )
            locations.append(answer["OutputLocation"])
        while sim.pending_invocations():
            clock.advance(LATENCY)
        landed = sim.landed
        times = [landed[location] - start for location in locations if location in landed]
        outputs = [key for key in landed if key.startswith("s3://bench/")]
        once = len(times) == BURST and len(outputs) == len(set(outputs)) == BURST
        return max(times, default=math.inf), p95(times) if times else math.inf, once


def main() -> int:
    alone_last, alone_p95, alone_once = run(through_router=False)
    router_last, router_p95, router_once = run(through_router=True)
    ratio = router_last / alone_last
    print(f"one endpoint:  last result {alone_last:7.0f} s, p95 {alone_p95:7.0f} s")
    print(f"router:        last result {router_last:7.0f} s, p95 {router_p95:7.0f} s")
    print(f"router / one endpoint: {ratio:.2f} (target <= {TARGET})")
    print(f"every result exactly once at its OutputLocation: {alone_once and router_once}")
    ok = ratio <= TARGET and alone_once and router_once
    if not ok:
        print("bench_router: target missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
