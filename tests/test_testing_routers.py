"""The simulator's inference routers, driven by plain boto3 on both transports.

Two Regions, one endpoint each (one instance, one request at a time, 60 s a
request), on a FakeClock: 10 s to create, update or delete a router.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

EAST, WEST = "us-east-1", "us-west-2"
BUCKET = "results"
INPUT = f"s3://{BUCKET}/inputs/one"


@pytest.fixture(params=["inprocess", "server"])
def router_sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    with simulated_sagemaker(
        transport=request.param,
        clock=FakeClock(),
        create_seconds=10.0,
        update_seconds=10.0,
        delete_seconds=10.0,
        latency=60.0,
    ) as simulator:
        yield simulator


def clock_of(sim: SageMakerSimulator) -> FakeClock:
    clock = sim.clock
    assert isinstance(clock, FakeClock)
    return clock


def endpoint_arn(sim: SageMakerSimulator, region: str, name: str = "churn") -> str:
    return f"arn:aws:sagemaker:{region}:{sim.account_id}:endpoint/{name}"


def deploy(sim: SageMakerSimulator, region: str, *, asynchronous: bool = True) -> str:
    sagemaker = sim.client("sagemaker", region_name=region)
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn=f"arn:aws:iam::{sim.account_id}:role/SageMakerRole",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"},
    )
    extra: dict[str, Any] = {}
    if asynchronous:
        extra["AsyncInferenceConfig"] = {
            "OutputConfig": {"S3OutputPath": f"s3://{BUCKET}/endpoint-output"},
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 1},
        }
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        **extra,
    )
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn")
    return endpoint_arn(sim, region)


def target(*destinations: str, **client: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "OutputConfig": {
            "S3OutputPath": f"s3://{BUCKET}/router-output",
            "S3FailurePath": f"s3://{BUCKET}/router-failures",
        }
    }
    if client:
        config["ClientConfig"] = client
    return {
        "Name": "churn",
        "Destinations": [{"ResourceArn": arn} for arn in destinations],
        "AsyncInferenceConfig": config,
    }


@pytest.fixture
def two_regions(router_sim: SageMakerSimulator) -> tuple[str, str]:
    """Endpoints in us-east-1 and us-west-2, InService; the results bucket with one input."""
    arns = (deploy(router_sim, EAST), deploy(router_sim, WEST))
    s3 = router_sim.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="inputs/one", Body=b"hello")
    clock_of(router_sim).advance(10)
    return arns


def create_router(sim: SageMakerSimulator, *targets: dict[str, Any], wait: bool = True) -> str:
    arn: str = sim.client("sagemaker").create_inference_router(
        InferenceRouterName="churn", RoutingTargets=list(targets)
    )["InferenceRouterArn"]
    if wait:
        clock_of(sim).advance(10)
    return arn


def describe(sim: SageMakerSimulator) -> dict[str, Any]:
    return dict(sim.client("sagemaker").describe_inference_router(InferenceRouterName="churn"))


def error_of(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def invoke(sim: SageMakerSimulator, input_location: str = INPUT, **extra: Any) -> dict[str, Any]:
    runtime = sim.client("sagemaker-inference-router-runtime")
    return dict(
        runtime.invoke_inference_router_async(
            InferenceRouterName="churn",
            RoutingTargetName="churn",
            InputLocation=input_location,
            **extra,
        )
    )


def keys(sim: SageMakerSimulator, prefix: str) -> list[str]:
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


# -- the control plane --------------------------------------------------------------------------


def test_a_new_router_is_creating(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions), wait=False)

    assert describe(router_sim)["Status"] == "Creating"


def test_a_router_is_in_service_after_the_create_delay(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))

    assert describe(router_sim)["Status"] == "InService"


def test_create_answers_the_router_arn(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    arn = create_router(router_sim, target(*two_regions))

    expected = f"arn:aws:sagemaker:us-east-1:{router_sim.account_id}:inference-router/churn"
    assert expected == arn


def test_describe_gives_each_destinations_routing_status(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    missing = endpoint_arn(router_sim, WEST, "gone")
    create_router(router_sim, target(*two_regions, missing))

    statuses = [
        d["RoutingStatus"] for d in describe(router_sim)["RoutingTargets"][0]["Destinations"]
    ]
    expected = ["Routable", "Routable", "Unroutable"]
    assert expected == statuses


def test_a_destination_of_another_account_is_unknown(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    other = "arn:aws:sagemaker:us-east-1:210987654321:endpoint/churn"
    create_router(router_sim, target(other))

    destination = describe(router_sim)["RoutingTargets"][0]["Destinations"][0]
    assert destination["RoutingStatus"] == "Unknown"


def test_a_destination_without_instances_or_scaling_is_unroutable(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    router_sim.client("sagemaker").update_endpoint_weights_and_capacities(
        EndpointName="churn",
        DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 0}],
    )
    create_router(router_sim, target(*two_regions))

    destination = describe(router_sim)["RoutingTargets"][0]["Destinations"][0]
    assert destination["RoutingStatus"] == "Unroutable"


def test_a_scalable_destination_at_zero_instances_is_routable(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    router_sim.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/churn/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=0,
        MaxCapacity=2,
    )
    router_sim.client("sagemaker").update_endpoint_weights_and_capacities(
        EndpointName="churn",
        DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 0}],
    )
    create_router(router_sim, target(*two_regions))

    destination = describe(router_sim)["RoutingTargets"][0]["Destinations"][0]
    assert destination["RoutingStatus"] == "Routable"


def test_an_existing_name_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    arn = create_router(router_sim, target(*two_regions))
    with pytest.raises(ClientError) as info:
        create_router(router_sim, target(*two_regions))

    expected = (
        "ResourceAlreadyExists",
        f'Cannot create already existing inference router "{arn}".',
    )
    assert expected == error_of(info)


def test_an_update_while_creating_is_a_conflict(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    arn = create_router(router_sim, target(*two_regions), wait=False)
    with pytest.raises(ClientError) as info:
        router_sim.client("sagemaker").update_inference_router(
            InferenceRouterName="churn", RoutingTargets=[target(two_regions[0])]
        )

    expected = (
        "ConflictException",
        f'Cannot modify inference router "{arn}" while its status is Creating. Describe the '
        "router, and send the request again when it is InService or Failed.",
    )
    assert expected == error_of(info)


def test_an_update_replaces_every_routing_target(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    router_sim.client("sagemaker").update_inference_router(
        InferenceRouterName="churn", RoutingTargets=[target(two_regions[1])]
    )
    clock_of(router_sim).advance(10)

    destinations = [
        d["ResourceArn"] for d in describe(router_sim)["RoutingTargets"][0]["Destinations"]
    ]
    assert [two_regions[1]] == destinations


def test_an_updating_router_shows_its_previous_targets(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    router_sim.client("sagemaker").update_inference_router(
        InferenceRouterName="churn", RoutingTargets=[target(two_regions[1])]
    )

    answer = describe(router_sim)
    shown = (answer["Status"], len(answer["RoutingTargets"][0]["Destinations"]))
    assert shown == ("Updating", 2)


def test_a_real_time_destination_is_refused(router_sim: SageMakerSimulator) -> None:
    arn = deploy(router_sim, EAST, asynchronous=False)
    with pytest.raises(ClientError) as info:
        create_router(router_sim, target(arn))

    expected = (
        "ValidationException",
        f"Destination {arn} is a real-time endpoint; the destinations of an asynchronous "
        "routing target must be asynchronous endpoints.",
    )
    assert expected == error_of(info)


def test_instance_pool_order_needs_pool_ordered_destinations(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    with pytest.raises(ClientError) as info:
        create_router(
            router_sim, {**target(*two_regions), "RoutingPreference": "InstancePoolOrder"}
        )

    expected = (
        "ValidationException",
        "RoutingPreference InstancePoolOrder needs every destination to be an endpoint that "
        "lists the same two or more instance types, each with a different priority, in the "
        f"same order: {two_regions[0]} does not.",
    )
    assert expected == error_of(info)


def test_a_destination_of_another_partition_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    china = "arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/churn"
    with pytest.raises(ClientError) as info:
        create_router(router_sim, target(china))

    expected = (
        "ValidationException",
        f"1 validation error detected: Destination {china} is not in the inference router's "
        "partition (aws).",
    )
    assert expected == error_of(info)


def test_max_time_in_backlog_above_21600_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    with pytest.raises(ClientError) as info:
        create_router(router_sim, target(*two_regions, MaxTimeInBacklogSeconds=21_601))

    expected = (
        "ValidationException",
        "1 validation error detected: Value '21601' at "
        "'routingTargets.1.member.asyncInferenceConfig.clientConfig.maxTimeInBacklogSeconds' "
        "failed to satisfy constraint: Member must have value between 60 and 21600",
    )
    assert expected == error_of(info)


def test_describing_a_missing_router_is_not_found(router_sim: SageMakerSimulator) -> None:
    with pytest.raises(ClientError) as info:
        describe(router_sim)

    arn = f"arn:aws:sagemaker:us-east-1:{router_sim.account_id}:inference-router/churn"
    expected = ("ResourceNotFound", f'Could not find inference router "{arn}".')
    assert expected == error_of(info)


def test_a_deleted_router_is_gone_after_the_delete_delay(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    router_sim.client("sagemaker").delete_inference_router(InferenceRouterName="churn")
    clock_of(router_sim).advance(10)

    listed = router_sim.client("sagemaker").list_inference_routers()["InferenceRouters"]
    assert listed == []


def test_list_names_every_router_of_the_region(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))

    listed = router_sim.client("sagemaker").list_inference_routers()["InferenceRouters"]
    assert [r["InferenceRouterName"] for r in listed] == ["churn"]


# -- the runtime ----------------------------------------------------------------------------------


def test_invoke_answers_the_routing_targets_locations(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    answer = invoke(router_sim, InferenceId="one")

    expected = (
        "one",
        f"s3://{BUCKET}/router-output/one.out",
        f"s3://{BUCKET}/router-failures/one-error.out",
    )
    assert expected == (answer["InferenceId"], answer["OutputLocation"], answer["FailureLocation"])


def test_the_result_lands_at_the_routing_targets_output(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    invoke(router_sim, InferenceId="one")
    clock_of(router_sim).advance(60)

    body = router_sim.client("s3").get_object(Bucket=BUCKET, Key="router-output/one.out")["Body"]
    assert body.read() == b"hello"


def test_the_local_region_serves_first(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(two_regions[1], two_regions[0]))
    invoke(router_sim, InferenceId="one")

    expected = (1, 0)
    assert expected == (router_sim.backlog_size("churn"), router_sim.backlog_size("churn", WEST))


def test_a_request_waiting_past_max_time_in_backlog_moves(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions, MaxTimeInBacklogSeconds=60))
    invoke(router_sim, InferenceId="one")
    invoke(router_sim, InferenceId="two")
    invoke(router_sim, InferenceId="three")
    clock_of(router_sim).advance(60)

    # one ended; two started on the local endpoint as it did; three moved west.
    expected = (1, 1)
    assert expected == (router_sim.backlog_size("churn"), router_sim.backlog_size("churn", WEST))


def test_a_moved_request_keeps_its_output_location(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions, MaxTimeInBacklogSeconds=60))
    for name in ("one", "two", "three"):
        invoke(router_sim, InferenceId=name)
    clock_of(router_sim).advance(120)

    expected = [f"router-output/{name}.out" for name in ("one", "three", "two")]
    assert expected == keys(router_sim, "router-output/")


def test_a_request_expires_at_its_ttl_with_the_routing_targets_failure(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(two_regions[0]))
    invoke(router_sim, InferenceId="one")
    invoke(router_sim, InferenceId="two")
    invoke(router_sim, InferenceId="three", RequestTTLSeconds=60)
    clock_of(router_sim).advance(60)

    body = router_sim.client("s3").get_object(Bucket=BUCKET, Key="router-failures/three-error.out")
    expected = b"Request expired: it was not processed within RequestTTLSeconds (60 s)."
    assert expected == body["Body"].read()


def test_a_request_with_no_routable_destination_fails(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(endpoint_arn(router_sim, WEST, "gone")))
    invoke(router_sim, InferenceId="one")

    body = router_sim.client("s3").get_object(Bucket=BUCKET, Key="router-failures/one-error.out")
    expected = (
        b"No destination could take the request: every destination of the routing target "
        b"has been tried."
    )
    assert expected == body["Body"].read()


def test_the_error_topic_is_told_of_a_failure(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    sns, sqs = router_sim.client("sns"), router_sim.client("sqs")
    topic = sns.create_topic(Name="errors")["TopicArn"]
    queue = sqs.create_queue(QueueName="errors")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn["Attributes"]["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )
    failing = target(endpoint_arn(router_sim, WEST, "gone"))
    failing["AsyncInferenceConfig"]["OutputConfig"]["NotificationConfig"] = {"ErrorTopic": topic}
    create_router(router_sim, failing)
    invoke(router_sim, InferenceId="one")

    message = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]
    body = json.loads(message["Body"])
    expected = ("one", "Failed")
    assert expected == (body["inferenceId"], body["invocationStatus"])


def test_there_is_no_inline_body(router_sim: SageMakerSimulator) -> None:
    runtime = router_sim.client("sagemaker-inference-router-runtime")
    with pytest.raises(ParamValidationError) as info:
        runtime.invoke_inference_router_async(
            InferenceRouterName="churn", RoutingTargetName="churn", InputLocation=INPUT, Body=b"x"
        )

    assert 'Unknown parameter in input: "Body"' in str(info.value)


def test_an_input_bucket_in_another_region_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    router_sim.client("s3", region_name=WEST).create_bucket(
        Bucket="west-inputs", CreateBucketConfiguration={"LocationConstraint": WEST}
    )
    create_router(router_sim, target(*two_regions))
    with pytest.raises(ClientError) as info:
        invoke(router_sim, "s3://west-inputs/one")

    expected = (
        "ValidationException",
        "The input bucket west-inputs is in us-west-2: it must be in the inference router's "
        "Region (us-east-1).",
    )
    assert expected == error_of(info)


def test_an_unknown_routing_target_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    runtime = router_sim.client("sagemaker-inference-router-runtime")
    with pytest.raises(ClientError) as info:
        runtime.invoke_inference_router_async(
            InferenceRouterName="churn", RoutingTargetName="other", InputLocation=INPUT
        )

    expected = ("ValidationException", "Routing target other not found in inference router churn.")
    assert expected == error_of(info)


def test_a_creating_router_cannot_be_invoked(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions), wait=False)
    with pytest.raises(ClientError) as info:
        invoke(router_sim)

    expected = (
        "ValidationException",
        f"Inference router churn of account {router_sim.account_id} not found in us-east-1, "
        "or not in service.",
    )
    assert expected == error_of(info)


def test_an_invocation_timeout_above_3600_is_refused(
    router_sim: SageMakerSimulator, two_regions: tuple[str, str]
) -> None:
    create_router(router_sim, target(*two_regions))
    with pytest.raises(ClientError) as info:
        invoke(router_sim, InvocationTimeoutSeconds=3601)

    expected = (
        "ValidationException",
        "1 validation error detected: Value '3601' at 'InvocationTimeoutSeconds' failed to "
        "satisfy constraint: Member must have value between 1 and 3600",
    )
    assert expected == error_of(info)


def test_the_router_runtime_is_unpatched_after_the_simulator_stops() -> None:
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    before = (BotocoreStubber.process_request, DomainDispatcherApplication.get_application)
    with simulated_sagemaker(clock=FakeClock()):
        pass

    assert before == (BotocoreStubber.process_request, DomainDispatcherApplication.get_application)
