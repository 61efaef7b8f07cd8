"""The SageMaker simulator's invocation half, driven by raw boto3 on both transports.

Every test that takes ``sim`` or ``fake_sim`` runs twice: on in-process moto and
on a moto server on 127.0.0.1. ``fake_sim`` runs on a FakeClock (10 s to create
or update an endpoint, 0.05 s of latency unless a test sets another), so results
land exactly when the test advances it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

import sagemaker_async as sa
from sagemaker_async.testing import (
    FakeClock,
    SageMakerSimulator,
    simulated_sagemaker,
)

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
BUCKET = "results"
OUTPUT = f"s3://{BUCKET}/output"
FAILURES = f"s3://{BUCKET}/failures"
ACCOUNT = "123456789012"
THREAD_NAME = "sagemaker-async-fulfilment"
MODEL_FAILURE = (
    "ClientError: Received server error (500) from model. "
    "See the SageMaker Endpoint logs in your account for more information."
)


# -- helpers ---------------------------------------------------------------


def fake_clock(sim: SageMakerSimulator) -> FakeClock:
    clock = sim.clock
    assert isinstance(clock, FakeClock)
    return clock


def create_topics(sim: SageMakerSimulator) -> tuple[str, str]:
    """Topics ``churn-ok`` and ``churn-error``: (success ARN, error ARN)."""
    sns = sim.client("sns")
    success = sns.create_topic(Name="churn-ok")["TopicArn"]
    error = sns.create_topic(Name="churn-error")["TopicArn"]
    return success, error


def output_config(
    *,
    failure_path: bool = True,
    topics: tuple[str, str] | None = None,
    include: tuple[str, ...] = (),
) -> dict[str, Any]:
    config: dict[str, Any] = {"S3OutputPath": OUTPUT}
    if failure_path:
        config["S3FailurePath"] = FAILURES
    if topics is not None:
        config["NotificationConfig"] = {
            "SuccessTopic": topics[0],
            "ErrorTopic": topics[1],
            "IncludeInferenceResponseIn": list(include),
        }
    return config


def create_config(
    sim: SageMakerSimulator, name: str = "churn-v1", output: dict[str, Any] | None = None
) -> None:
    async_config = {"AsyncInferenceConfig": {"OutputConfig": output}} if output else {}
    sim.client("sagemaker").create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        **async_config,
    )


def wait_in_service(sim: SageMakerSimulator, name: str = "churn") -> None:
    deadline = time.monotonic() + 10
    while sim.status(name) != "InService" and time.monotonic() < deadline:
        sim.clock.sleep(sim.create_seconds)


def deploy(
    sim: SageMakerSimulator,
    *,
    output: dict[str, Any] | None = None,
    wait: bool = True,
) -> None:
    """Bucket ``results`` and endpoint ``churn`` on config ``churn-v1`` (in service)."""
    sim.client("s3").create_bucket(Bucket=BUCKET)
    sim.client("sagemaker").create_model(
        ModelName="churn", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE}
    )
    create_config(sim, output=output_config() if output is None else output)
    sim.client("sagemaker").create_endpoint(EndpointName="churn", EndpointConfigName="churn-v1")
    if wait:
        wait_in_service(sim)


def invoke(sim: SageMakerSimulator, **kwargs: Any) -> dict[str, Any]:
    """InvokeEndpointAsync on ``churn``; an inline ``b"hello"`` unless an input is given."""
    arguments: dict[str, Any] = {"EndpointName": "churn"}
    if "InputLocation" not in kwargs:
        arguments["Body"] = b"hello"
    arguments.update(kwargs)
    return dict(sim.client("sagemaker-runtime").invoke_endpoint_async(**arguments))


def read(sim: SageMakerSimulator, uri: str) -> bytes:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return sim.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def keys(sim: SageMakerSimulator) -> list[str]:
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", ()))


def error(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    """The (code, message) of the ClientError *call* raises."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    details = caught.value.response["Error"]
    return details["Code"], details["Message"]


