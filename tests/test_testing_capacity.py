"""The simulator's capacity: instances, slots, a FIFO backlog, expiry, metrics, resizing.

Driven by plain boto3, as a user following the AWS guides would, on a FakeClock
and on both transports (``fake_sim``): 10 s to create or update an endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
BUCKET = "results"
OUTPUT = f"s3://{BUCKET}/output"
FAILURES = f"s3://{BUCKET}/failures"
START = 120.0


@pytest.fixture(params=["inprocess", "server"])
def cap_sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    """A FakeClock simulator: 10 s to create or update, instances start in 120 s."""
    with simulated_sagemaker(
        transport=request.param,
        clock=FakeClock(),
        create_seconds=10.0,
        update_seconds=10.0,
        delete_seconds=5.0,
        latency=30.0,
        instance_start_seconds=START,
    ) as simulator:
        yield simulator


def clock_of(sim: SageMakerSimulator) -> FakeClock:
    clock = sim.clock
    assert isinstance(clock, FakeClock)
    return clock


def deploy(
    sim: SageMakerSimulator,
    *,
    name: str = "churn",
    instances: int = 1,
    max_concurrent: int | None = None,
    instance_type: str = "ml.m5.large",
    config_name: str | None = None,
    region_name: str | None = None,
    topics: tuple[str, str] | None = None,
) -> None:
    """Model, config and endpoint through plain boto3; returns once InService."""
    kwargs: dict[str, Any] = {} if region_name is None else {"region_name": region_name}
    sagemaker = sim.client("sagemaker", **kwargs)
    s3 = sim.client("s3", **kwargs)
    if region_name in (None, "us-east-1"):
        s3.create_bucket(Bucket=BUCKET)
    else:
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": region_name}
        )
    sagemaker.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    output: dict[str, Any] = {"S3OutputPath": OUTPUT, "S3FailurePath": FAILURES}
    if topics is not None:
        output["NotificationConfig"] = {"SuccessTopic": topics[0], "ErrorTopic": topics[1]}
    async_config: dict[str, Any] = {"OutputConfig": output}
    if max_concurrent is not None:
        async_config["ClientConfig"] = {"MaxConcurrentInvocationsPerInstance": max_concurrent}
    config = config_name or f"{name}-v1"
    sagemaker.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": name,
                "InstanceType": instance_type,
                "InitialInstanceCount": instances,
            }
        ],
        AsyncInferenceConfig=async_config,
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config)
    clock_of(sim).advance(10)
    assert sagemaker.describe_endpoint(EndpointName=name)["EndpointStatus"] == "InService"


def invoke(sim: SageMakerSimulator, count: int, name: str = "churn", **kwargs: Any) -> list[str]:
    """*count* inline invocations; their output locations, in order."""
    runtime = sim.client("sagemaker-runtime")
    return [
        runtime.invoke_endpoint_async(
            EndpointName=name,
            Body=f"row {n}".encode(),
            InferenceId=f"req-{n}",
            ContentType="text/csv",
            **kwargs,
        )["OutputLocation"]
        for n in range(count)
    ]


def landed_at(sim: SageMakerSimulator, locations: list[str], since: float) -> list[float | None]:
    landed = sim.landed
    return [None if loc not in landed else landed[loc] - since for loc in locations]


def resize(sim: SageMakerSimulator, count: int, name: str = "churn") -> None:
    sim.client("sagemaker").update_endpoint_weights_and_capacities(
        EndpointName=name,
        DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": count}],
    )


def variant(sim: SageMakerSimulator, name: str = "churn") -> dict[str, Any]:
    answer = sim.client("sagemaker").describe_endpoint(EndpointName=name)
    variants: list[dict[str, Any]] = answer["ProductionVariants"]
    return variants[0]


def failure_body(sim: SageMakerSimulator, inference_id: str) -> str:
    s3 = sim.client("s3")
    body = s3.get_object(Bucket=BUCKET, Key=f"failures/{inference_id}-error.out")["Body"].read()
    return str(body.decode())


def metric(
    sim: SageMakerSimulator, name: str, *, variant_name: str | None = None, stat: str = "Maximum"
) -> list[tuple[float, float]]:
    """The metric's datapoints (minutes since the simulator's start, value), oldest first."""
    dimensions = [{"Name": "EndpointName", "Value": "churn"}]
    if variant_name is not None:
        dimensions.append({"Name": "VariantName", "Value": variant_name})
    now = sim.now()
    answer = sim.client("cloudwatch").get_metric_data(
        MetricDataQueries=[
            {
                "Id": "m",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/SageMaker",
                        "MetricName": name,
                        "Dimensions": dimensions,
                    },
                    "Period": 60,
                    "Stat": stat,
                },
            }
        ],
        StartTime=now - timedelta(hours=3),
        EndTime=now + timedelta(minutes=1),
        ScanBy="TimestampAscending",
    )
    result = answer["MetricDataResults"][0]
    start = sim.wall(0.0)
    return [
        ((stamp - start).total_seconds() / 60, value)
        for stamp, value in zip(result["Timestamps"], result["Values"], strict=True)
    ]


# -- slots and the backlog -------------------------------------------------------------


def test_one_slot_runs_requests_one_after_another(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, max_concurrent=1)
    start = cap_sim.clock.time()
    locations = invoke(cap_sim, 3)

    clock_of(cap_sim).advance(100)

    assert landed_at(cap_sim, locations, start) == [30.0, 60.0, 90.0]


def test_slots_are_instances_times_max_concurrent(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, instances=2, max_concurrent=2)
    start = cap_sim.clock.time()
    locations = invoke(cap_sim, 5)

    clock_of(cap_sim).advance(100)

    assert landed_at(cap_sim, locations, start) == [30.0, 30.0, 30.0, 30.0, 60.0]


def test_without_max_concurrent_every_result_lands_latency_after_the_call(
    cap_sim: SageMakerSimulator,
) -> None:
    deploy(cap_sim)
    start = cap_sim.clock.time()
    locations = invoke(cap_sim, 20)

    clock_of(cap_sim).advance(30)

    assert landed_at(cap_sim, locations, start) == [30.0] * 20


def test_the_backlog_counts_waiting_and_running(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, max_concurrent=1)
    invoke(cap_sim, 4)

    sizes = [cap_sim.backlog_size("churn")]
    clock_of(cap_sim).advance(30)
    sizes.append(cap_sim.backlog_size("churn"))

    assert sizes == [4, 3]


# -- resizing -----------------------------------------------------------------------------


def test_resizing_goes_updating_until_the_new_instances_serve(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    sagemaker = cap_sim.client("sagemaker")
    resize(cap_sim, 3)

    seen = [sagemaker.describe_endpoint(EndpointName="churn")["EndpointStatus"]]
    counts = [(variant(cap_sim)["CurrentInstanceCount"], variant(cap_sim)["DesiredInstanceCount"])]
    clock_of(cap_sim).advance(START)
    seen.append(sagemaker.describe_endpoint(EndpointName="churn")["EndpointStatus"])
    counts.append(
        (variant(cap_sim)["CurrentInstanceCount"], variant(cap_sim)["DesiredInstanceCount"])
    )

    assert (seen, counts) == (["Updating", "InService"], [(1, 3), (3, 3)])


def test_a_resize_while_updating_is_refused(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    resize(cap_sim, 2)

    with pytest.raises(Exception, match="Cannot update in-progress endpoint") as caught:
        resize(cap_sim, 3)

    assert "ValidationException" in str(caught.value)


def test_a_resize_of_an_unknown_variant_is_refused(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)

    with pytest.raises(Exception, match='variant name\\(s\\) "Blue" is/are not present'):
        cap_sim.client("sagemaker").update_endpoint_weights_and_capacities(
            EndpointName="churn",
            DesiredWeightsAndCapacities=[{"VariantName": "Blue", "DesiredInstanceCount": 2}],
        )


def test_at_zero_instances_requests_are_accepted_and_wait(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    resize(cap_sim, 0)
    clock_of(cap_sim).advance(10)
    start = cap_sim.clock.time()

    locations = invoke(cap_sim, 2)
    clock_of(cap_sim).advance(600)
    waited = (landed_at(cap_sim, locations, start), cap_sim.backlog_size("churn"))
    resize(cap_sim, 1)
    clock_of(cap_sim).advance(START + 30)

    assert (
        waited,
        landed_at(cap_sim, locations, start),
    ) == (([None, None], 2), [600.0 + START + 30] * 2)


def test_removed_instances_finish_their_work_first(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, instances=2, max_concurrent=1)
    start = cap_sim.clock.time()
    locations = invoke(cap_sim, 3)

    clock_of(cap_sim).advance(5)
    resize(cap_sim, 1)
    clock_of(cap_sim).advance(100)

    assert landed_at(cap_sim, locations, start) == [30.0, 30.0, 60.0]


def test_describe_endpoint_shows_weights_and_deployed_images(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)

    shown = variant(cap_sim)

    assert (
        shown["CurrentWeight"],
        shown["DesiredWeight"],
        shown["DeployedImages"][0]["SpecifiedImage"],
        shown["DeployedImages"][0]["ResolvedImage"].startswith(f"{IMAGE}@sha256:"),
    ) == (1.0, 1.0, IMAGE, True)


def test_an_update_resets_counts_unless_told_to_retain_them(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    sagemaker = cap_sim.client("sagemaker")
    resize(cap_sim, 3)
    clock_of(cap_sim).advance(START)
    for name in ("churn-v2", "churn-v3"):
        sagemaker.create_endpoint_config(
            EndpointConfigName=name,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "churn",
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": 1,
                }
            ],
            AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": OUTPUT}},
        )

    sagemaker.update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2", RetainAllVariantProperties=True
    )
    clock_of(cap_sim).advance(10)
    retained = variant(cap_sim)["DesiredInstanceCount"]
    sagemaker.update_endpoint(EndpointName="churn", EndpointConfigName="churn-v3")
    clock_of(cap_sim).advance(10)

    assert (retained, variant(cap_sim)["DesiredInstanceCount"]) == (3, 1)


# -- expiry -------------------------------------------------------------------------------


def test_a_request_not_started_within_its_ttl_fails(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    resize(cap_sim, 0)
    clock_of(cap_sim).advance(10)
    start = cap_sim.clock.time()
    runtime = cap_sim.client("sagemaker-runtime")
    answer = runtime.invoke_endpoint_async(
        EndpointName="churn", Body=b"x", InferenceId="late", RequestTTLSeconds=60
    )

    clock_of(cap_sim).advance(61)

    assert (
        landed_at(cap_sim, [answer["FailureLocation"]], start),
        failure_body(cap_sim, "late"),
    ) == (
        [60.0],
        "Request expired: it was not processed within RequestTTLSeconds (60 s).",
    )


def test_a_request_running_past_its_timeout_fails(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    start = cap_sim.clock.time()
    runtime = cap_sim.client("sagemaker-runtime")
    answer = runtime.invoke_endpoint_async(
        EndpointName="churn", Body=b"x", InferenceId="slow", InvocationTimeoutSeconds=5
    )

    clock_of(cap_sim).advance(40)

    assert (
        landed_at(cap_sim, [answer["FailureLocation"]], start),
        cap_sim.landed.get(answer["OutputLocation"]),
        failure_body(cap_sim, "slow"),
    ) == (
        [5.0],
        None,
        "Invocation timed out: the model did not respond within InvocationTimeoutSeconds (5 s).",
    )


def test_an_expired_request_sends_the_error_notification(cap_sim: SageMakerSimulator) -> None:
    sns = cap_sim.client("sns")
    topics = (
        sns.create_topic(Name="ok")["TopicArn"],
        sns.create_topic(Name="error")["TopicArn"],
    )
    queue = cap_sim.subscribe_queue(*topics, raw_delivery=True)
    deploy(cap_sim, topics=topics)
    resize(cap_sim, 0)
    clock_of(cap_sim).advance(10)
    cap_sim.client("sagemaker-runtime").invoke_endpoint_async(
        EndpointName="churn", Body=b"x", InferenceId="late", RequestTTLSeconds=60
    )
    clock_of(cap_sim).advance(61)

    sqs = cap_sim.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    results = [json.loads(m["Body"]) for m in messages]
    failed = [r for r in results if r.get("eventName") == "InferenceResult"]

    assert [(r["inferenceId"], r["invocationStatus"]) for r in failed] == [("late", "Failed")]


def test_out_of_range_ttl_is_refused_as_sagemaker_does(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    # botocore checks the minimum itself; another SDK may not.
    unchecked = Config(parameter_validation=False)
    runtime = cap_sim.client("sagemaker-runtime", config=unchecked)

    with pytest.raises(ClientError, match="Member must have value between 60 and 21600"):
        runtime.invoke_endpoint_async(EndpointName="churn", Body=b"x", RequestTTLSeconds=59)


# -- metrics ------------------------------------------------------------------------------


def test_backlog_metrics_are_published_every_minute(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, max_concurrent=1)
    clock_of(cap_sim).advance(50)  # to the first whole minute after the start: t=60
    invoke(cap_sim, 4)

    clock_of(cap_sim).advance(120)

    assert metric(cap_sim, "ApproximateBacklogSize") == [(1.0, 0.0), (2.0, 2.0), (3.0, 0.0)]


def test_has_backlog_without_capacity_is_one_at_zero_instances(
    cap_sim: SageMakerSimulator,
) -> None:
    deploy(cap_sim)
    resize(cap_sim, 0)
    clock_of(cap_sim).advance(50)
    invoke(cap_sim, 1)

    clock_of(cap_sim).advance(60)

    assert metric(cap_sim, "HasBacklogWithoutCapacity") == [(1.0, 0.0), (2.0, 1.0)]


def test_invocation_metrics_count_per_variant(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, max_concurrent=1)
    clock_of(cap_sim).advance(50)
    invoke(cap_sim, 2)

    clock_of(cap_sim).advance(120)

    assert (
        metric(cap_sim, "InvocationsProcesssed", variant_name="AllTraffic", stat="Sum"),
        metric(cap_sim, "TimeInBacklog", variant_name="AllTraffic", stat="Maximum"),
        metric(cap_sim, "TotalProcessingTime", variant_name="AllTraffic", stat="Sum"),
    ) == (
        [(2.0, 2.0)],
        [(2.0, 30_000.0)],
        [(2.0, 60_000.0)],
    )


# -- clients, time and Regions ------------------------------------------------------------


def test_boto3_waiters_wait_on_the_simulators_clock(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim)
    resize(cap_sim, 2)
    before = cap_sim.clock.time()

    cap_sim.client("sagemaker").get_waiter("endpoint_in_service").wait(
        EndpointName="churn", WaiterConfig={"Delay": 30, "MaxAttempts": 10}
    )

    assert cap_sim.clock.time() - before == pytest.approx(START, abs=30)


def test_now_is_the_start_time_plus_the_clock(cap_sim: SageMakerSimulator) -> None:
    first = cap_sim.now()
    clock_of(cap_sim).advance(90)

    assert ((cap_sim.now() - first).total_seconds(), first.second, first.tzinfo is not None) == (
        90.0,
        0,
        True,
    )


def test_an_endpoint_in_another_region_has_its_own_capacity(cap_sim: SageMakerSimulator) -> None:
    deploy(cap_sim, region_name="eu-west-1", instances=2)

    counts = (
        cap_sim.instance_count("churn", region_name="eu-west-1"),
        cap_sim.instance_count("churn"),
    )

    assert counts == (2, 0)
