"""The demo's router act: one name to invoke, a burst spread over two Regions.

Two endpoints, one per Region, each one instance taking one request at a
time for a simulated minute. A burst sent through an inference router starts
at the router's Region and moves what waits there longer than
``MaxTimeInBacklogSeconds`` to the other Region; the same burst on the local
endpoint alone takes about twice as long.
"""

from __future__ import annotations

from sagemaker_async._client import AsyncInferenceClient
from sagemaker_async.aws import Backoff
from sagemaker_async.invocations._awaiting import wait_all
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    InferenceRouter,
    Model,
    ProductionVariant,
    RoutingTarget,
)

from ._minutes import MINUTE, minutes_until
from ._report import Reporter

REGIONS = ("us-east-1", "us-west-2")
BURST = 20
BUCKET = "demo-routing"


def route_across_regions(report: Reporter) -> None:
    """Run the act, one step per phase, each summarised in simulated minutes."""
    from sagemaker_async.testing import FakeClock, simulated_sagemaker

    clock = FakeClock()
    with simulated_sagemaker(
        clock=clock, latency=MINUTE, create_seconds=MINUTE, update_seconds=MINUTE
    ) as sim:
        sim.client("s3").create_bucket(Bucket=BUCKET)
        backoff = Backoff(initial=5.0, maximum=5.0, multiplier=1.0)

        def client_in(region: str) -> AsyncInferenceClient:
            return sim.async_client(
                sagemaker_client=sim.client("sagemaker", region_name=region),
                s3_client=sim.client("s3", region_name=region),
                backoff=backoff,
            )

        with report.step(f"an inference router over {' and '.join(REGIONS)}") as step:
            arns = [_deploy(client_in(region), sim.account_id, region) for region in REGIONS]
            router = InferenceRouter(
                name="routing-demo",
                targets=[
                    RoutingTarget(
                        name="churn",
                        destinations=arns,
                        output_path=f"s3://{BUCKET}/router-out",
                        failure_path=f"s3://{BUCKET}/router-failed",
                        max_time_in_backlog_seconds=60,
                    )
                ],
            )
            client = client_in(REGIONS[0])
            client.create_inference_router(router)
            step.summary = "1 instance each, 1 request at a time, 1 min per request"
        with report.step(f"a burst of {BURST} requests through the router") as step:
            routed = [
                client.invoke_router_async(router.name, "churn", f"row {i}".encode())
                for i in range(BURST)
            ]
            minutes = minutes_until(clock, lambda: all(i.done() for i in routed), 4 * BURST)
            wait_all(routed, timeout=0)
            step.summary = f"all {BURST} results in {minutes} min"
        with report.step(f"the same burst on the {REGIONS[0]} endpoint alone") as step:
            alone = [
                client.invoke_async("routing-demo", f"row {i}".encode(), inline=True)
                for i in range(BURST)
            ]
            minutes = minutes_until(clock, lambda: all(i.done() for i in alone), 4 * BURST)
            wait_all(alone, timeout=0)
            step.summary = f"all {BURST} results in {minutes} min"
        client.delete_inference_router(router.name)
        for region in REGIONS:
            client_in(region).teardown("routing-demo")


def _deploy(client: AsyncInferenceClient, account: str, region: str) -> str:
    model = Model(
        name="routing-demo",
        execution_role_arn=f"arn:aws:iam::{account}:role/routing-demo",
        container=Container(image=f"{account}.dkr.ecr.{region}.amazonaws.com/routing-demo:1"),
    )
    config = EndpointConfig(
        name="routing-demo-v1",
        variants=[ProductionVariant(model_name=model.name, instance_type="ml.m5.large")],
        async_inference=AsyncInferenceConfig(
            output_path=f"s3://{BUCKET}/{region}", max_concurrent_invocations_per_instance=1
        ),
    )
    client.deploy(model, config, "routing-demo")
    return f"arn:aws:sagemaker:{region}:{account}:endpoint/routing-demo"
