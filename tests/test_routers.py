"""The client's inference router methods, against the simulator on both transports."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

import sagemaker_async as sa
from sagemaker_async.routers import RouterFailedError, RouterTimeoutError
from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

EAST, WEST = "us-east-1", "us-west-2"
BUCKET = "results"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"


@pytest.fixture(params=["inprocess", "server"])
def sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    with simulated_sagemaker(
        transport=request.param,
        clock=FakeClock(),
        create_seconds=120.0,
        update_seconds=120.0,
        delete_seconds=60.0,
        latency=60.0,
    ) as simulator:
        yield simulator


def deploy(sim: SageMakerSimulator, region: str) -> str:
    client = sim.async_client(
        sagemaker_client=sim.client("sagemaker", region_name=region),
        s3_client=sim.client("s3", region_name=region),
    )
    client.deploy(
        sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE)),
        sa.EndpointConfig(
            name="churn",
            variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path=f"s3://{BUCKET}/endpoint-output",
                max_concurrent_invocations_per_instance=1,
            ),
        ),
        "churn",
    )
    return f"arn:aws:sagemaker:{region}:{sim.account_id}:endpoint/churn"


@pytest.fixture
def router(sim: SageMakerSimulator) -> sa.InferenceRouter:
    sim.client("s3").create_bucket(Bucket=BUCKET)
    destinations = [deploy(sim, EAST), deploy(sim, WEST)]
    return sa.InferenceRouter(
        name="churn",
        targets=[
            sa.RoutingTarget(
                name="churn",
                destinations=destinations,
                output_path=f"s3://{BUCKET}/router-output",
                failure_path=f"s3://{BUCKET}/router-failures",
                max_time_in_backlog_seconds=60,
            )
        ],
    )


def test_create_waits_until_in_service(sim: SageMakerSimulator, router: sa.InferenceRouter) -> None:
    described = sim.async_client().create_inference_router(router)

    expected = (sa.InferenceRouterStatus.IN_SERVICE, router.targets)
    assert expected == (described.status, described.targets)


def test_create_without_waiting_is_creating(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    described = sim.async_client().create_inference_router(router, wait=False)

    assert described.status == sa.InferenceRouterStatus.CREATING


def test_describe_reads_each_destinations_routing_status(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)

    statuses = set(client.describe_inference_router("churn").destination_status.values())
    assert {sa.RoutingStatus.ROUTABLE} == statuses


def test_a_creating_router_times_out(sim: SageMakerSimulator, router: sa.InferenceRouter) -> None:
    client = sim.async_client()
    client.create_inference_router(router, wait=False)
    with pytest.raises(RouterTimeoutError) as info:
        client.wait_for_inference_router("churn", timeout=30)

    assert str(info.value).startswith("Inference router 'churn' was still Creating after")


def test_an_update_while_creating_waits_then_replaces_the_targets(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router, wait=False)
    west_only = sa.InferenceRouter(
        name="churn",
        targets=[
            sa.RoutingTarget(
                name="west",
                destinations=[router.targets[0].destinations[1]],
                output_path=f"s3://{BUCKET}/router-output",
                failure_path=f"s3://{BUCKET}/router-failures",
            )
        ],
    )

    described = client.update_inference_router(west_only)

    expected = (sa.InferenceRouterStatus.IN_SERVICE, west_only.targets)
    assert expected == (described.status, described.targets)


def test_delete_waits_until_gone(sim: SageMakerSimulator, router: sa.InferenceRouter) -> None:
    client = sim.async_client()
    client.create_inference_router(router)
    client.delete_inference_router("churn")

    with pytest.raises(sa.ResourceNotFoundError):
        client.describe_inference_router("churn")


def test_invoke_uploads_the_body_and_returns_the_result(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)

    invocation = client.invoke_router_async("churn", "churn", b"hello", inference_id="one")

    expected = (f"s3://{BUCKET}/router-output/one.out", b"hello")
    assert expected == (invocation.output_location, invocation.result(timeout=120))


def test_the_body_is_uploaded_in_the_routing_targets_output_bucket(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)
    client.invoke_router_async("churn", "churn", b"hello", inference_id="one")

    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="sagemaker-async-inputs/")
    assert [item["Key"] for item in listed["Contents"]] == ["sagemaker-async-inputs/churn/one"]


def test_a_burst_spreads_over_both_regions_and_every_result_lands(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)
    invocations = [client.invoke_router_async("churn", "churn", f"{i}") for i in range(4)]

    sa.wait_all(invocations, timeout=600)

    expected = [b"0", b"1", b"2", b"3"]
    assert expected == [invocation.result() for invocation in invocations]


def test_neither_body_nor_input_location_is_refused(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    with pytest.raises(sa.ValidationError) as info:
        sim.async_client().invoke_router_async("churn", "churn")

    expected = "either a body or an input_location (exactly one)"
    assert expected == info.value.problems[0].expected


def test_a_bad_router_name_is_refused_before_any_call(sim: SageMakerSimulator) -> None:
    with pytest.raises(sa.ValidationError) as info:
        sim.async_client().invoke_router_async("-bad", "churn", b"x")

    assert info.value.fields == ("router_name",)


def test_a_failed_router_raises_with_its_reason() -> None:
    error = RouterFailedError("churn", "Failed", "Internal failure")

    expected = (
        "Inference router 'churn' did not reach InService: it is Failed. Reason: Internal failure"
    )
    assert expected == str(error)


def test_a_create_planned_to_fail_raises_with_the_routers_reason(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    sim.fail_next_router_change("churn", "Destination endpoint could not be validated.")

    with pytest.raises(RouterFailedError) as info:
        client.create_inference_router(router)

    described = client.describe_inference_router("churn")
    assert "Destination endpoint could not be validated." in str(info.value)
    assert (described.status, described.status_reason, described.targets) == (
        sa.InferenceRouterStatus.FAILED,
        "Destination endpoint could not be validated.",
        (),
    )


def test_a_failed_update_keeps_the_old_targets_and_the_router_can_be_deleted(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)
    renamed = sa.InferenceRouter(
        name="churn",
        targets=[sa.RoutingTarget(**{**_fields(router.targets[0]), "name": "churn-v2"})],
    )
    sim.fail_next_router_change("churn")

    with pytest.raises(RouterFailedError):
        client.update_inference_router(renamed)
    described = client.describe_inference_router("churn")
    client.delete_inference_router("churn")

    assert (described.status, [t.name for t in described.targets]) == ("Failed", ["churn"])
    with pytest.raises(sa.ResourceNotFoundError):
        client.describe_inference_router("churn")


def test_a_failed_router_refuses_invocations(
    sim: SageMakerSimulator, router: sa.InferenceRouter
) -> None:
    client = sim.async_client()
    client.create_inference_router(router)
    sim.fail_next_router_change("churn")
    with pytest.raises(RouterFailedError):
        client.update_inference_router(router)

    with pytest.raises(sa.ServiceError, match="not in service"):
        client.invoke_router_async("churn", "churn", b"row")
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="sagemaker-async-inputs/")
    assert listed.get("KeyCount") == 0  # the refused request's upload is gone


def _fields(target: sa.RoutingTarget) -> dict[str, object]:
    return {field.name: getattr(target, field.name) for field in attrs.fields(sa.RoutingTarget)}
