"""The lifecycle facade against the simulator, in-process and over HTTP.

``fake_sim`` runs on a FakeClock that the client's waiters share, so waits of
simulated minutes take milliseconds; ``sim`` runs on the real clock.
"""

from __future__ import annotations

from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async import Backoff
from sagemaker_async.testing import FakeClock, SageMakerSimulator

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
NOTHING = {"models": 0, "endpoint_configs": 0, "endpoints": 0}


def client_for(sim: SageMakerSimulator, **kwargs: Any) -> sa.AsyncInferenceClient:
    clock: Any = sim.clock
    # Simulated seconds cost nothing: poll a FakeClock as a real client polls AWS.
    fake = isinstance(clock, FakeClock)
    return sa.AsyncInferenceClient(
        sagemaker_client=sim.client("sagemaker"),
        runtime_client=sim.client("sagemaker-runtime"),
        s3_client=sim.client("s3"),
        clock=clock.time,
        sleep=clock.sleep,
        backoff=Backoff(initial=2.0, maximum=30.0) if fake else Backoff(0.05, 0.2),
        **kwargs,
    )


def model(name: str = "churn") -> sa.Model:
    return sa.Model(name=name, execution_role_arn=ROLE, container=sa.Container(image=IMAGE))


def config(name: str = "churn-v1", model_name: str = "churn") -> sa.EndpointConfig:
    return sa.EndpointConfig(
        name=name,
        variants=[sa.ProductionVariant(model_name=model_name, instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(
            output_path="s3://results-bucket/churn", failure_path="s3://results-bucket/failed"
        ),
    )


@pytest.fixture
def client(fake_sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    return client_for(fake_sim)


def test_deploy_waits_until_in_service(fake_sim: SageMakerSimulator) -> None:
    client = client_for(fake_sim)
    seen: list[str] = []

    described = client.deploy(
        model(), config(), "churn", on_progress=lambda d, _elapsed: seen.append(d.status)
    )

    assert (described.name, described.status, described.config_name) == (
        "churn",
        sa.EndpointStatus.IN_SERVICE,
        "churn-v1",
    )
    assert seen == ["Creating", "InService"]
    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 1, "endpoints": 1}


def test_deploy_over_http_with_the_real_clock(sim: SageMakerSimulator) -> None:
    client = client_for(sim)

    described = client.deploy(model(), config(), "churn", timeout=30)

    assert described.status is sa.EndpointStatus.IN_SERVICE
    client.teardown("churn")
    assert sim.resource_counts() == NOTHING


def test_create_without_wait_returns_creating(client: sa.AsyncInferenceClient) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())

    described = client.create_endpoint("churn", "churn-v1", wait=False)

    assert described.status is sa.EndpointStatus.CREATING


def test_create_model_returns_its_arn(client: sa.AsyncInferenceClient) -> None:
    arn = client.create_model(model())

    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:model/churn"


def test_failed_creation_raises_with_the_reason(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())
    fake_sim.fail_next_create("churn", "The primary container failed its ping health check.")

    with pytest.raises(sa.EndpointFailedError) as caught:
        client.create_endpoint("churn", "churn-v1")

    assert (caught.value.status, caught.value.failure_reason) == (
        "Failed",
        "The primary container failed its ping health check.",
    )


@pytest.mark.parametrize("status", ["OutOfService", "UpdateRollbackFailed"])
def test_forced_failure_states_end_the_wait(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, status: str
) -> None:
    client.deploy(model(), config(), "churn")
    fake_sim.set_status("churn", status, failure_reason="capacity lost")

    with pytest.raises(sa.EndpointFailedError) as caught:
        client.wait_for_endpoint("churn")

    assert (caught.value.status, caught.value.failure_reason) == (status, "capacity lost")


def test_system_updating_is_waited_through(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    fake_sim.set_status("churn", "SystemUpdating")

    with pytest.raises(sa.WaiterTimeoutError) as caught:
        client.wait_for_endpoint("churn", timeout=120)

    assert caught.value.last_status == "SystemUpdating"
    fake_sim.set_status("churn", None)
    assert client.wait_for_endpoint("churn").status is sa.EndpointStatus.IN_SERVICE


def test_update_serves_the_new_config(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.create_endpoint_config(config("churn-v2"))

    described = client.update_endpoint("churn", "churn-v2")

    assert (described.status, described.config_name) == (sa.EndpointStatus.IN_SERVICE, "churn-v2")


def test_update_that_rolls_back_is_a_failure(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.create_endpoint_config(config("churn-v2"))
    fake_sim.fail_next_update("churn", "The new model failed its health check.")

    with pytest.raises(sa.EndpointFailedError) as caught:
        client.update_endpoint("churn", "churn-v2")

    assert caught.value.status == "InService"
    assert caught.value.failure_reason == (
        "the update to 'churn-v2' rolled back to 'churn-v1': The new model failed its health check."
    )
    assert client.describe_endpoint("churn").config_name == "churn-v1"


def test_update_whose_rollback_fails(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.create_endpoint_config(config("churn-v2"))
    fake_sim.fail_next_update("churn", "rollback broke", rollback_fails=True)

    with pytest.raises(sa.EndpointFailedError) as caught:
        client.update_endpoint("churn", "churn-v2")

    assert caught.value.status == "UpdateRollbackFailed"


def test_update_refuses_a_config_without_async_inference(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    fake_sim.client("sagemaker").create_endpoint_config(
        EndpointConfigName="realtime",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    )
    before = fake_sim.calls["UpdateEndpoint"]

    with pytest.raises(sa.ValidationError) as caught:
        client.update_endpoint("churn", "realtime")

    assert caught.value.fields == ("config_name",)
    assert "AsyncInferenceConfig" in str(caught.value)
    assert fake_sim.calls["UpdateEndpoint"] == before


def test_create_endpoint_retries_an_invisible_config(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())
    fake_sim.hide_endpoint_config("churn-v1", reads=3)

    described = client.create_endpoint("churn", "churn-v1")

    assert described.status is sa.EndpointStatus.IN_SERVICE


def test_create_endpoint_gives_up_on_a_config_that_never_appears(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())
    fake_sim.hide_endpoint_config("churn-v1", reads=1000)

    with pytest.raises(sa.ResourceNotFoundError) as caught:
        client.create_endpoint("churn", "churn-v1")

    assert caught.value.message.startswith("Could not find endpoint configuration")
    assert "churn-v1" in caught.value.message
    assert fake_sim.calls["CreateEndpoint"] == 0


def test_deploy_that_fails_leaves_nothing_behind(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    fake_sim.fail_next_create("churn", "no capacity")

    with pytest.raises(sa.EndpointFailedError):
        client.deploy(model(), config(), "churn")

    assert fake_sim.resource_counts() == NOTHING


def test_deploy_whose_config_fails_deletes_the_model(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    two_models = sa.EndpointConfig(
        name="churn-v1",
        variants=[
            sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large"),
            sa.ProductionVariant(
                model_name="missing", variant_name="B", instance_type="ml.m5.large"
            ),
        ],
        async_inference=config().async_inference,
    )

    with pytest.raises(sa.ResourceNotFoundError):
        client.deploy(model(), two_models, "churn")

    assert fake_sim.resource_counts() == NOTHING


def test_deploy_onto_an_existing_endpoint_keeps_it(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")

    with pytest.raises(sa.ResourceExistsError):
        client.deploy(model("churn2"), config("churn-v2", "churn2"), "churn")

    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 1, "endpoints": 1}
    assert client.describe_endpoint("churn").config_name == "churn-v1"


def test_deploy_refuses_a_config_not_serving_the_model(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.deploy(model("other"), config(), "churn")

    assert caught.value.fields == ("config.variants",)


def test_teardown_deletes_endpoint_config_and_models(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")

    client.teardown("churn")

    assert fake_sim.resource_counts() == NOTHING


def test_teardown_of_a_missing_endpoint_is_no_error(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.teardown("never-created")

    assert fake_sim.resource_counts() == NOTHING


def test_teardown_with_config_already_gone(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.delete_endpoint_config("churn-v1", force=True)

    client.teardown("churn")

    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 0, "endpoints": 0}


def test_teardown_with_models_already_gone(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.delete_model("churn")

    client.teardown("churn")

    assert fake_sim.resource_counts() == NOTHING


def test_teardown_keeps_a_config_another_endpoint_uses(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")
    client.create_endpoint("churn-shadow", "churn-v1")

    client.teardown("churn")

    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 1, "endpoints": 1}


def test_delete_endpoint_config_in_use_is_refused(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")

    with pytest.raises(sa.ResourceInUseError) as caught:
        client.delete_endpoint_config("churn-v1")

    assert "Endpoint 'churn' uses endpoint configuration 'churn-v1'" in str(caught.value)
    assert fake_sim.resource_counts()["endpoint_configs"] == 1


def test_delete_endpoint_config_in_use_with_force(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")

    client.delete_endpoint_config("churn-v1", force=True)

    assert fake_sim.resource_counts()["endpoint_configs"] == 0


def test_create_timeout_uses_the_injected_clock(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())
    client.create_endpoint("churn", "churn-v1", wait=False)
    fake_sim.set_status("churn", "Creating")

    with pytest.raises(sa.WaiterTimeoutError) as caught:
        client.wait_for_endpoint("churn", timeout=90)

    assert (caught.value.last_status, caught.value.elapsed) == ("Creating", 90.0)


def test_delete_endpoint_waits_until_gone(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.deploy(model(), config(), "churn")

    client.delete_endpoint("churn")

    assert fake_sim.resource_counts()["endpoints"] == 0


def test_duplicate_model_is_resource_exists(client: sa.AsyncInferenceClient) -> None:
    client.create_model(model())

    with pytest.raises(sa.ResourceExistsError) as caught:
        client.create_model(model())

    assert (caught.value.code, caught.value.operation) == ("ValidationException", "CreateModel")


def test_missing_endpoint_is_resource_not_found(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ResourceNotFoundError) as caught:
        client.describe_endpoint("nope")

    assert caught.value.operation == "DescribeEndpoint"


def test_update_in_progress_is_resource_in_use(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    client.create_model(model())
    client.create_endpoint_config(config())
    client.create_endpoint_config(config("churn-v2"))
    client.create_endpoint("churn", "churn-v1", wait=False)

    with pytest.raises(sa.ResourceInUseError) as caught:
        client.update_endpoint("churn", "churn-v2")

    assert caught.value.operation == "UpdateEndpoint"


def test_bad_names_fail_before_any_call(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.create_endpoint("bad_name", "-bad")

    assert caught.value.fields == ("endpoint_name", "config_name")
    assert sum(fake_sim.calls.values()) == 0
