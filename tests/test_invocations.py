"""Invoking and awaiting, against the simulator in-process and over HTTP."""

from __future__ import annotations

import asyncio
import collections
import io
import json
import pickle
import random
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async import Backoff
from sagemaker_async.testing import FakeClock, FaultInjector, SageMakerSimulator

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
BUCKET = "results-bucket"
SUCCESS = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:churn-error"


def upper(body: bytes, content_type: str | None) -> bytes:
    if body.startswith(b"fail"):
        raise ValueError(f"cannot score {body.decode()}")
    return body.upper()


def deploy(
    sim: SageMakerSimulator,
    *,
    topics: bool = False,
    include: tuple[sa.NotificationTopic, ...] = (),
    **client_kwargs: Any,
) -> sa.AsyncInferenceClient:
    """An InService async endpoint 'churn' whose model upper-cases its input."""
    sim.client("s3").create_bucket(Bucket=BUCKET)
    if topics:
        sns = sim.client("sns")
        sns.create_topic(Name="churn-ok")
        sns.create_topic(Name="churn-error")
    sim.set_handler(upper)
    fake = isinstance(sim.clock, FakeClock)
    client = sim.async_client(
        backoff=Backoff(2.0, 30.0) if fake else Backoff(0.05, 0.2), **client_kwargs
    )
    notification = sa.NotificationConfig(
        success_topic=SUCCESS, error_topic=ERROR, include_inference_response_in=include
    )
    client.deploy(
        sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE)),
        sa.EndpointConfig(
            name="churn-v1",
            variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path=f"s3://{BUCKET}/churn",
                failure_path=f"s3://{BUCKET}/failed",
                notification=notification if topics else None,
            ),
        ),
        "churn",
    )
    return client


class Requests:
    """Counts the requests a boto3 client sends, by operation."""

    def __init__(self, client: Any) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        client.meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1

    def total(self) -> int:
        return sum(self.counts.values())


