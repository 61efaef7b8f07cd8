"""The client under faults: what it retries, what it never retries, and lost answers.

Each test plans faults with a :class:`FaultInjector` attached to the clients the
library builds itself (botocore's standard mode, five attempts), on both transports.
A read timeout is the interesting fault: the request took effect and only its
answer was lost, so the retry meets the request's own work ("already exists",
"in progress", "not found").
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async import Backoff
from sagemaker_async.testing import ErrorAnswer, FaultInjector, SageMakerSimulator

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
BUCKET = "results-bucket"
NOTHING = {"models": 0, "endpoint_configs": 0, "endpoints": 0}
ONE_EACH = {"models": 1, "endpoint_configs": 1, "endpoints": 1}
# Every attempt botocore makes for one call of a client the library builds.
BOTOCORE_ATTEMPTS = 5
DENIED = ErrorAnswer("AccessDeniedException", 400, "User is not authorized to perform this")


def model(name: str = "churn") -> sa.Model:
    return sa.Model(name=name, execution_role_arn=ROLE, container=sa.Container(image=IMAGE))


def config(name: str = "churn-v1", model_name: str = "churn") -> sa.EndpointConfig:
    return sa.EndpointConfig(
        name=name,
        variants=[sa.ProductionVariant(model_name=model_name, instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(
            output_path=f"s3://{BUCKET}/churn", failure_path=f"s3://{BUCKET}/failed"
        ),
    )


def faulty_client(
    sim: SageMakerSimulator, injector: FaultInjector, **kwargs: Any
) -> sa.AsyncInferenceClient:
    """A client whose own boto3 clients (built from the session) go through *injector*."""
    clock: Any = sim.clock
    client = sa.AsyncInferenceClient(
        sim.session, clock=clock.time, sleep=clock.sleep, backoff=Backoff(2.0, 30.0), **kwargs
    )
    for boto_client in (client.sagemaker, client.runtime, client.s3):
        injector.attach(boto_client)
    return client


@pytest.fixture
def injector() -> FaultInjector:
    return FaultInjector()


@pytest.fixture
def client(fake_sim: SageMakerSimulator, injector: FaultInjector) -> sa.AsyncInferenceClient:
    fake_sim.client("s3").create_bucket(Bucket=BUCKET)
    fake_sim.set_handler(lambda body, _: body.upper())
    return faulty_client(fake_sim, injector)


# -- lost answers ------------------------------------------------------------------------


@pytest.mark.parametrize("times", [1, BOTOCORE_ATTEMPTS], ids=["botocore", "library"])
@pytest.mark.parametrize("operation", ["CreateModel", "CreateEndpointConfig", "CreateEndpoint"])
def test_a_create_whose_answer_was_lost_is_no_failure(
    fake_sim: SageMakerSimulator,
    client: sa.AsyncInferenceClient,
    injector: FaultInjector,
    operation: str,
    times: int,
) -> None:
    # times=5 spends every attempt of botocore's: the library's own retry meets the resource.
    injector.fail_next(operation, "read_timeout", times=times)

    described = client.deploy(model(), config(), "churn")

    assert described.status is sa.EndpointStatus.IN_SERVICE
    assert fake_sim.resource_counts() == ONE_EACH


def test_the_arn_of_a_model_created_by_a_lost_request_is_returned(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    injector.fail_next("CreateModel", "read_timeout")

    arn = client.create_model(model())

    assert arn == fake_sim.client("sagemaker").describe_model(ModelName="churn")["ModelArn"]


def test_an_existing_model_after_a_throttled_request_is_someone_elses(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.create_model(model())
    injector.fail_next("CreateModel", "throttling")

    with pytest.raises(sa.ResourceExistsError):
        client.deploy(model(), config(), "churn")

    assert fake_sim.resource_counts() == {"models": 1, "endpoint_configs": 0, "endpoints": 0}


def test_deploy_onto_someone_elses_endpoint_keeps_it_after_a_lost_answer(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.deploy(model(), config(), "churn")
    injector.fail_next("CreateEndpoint", "read_timeout")

    with pytest.raises(sa.ResourceExistsError):
        client.deploy(model("churn2"), config("churn-v2", "churn2"), "churn")

    assert fake_sim.resource_counts() == ONE_EACH
    assert client.describe_endpoint("churn").config_name == "churn-v1"


@pytest.mark.parametrize("times", [1, BOTOCORE_ATTEMPTS], ids=["botocore", "library"])
def test_an_update_whose_answer_was_lost_is_no_failure(
    client: sa.AsyncInferenceClient, injector: FaultInjector, times: int
) -> None:
    client.deploy(model(), config(), "churn")
    client.create_endpoint_config(config("churn-v2"))
    injector.fail_next("UpdateEndpoint", "read_timeout", times=times)

    described = client.update_endpoint("churn", "churn-v2")

    assert (described.status, described.config_name) == (sa.EndpointStatus.IN_SERVICE, "churn-v2")


@pytest.mark.parametrize("times", [1, BOTOCORE_ATTEMPTS], ids=["botocore", "library"])
@pytest.mark.parametrize("operation", ["DeleteEndpoint", "DeleteEndpointConfig", "DeleteModel"])
def test_a_delete_whose_answer_was_lost_is_no_failure(
    fake_sim: SageMakerSimulator,
    client: sa.AsyncInferenceClient,
    injector: FaultInjector,
    operation: str,
    times: int,
) -> None:
    client.deploy(model(), config(), "churn")
    injector.fail_next(operation, "read_timeout", times=times)

    client.teardown("churn")

    assert fake_sim.resource_counts() == NOTHING


def test_deleting_a_missing_model_is_still_not_found(
    client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    injector.fail_next("DeleteModel", "throttling")

    with pytest.raises(sa.ResourceNotFoundError):
        client.delete_model("never-created")


# -- invocations -------------------------------------------------------------------------


@pytest.mark.parametrize("times", [1, BOTOCORE_ATTEMPTS], ids=["botocore", "library"])
def test_a_retried_invocation_keeps_its_inference_id(
    fake_sim: SageMakerSimulator,
    client: sa.AsyncInferenceClient,
    injector: FaultInjector,
    times: int,
) -> None:
    client.deploy(model(), config(), "churn")
    runs: list[bytes] = []
    fake_sim.set_handler(lambda body, _: runs.append(body) or body.upper())
    injector.fail_next("InvokeEndpointAsync", "read_timeout", times=times)

    invocation = client.invoke_async("churn", b"once")

    assert list(sa.as_completed([invocation], timeout=60)) == [invocation]
    assert invocation.result() == b"ONCE"
    fake_sim.clock.sleep(60)  # type: ignore[attr-defined]  # every copy lands
    assert fake_sim.pending_invocations() == 0
    # SageMaker ran the request each time it arrived, into the same one output object.
    assert runs == [b"once"] * (times + 1)
    assert [uri for uri in fake_sim.landed if invocation.inference_id in uri] == [
        invocation.output_location
    ]


def test_a_file_body_is_uploaded_whole_again_after_a_lost_answer(
    client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.deploy(model(), config(), "churn")
    injector.fail_next("PutObject", "read_timeout", times=BOTOCORE_ATTEMPTS)

    invocation = client.invoke_async("churn", io.BytesIO(b"read twice"))

    assert invocation.result(timeout=60) == b"READ TWICE"


def test_an_invocation_without_answer_keeps_its_input(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.deploy(model(), config(), "churn")
    injector.fail_next("InvokeEndpointAsync", "read_timeout", times=1000)

    with pytest.raises(sa.ServiceError) as caught:
        client.invoke_async("churn", b"maybe", inference_id="order-7")

    assert "inference_id='order-7'" in "".join(caught.value.__notes__)
    listed = fake_sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="sagemaker-async-inputs/")
    assert [item["Key"] for item in listed["Contents"]] == ["sagemaker-async-inputs/churn/order-7"]


# -- what retrying cannot fix is never retried -------------------------------------------


def test_access_denied_is_asked_once(
    client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    injector.fail_next("CreateModel", DENIED)

    with pytest.raises(sa.AccessDeniedError):
        client.create_model(model())

    assert (injector.calls["CreateModel"], injector.attempts["CreateModel"]) == (1, 1)


def test_a_validation_error_is_asked_once(
    client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.deploy(model(), config(), "churn")
    injector.fail_next("InvokeEndpointAsync", ErrorAnswer("ValidationException", 400, "bad"))
    before = injector.attempts["InvokeEndpointAsync"]

    with pytest.raises(sa.ServiceError) as caught:
        client.invoke_async("churn", b"x")

    assert caught.value.code == "ValidationException"
    assert injector.attempts["InvokeEndpointAsync"] - before == 1


@pytest.mark.parametrize(
    ("operation", "act"),
    [
        ("DescribeEndpoint", lambda c: c.describe_endpoint("nope")),
        ("DeleteModel", lambda c: c.delete_model("nope")),
        ("DeleteEndpoint", lambda c: c.delete_endpoint("nope")),
    ],
    ids=["describe", "delete-model", "delete-endpoint"],
)
def test_not_found_is_asked_once(
    client: sa.AsyncInferenceClient, injector: FaultInjector, operation: str, act: Any
) -> None:
    with pytest.raises(sa.ResourceNotFoundError):
        act(client)

    assert injector.attempts == {operation: 1}


def test_invoking_a_missing_endpoint_is_asked_once(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    with_input_path = faulty_client(fake_sim, injector, input_path=f"s3://{BUCKET}/uploads")

    with pytest.raises(sa.ResourceNotFoundError):
        with_input_path.invoke_async("nope", b"x")

    assert injector.attempts["InvokeEndpointAsync"] == 1


def test_a_denied_result_read_is_asked_once(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    client.deploy(model(), config(), "churn")
    invocation = client.invoke_async("churn", b"x")
    fake_sim.deny_s3_reads(BUCKET)

    with pytest.raises(sa.AccessDeniedError):
        invocation.result(timeout=60)

    assert injector.attempts["GetObject"] == 1


def test_transient_errors_are_retried_until_they_pass(
    client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    injector.fail_next("CreateModel", "throttling", times=3 * BOTOCORE_ATTEMPTS)

    client.create_model(model())

    assert (injector.calls["CreateModel"], injector.attempts["CreateModel"]) == (4, 16)


def test_transient_errors_are_retried_for_about_two_minutes(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    injector.fail_next("CreateModel", "service_unavailable", times=1000)
    start = fake_sim.clock.time()

    with pytest.raises(sa.ServiceError) as caught:
        client.create_model(model())

    assert caught.value.code == "ServiceUnavailable"
    assert injector.calls["CreateModel"] == 12
    # The library's own pauses: 0.5, 1, 2, 4, 8, 16, then 20 s five times.
    assert fake_sim.clock.time() - start >= 131.5


# -- notifications -----------------------------------------------------------------------

SUCCESS = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:churn-error"


def notified_queue(
    sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> sa.NotificationQueue:
    """Deploy 'churn' with notifications; a queue subscribed to them, read through *injector*."""
    sns = sim.client("sns")
    sns.create_topic(Name="churn-ok")
    sns.create_topic(Name="churn-error")
    notification = sa.NotificationConfig(success_topic=SUCCESS, error_topic=ERROR)
    notified = sa.EndpointConfig(
        name="churn-v1",
        variants=config().variants,
        async_inference=sa.AsyncInferenceConfig(
            output_path=f"s3://{BUCKET}/churn", notification=notification
        ),
    )
    client.deploy(model(), notified, "churn")
    sqs = injector.attach(sim.session.client("sqs"))
    return sa.NotificationQueue(
        sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sqs, visibility_timeout=1
    )


def messages_left(sim: SageMakerSimulator, queue: sa.NotificationQueue) -> int:
    attributes = sim.client("sqs").get_queue_attributes(
        QueueUrl=queue.queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(count) for count in attributes.values())


def test_a_failed_deletion_of_notifications_is_retried(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    queue = notified_queue(fake_sim, client, injector)
    invocations = [client.invoke_async("churn", f"row {i}") for i in range(3)]
    injector.fail_next("DeleteMessageBatch", "internal_failure", times=BOTOCORE_ATTEMPTS)

    done = sa.wait_all(invocations, timeout=600, notifications=queue)

    assert [i.result() for i in done] == [b"ROW 0", b"ROW 1", b"ROW 2"]
    assert injector.faults_by_operation()["DeleteMessageBatch"] == BOTOCORE_ATTEMPTS
    assert messages_left(fake_sim, queue) == 0


def test_a_late_copy_of_a_result_is_deleted_by_the_next_await(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, injector: FaultInjector
) -> None:
    queue = notified_queue(fake_sim, client, injector)
    first = client.invoke_async("churn", b"first")
    sa.wait_all([first], timeout=600, notifications=queue)
    copy = {
        "eventName": "InferenceResult",
        "invocationStatus": "Completed",
        "inferenceId": first.inference_id,
        "responseParameters": {"outputLocation": first.output_location},
    }
    fake_sim.client("sqs").send_message(QueueUrl=queue.queue_url, MessageBody=json.dumps(copy))
    second = client.invoke_async("churn", b"second")

    assert list(sa.as_completed([second], timeout=600, notifications=queue)) == [second]
    assert messages_left(fake_sim, queue) == 0
