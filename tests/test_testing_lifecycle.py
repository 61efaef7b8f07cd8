"""The SageMaker simulator's lifecycle half, driven by raw boto3 on both transports.

Every test that takes ``sim`` or ``fake_sim`` runs twice: on in-process moto and
on a moto server on 127.0.0.1. ``fake_sim`` runs on a FakeClock, so transitions
happen exactly when the test advances it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from sagemaker_async.testing import (
    DEFAULT_CREATE_SECONDS,
    EndpointEvent,
    FakeClock,
    SageMakerSimulator,
    simulated_sagemaker,
)

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
ENDPOINT_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
MODEL_PATTERN = r"^[a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?$"


# -- helpers ---------------------------------------------------------------


def arn(sim: SageMakerSimulator, kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{sim.region}:{sim.account_id}:{kind}/{name}"


def config_arn(sim: SageMakerSimulator, name: str = "churn-v1") -> str:
    return arn(sim, "endpoint-config", name)


def error(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    """The (code, message) of the ClientError *call* raises."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    details = caught.value.response["Error"]
    return details["Code"], details["Message"]


def create_model(sim: SageMakerSimulator, name: str = "churn") -> None:
    sim.client("sagemaker").create_model(
        ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE}
    )


def create_config(sim: SageMakerSimulator, name: str = "churn-v1", model: str = "churn") -> None:
    sim.client("sagemaker").create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": f"s3://results/{name}"}},
    )


def create_endpoint(sim: SageMakerSimulator, name: str = "churn", config: str = "churn-v1") -> None:
    """Model ``churn``, config *config* and endpoint *name*, which is ``Creating``."""
    create_model(sim)
    create_config(sim, config)
    sim.client("sagemaker").create_endpoint(EndpointName=name, EndpointConfigName=config)


def in_service(sim: SageMakerSimulator, name: str = "churn") -> None:
    """Endpoint *name* on ``churn-v1``, in service, and a second config ``churn-v2``."""
    create_endpoint(sim, name)
    create_config(sim, "churn-v2")
    fake_clock(sim).advance(sim.create_seconds)


def fake_clock(sim: SageMakerSimulator) -> FakeClock:
    clock = sim.clock
    assert isinstance(clock, FakeClock)
    return clock


def update(sim: SageMakerSimulator, config: str = "churn-v2") -> None:
    sim.client("sagemaker").update_endpoint(EndpointName="churn", EndpointConfigName=config)


def describe(sim: SageMakerSimulator, name: str = "churn") -> dict[str, Any]:
    return dict(sim.client("sagemaker").describe_endpoint(EndpointName=name))


def shown(sim: SageMakerSimulator, name: str = "churn") -> tuple[str, str, str | None]:
    """(EndpointStatus, EndpointConfigName, FailureReason) as DescribeEndpoint shows them."""
    described = describe(sim, name)
    return (
        described["EndpointStatus"],
        described["EndpointConfigName"],
        described.get("FailureReason"),
    )


# -- CreateEndpoint --------------------------------------------------------


def test_create_endpoint_starts_creating(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)

    assert shown(fake_sim) == ("Creating", "churn-v1", None)


def test_create_endpoint_is_still_creating_just_before_create_seconds(
    fake_sim: SageMakerSimulator,
) -> None:
    create_endpoint(fake_sim)

    fake_clock(fake_sim).advance(fake_sim.create_seconds - 0.001)

    assert describe(fake_sim)["EndpointStatus"] == "Creating"


def test_create_endpoint_is_in_service_after_create_seconds(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)

    fake_clock(fake_sim).advance(fake_sim.create_seconds)

    assert shown(fake_sim) == ("InService", "churn-v1", None)


def test_create_endpoint_on_the_real_clock_goes_creating_then_in_service(
    sim: SageMakerSimulator,
) -> None:
    create_endpoint(sim)
    seen = [describe(sim)["EndpointStatus"]]
    deadline = time.monotonic() + 20 * DEFAULT_CREATE_SECONDS
    while seen[-1] != "InService" and time.monotonic() < deadline:
        time.sleep(DEFAULT_CREATE_SECONDS / 4)
        seen.append(describe(sim)["EndpointStatus"])

    assert (seen[0], seen[-1]) == ("Creating", "InService")