@pytest.fixture
def client(fake_sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    return deploy(fake_sim)


def keys(sim: SageMakerSimulator, prefix: str) -> list[str]:
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", ()))


# -- invoking ----------------------------------------------------------------------------


def test_one_result(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"hello", content_type="text/plain")

    assert invocation.result(timeout=60) == b"HELLO"
    assert invocation.output_location == f"s3://{BUCKET}/churn/{invocation.inference_id}.out"
    assert invocation.failure_location == (
        f"s3://{BUCKET}/failed/{invocation.inference_id}-error.out"
    )


def test_one_result_with_the_real_clock(sim: SageMakerSimulator) -> None:
    client = deploy(sim)

    assert client.invoke_async("churn", "text body").result(timeout=30) == b"TEXT BODY"


def test_body_is_uploaded_under_the_default_input_path(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    invocation = client.invoke_async("churn", io.BytesIO(b"from a file"))

    assert keys(fake_sim, "sagemaker-async-inputs/") == [
        f"sagemaker-async-inputs/churn/{invocation.inference_id}"
    ]
    assert invocation.result(timeout=60) == b"FROM A FILE"


def test_generated_ids_share_the_client_prefix(client: sa.AsyncInferenceClient) -> None:
    first = client.invoke_async("churn", b"a")
    second = client.invoke_async("churn", b"b")

    assert first.inference_id != second.inference_id
    assert first.inference_id[:13] == second.inference_id[:13]
    assert len(first.inference_id) == 45


def test_inference_id_given_by_the_caller(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"x", inference_id="order-42")

    assert invocation.inference_id == "order-42"
    assert invocation.output_location == f"s3://{BUCKET}/churn/order-42.out"


def test_input_location_uploads_nothing(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    fake_sim.client("s3").put_object(Bucket=BUCKET, Key="mine/input.txt", Body=b"stored")
    requests = Requests(client.s3)

    invocation = client.invoke_async("churn", input_location=f"s3://{BUCKET}/mine/input.txt")

    assert requests.counts["PutObject"] == 0
    assert invocation.result(timeout=60) == b"STORED"


def test_inline_body_uploads_nothing(client: sa.AsyncInferenceClient) -> None:
    requests = Requests(client.s3)

    invocation = client.invoke_async("churn", b"inline", inline=True)

    assert requests.counts["PutObject"] == 0
    assert invocation.result(timeout=60) == b"INLINE"


def test_refused_invocation_leaves_no_input_behind(fake_sim: SageMakerSimulator) -> None:
    deploy(fake_sim)
    client = fake_sim.async_client(input_path=f"s3://{BUCKET}/uploads")

    with pytest.raises(sa.ResourceNotFoundError):
        client.invoke_async("no-such-endpoint", b"lost?")

    assert keys(fake_sim, "uploads/") == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"request_ttl_seconds": 59}, "request_ttl_seconds"),
        ({"request_ttl_seconds": 21601}, "request_ttl_seconds"),
        ({"request_ttl_seconds": "60"}, "request_ttl_seconds"),
        ({"invocation_timeout_seconds": 0}, "invocation_timeout_seconds"),
        ({"invocation_timeout_seconds": 3601}, "invocation_timeout_seconds"),
        ({"inference_id": ""}, "inference_id"),
        ({"inference_id": "x" * 65}, "inference_id"),
        ({"inference_id": " leading-space"}, "inference_id"),
        ({"inference_id": "tab\there"}, "inference_id"),
        ({"content_type": "text/plain; é"}, "content_type"),
        ({"accept": "a" * 1025}, "accept"),
        ({"custom_attributes": "ü"}, "custom_attributes"),
        ({"filename": "two.dots.out"}, "filename"),
        ({"filename": "x" * 33}, "filename"),
        ({"output_path_extension": "s3://elsewhere"}, "output_path_extension"),
        ({"input_location": "s3://results-bucket/in"}, "body"),
        ({"inline": True, "body": b"x" * 128_001}, "body"),
        ({"body": 42}, "body"),
        ({"endpoint_name": "bad_name"}, "endpoint_name"),
    ],
)
def test_bad_arguments_fail_before_any_call(
    client: sa.AsyncInferenceClient, arguments: dict[str, Any], field: str
) -> None:
    runtime, s3 = Requests(client.runtime), Requests(client.s3)
    call: dict[str, Any] = {"endpoint_name": "churn", "body": b"payload", **arguments}

    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_async(**call)

    assert field in caught.value.fields
    assert (runtime.total(), s3.total()) == (0, 0)


