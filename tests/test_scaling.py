"""Autoscaling from the SDK: enable, describe, disable, metrics, scale to zero and back.

Against the simulator on a FakeClock (both transports), whose Application Auto
Scaling evaluates alarms every simulated minute and acts on its capacity.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

import sagemaker_async as sa
from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
START = 120.0
FAST = sa.Backoff(initial=5.0, maximum=5.0, multiplier=1.0)


@pytest.fixture(params=["inprocess", "server"])
def sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    with simulated_sagemaker(
        transport=request.param,
        clock=FakeClock(),
        create_seconds=10.0,
        update_seconds=10.0,
        delete_seconds=5.0,
        latency=60.0,
        instance_start_seconds=START,
    ) as simulator:
        simulator.client("s3").create_bucket(Bucket="results")
        yield simulator


@pytest.fixture
def client(sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    return sim.async_client(backoff=FAST)


def clock_of(sim: SageMakerSimulator) -> FakeClock:
    clock = sim.clock
    assert isinstance(clock, FakeClock)
    return clock


def model(name: str = "churn") -> sa.Model:
    return sa.Model(name=name, execution_role_arn=ROLE, container=sa.Container(image=IMAGE))


def config(
    name: str = "churn-v1",
    *,
    instance_type: str = "ml.m5.large",
    max_concurrent: int = 1,
    serverless: bool = False,
) -> sa.EndpointConfig:
    variant = (
        sa.ProductionVariant(
            model_name="churn",
            serverless=sa.ServerlessConfig(memory_size_in_mb=2048, max_concurrency=5),
        )
        if serverless
        else sa.ProductionVariant(model_name="churn", instance_type=instance_type)
    )
    return sa.EndpointConfig(
        name=name,
        variants=[variant],
        async_inference=sa.AsyncInferenceConfig(
            output_path="s3://results/out",
            failure_path="s3://results/failed",
            max_concurrent_invocations_per_instance=max_concurrent,
        ),
    )


POLICY = sa.ScalingPolicy(max_instances=4)


def test_enable_registers_the_variant_and_describes_what_it_made(
    client: sa.AsyncInferenceClient,
) -> None:
    client.deploy(model(), config(), "churn")

    described = client.enable_autoscaling("churn", POLICY)

    assert (
        described.policy,
        described.resource_id,
        described.policy_names,
        len(described.alarm_names),
        "churn-AllTraffic-has-backlog-without-capacity" in described.alarm_names,
        sum(name.startswith("TargetTracking-endpoint/churn/") for name in described.alarm_names),
    ) == (
        POLICY,
        "endpoint/churn/variant/AllTraffic",
        ("churn-AllTraffic-backlog-per-instance", "churn-AllTraffic-wake-from-zero"),
        3,
        True,
        2,
    )


def test_enabling_again_replaces_and_never_duplicates(client: sa.AsyncInferenceClient) -> None:
    client.deploy(model(), config(), "churn")
    client.enable_autoscaling("churn", POLICY)

    again = client.enable_autoscaling("churn", sa.ScalingPolicy(max_instances=2, min_instances=1))

    assert (again.policy, again.policy_names, len(again.alarm_names)) == (
        sa.ScalingPolicy(max_instances=2, min_instances=1),
        ("churn-AllTraffic-backlog-per-instance",),
        2,
    )


def test_disable_removes_everything_and_can_run_twice(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn")
    client.enable_autoscaling("churn", POLICY)

    client.disable_autoscaling("churn")
    client.disable_autoscaling("churn")

    alarms = sim.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert (client.describe_autoscaling("churn"), alarms) == (None, [])


def test_describe_without_autoscaling_is_none(client: sa.AsyncInferenceClient) -> None:
    client.deploy(model(), config(), "churn")

    assert client.describe_autoscaling("churn") is None


def test_a_serverless_variant_is_refused(client: sa.AsyncInferenceClient) -> None:
    client.deploy(model(), config(serverless=True), "churn")

    with pytest.raises(sa.ValidationError, match="an instance-based variant") as caught:
        client.enable_autoscaling("churn", POLICY)

    assert [p.path for p in caught.value.problems] == ["variant_name"]


def test_a_missing_variant_is_refused_by_name(client: sa.AsyncInferenceClient) -> None:
    client.deploy(model(), config(), "churn")

    with pytest.raises(sa.ValidationError, match=r"expected one of \['AllTraffic'\]"):
        client.enable_autoscaling("churn", POLICY, variant_name="Blue")


def test_a_bad_policy_is_refused_before_any_call(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    before = sum(sim.calls.values())

    with pytest.raises(sa.ValidationError, match="policy: expected a ScalingPolicy"):
        client.enable_autoscaling("churn", {"max_instances": 4})  # type: ignore[arg-type]

    assert sum(sim.calls.values()) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_instances": 0}, "max_instances: expected a number from 1 to 2147483647"),
        ({"max_instances": 2, "min_instances": 3}, "min_instances: expected at most max_instances"),
        (
            {"max_instances": 2, "target_backlog_per_instance": float("inf")},
            "target_backlog_per_instance: expected a finite number > 0",
        ),
        ({"max_instances": 2, "scale_in_cooldown": -1}, "scale_in_cooldown: expected a number"),
        ({"max_instances": True}, "max_instances: expected an integer"),
    ],
)
def test_a_scaling_policy_is_validated(fields: dict[str, object], message: str) -> None:
    with pytest.raises(sa.ValidationError, match=message):
        sa.ScalingPolicy(**fields)  # type: ignore[arg-type]


def test_a_burst_scales_out_drains_to_zero_and_a_request_wakes_it(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn")
    client.enable_autoscaling("churn", POLICY)
    clock = clock_of(sim)
    burst = [client.invoke_async("churn", b"x") for _ in range(60)]

    clock.advance(15 * 60)
    out = sim.instance_count("churn")
    sa.wait_all(burst)
    clock.advance(60 * 60)
    idle = sim.instance_count("churn")
    late = client.invoke_async("churn", b"wake up")
    clock.advance(10 * 60)

    assert (out, idle, late.result(timeout=0)) == (4, 0, b"wake up")


def test_endpoint_metrics_read_the_backlog(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn")
    clock_of(sim).advance(60)
    for _ in range(5):
        client.invoke_async("churn", b"x")
    clock_of(sim).advance(60)

    metrics = client.endpoint_metrics("churn", minutes=5)

    assert (
        metrics.backlog_size,
        metrics.backlog_size_per_instance,
        metrics.has_backlog_without_capacity,
        metrics.instance_count,
        len(metrics.series["ApproximateBacklogSize"]) >= 2,
    ) == (5.0, 5.0, False, 1, True)


def test_endpoint_metrics_refuses_a_bad_window(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError, match="minutes: expected a whole number of minutes"):
        client.endpoint_metrics("churn", minutes=0)


def test_deploy_with_scaling_enables_it(client: sa.AsyncInferenceClient) -> None:
    client.deploy(model(), config(), "churn", scaling=POLICY)

    described = client.describe_autoscaling("churn")

    assert described is not None
    assert described.policy == POLICY


def test_teardown_removes_autoscaling(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn", scaling=POLICY)

    client.teardown("churn")

    targets = sim.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="sagemaker"
    )["ScalableTargets"]
    alarms = sim.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert (targets, alarms, sim.resource_counts()) == (
        [],
        [],
        {"models": 0, "endpoint_configs": 0, "endpoints": 0},
    )


def test_an_update_changing_the_instance_type_keeps_scaling(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn", scaling=POLICY)
    client.create_endpoint_config(config("churn-v2", instance_type="ml.c5.xlarge"))

    described = client.update_endpoint("churn", "churn-v2")
    scaling = client.describe_autoscaling("churn")

    assert (described.config_name, scaling is not None and scaling.policy) == ("churn-v2", POLICY)


def test_the_simulator_refuses_that_update_without_the_sequence(
    client: sa.AsyncInferenceClient, sim: SageMakerSimulator
) -> None:
    client.deploy(model(), config(), "churn", scaling=POLICY)
    client.create_endpoint_config(config("churn-v2", instance_type="ml.c5.xlarge"))

    with pytest.raises(ClientError, match="autoscaling policies applied"):
        sim.client("sagemaker").update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")
