"""The demo's last act: scaling to zero and waking up, on a simulated clock.

Scaling takes minutes on AWS; on an in-process simulator with a FakeClock a
simulated hour takes a second. A burst scales the endpoint out, an idle hour
brings it to zero instances, and one request wakes it.
"""

from __future__ import annotations

from sagemaker_async._client import AsyncInferenceClient
from sagemaker_async.aws import Backoff
from sagemaker_async.invocations._awaiting import wait_all
from sagemaker_async.models import (
    AsyncInferenceConfig,
    Container,
    EndpointConfig,
    Model,
    ProductionVariant,
    ScalingPolicy,
)

from ._minutes import MINUTE, minutes_until
from ._report import Reporter

POLICY = ScalingPolicy(max_instances=4)
BURST = 60


def scale_to_zero(report: Reporter) -> None:
    """Run the act, one step per phase, each summarised in simulated minutes."""
    from sagemaker_async.testing import FakeClock, simulated_sagemaker

    clock = FakeClock()
    with simulated_sagemaker(clock=clock, latency=MINUTE, instance_start_seconds=180) as sim:
        sim.client("s3").create_bucket(Bucket="demo-scaling")
        client: AsyncInferenceClient = sim.async_client(
            backoff=Backoff(initial=5.0, maximum=5.0, multiplier=1.0)
        )
        model = Model(
            name="scaling-demo",
            execution_role_arn=f"arn:aws:iam::{sim.account_id}:role/scaling-demo",
            container=Container(
                image=f"{sim.account_id}.dkr.ecr.us-east-1.amazonaws.com/scaling-demo:1"
            ),
        )
        config = EndpointConfig(
            name="scaling-demo-v1",
            variants=[ProductionVariant(model_name=model.name, instance_type="ml.m5.large")],
            async_inference=AsyncInferenceConfig(
                output_path="s3://demo-scaling/out",
                failure_path="s3://demo-scaling/failed",
                max_concurrent_invocations_per_instance=4,
            ),
        )

        def instances() -> int:
            return sim.instance_count("scaling-demo")

        policy = f"ScalingPolicy(max_instances={POLICY.max_instances})"
        with report.step("scale to zero on a simulated clock") as step:
            step.summary = f"deploy with {policy}"
            client.deploy(model, config, "scaling-demo", scaling=POLICY)
        with report.step(f"a burst of {BURST} requests (4 at a time per instance)") as step:
            burst = [
                client.invoke_async("scaling-demo", b"0.5,0.5,0.5", inline=True)
                for _ in range(BURST)
            ]
            minutes = minutes_until(clock, lambda: instances() == POLICY.max_instances, 60)
            report.progress(f"{instances()} instances after {minutes} simulated minutes")
            drained = minutes + minutes_until(
                clock, lambda: sim.backlog_size("scaling-demo") == 0, 120
            )
            wait_all(burst, timeout=0)
            step.summary = (
                f"1 -> {POLICY.max_instances} instances in {minutes} min, "
                f"all {BURST} results in {drained} min"
            )
        with report.step("idle") as step:
            minutes = minutes_until(clock, lambda: instances() == 0, 120)
            step.summary = (
                f"{POLICY.max_instances} -> 0 instances after {minutes} min, nothing waiting"
            )
        with report.step("one request wakes it") as step:
            late = client.invoke_async("scaling-demo", b"row", inline=True)
            minutes = minutes_until(clock, late.done, 30)
            step.summary = f"0 -> 1 instance, its result after {minutes} min"
        client.teardown("scaling-demo")