def test_neither_body_nor_input_location_is_refused(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_async("churn")

    assert caught.value.fields == ("body",)
    assert str(caught.value).startswith("1 problem with invoke_async:")
    assert "exactly one" in str(caught.value)


# -- awaiting one ------------------------------------------------------------------------


def test_failure_raises_with_the_failure_body(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"fail-me")

    with pytest.raises(sa.InferenceFailedError) as caught:
        invocation.result(timeout=60)

    assert caught.value.inference_id == invocation.inference_id
    assert caught.value.failure_location == invocation.failure_location
    assert b"cannot score fail-me" in (caught.value.failure_body or b"")


def test_timeout_names_the_locations(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    fake_sim.set_handler(upper, latency=3600)
    invocation = client.invoke_async("churn", b"slow")

    with pytest.raises(sa.InferenceTimeoutError) as caught:
        invocation.result(timeout=30)

    assert (caught.value.inference_id, caught.value.output_location) == (
        invocation.inference_id,
        invocation.output_location,
    )
    assert "after 30 s" in str(caught.value)
    assert fake_sim.clock.time() < 3600


def test_missing_read_permission_is_access_denied_not_a_timeout(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    invocation = client.invoke_async("churn", b"x")
    fake_sim.deny_s3_reads(BUCKET)

    with pytest.raises(sa.AccessDeniedError) as caught:
        invocation.result(timeout=60)

    assert "s3:ListBucket" in str(caught.value)
    assert invocation.output_location in str(caught.value)


def test_done_reports_landing(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    invocation = client.invoke_async("churn", b"x")

    before = invocation.done()
    fake_sim.clock.sleep(60)  # type: ignore[attr-defined]

    assert (before, invocation.done()) == (False, True)


def test_done_takes_throttling_as_not_yet(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    invocation = client.invoke_async("churn", b"x")
    fake_sim.clock.sleep(60)  # type: ignore[attr-defined]
    injector = FaultInjector(seed=1)
    injector.attach(client.s3)
    injector.fail_next("GetObject", "throttling", times=50)

    throttled = invocation.done()
    injector.detach(client.s3)

    assert (throttled, invocation.done()) == (False, True)


def test_a_pickled_copy_is_awaited_elsewhere(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"pickled")

    copy = pickle.loads(pickle.dumps(invocation))

    assert copy == invocation
    assert copy.bind(client).result(timeout=60) == b"PICKLED"


def test_pickle_holds_ids_and_locations_only(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"x")

    state = pickle.dumps(invocation)

    assert b"AsyncInferenceClient" not in state
    assert len(state) < 400


def test_rebuilt_from_id_and_locations(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"rebuilt")

    again = client.invocation(
        invocation.inference_id, invocation.output_location, invocation.failure_location
    )

    assert again.result(timeout=60) == b"REBUILT"


def test_awaited_from_asyncio_without_blocking(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    invocations = [client.invoke_async("churn", f"item {i}") for i in range(5)]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def main() -> list[bytes]:
        task = asyncio.create_task(ticker())
        results = await asyncio.gather(*(i.aresult(timeout=30) for i in invocations))
        task.cancel()
        return list(results)

    assert asyncio.run(main()) == [f"ITEM {i}".encode() for i in range(5)]
    assert ticks > 0


# -- awaiting many -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [1000])
def test_as_completed_yields_each_once_as_it_lands(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient, count: int
) -> None:
    landing = random.Random(7)
    fake_sim.set_handler(upper, latency=lambda: landing.uniform(0, 10))
    invocations = [client.invoke_async("churn", f"n{i}") for i in range(count)]
    requests = Requests(client.s3)

    yielded = list(sa.as_completed(invocations, timeout=120))

    assert sorted(i.inference_id for i in yielded) == sorted(i.inference_id for i in invocations)
    assert {i.result() for i in yielded} == {f"N{i}".encode() for i in range(count)}
    assert requests.counts["GetObject"] == count
    assert requests.total() / count <= 1.2


def test_as_completed_leaves_other_results_alone(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    others = fake_sim.async_client()
    theirs = [others.invoke_async("churn", b"theirs") for _ in range(3)]
    ours = [client.invoke_async("churn", b"ours") for _ in range(3)]
    requests = Requests(client.s3)

    assert {i.result() for i in sa.as_completed(ours, timeout=60)} == {b"OURS"}

    assert requests.counts["GetObject"] == 3
    assert [i.done() for i in theirs] == [True, True, True]


def test_as_completed_yields_failures_too(client: sa.AsyncInferenceClient) -> None:
    good = client.invoke_async("churn", b"good")
    bad = client.invoke_async("churn", b"fail")

    yielded = list(sa.as_completed([good, bad], timeout=60))

    assert set(yielded) == {good, bad}
    with pytest.raises(sa.InferenceFailedError):
        bad.result()


def test_wait_all_keeps_the_given_order(client: sa.AsyncInferenceClient) -> None:
    invocations = [client.invoke_async("churn", f"{i}") for i in range(5)]

    done = sa.wait_all(reversed(invocations), timeout=60)

    assert done == tuple(reversed(invocations))
    assert [i.result() for i in done] == [b"4", b"3", b"2", b"1", b"0"]


def test_wait_all_timeout_names_the_pending(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    quick = client.invoke_async("churn", b"quick")
    fake_sim.set_handler(upper, latency=3600)
    slow = client.invoke_async("churn", b"slow")

    with pytest.raises(sa.InferenceTimeoutError) as caught:
        sa.wait_all([quick, slow], timeout=30)

    assert caught.value.pending == (slow.inference_id,)
    assert quick.result() == b"QUICK"


def test_duplicates_in_the_input_are_yielded_once(client: sa.AsyncInferenceClient) -> None:
    invocation = client.invoke_async("churn", b"x")

    assert list(sa.as_completed([invocation, invocation], timeout=60)) == [invocation]


# -- notifications -----------------------------------------------------------------------


def result_message(sim: SageMakerSimulator, queue_url: str) -> list[dict[str, Any]]:
    sqs = sim.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=3)
    return [json.loads(m["Body"]) for m in messages.get("Messages", ())]


@pytest.mark.parametrize("raw_delivery", [False, True], ids=["envelope", "raw"])
def test_notifications_resolve_invocations_without_polling_s3(
    sim: SageMakerSimulator, raw_delivery: bool
) -> None:
    client = deploy(sim, topics=True)
    queue_url = sim.subscribe_queue(SUCCESS, ERROR, raw_delivery=raw_delivery)
    queue = sa.NotificationQueue(queue_url, sqs_client=sim.client("sqs"))
    invocations = [client.invoke_async("churn", b"fail" if i % 4 == 0 else b"ok") for i in range(8)]
    requests = Requests(client.s3)

    yielded = list(sa.as_completed(invocations, timeout=30, notifications=queue))

    assert sorted(i.inference_id for i in yielded) == sorted(i.inference_id for i in invocations)
    assert requests.counts["ListObjectsV2"] == 0
    assert requests.counts["GetObject"] == 8
    failed = [
        i for i in invocations if i.inference_id in {j.inference_id for j in invocations[::4]}
    ]
    for invocation in failed:
        with pytest.raises(sa.InferenceFailedError):
            invocation.result()


def test_notifications_tolerate_duplicates_tests_and_strangers(sim: SageMakerSimulator) -> None:
    client = deploy(sim, topics=True)
    queue_url = sim.subscribe_queue(SUCCESS, ERROR)
    sqs = sim.client("sqs")
    stranger = {
        "eventName": "InferenceResult",
        "invocationStatus": "Completed",
        "inferenceId": "someone-elses",
        "responseParameters": {"outputLocation": f"s3://{BUCKET}/churn/someone-elses.out"},
    }
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"eventName": "TestNotification"}))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(stranger))
    invocation = client.invoke_async("churn", b"once")
    duplicate = {
        "eventName": "InferenceResult",
        "invocationStatus": "Completed",
        "inferenceId": invocation.inference_id,
        "responseParameters": {"outputLocation": invocation.output_location},
    }
    queue = sa.NotificationQueue(queue_url, sqs_client=sqs, visibility_timeout=1)

    first = list(sa.as_completed([invocation], timeout=30, notifications=queue))
    # The same message delivered twice more, to a process awaiting a rebuilt copy.
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(duplicate))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(duplicate))
    rebuilt = client.invocation(
        invocation.inference_id, invocation.output_location, invocation.failure_location
    )
    second = list(sa.as_completed([rebuilt], timeout=30, notifications=queue))

    assert (first, second) == ([invocation], [rebuilt])
    assert rebuilt.result() == b"ONCE"
    left = [m.get("inferenceId") for m in result_message(sim, queue_url)]
    assert left == ["someone-elses"]


def test_result_accepts_notifications(sim: SageMakerSimulator) -> None:
    client = deploy(sim, topics=True)
    queue = sa.NotificationQueue(sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sim.client("sqs"))

    assert client.invoke_async("churn", b"note").result(timeout=30, notifications=queue) == b"NOTE"


def test_responses_included_in_notifications_need_no_s3_read(sim: SageMakerSimulator) -> None:
    client = deploy(
        sim, topics=True, include=("SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC")
    )
    queue = sa.NotificationQueue(sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sim.client("sqs"))
    good = client.invoke_async("churn", b"good")
    bad = client.invoke_async("churn", b"fail-included")
    requests = Requests(client.s3)

    sa.wait_all([good, bad], timeout=30, notifications=queue)

    assert requests.total() == 0
    assert good.result() == b"GOOD"
    with pytest.raises(sa.InferenceFailedError) as caught:
        bad.result()
    assert b"cannot score fail-included" in (caught.value.failure_body or b"")