def refusal(sim: SageMakerSimulator, **kwargs: Any) -> tuple[str, str]:
    arguments: dict[str, Any] = {"EndpointName": "churn", "Body": b"hello"}
    arguments.update(kwargs)
    return error(sim.client("sagemaker-runtime").invoke_endpoint_async, **arguments)


def bodies(sim: SageMakerSimulator, queue_url: str) -> list[str]:
    """The bodies of every message in the queue now (received, not deleted)."""
    response = sim.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return [message["Body"] for message in response.get("Messages", ())]


def events(sim: SageMakerSimulator, queue_url: str) -> list[dict[str, Any]]:
    """SageMaker's events in a raw-delivery queue."""
    return [json.loads(body) for body in bodies(sim, queue_url)]


def without_times(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in ("eventTime", "receivedTime")}


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def shouting(body: bytes, content_type: str | None) -> bytes:
    return body.upper()


def failing(body: bytes, content_type: str | None) -> bytes:
    raise ValueError(f"cannot score {body.decode()}")


def fulfilment_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == THREAD_NAME)


@pytest.fixture
def deployed(fake_sim: SageMakerSimulator) -> SageMakerSimulator:
    """``fake_sim`` with endpoint ``churn`` in service (output and failure paths)."""
    deploy(fake_sim)
    return fake_sim


@pytest.fixture
def notifying(fake_sim: SageMakerSimulator) -> tuple[SageMakerSimulator, str, str]:
    """``fake_sim`` with ``churn`` notifying its topics, and two queues on both topics:
    (simulator, raw-delivery queue URL, SNS-envelope queue URL), subscribed once the
    endpoint is in service (so after its TestNotifications)."""
    topics = create_topics(fake_sim)
    deploy(fake_sim, output=output_config(topics=topics))
    raw = fake_sim.subscribe_queue(*topics, raw_delivery=True)
    envelope = fake_sim.subscribe_queue(*topics)
    return fake_sim, raw, envelope


# -- where results land ----------------------------------------------------


