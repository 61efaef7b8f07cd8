"""A notification that comes before its object is readable in S3.

S3 need not show an object to every reader the moment SageMaker notifies. The
simulator writes and notifies together, so these tests send the notification
themselves, ahead of the simulator's (its request runs for a while yet), on a
FakeClock: the reads that follow pause on that clock, which moves the
simulator on.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async.invocations._fetch import LANDING_PATIENCE
from sagemaker_async.testing import SageMakerSimulator
from test_invocations import ERROR, SUCCESS, upper
from test_invocations import deploy as deploy_churn


def deploy(sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    """An InService endpoint 'churn' notifying both topics; its model upper-cases."""
    return deploy_churn(sim, topics=True)


def queue_of(sim: SageMakerSimulator) -> sa.NotificationQueue:
    url = sim.subscribe_queue(SUCCESS, ERROR, raw_delivery=True)
    return sa.NotificationQueue(url, sqs_client=sim.client("sqs"))


def notify_early(sim: SageMakerSimulator, queue: sa.NotificationQueue, **event: Any) -> None:
    """Put an InferenceResult event into *queue* now, as SageMaker would send it."""
    message = {"eventName": "InferenceResult", **event}
    sim.client("sqs").send_message(QueueUrl=queue.queue_url, MessageBody=json.dumps(message))


def completed(invocation: sa.AsyncInvocation) -> dict[str, Any]:
    return {
        "inferenceId": invocation.inference_id,
        "invocationStatus": "Completed",
        "responseParameters": {"outputLocation": invocation.output_location},
    }


def queue_counts(sim: SageMakerSimulator, queue: sa.NotificationQueue) -> tuple[int, int]:
    """Messages visible, and received but hidden."""
    names: Any = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    answer = sim.client("sqs").get_queue_attributes(QueueUrl=queue.queue_url, AttributeNames=names)
    return tuple(int(answer["Attributes"][name]) for name in names)  # type: ignore[return-value]


def test_an_output_landing_after_its_notification_is_read_once_there(
    fake_sim: SageMakerSimulator,
) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    fake_sim.set_handler(upper, latency=5)
    invocation = client.invoke_async("churn", b"late")
    notify_early(fake_sim, queue, **completed(invocation))

    assert invocation.result(timeout=60, notifications=queue) == b"LATE"


def test_as_completed_reads_a_late_output_once_there(fake_sim: SageMakerSimulator) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    fake_sim.set_handler(upper, latency=4)
    late = client.invoke_async("churn", b"late")
    notify_early(fake_sim, queue, **completed(late))
    fake_sim.set_handler(upper, latency=1)
    quick = client.invoke_async("churn", b"quick")

    done = sa.wait_all([late, quick], timeout=60, notifications=queue)

    assert [i.result() for i in done] == [b"LATE", b"QUICK"]


def test_an_output_that_never_lands_is_a_clear_error_and_stays_awaitable(
    fake_sim: SageMakerSimulator,
) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    fake_sim.set_handler(upper, latency=3600)
    invocation = client.invoke_async("churn", b"never")
    notify_early(fake_sim, queue, **completed(invocation))
    start = fake_sim.clock.time()

    with pytest.raises(sa.ResourceNotFoundError) as caught:
        invocation.result(timeout=600, notifications=queue)

    assert str(caught.value) == (
        f"GetObject failed with NoSuchKey: SageMaker notified that inference "
        f"{invocation.inference_id} completed, but its output {invocation.output_location} "
        f"was still not readable after {LANDING_PATIENCE:g} s. The invocation stays pending "
        "and its notification is back in the queue: await it again later, and check that "
        "nothing deletes or moves the outputs."
    )
    assert fake_sim.clock.time() - start >= LANDING_PATIENCE
    assert queue_counts(fake_sim, queue) == (1, 0)
    assert not invocation.done()


def test_the_others_are_handed_over_before_a_missing_output_is_reported(
    fake_sim: SageMakerSimulator,
) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    quick = client.invoke_async("churn", b"quick")
    fake_sim.set_handler(upper, latency=3600)
    never = client.invoke_async("churn", b"never")
    fake_sim.clock.advance(1)  # the quick one lands, and is notified with the next receive
    notify_early(fake_sim, queue, **completed(never))
    awaiting = sa.as_completed([quick, never], timeout=600, notifications=queue)

    first = next(awaiting)
    with pytest.raises(sa.ResourceNotFoundError):
        next(awaiting)

    assert first is quick
    assert quick.result() == b"QUICK"


def test_a_timeout_shorter_than_the_patience_is_a_timeout(fake_sim: SageMakerSimulator) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    fake_sim.set_handler(upper, latency=3600)
    invocation = client.invoke_async("churn", b"never")
    notify_early(fake_sim, queue, **completed(invocation))

    with pytest.raises(sa.InferenceTimeoutError) as caught:
        invocation.result(timeout=3, notifications=queue)

    assert caught.value.inference_id == invocation.inference_id
    assert queue_counts(fake_sim, queue) == (1, 0)


def test_a_failure_object_that_never_lands_is_reported_with_the_reason(
    fake_sim: SageMakerSimulator,
) -> None:
    client = deploy(fake_sim)
    queue = queue_of(fake_sim)
    fake_sim.set_handler(upper, latency=3600)
    invocation = client.invoke_async("churn", b"never")
    notify_early(
        fake_sim,
        queue,
        inferenceId=invocation.inference_id,
        invocationStatus="Failed",
        failureReason="ClientError: the model gave up.",
        responseParameters={"failureLocation": invocation.failure_location},
    )

    with pytest.raises(sa.InferenceFailedError) as caught:
        invocation.result(timeout=600, notifications=queue)

    assert caught.value.failure_body == b"ClientError: the model gave up."
    assert queue_counts(fake_sim, queue) == (0, 0)