def test_describe_endpoint_returns_the_async_inference_config(
    fake_sim: SageMakerSimulator,
) -> None:
    create_endpoint(fake_sim)

    assert describe(fake_sim)["AsyncInferenceConfig"] == {
        "OutputConfig": {"S3OutputPath": "s3://results/churn-v1"}
    }


def test_list_endpoints_shows_the_current_status(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)

    listed = fake_sim.client("sagemaker").list_endpoints()["Endpoints"]

    assert [(e["EndpointName"], e["EndpointStatus"]) for e in listed] == [("churn", "Creating")]


def test_status_reads_the_endpoint_without_an_api_call(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)
    fake_sim.calls.clear()

    status = fake_sim.status("churn")

    assert (status, sum(fake_sim.calls.values())) == ("Creating", 0)


def test_status_of_a_missing_endpoint_is_none(fake_sim: SageMakerSimulator) -> None:
    assert fake_sim.status("nothing") is None


# -- UpdateEndpoint --------------------------------------------------------


def test_update_endpoint_is_updating_on_the_old_config(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    assert shown(fake_sim) == ("Updating", "churn-v1", None)


def test_update_endpoint_reports_the_pending_config(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    assert describe(fake_sim)["PendingDeploymentSummary"]["EndpointConfigName"] == "churn-v2"


def test_update_endpoint_returns_the_endpoint_arn(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    answer = fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    assert answer["EndpointArn"] == arn(fake_sim, "endpoint", "churn")


def test_update_endpoint_serves_the_new_config_after_update_seconds(
    fake_sim: SageMakerSimulator,
) -> None:
    in_service(fake_sim)
    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    fake_clock(fake_sim).advance(fake_sim.update_seconds)

    assert shown(fake_sim) == ("InService", "churn-v2", None)


def test_update_endpoint_refuses_a_creating_endpoint(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)
    create_config(fake_sim, "churn-v2")

    refused = error(
        fake_sim.client("sagemaker").update_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v2",
    )

    message = f'Cannot update in-progress endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_update_endpoint_refuses_an_updating_endpoint(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")

    refused = error(sagemaker.update_endpoint, EndpointName="churn", EndpointConfigName="churn-v1")

    message = f'Cannot update in-progress endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_update_endpoint_refuses_a_failed_endpoint(fake_sim: SageMakerSimulator) -> None:
    fake_sim.fail_next_create("churn", "broken image")
    in_service(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").update_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v2",
    )

    message = f'Cannot update in-progress endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_update_endpoint_deploys_the_new_variants(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.client("sagemaker").create_endpoint_config(
        EndpointConfigName="churn-v3",
        ProductionVariants=[
            {
                "VariantName": "Blue",
                "ModelName": "churn",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
            }
        ],
    )
    update(fake_sim, "churn-v3")

    fake_clock(fake_sim).advance(fake_sim.update_seconds)

    variants = describe(fake_sim)["ProductionVariants"]
    assert [(v["VariantName"], v["CurrentInstanceCount"]) for v in variants] == [("Blue", 2)]


def test_update_endpoint_refuses_a_missing_config(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").update_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v9",
    )

    message = (
        f'Could not find endpoint configuration "{arn(fake_sim, "endpoint-config", "churn-v9")}".'
    )
    assert refused == ("ValidationException", message)


def test_update_endpoint_refuses_a_missing_endpoint(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").update_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v1",
    )

    message = f'Could not find endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


# -- DeleteEndpoint --------------------------------------------------------


def test_delete_endpoint_is_deleting(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.client("sagemaker").delete_endpoint(EndpointName="churn")

    assert describe(fake_sim)["EndpointStatus"] == "Deleting"


def test_deleted_endpoint_is_not_found_after_delete_seconds(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.delete_endpoint(EndpointName="churn")

    fake_clock(fake_sim).advance(fake_sim.delete_seconds)

    message = f'Could not find endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert error(sagemaker.describe_endpoint, EndpointName="churn") == (
        "ValidationException",
        message,
    )


def test_delete_endpoint_refuses_a_creating_endpoint(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)

    refused = error(fake_sim.client("sagemaker").delete_endpoint, EndpointName="churn")

    message = f'Cannot update in-progress endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_delete_endpoint_accepts_a_failed_endpoint(fake_sim: SageMakerSimulator) -> None:
    fake_sim.fail_next_create("churn", "broken image")
    create_endpoint(fake_sim)
    fake_clock(fake_sim).advance(fake_sim.create_seconds)

    fake_sim.client("sagemaker").delete_endpoint(EndpointName="churn")

    assert shown(fake_sim) == ("Deleting", "churn-v1", "broken image")


def test_delete_endpoint_of_a_missing_endpoint(fake_sim: SageMakerSimulator) -> None:
    refused = error(fake_sim.client("sagemaker").delete_endpoint, EndpointName="churn")

    message = f'Could not find endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_delete_endpoint_config_in_use_is_allowed(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.client("sagemaker").delete_endpoint_config(EndpointConfigName="churn-v1")

    assert (fake_sim.resource_counts()["endpoint_configs"], shown(fake_sim)) == (
        1,
        ("InService", "churn-v1", None),
    )


# -- duplicates and missing resources -------------------------------------


def test_create_model_refuses_a_duplicate(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").create_model,
        ModelName="churn",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE},
    )

    message = f'Cannot create already existing model "{arn(fake_sim, "model", "churn")}".'
    assert refused == ("ValidationException", message)


def test_create_endpoint_config_refuses_a_duplicate(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)

    with pytest.raises(ClientError) as caught:
        create_config(fake_sim)

    config_arn = arn(fake_sim, "endpoint-config", "churn-v1")
    message = f'Cannot create already existing endpoint configuration "{config_arn}".'
    assert caught.value.response["Error"]["Message"] == message


def test_create_endpoint_refuses_a_duplicate(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").create_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v1",
    )

    message = f'Cannot create already existing endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_duplicate_endpoint_leaves_the_first_one_alone(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    with pytest.raises(ClientError):
        fake_sim.client("sagemaker").create_endpoint(
            EndpointName="churn", EndpointConfigName="churn-v2"
        )

    assert shown(fake_sim) == ("InService", "churn-v1", None)


def test_describe_model_of_a_missing_model(fake_sim: SageMakerSimulator) -> None:
    refused = error(fake_sim.client("sagemaker").describe_model, ModelName="churn")

    message = f'Could not find model "{arn(fake_sim, "model", "churn")}".'
    assert refused == ("ValidationException", message)


def test_delete_model_of_a_missing_model(fake_sim: SageMakerSimulator) -> None:
    refused = error(fake_sim.client("sagemaker").delete_model, ModelName="churn")

    message = f'Could not find model "{arn(fake_sim, "model", "churn")}".'
    assert refused == ("ValidationException", message)


def test_describe_endpoint_config_of_a_missing_config(fake_sim: SageMakerSimulator) -> None:
    refused = error(
        fake_sim.client("sagemaker").describe_endpoint_config, EndpointConfigName="churn-v1"
    )

    message = (
        f'Could not find endpoint configuration "{arn(fake_sim, "endpoint-config", "churn-v1")}".'
    )
    assert refused == ("ValidationException", message)


def test_delete_endpoint_config_of_a_missing_config(fake_sim: SageMakerSimulator) -> None:
    refused = error(
        fake_sim.client("sagemaker").delete_endpoint_config, EndpointConfigName="churn-v1"
    )

    message = (
        f'Could not find endpoint configuration "{arn(fake_sim, "endpoint-config", "churn-v1")}".'
    )
    assert refused == ("ValidationException", message)


def test_create_endpoint_with_a_missing_config(fake_sim: SageMakerSimulator) -> None:
    refused = error(
        fake_sim.client("sagemaker").create_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v1",
    )

    message = (
        f'Could not find endpoint configuration "{arn(fake_sim, "endpoint-config", "churn-v1")}".'
    )
    assert refused == ("ValidationException", message)


def test_create_endpoint_config_naming_a_missing_model(fake_sim: SageMakerSimulator) -> None:
    with pytest.raises(ClientError) as caught:
        create_config(fake_sim, model="ghost")

    message = f'Could not find model "{arn(fake_sim, "model", "ghost")}".'
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": message}


# -- names -----------------------------------------------------------------


def test_create_endpoint_refuses_an_invalid_name(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)

    refused = error(
        fake_sim.client("sagemaker").create_endpoint,
        EndpointName="churn_v1",
        EndpointConfigName="churn-v1",
    )

    message = (
        "1 validation error detected: Value 'churn_v1' at 'endpointName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {ENDPOINT_PATTERN}"
    )
    assert refused == ("ValidationException", message)


def test_create_model_refuses_an_invalid_name(fake_sim: SageMakerSimulator) -> None:
    refused = error(
        fake_sim.client("sagemaker").create_model,
        ModelName="-churn",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE},
    )

    message = (
        "1 validation error detected: Value '-churn' at 'modelName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {MODEL_PATTERN}"
    )
    assert refused == ("ValidationException", message)


def test_create_endpoint_config_refuses_an_invalid_name(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)

    with pytest.raises(ClientError) as caught:
        create_config(fake_sim, "churn.v1")

    message = (
        "1 validation error detected: Value 'churn.v1' at 'endpointConfigName' failed to "
        f"satisfy constraint: Member must satisfy regular expression pattern: {ENDPOINT_PATTERN}"
    )
    assert caught.value.response["Error"]["Message"] == message


def test_a_name_too_long_breaks_two_constraints(fake_sim: SageMakerSimulator) -> None:
    name = "e" * 64

    refused = error(fake_sim.client("sagemaker").describe_endpoint, EndpointName=name)

    message = (
        f"2 validation errors detected: Value '{name}' at 'endpointName' failed to satisfy "
        "constraint: Member must have length less than or equal to 63; "
        f"Value '{name}' at 'endpointName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {ENDPOINT_PATTERN}"
    )
    assert refused == ("ValidationException", message)


def test_every_invalid_name_of_a_call_is_reported(fake_sim: SageMakerSimulator) -> None:
    refused = error(
        fake_sim.client("sagemaker").create_endpoint,
        EndpointName="churn_1",
        EndpointConfigName="churn_v1",
    )

    prefix = "failed to satisfy constraint: Member must satisfy regular expression pattern"
    message = (
        f"2 validation errors detected: Value 'churn_1' at 'endpointName' {prefix}: "
        f"{ENDPOINT_PATTERN}; Value 'churn_v1' at 'endpointConfigName' {prefix}: "
        f"{ENDPOINT_PATTERN}"
    )
    assert refused == ("ValidationException", message)


def test_names_with_inner_hyphens_and_63_characters_are_valid(
    fake_sim: SageMakerSimulator,
) -> None:
    name = "a--b-" + "c" * 58

    create_endpoint(fake_sim, name)

    assert (len(name), describe(fake_sim, name)["EndpointName"]) == (63, name)


# -- planned failures ------------------------------------------------------


def test_fail_next_create_ends_failed_with_the_reason(fake_sim: SageMakerSimulator) -> None:
    fake_sim.fail_next_create("churn", "The primary container did not pass the ping health check.")
    create_endpoint(fake_sim)

    fake_clock(fake_sim).advance(fake_sim.create_seconds)

    reason = "The primary container did not pass the ping health check."
    assert shown(fake_sim) == ("Failed", "churn-v1", reason)


def test_fail_next_create_is_creating_first(fake_sim: SageMakerSimulator) -> None:
    fake_sim.fail_next_create("churn", "broken image")

    create_endpoint(fake_sim)

    assert shown(fake_sim) == ("Creating", "churn-v1", None)


def test_fail_next_create_fails_only_the_next_create(fake_sim: SageMakerSimulator) -> None:
    fake_sim.fail_next_create("churn", "broken image")
    create_endpoint(fake_sim)
    clock = fake_clock(fake_sim)
    clock.advance(fake_sim.create_seconds)
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.delete_endpoint(EndpointName="churn")
    clock.advance(fake_sim.delete_seconds)

    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-v1")
    clock.advance(fake_sim.create_seconds)

    assert shown(fake_sim) == ("InService", "churn-v1", None)


def test_fail_next_update_rolls_back(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.fail_next_update("churn", "The new model failed its health check.")
    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    fake_clock(fake_sim).advance(fake_sim.update_seconds)

    reason = "The new model failed its health check."
    assert shown(fake_sim) == ("RollingBack", "churn-v1", reason)


def test_fail_next_update_ends_in_service_on_the_old_config_with_a_reason(
    fake_sim: SageMakerSimulator,
) -> None:
    in_service(fake_sim)
    fake_sim.fail_next_update("churn", "The new model failed its health check.")
    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    fake_clock(fake_sim).advance(2 * fake_sim.update_seconds)

    reason = "The new model failed its health check."
    assert shown(fake_sim) == ("InService", "churn-v1", reason)


def test_fail_next_update_with_a_failed_rollback(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.fail_next_update("churn", "rollback broke", rollback_fails=True)
    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    fake_clock(fake_sim).advance(2 * fake_sim.update_seconds)

    assert shown(fake_sim) == ("UpdateRollbackFailed", "churn-v1", "rollback broke")


def test_an_update_after_a_rollback_clears_the_failure_reason(
    fake_sim: SageMakerSimulator,
) -> None:
    in_service(fake_sim)
    fake_sim.fail_next_update("churn", "The new model failed its health check.")
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")
    clock = fake_clock(fake_sim)
    clock.advance(2 * fake_sim.update_seconds)

    sagemaker.update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")
    clock.advance(fake_sim.update_seconds)

    assert shown(fake_sim) == ("InService", "churn-v2", None)


# -- forced statuses -------------------------------------------------------


def test_set_status_forces_a_status(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.set_status("churn", "SystemUpdating")

    assert describe(fake_sim)["EndpointStatus"] == "SystemUpdating"


def test_set_status_shows_the_failure_reason(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.set_status("churn", "OutOfService", failure_reason="capacity lost")

    assert shown(fake_sim) == ("OutOfService", "churn-v1", "capacity lost")


def test_a_forced_status_outlasts_the_lifecycle(fake_sim: SageMakerSimulator) -> None:
    create_endpoint(fake_sim)
    fake_sim.set_status("churn", "Creating")

    fake_clock(fake_sim).advance(100 * fake_sim.create_seconds)

    assert describe(fake_sim)["EndpointStatus"] == "Creating"


def test_a_forced_in_progress_status_refuses_updates(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.set_status("churn", "SystemUpdating")

    refused = error(
        fake_sim.client("sagemaker").update_endpoint,
        EndpointName="churn",
        EndpointConfigName="churn-v2",
    )

    message = f'Cannot update in-progress endpoint "{arn(fake_sim, "endpoint", "churn")}".'
    assert refused == ("ValidationException", message)


def test_clearing_a_forced_status_shows_the_lifecycle_again(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.set_status("churn", "OutOfService", failure_reason="capacity lost")

    fake_sim.set_status("churn", None)

    assert shown(fake_sim) == ("InService", "churn-v1", None)


def test_a_deleted_endpoint_takes_its_forced_status_with_it(
    fake_sim: SageMakerSimulator,
) -> None:
    in_service(fake_sim)
    fake_sim.set_status("churn", "OutOfService")
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.delete_endpoint(EndpointName="churn")
    fake_clock(fake_sim).advance(fake_sim.delete_seconds)

    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-v1")

    assert describe(fake_sim)["EndpointStatus"] == "Creating"


def test_set_status_refuses_an_unknown_status(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    with pytest.raises(ValueError, match=r"`status` must be one of .* got 'Sleeping'"):
        fake_sim.set_status("churn", "Sleeping")


def test_set_status_refuses_a_missing_endpoint(fake_sim: SageMakerSimulator) -> None:
    with pytest.raises(ValueError, match="No endpoint called 'churn' in us-east-1"):
        fake_sim.set_status("churn", "OutOfService")


# -- eventual consistency --------------------------------------------------


def test_a_hidden_config_is_not_found_for_the_given_reads(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)
    fake_sim.hide_endpoint_config("churn-v1", reads=2)
    sagemaker = fake_sim.client("sagemaker")

    answers = []
    for _ in range(3):
        try:
            sagemaker.describe_endpoint_config(EndpointConfigName="churn-v1")
            answers.append("found")
        except ClientError as missing:
            answers.append(missing.response["Error"]["Message"])

    not_found = (
        f'Could not find endpoint configuration "{arn(fake_sim, "endpoint-config", "churn-v1")}".'
    )
    assert answers == [not_found, not_found, "found"]


def test_create_endpoint_reads_a_hidden_config_too(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)
    fake_sim.hide_endpoint_config("churn-v1", reads=1)
    sagemaker = fake_sim.client("sagemaker")

    first = error(sagemaker.create_endpoint, EndpointName="churn", EndpointConfigName="churn-v1")
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-v1")

    not_found = f'Could not find endpoint configuration "{config_arn(fake_sim)}".'
    assert (first, fake_sim.status("churn")) == (("ValidationException", not_found), "Creating")


def test_hiding_zero_reads_clears_a_hidden_config(fake_sim: SageMakerSimulator) -> None:
    create_model(fake_sim)
    create_config(fake_sim)
    fake_sim.hide_endpoint_config("churn-v1", reads=5)

    fake_sim.hide_endpoint_config("churn-v1", reads=0)

    described = fake_sim.client("sagemaker").describe_endpoint_config(EndpointConfigName="churn-v1")
    assert described["EndpointConfigName"] == "churn-v1"


def test_hide_endpoint_config_refuses_negative_reads(fake_sim: SageMakerSimulator) -> None:
    with pytest.raises(ValueError, match="`reads` must be >= 0, got -1"):
        fake_sim.hide_endpoint_config("churn-v1", reads=-1)


# -- counting --------------------------------------------------------------


def test_resource_counts_counts_each_kind(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 2, "endpoints": 1}


def test_resource_counts_is_zero_once_everything_is_deleted(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    sagemaker = fake_sim.client("sagemaker")
    sagemaker.delete_endpoint(EndpointName="churn")
    fake_clock(fake_sim).advance(fake_sim.delete_seconds)
    for config in ("churn-v1", "churn-v2"):
        sagemaker.delete_endpoint_config(EndpointConfigName=config)
    sagemaker.delete_model(ModelName="churn")

    assert fake_sim.resource_counts() == {"models": 0, "endpoint_configs": 0, "endpoints": 0}


def test_an_endpoint_still_deleting_is_counted(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)

    fake_sim.client("sagemaker").delete_endpoint(EndpointName="churn")

    assert fake_sim.resource_counts()["endpoints"] == 1


def test_calls_counts_requests_by_operation(fake_sim: SageMakerSimulator) -> None:
    sagemaker = fake_sim.client("sagemaker")

    for _ in range(2):
        sagemaker.list_endpoints()
    error(sagemaker.describe_endpoint, EndpointName="churn")

    assert dict(fake_sim.calls) == {"ListEndpoints": 2, "DescribeEndpoint": 1}


# -- listeners (the seam for invocation fulfilment) ------------------------


def test_listeners_hear_each_state_of_a_create(fake_sim: SageMakerSimulator) -> None:
    events: list[EndpointEvent] = []
    fake_sim.add_listener(events.append)
    create_endpoint(fake_sim)

    fake_clock(fake_sim).advance(fake_sim.create_seconds)
    fake_sim.status("churn")

    assert [(e.previous_status, e.status, e.at) for e in events] == [
        (None, "Creating", 0.0),
        ("Creating", "InService", fake_sim.create_seconds),
    ]


def test_listeners_hear_an_update_deploy_its_config(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.status("churn")  # delivers the create's last transition before listening
    events: list[EndpointEvent] = []
    fake_sim.add_listener(events.append)
    fake_sim.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    fake_clock(fake_sim).advance(fake_sim.update_seconds)
    fake_sim.status("churn")

    assert [(e.operation, e.status, e.config_name, e.pending_config_name) for e in events] == [
        ("UpdateEndpoint", "Updating", "churn-v1", "churn-v2"),
        ("UpdateEndpoint", "InService", "churn-v2", None),
    ]


def test_listeners_hear_a_deletion_complete(fake_sim: SageMakerSimulator) -> None:
    in_service(fake_sim)
    fake_sim.status("churn")  # delivers the create's last transition before listening
    events: list[EndpointEvent] = []
    fake_sim.add_listener(events.append)
    fake_sim.client("sagemaker").delete_endpoint(EndpointName="churn")

    fake_clock(fake_sim).advance(fake_sim.delete_seconds)
    fake_sim.status("churn")

    assert [(e.previous_status, e.status) for e in events] == [
        ("InService", "Deleting"),
        ("Deleting", None),
    ]


def test_a_removed_listener_hears_nothing(fake_sim: SageMakerSimulator) -> None:
    events: list[EndpointEvent] = []
    fake_sim.add_listener(events.append)
    fake_sim.remove_listener(events.append)

    create_endpoint(fake_sim)

    assert events == []


# -- transports, sessions, patches -----------------------------------------


def test_endpoint_url_matches_the_transport(sim: SageMakerSimulator) -> None:
    url = sim.endpoint_url

    host = None if url is None else urlsplit(url).hostname
    assert host == {"inprocess": None, "server": "127.0.0.1"}[sim.transport]


def test_client_is_built_once_per_service(sim: SageMakerSimulator) -> None:
    assert sim.client("sagemaker") is sim.client("sagemaker")


def test_session_clients_reach_the_simulator(sim: SageMakerSimulator) -> None:
    sagemaker = sim.session.client("sagemaker")

    sagemaker.list_endpoints()

    assert sim.calls["ListEndpoints"] == 1


def test_session_has_the_region_and_fake_credentials(sim: SageMakerSimulator) -> None:
    credentials = sim.session.get_credentials()

    access_key = None if credentials is None else credentials.access_key
    assert (sim.session.region_name, access_key) == ("us-east-1", "testing")


def test_client_serves_other_services(sim: SageMakerSimulator) -> None:
    s3 = sim.client("s3")

    s3.create_bucket(Bucket="results")

    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["results"]


def test_the_simulator_starts_from_an_empty_moto(sim: SageMakerSimulator) -> None:
    assert sim.resource_counts() == {"models": 0, "endpoint_configs": 0, "endpoints": 0}


@pytest.mark.parametrize("transport", ["inprocess", "server"])
def test_moto_is_restored_on_exit(transport: Any) -> None:
    create_model_before = SageMakerModelBackend.create_model

    with simulated_sagemaker(transport=transport):
        pass

    assert (
        SageMakerModelBackend.create_model is create_model_before,
        hasattr(SageMakerModelBackend, "update_endpoint"),
        hasattr(SageMakerResponse, "update_endpoint"),
        "call_action" in SageMakerResponse.__dict__,
    ) == (True, False, False, False)


def test_only_one_simulator_at_a_time(sim: SageMakerSimulator) -> None:
    with (
        pytest.raises(RuntimeError, match="A SageMaker simulator is already active"),
        simulated_sagemaker(),
    ):
        pass


def test_a_stopped_simulator_has_no_session() -> None:
    simulator = SageMakerSimulator()

    with pytest.raises(RuntimeError, match="The simulator is not running"):
        _ = simulator.session


def test_an_unknown_transport_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`transport` must be one of .* got 'carrier-pigeon'"):
        SageMakerSimulator(transport="carrier-pigeon")  # type: ignore[arg-type]


def test_negative_delays_are_refused() -> None:
    with pytest.raises(ValueError, match="`update_seconds` must be >= 0 seconds, got -1"):
        SageMakerSimulator(update_seconds=-1)


@pytest.mark.parametrize("transport", ["inprocess", "server"])
def test_zero_delays_make_transitions_immediate(transport: Any) -> None:
    with simulated_sagemaker(transport=transport, create_seconds=0) as sim_now:
        create_endpoint(sim_now)

        assert describe(sim_now)["EndpointStatus"] == "InService"


def test_the_plugin_fixture_is_an_in_process_simulator(
    sagemaker_simulator: SageMakerSimulator,
) -> None:
    assert (sagemaker_simulator.transport, sagemaker_simulator.endpoint_url) == ("inprocess", None)


def test_importing_the_library_and_its_plugin_does_not_import_moto() -> None:
    code = (
        "import sys, sagemaker_async, sagemaker_async.testing, sagemaker_async._pytest_plugin;"
        "print('moto' in sys.modules)"
    )

    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert answer.stdout.strip() == "False"


# -- FakeClock -------------------------------------------------------------


def test_fake_clock_starts_where_told() -> None:
    assert FakeClock(start=12.5).time() == 12.5


def test_fake_clock_sleep_advances_at_once() -> None:
    clock = FakeClock()
    started = time.monotonic()

    clock.sleep(3600)

    assert (clock.time(), time.monotonic() - started < 1) == (3600.0, True)


def test_fake_clock_advance_adds_up() -> None:
    clock = FakeClock()

    clock.advance(1.5)
    clock.advance(2)

    assert clock.time() == 3.5


def test_fake_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match=r"`seconds` must be >= 0 \(a clock never goes back\)"):
        FakeClock().advance(-1)