def test_output_location_is_the_output_path_and_the_inference_id(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(deployed, InferenceId="req-1")

    assert response["OutputLocation"] == f"{OUTPUT}/req-1.out"


def test_failure_location_is_the_failure_path_and_the_inference_id(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(deployed, InferenceId="req-1")

    assert response["FailureLocation"] == f"{FAILURES}/req-1-error.out"


def test_no_failure_location_without_a_failure_path(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim, output=output_config(failure_path=False))

    response = invoke(fake_sim, InferenceId="req-1")

    assert "FailureLocation" not in response


def test_the_inference_id_given_is_returned(deployed: SageMakerSimulator) -> None:
    assert invoke(deployed, InferenceId="req-1")["InferenceId"] == "req-1"


def test_an_inference_id_is_made_when_none_is_given(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed)

    made = response["InferenceId"]
    assert (str(uuid.UUID(made)), response["OutputLocation"]) == (made, f"{OUTPUT}/{made}.out")


def test_the_request_is_accepted_with_202(deployed: SageMakerSimulator) -> None:
    assert invoke(deployed)["ResponseMetadata"]["HTTPStatusCode"] == 202


def test_output_path_extension_is_a_sub_path_of_the_output_path(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(deployed, InferenceId="req-1", S3OutputPathExtension="2026/05")

    assert response["OutputLocation"] == f"{OUTPUT}/2026/05/req-1.out"


def test_filename_replaces_the_object_name(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed, InferenceId="req-1", Filename="score.json")

    assert response["OutputLocation"] == f"{OUTPUT}/score.json"


def test_extension_and_filename_together(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed, S3OutputPathExtension="batch-7/", Filename="score.json")

    assert response["OutputLocation"] == f"{OUTPUT}/batch-7/score.json"


def test_extension_and_filename_leave_the_failure_location_alone(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(
        deployed, InferenceId="req-1", S3OutputPathExtension="batch-7", Filename="score.json"
    )

    assert response["FailureLocation"] == f"{FAILURES}/req-1-error.out"


def test_the_result_lands_at_the_output_location_with_a_filename(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(deployed, S3OutputPathExtension="batch-7", Filename="score.json")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"hello"


# -- what is fulfilled -----------------------------------------------------


def test_the_default_handler_echoes_an_inline_body(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed, Body=b"\x00\xffbinary")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"\x00\xffbinary"


def test_the_input_is_read_from_the_input_location(deployed: SageMakerSimulator) -> None:
    deployed.client("s3").put_object(Bucket=BUCKET, Key="inputs/1", Body=b"from s3")
    response = invoke(deployed, InputLocation=f"s3://{BUCKET}/inputs/1")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"from s3"


def test_the_input_is_read_when_fulfilled_not_when_invoked(
    deployed: SageMakerSimulator,
) -> None:
    response = invoke(deployed, InputLocation=f"s3://{BUCKET}/inputs/late")
    deployed.client("s3").put_object(Bucket=BUCKET, Key="inputs/late", Body=b"just in time")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"just in time"


def test_the_handler_output_is_written(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(shouting)
    response = invoke(deployed)
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"HELLO"


def test_the_handler_gets_the_content_type(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(lambda body, content_type: str(content_type).encode())
    response = invoke(deployed, ContentType="text/csv")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"text/csv"


def test_a_handler_exception_becomes_the_failure_object(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(failing)
    response = invoke(deployed)
    fake_clock(deployed).advance(1)

    assert read(deployed, response["FailureLocation"]) == b"ModelError: cannot score hello"


def test_a_handler_exception_writes_no_output(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(failing)
    response = invoke(deployed, InferenceId="req-1")
    fake_clock(deployed).advance(1)

    assert keys(deployed) == [response["FailureLocation"].removeprefix(f"s3://{BUCKET}/")]


def test_a_missing_input_becomes_a_failure(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed, InputLocation=f"s3://{BUCKET}/inputs/none")
    fake_clock(deployed).advance(1)

    assert read(deployed, response["FailureLocation"]) == (
        f"ClientError: Could not read the input at s3://{BUCKET}/inputs/none: "
        "no such object.".encode()
    )


def test_a_failure_without_a_failure_path_writes_nothing(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim, output=output_config(failure_path=False))
    fake_sim.set_handler(failing)
    invoke(fake_sim)
    fake_clock(fake_sim).advance(1)

    assert keys(fake_sim) == []


def test_a_handler_per_endpoint_overrides_the_default(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(failing)
    deployed.set_handler(shouting, endpoint_name="churn")
    response = invoke(deployed)
    fake_clock(deployed).advance(1)

    assert read(deployed, response["OutputLocation"]) == b"HELLO"


@pytest.mark.parametrize("transport", ["inprocess", "server"])
def test_the_handler_given_to_the_simulator_is_the_default(transport: str) -> None:
    clock = FakeClock()
    with simulated_sagemaker(transport=transport, clock=clock, handler=shouting) as sim:
        deploy(sim)
        response = invoke(sim)
        clock.advance(1)

        assert read(sim, response["OutputLocation"]) == b"HELLO"


# -- when results land -----------------------------------------------------


def test_nothing_lands_at_call_time(deployed: SageMakerSimulator) -> None:
    invoke(deployed)

    assert keys(deployed) == []


def test_nothing_lands_before_the_latency_has_passed(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(shouting, latency=5.0)
    invoke(deployed)
    fake_clock(deployed).advance(4.999)

    assert keys(deployed) == []


def test_the_result_lands_once_the_latency_has_passed(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(shouting, latency=5.0)
    invoke(deployed, InferenceId="req-1")
    fake_clock(deployed).advance(5.0)

    assert keys(deployed) == ["output/req-1.out"]


def test_landed_maps_each_object_to_its_due_time(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(shouting, latency=5.0)
    start = deployed.clock.time()
    invoke(deployed, InferenceId="req-1")
    fake_clock(deployed).advance(7.0)
    keys(deployed)

    assert deployed.landed == {f"{OUTPUT}/req-1.out": start + 5.0}


def test_landed_records_failure_objects(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(failing, latency=2.0)
    start = deployed.clock.time()
    invoke(deployed, InferenceId="req-1")
    fake_clock(deployed).advance(2.0)
    keys(deployed)

    assert deployed.landed == {f"{FAILURES}/req-1-error.out": start + 2.0}


def test_a_latency_function_is_drawn_per_invocation(deployed: SageMakerSimulator) -> None:
    draws = iter([3.0, 1.0])
    deployed.set_handler(shouting, latency=lambda: next(draws))
    start = deployed.clock.time()
    invoke(deployed, InferenceId="slow")
    invoke(deployed, InferenceId="fast")
    fake_clock(deployed).advance(3.0)
    keys(deployed)

    assert deployed.landed == {f"{OUTPUT}/slow.out": start + 3.0, f"{OUTPUT}/fast.out": start + 1.0}


def test_an_endpoint_without_its_own_latency_takes_the_default(
    deployed: SageMakerSimulator,
) -> None:
    deployed.set_handler(failing, latency=4.0)
    deployed.set_handler(shouting, endpoint_name="churn")
    start = deployed.clock.time()
    invoke(deployed, InferenceId="req-1")
    fake_clock(deployed).advance(4.0)
    keys(deployed)

    assert deployed.landed == {f"{OUTPUT}/req-1.out": start + 4.0}


def test_pending_invocations_counts_what_has_not_landed(deployed: SageMakerSimulator) -> None:
    draws = iter([3.0, 1.0])
    deployed.set_handler(shouting, latency=lambda: next(draws))
    invoke(deployed)
    invoke(deployed)
    fake_clock(deployed).advance(2.0)

    assert deployed.pending_invocations() == 1


def test_a_negative_latency_is_refused(fake_sim: SageMakerSimulator) -> None:
    with pytest.raises(ValueError, match=r"^`latency` must be >= 0 seconds, got -1\.0$"):
        fake_sim.set_handler(shouting, latency=-1.0)


def test_results_land_on_the_real_clock_without_any_request(sim: SageMakerSimulator) -> None:
    deploy(sim)
    sim.set_handler(shouting, latency=0.1)
    response = invoke(sim)
    deadline = time.monotonic() + 5
    while not sim.landed and time.monotonic() < deadline:
        time.sleep(0.02)

    assert list(sim.landed) == [response["OutputLocation"]]


def test_an_sqs_long_poll_sees_a_result_land_on_the_real_clock(sim: SageMakerSimulator) -> None:
    topics = create_topics(sim)
    deploy(sim, output=output_config(topics=topics))
    queue = sim.subscribe_queue(topics[0], raw_delivery=True)
    sim.set_handler(shouting, latency=0.2)
    bodies(sim, queue)  # the TestNotification
    invoke(sim, InferenceId="req-1")
    started = time.monotonic()
    received = sim.client("sqs").receive_message(QueueUrl=queue, WaitTimeSeconds=5)
    waited = time.monotonic() - started

    assert (json.loads(received["Messages"][0]["Body"])["inferenceId"], waited < 2.0) == (
        "req-1",
        True,
    )


def test_an_sqs_long_poll_on_the_fake_clock_waits_for_the_result(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    sim.set_handler(shouting, latency=7.0)
    invoke(sim, InferenceId="req-1")
    start = sim.clock.time()
    received = sim.client("sqs").receive_message(QueueUrl=raw, WaitTimeSeconds=20)

    assert (len(received["Messages"]), sim.clock.time()) == (1, start + 7.0)


def test_an_empty_sqs_long_poll_on_the_fake_clock_lasts_its_wait(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    start = sim.clock.time()
    received = sim.client("sqs").receive_message(QueueUrl=raw, WaitTimeSeconds=20)

    assert (received.get("Messages", []), sim.clock.time()) == ([], start + 20.0)


# -- notifications -----------------------------------------------------------


def test_a_result_is_notified_to_the_success_topic(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    invoke(sim, InferenceId="req-1", ContentType="text/csv", Accept="application/json")
    fake_clock(sim).advance(1)

    assert [without_times(event) for event in events(sim, raw)] == [
        {
            "awsRegion": "us-east-1",
            "invocationStatus": "Completed",
            "requestParameters": {
                "accept": "application/json",
                "contentType": "text/csv",
                "endpointName": "churn",
            },
            "responseParameters": {
                "contentType": "application/json",
                "outputLocation": f"{OUTPUT}/req-1.out",
            },
            "inferenceId": "req-1",
            "eventVersion": "1.0",
            "eventSource": "aws:sagemaker",
            "eventName": "InferenceResult",
        }
    ]


def test_the_notification_names_the_input_location(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    sim.client("s3").put_object(Bucket=BUCKET, Key="inputs/1", Body=b"x")
    invoke(sim, InputLocation=f"s3://{BUCKET}/inputs/1", CustomAttributes="trace=7")
    fake_clock(sim).advance(1)

    assert events(sim, raw)[0]["requestParameters"] == {
        "customAttributes": "trace=7",
        "endpointName": "churn",
        "inputLocation": f"s3://{BUCKET}/inputs/1",
    }


def test_a_failure_is_notified_to_the_error_topic(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    sim.set_handler(failing)
    invoke(sim, InferenceId="req-1")
    fake_clock(sim).advance(1)

    assert [without_times(event) for event in events(sim, raw)] == [
        {
            "awsRegion": "us-east-1",
            "invocationStatus": "Failed",
            "failureReason": MODEL_FAILURE,
            "requestParameters": {"endpointName": "churn"},
            "responseParameters": {
                "contentType": "text/plain; charset=utf-8",
                "failureLocation": f"{FAILURES}/req-1-error.out",
            },
            "inferenceId": "req-1",
            "eventVersion": "1.0",
            "eventSource": "aws:sagemaker",
            "eventName": "InferenceResult",
        }
    ]


def test_each_outcome_goes_to_its_own_topic(fake_sim: SageMakerSimulator) -> None:
    success, failure = create_topics(fake_sim)
    deploy(fake_sim, output=output_config(topics=(success, failure)))
    successes = fake_sim.subscribe_queue(success, raw_delivery=True)
    failures = fake_sim.subscribe_queue(failure, raw_delivery=True)
    fake_sim.set_handler(lambda body, _: failing(body, _) if body == b"bad" else body)
    invoke(fake_sim, InferenceId="good", Body=b"good")
    invoke(fake_sim, InferenceId="bad", Body=b"bad")
    fake_clock(fake_sim).advance(1)

    assert (
        [e["inferenceId"] for e in events(fake_sim, successes)],
        [e["inferenceId"] for e in events(fake_sim, failures)],
    ) == (["good"], ["bad"])


def test_a_notification_arrives_in_an_sns_envelope(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, envelope = notifying
    invoke(sim, InferenceId="req-1")
    fake_clock(sim).advance(1)
    (wrapped,) = bodies(sim, envelope)
    (plain,) = bodies(sim, raw)

    assert (json.loads(wrapped)["Type"], json.loads(wrapped)["Message"]) == (
        "Notification",
        plain,
    )


def test_notification_times_are_utc_with_milliseconds(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    invoke(sim)
    fake_clock(sim).advance(1)
    event = events(sim, raw)[0]

    assert [len(event[key]) for key in ("eventTime", "receivedTime")] == [24, 24]
    assert event["eventTime"].endswith("Z")


def test_the_event_time_is_the_latency_after_the_received_time(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    sim.set_handler(shouting, latency=42.5)
    invoke(sim)
    fake_clock(sim).advance(60)
    event = events(sim, raw)[0]
    elapsed = parse_time(event["eventTime"]) - parse_time(event["receivedTime"])

    assert round(elapsed.total_seconds(), 3) == 42.5


def test_the_response_is_included_when_configured(fake_sim: SageMakerSimulator) -> None:
    topics = create_topics(fake_sim)
    include = ("SUCCESS_NOTIFICATION_TOPIC",)
    deploy(fake_sim, output=output_config(topics=topics, include=include))
    queue = fake_sim.subscribe_queue(*topics, raw_delivery=True)
    fake_sim.set_handler(shouting)
    invoke(fake_sim)
    fake_clock(fake_sim).advance(1)

    assert events(fake_sim, queue)[0]["responseBody"] == {
        "content": base64.b64encode(b"HELLO").decode(),
        "message": "Check S3 path location(if configured) or Cloudwatch for additional details.",
        "encoding": "BASE64",
    }


def test_the_response_is_left_out_unless_configured(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    invoke(sim)
    fake_clock(sim).advance(1)

    assert "responseBody" not in events(sim, raw)[0]


def test_a_failure_without_a_failure_path_is_notified_without_a_location(
    fake_sim: SageMakerSimulator,
) -> None:
    topics = create_topics(fake_sim)
    deploy(fake_sim, output=output_config(failure_path=False, topics=topics))
    queue = fake_sim.subscribe_queue(*topics, raw_delivery=True)
    fake_sim.set_handler(failing)
    invoke(fake_sim)
    fake_clock(fake_sim).advance(1)
    event = events(fake_sim, queue)[0]

    assert (event["invocationStatus"], "responseParameters" in event) == ("Failed", False)


def test_create_endpoint_sends_a_test_notification(fake_sim: SageMakerSimulator) -> None:
    topics = create_topics(fake_sim)
    queue = fake_sim.subscribe_queue(topics[0], raw_delivery=True)
    deploy(fake_sim, output=output_config(topics=topics))

    assert events(fake_sim, queue) == [
        {"eventVersion": "1.0", "eventSource": "aws:sagemaker", "eventName": "TestNotification"}
    ]


def test_the_test_notification_goes_to_each_topic(fake_sim: SageMakerSimulator) -> None:
    topics = create_topics(fake_sim)
    queues = [fake_sim.subscribe_queue(topic, raw_delivery=True) for topic in topics]
    deploy(fake_sim, output=output_config(topics=topics))

    assert [[e["eventName"] for e in events(fake_sim, q)] for q in queues] == [
        ["TestNotification"],
        ["TestNotification"],
    ]


def test_no_test_notification_while_creating(fake_sim: SageMakerSimulator) -> None:
    topics = create_topics(fake_sim)
    queue = fake_sim.subscribe_queue(*topics, raw_delivery=True)
    deploy(fake_sim, output=output_config(topics=topics), wait=False)

    assert bodies(fake_sim, queue) == []


def test_a_failed_create_sends_no_test_notification(fake_sim: SageMakerSimulator) -> None:
    topics = create_topics(fake_sim)
    queue = fake_sim.subscribe_queue(*topics, raw_delivery=True)
    fake_sim.fail_next_create("churn")
    deploy(fake_sim, output=output_config(topics=topics), wait=False)
    fake_clock(fake_sim).advance(fake_sim.create_seconds)

    assert (fake_sim.status("churn"), bodies(fake_sim, queue)) == ("Failed", [])


def test_update_endpoint_sends_a_test_notification(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    create_config(sim, "churn-v2", output_config(topics=create_topics(sim)))
    sim.client("sagemaker").update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")
    fake_clock(sim).advance(sim.update_seconds)

    assert [e["eventName"] for e in events(sim, raw)] == ["TestNotification"] * 2


def test_a_rolled_back_update_sends_no_test_notification(
    notifying: tuple[SageMakerSimulator, str, str],
) -> None:
    sim, raw, _ = notifying
    create_config(sim, "churn-v2", output_config(topics=create_topics(sim)))
    sim.fail_next_update("churn")
    sim.client("sagemaker").update_endpoint(EndpointName="churn", EndpointConfigName="churn-v2")
    fake_clock(sim).advance(2 * sim.update_seconds)

    assert (sim.status("churn"), bodies(sim, raw)) == ("InService", [])


def test_subscribing_a_queue_needs_a_topic(fake_sim: SageMakerSimulator) -> None:
    with pytest.raises(ValueError, match=r"^Give at least one topic ARN to subscribe"):
        fake_sim.subscribe_queue()


# -- refusals ----------------------------------------------------------------


def test_a_missing_endpoint_is_not_found(deployed: SageMakerSimulator) -> None:
    assert refusal(deployed, EndpointName="nothing") == (
        "ValidationError",
        f"Endpoint nothing of account {ACCOUNT} not found.",
    )


def test_a_creating_endpoint_is_not_found(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim, wait=False)

    assert refusal(fake_sim) == (
        "ValidationError",
        f"Endpoint churn of account {ACCOUNT} not found.",
    )


def test_an_out_of_service_endpoint_is_not_found(deployed: SageMakerSimulator) -> None:
    deployed.set_status("churn", "OutOfService")

    assert refusal(deployed)[0] == "ValidationError"


def test_an_updating_endpoint_still_takes_invocations(deployed: SageMakerSimulator) -> None:
    create_config(deployed, "churn-v2", output_config())
    deployed.client("sagemaker").update_endpoint(
        EndpointName="churn", EndpointConfigName="churn-v2"
    )

    assert invoke(deployed, InferenceId="req-1")["OutputLocation"] == f"{OUTPUT}/req-1.out"


def test_an_endpoint_without_async_inference_is_refused(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim, output={})

    assert refusal(fake_sim) == (
        "ValidationError",
        f"Endpoint churn of account {ACCOUNT} is not configured for asynchronous inference: "
        "its endpoint configuration has no AsyncInferenceConfig.OutputConfig.",
    )


def test_a_body_and_an_input_location_together_are_refused(
    deployed: SageMakerSimulator,
) -> None:
    assert refusal(deployed, InputLocation=f"s3://{BUCKET}/inputs/1") == (
        "ValidationError",
        "Body and InputLocation are mutually exclusive. Provide exactly one of them.",
    )


def test_neither_a_body_nor_an_input_location_is_refused(deployed: SageMakerSimulator) -> None:
    assert refusal(deployed, Body=b"")[1] == (
        "Body and InputLocation are mutually exclusive. Provide exactly one of them."
    )


def test_an_inline_body_over_128000_bytes_is_refused(deployed: SageMakerSimulator) -> None:
    assert refusal(deployed, Body=b"x" * 128_001) == (
        "ValidationError",
        "1 validation error detected: Value at 'body' failed to satisfy constraint: "
        "Member must have length less than or equal to 128000",
    )


def test_an_inline_body_of_128000_bytes_is_accepted(deployed: SageMakerSimulator) -> None:
    response = invoke(deployed, Body=b"x" * 128_000)
    fake_clock(deployed).advance(1)

    assert len(read(deployed, response["OutputLocation"])) == 128_000


def test_a_refused_invocation_leaves_nothing_pending(deployed: SageMakerSimulator) -> None:
    refusal(deployed, EndpointName="nothing")

    assert deployed.pending_invocations() == 0


# -- denied reads ------------------------------------------------------------


def test_a_denied_get_object_is_access_denied(deployed: SageMakerSimulator) -> None:
    deployed.deny_s3_reads(BUCKET)

    assert error(deployed.client("s3").get_object, Bucket=BUCKET, Key="output/x.out") == (
        "AccessDenied",
        "Access Denied",
    )


def test_a_denied_head_object_is_403(deployed: SageMakerSimulator) -> None:
    deployed.deny_s3_reads(BUCKET)

    assert error(deployed.client("s3").head_object, Bucket=BUCKET, Key="output/x.out") == (
        "403",
        "Forbidden",
    )


def test_a_denied_listing_is_access_denied(deployed: SageMakerSimulator) -> None:
    deployed.deny_s3_reads(BUCKET)

    assert error(deployed.client("s3").list_objects_v2, Bucket=BUCKET)[0] == "AccessDenied"


def test_denied_reads_spare_other_buckets(deployed: SageMakerSimulator) -> None:
    deployed.deny_s3_reads("other")

    assert keys(deployed) == []


def test_denied_reads_spare_the_simulated_model(deployed: SageMakerSimulator) -> None:
    deployed.client("s3").put_object(Bucket=BUCKET, Key="inputs/1", Body=b"private")
    deployed.deny_s3_reads(BUCKET)
    invoke(deployed, InferenceId="req-1", InputLocation=f"s3://{BUCKET}/inputs/1")
    fake_clock(deployed).advance(1)
    deployed.allow_s3_reads(BUCKET)

    assert read(deployed, f"{OUTPUT}/req-1.out") == b"private"


def test_allowed_reads_see_a_missing_key_again(deployed: SageMakerSimulator) -> None:
    deployed.deny_s3_reads(BUCKET)
    deployed.allow_s3_reads(BUCKET)

    assert error(deployed.client("s3").get_object, Bucket=BUCKET, Key="output/x.out")[0] == (
        "NoSuchKey"
    )


# -- the client --------------------------------------------------------------


def test_the_async_client_round_trips_through_the_simulator(
    deployed: SageMakerSimulator,
) -> None:
    deployed.set_handler(shouting, latency=30.0)
    client = deployed.async_client()

    assert client.invoke_async("churn", b"hello").result(timeout=120) == b"HELLO"


def test_the_async_client_waits_on_the_simulator_clock(deployed: SageMakerSimulator) -> None:
    deployed.set_handler(shouting, latency=30.0)
    start = deployed.clock.time()
    deployed.async_client().invoke_async("churn", b"hello").result(timeout=120)

    assert 30.0 <= deployed.clock.time() - start < 35.0


def test_the_async_client_takes_keyword_arguments(deployed: SageMakerSimulator) -> None:
    client = deployed.async_client(input_path=f"s3://{BUCKET}/uploads")
    client.invoke_async("churn", b"hello", inference_id="req-1")

    assert keys(deployed) == ["uploads/req-1"]


# -- lifetime ----------------------------------------------------------------


@pytest.mark.parametrize("transport", ["inprocess", "server"])
def test_no_fulfilment_thread_is_left_after_exit(transport: str) -> None:
    with simulated_sagemaker(transport=transport):
        running = fulfilment_threads()

    assert (running, fulfilment_threads()) == (1, 0)


def test_a_fake_clock_runs_no_thread(fake_sim: SageMakerSimulator) -> None:
    assert fulfilment_threads() == 0


def test_invocations_pending_at_exit_are_dropped(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim)
    invoke(fake_sim)
    fake_sim.stop()

    assert fake_sim.pending_invocations() == 0


def test_moto_answers_invoke_endpoint_async_itself_after_exit() -> None:
    with simulated_sagemaker(clock=FakeClock()) as sim:
        deploy(sim)
        invoke(sim)
    with mock_aws():
        runtime = boto3.client(
            "sagemaker-runtime",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        response = runtime.invoke_endpoint_async(EndpointName="any", InputLocation="s3://a/b")

    assert response["OutputLocation"].endswith("/response.json")


def test_s3_reads_are_no_longer_denied_after_exit() -> None:
    with simulated_sagemaker(clock=FakeClock()) as sim:
        sim.deny_s3_reads(BUCKET)
    with mock_aws():
        s3 = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET)

        assert error(s3.get_object, Bucket=BUCKET, Key="x")[0] == "NoSuchKey"


def test_holding_results_lands_them_after_the_block(fake_sim: SageMakerSimulator) -> None:
    client = fake_sim.async_client()
    fake_sim.client("s3").create_bucket(Bucket="held-bucket")
    client.deploy(
        sa.Model(
            name="held",
            execution_role_arn="arn:aws:iam::123456789012:role/R",
            container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/h:1"),
        ),
        sa.EndpointConfig(
            name="held-v1",
            variants=[sa.ProductionVariant(model_name="held", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(output_path="s3://held-bucket/out"),
        ),
        "held",
    )
    fake_sim.set_handler(lambda body, _type: body, latency=5)
    clock: Any = fake_sim.clock

    with fake_sim.holding_results():
        invocation = client.invoke_async("held", b"x", inline=True)
        clock.advance(60)
        inside = fake_sim.pending_invocations()
    clock.advance(4)
    before_due = invocation.done()
    clock.advance(2)

    assert (inside, before_due, invocation.done()) == (1, False, True)
