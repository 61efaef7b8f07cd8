"""Messages nobody can understand: logged, counted, set aside; the others' results still land.

The poison is put into the SQS queue with ``send_message``, next to the
simulator's real notifications, on both transports.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async.invocations._messages import Notification, parse
from sagemaker_async.testing import ErrorAnswer, FaultInjector, SageMakerSimulator
from test_invocations import BUCKET, ERROR, SUCCESS, upper
from test_invocations import deploy as deploy_churn


def deploy(sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    """An InService endpoint 'churn' notifying both topics; its model upper-cases."""
    return deploy_churn(sim, topics=True)


def result(**fields: Any) -> dict[str, Any]:
    """An InferenceResult event, with *fields* replacing or adding keys."""
    event: dict[str, Any] = {
        "invocationStatus": "Completed",
        "responseParameters": {"outputLocation": f"s3://{BUCKET}/churn/x.out"},
        "inferenceId": "poison-id",
        "eventName": "InferenceResult",
    }
    event.update(fields)
    return event


def envelope(message: str) -> str:
    """An SNS envelope around *message*, as SNS delivers without raw message delivery."""
    return json.dumps({"Type": "Notification", "MessageId": "m-1", "Message": message})


POISON: dict[str, tuple[str, str]] = {
    "nested": ("[" * 60_000, "the message body is JSON nested too deeply to read"),
    "not json": (
        "{not json",
        "the message body is not JSON: "
        "Expecting property name enclosed in double quotes: line 1...",
    ),
    "huge number": (
        "1" * 5000,
        "the message body is not JSON: "
        "Exceeds the limit (4300 digits) for integer string conver...",
    ),
    "list": ("[1, 2]", "the message body is JSON but not an object: list"),
    "parameters list": (
        json.dumps(result(responseParameters=["s3://x"])),
        "responseParameters is not an object: ['s3://x']",
    ),
    "parameters string": (
        json.dumps(result(responseParameters="s3://x")),
        "responseParameters is not an object: 's3://x'",
    ),
    "reason object": (
        json.dumps(result(invocationStatus="Failed", failureReason={"code": 500})),
        "failureReason is not a string: {'code': 500}",
    ),
    "id number": (json.dumps(result(inferenceId=7)), "inferenceId is not a non-empty string: 7"),
    "id empty": (json.dumps(result(inferenceId="")), "inferenceId is not a non-empty string: ''"),
    "output number": (
        json.dumps(result(responseParameters={"outputLocation": 5})),
        "responseParameters.outputLocation is not a string: 5",
    ),
    "failure list": (
        json.dumps(result(responseParameters={"failureLocation": ["s3://x"]})),
        "responseParameters.failureLocation is not a string: ['s3://x']",
    ),
    "status unknown": (
        json.dumps(result(invocationStatus="Exploded")),
        "invocationStatus 'Exploded' is neither Completed nor Failed",
    ),
    "status missing": (
        json.dumps(result(invocationStatus=None)),
        "invocationStatus None is neither Completed nor Failed",
    ),
    "other event": (
        json.dumps(result(eventName="ObjectCreated")),
        "eventName 'ObjectCreated' is neither InferenceResult nor a test",
    ),
    "envelope message object": (
        json.dumps({"Type": "Notification", "Message": {"eventName": "InferenceResult"}}),
        "an SNS envelope whose Message is not a string: {'eventName': 'InferenceResult'}",
    ),
    "envelope of a list": (
        envelope("[1]"),
        "the SNS envelope's Message is JSON but not an object: list",
    ),
    "envelope nested": (
        envelope("[" * 60_000),
        "the SNS envelope's Message is JSON nested too deeply to read",
    ),
    "envelope bad parameters": (
        envelope(json.dumps(result(responseParameters=[]))),
        "responseParameters is not an object: []",
    ),
    "subscription confirmation": (
        json.dumps({"Type": "SubscriptionConfirmation", "SubscribeURL": "https://sns"}),
        "an SNS message of Type 'SubscriptionConfirmation', not a notification",
    ),
}


@pytest.mark.parametrize(("body", "reason"), POISON.values(), ids=POISON.keys())
def test_parse_says_why_a_message_is_unreadable(body: str, reason: str) -> None:
    notification = parse("handle", body, "message-1")

    assert (notification.event, notification.reason) == ("Unknown", reason)
    assert notification.unreadable
    assert notification.message_id == "message-1"


@pytest.mark.parametrize("wrap", [False, True], ids=["raw", "envelope"])
def test_parse_reads_a_result_raw_or_in_an_envelope(wrap: bool) -> None:
    event = json.dumps(result(invocationStatus="Failed", failureReason="ClientError: boom"))

    notification = parse("handle", envelope(event) if wrap else event)

    assert notification == Notification(
        "handle",
        "InferenceResult",
        inference_id="poison-id",
        output_location=f"s3://{BUCKET}/churn/x.out",
        failure_reason="ClientError: boom",
    )


def test_parse_keeps_a_test_notification_readable() -> None:
    notification = parse("handle", envelope(json.dumps({"eventName": "TestNotification"})))

    assert (notification.event, notification.reason) == ("TestNotification", None)


def queue_counts(sim: SageMakerSimulator, queue_url: str) -> tuple[int, int]:
    """Messages visible, and received but hidden."""
    names: Any = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sim.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)
    return tuple(int(attributes["Attributes"][name]) for name in names)  # type: ignore[return-value]


def send_poison(sim: SageMakerSimulator, queue_url: str) -> None:
    sqs = sim.client("sqs")
    for body, _ in POISON.values():
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)


@pytest.mark.parametrize("raw_delivery", [False, True], ids=["envelope", "raw"])
def test_poison_is_set_aside_and_results_still_land(
    sim: SageMakerSimulator, raw_delivery: bool, caplog: pytest.LogCaptureFixture
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR, raw_delivery=raw_delivery)
    queue = sa.NotificationQueue(url, sqs_client=sim.client("sqs"))
    send_poison(sim, url)
    sim.set_handler(upper, latency=2)  # the results come after the poison
    invocations = [client.invoke_async("churn", b"fail" if i == 2 else f"ok {i}") for i in range(5)]
    send_poison(sim, url)

    with caplog.at_level(logging.WARNING, logger="sagemaker_async"):
        done = sa.wait_all(invocations, timeout=60, notifications=queue)

    assert [i.inference_id for i in done] == [i.inference_id for i in invocations]
    assert [i.result() for i in done if i is not invocations[2]] == [
        b"OK 0",
        b"OK 1",
        b"OK 3",
        b"OK 4",
    ]
    with pytest.raises(sa.InferenceFailedError):
        invocations[2].result()
    logged = [r.getMessage() for r in caplog.records if "unreadable" in r.getMessage()]
    for _, reason in POISON.values():
        assert any(line.endswith(reason) and "deleted" in line for line in logged), reason
    assert queue.set_aside == 2 * len(POISON)
    assert queue_counts(sim, url) == (0, 0)


def test_a_queue_of_only_poison_is_emptied_by_one_await(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    queue = sa.NotificationQueue(url, sqs_client=sim.client("sqs"))
    send_poison(sim, url)
    sim.set_handler(upper, latency=3)
    invocation = client.invoke_async("churn", b"late")

    assert invocation.result(timeout=60, notifications=queue) == b"LATE"
    assert queue.set_aside == len(POISON)
    assert queue_counts(sim, url) == (0, 0)


def test_poison_does_not_stop_an_asyncio_await(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    queue = sa.NotificationQueue(url, sqs_client=sim.client("sqs"))
    send_poison(sim, url)
    invocation = client.invoke_async("churn", b"async")

    assert asyncio.run(invocation.aresult(timeout=60, notifications=queue)) == b"ASYNC"
    assert queue.set_aside + sum(queue_counts(sim, url)) == len(POISON)


def dead_letter_queue(sim: SageMakerSimulator, url: str, max_receive_count: int) -> str:
    """Give the queue at *url* a dead-letter queue; its URL."""
    sqs = sim.client("sqs")
    dlq = sqs.create_queue(QueueName="notifications-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]
    policy = {"deadLetterTargetArn": arn["QueueArn"], "maxReceiveCount": max_receive_count}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": json.dumps(policy)})
    return dlq


def test_with_a_redrive_policy_poison_is_left_for_the_dead_letter_queue(
    sim: SageMakerSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    dlq = dead_letter_queue(sim, url, max_receive_count=1)
    sqs = sim.client("sqs")
    poison = POISON["parameters list"][0]
    sqs.send_message(QueueUrl=url, MessageBody=poison)
    queue = sa.NotificationQueue(url, sqs_client=sqs, visibility_timeout=1)
    invocation = client.invoke_async("churn", b"kept")

    with caplog.at_level(logging.WARNING, logger="sagemaker_async"):
        assert invocation.result(timeout=60, notifications=queue) == b"KEPT"

    assert queue.set_aside == 1
    assert any("left for the queue's dead-letter queue" in r.getMessage() for r in caplog.records)
    # Received once (maxReceiveCount), the next receive moves it to the dead-letter queue.
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3).get("Messages", []) == []
    moved = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages", [])
    assert [m["Body"] for m in moved] == [poison]


def test_the_redrive_policy_is_read_once(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    sqs = sim.client("sqs")
    calls: list[str] = []
    sqs.meta.events.register("before-call.sqs", lambda model, **_: calls.append(model.name))
    queue = sa.NotificationQueue(url, sqs_client=sqs)

    sim.set_handler(upper, latency=1)  # each result comes after the poison

    for round_ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody="not json")
        invocation = client.invoke_async("churn", f"round {round_}")
        invocation.result(timeout=60, notifications=queue)

    assert calls.count("GetQueueAttributes") == 1
    assert queue.set_aside == 3
    assert queue_counts(sim, url) == (0, 0)


def test_without_leave_to_read_the_redrive_policy_poison_is_deleted(
    sim: SageMakerSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    faults = FaultInjector()
    sqs = faults.attach(sim.client("sqs"))
    faults.fail_next("GetQueueAttributes", ErrorAnswer("AccessDenied", 403, "Not for you."))
    send_poison(sim, url)
    queue = sa.NotificationQueue(url, sqs_client=sqs)
    sim.set_handler(upper, latency=3)
    invocation = client.invoke_async("churn", b"denied")

    with caplog.at_level(logging.WARNING, logger="sagemaker_async"):
        assert invocation.result(timeout=60, notifications=queue) == b"DENIED"

    assert queue.set_aside == len(POISON)
    assert queue_counts(sim, url) == (0, 0)
    assert any(
        "could not read the queue's redrive policy" in r.getMessage() for r in caplog.records
    )


def test_throttled_reading_of_the_redrive_policy_leaves_poison_for_later(
    sim: SageMakerSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    faults = FaultInjector()
    sqs = faults.attach(sim.client("sqs", region_name="us-east-1"))
    faults.fail_next("GetQueueAttributes", "throttling", times=1000)
    sqs.send_message(QueueUrl=url, MessageBody="not json")
    queue = sa.NotificationQueue(url, sqs_client=sqs, visibility_timeout=1)
    sim.set_handler(upper, latency=2)

    with caplog.at_level(logging.WARNING, logger="sagemaker_async"):
        assert client.invoke_async("churn", b"later").result(60, notifications=queue) == b"LATER"

    assert queue.set_aside == 1
    assert any("redrive policy, will retry" in r.getMessage() for r in caplog.records)
    assert sum(queue_counts(sim, url)) == 1  # left in the queue, to be looked at again
    faults.detach(sqs)
    assert client.invoke_async("churn", b"again").result(60, notifications=queue) == b"AGAIN"
    assert queue.set_aside == 1  # the same message, counted once
    assert queue_counts(sim, url) == (0, 0)
