"""Many consumers: a filtered queue each, inference id prefixes, and shared queues.

Against the simulator on both transports (the filter policies are SNS's, as the
simulator applies them), and, for the processes, over HTTP.
"""

from __future__ import annotations

import collections
import json
import logging
import multiprocessing
import os
from typing import Any

import parliament
import pytest

import sagemaker_async as sa
from sagemaker_async import Backoff, iam
from sagemaker_async.invocations._notified import CROWDED_PAUSES
from sagemaker_async.testing import (
    ErrorAnswer,
    FakeClock,
    FaultInjector,
    SageMakerSimulator,
    simulated_sagemaker,
)

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
BUCKET = "results-bucket"
SUCCESS = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:churn-error"
TOPICS = (SUCCESS, ERROR)
INTERRUPTED = ErrorAnswer("AccessDenied", 403, "Interrupted here.")


def upper(body: bytes, content_type: str | None) -> bytes:
    return body.upper()


def topics(sim: SageMakerSimulator) -> None:
    sns = sim.client("sns")
    sns.create_topic(Name="churn-ok")
    sns.create_topic(Name="churn-error")


def deploy(sim: SageMakerSimulator, **client_kwargs: Any) -> sa.AsyncInferenceClient:
    """An InService endpoint 'churn' notifying the two topics; its model upper-cases."""
    sim.client("s3").create_bucket(Bucket=BUCKET)
    topics(sim)
    sim.set_handler(upper)
    fake = isinstance(sim.clock, FakeClock)
    client = sim.async_client(
        backoff=Backoff(2.0, 30.0) if fake else Backoff(0.05, 0.2), **client_kwargs
    )
    client.deploy(
        sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE)),
        sa.EndpointConfig(
            name="churn-v1",
            variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path=f"s3://{BUCKET}/churn",
                notification=sa.NotificationConfig(success_topic=SUCCESS, error_topic=ERROR),
            ),
        ),
        "churn",
    )
    return client


def create(sim: SageMakerSimulator, name: str = "worker-1", **kwargs: Any) -> sa.NotificationQueue:
    arguments: dict[str, Any] = {
        "topics": TOPICS,
        "inference_id_prefix": "worker-1-",
        "sqs_client": sim.client("sqs"),
        "sns_client": sim.client("sns"),
    }
    arguments.update(kwargs)
    return sa.NotificationQueue.create(name, **arguments)


def leftovers(sim: SageMakerSimulator) -> dict[str, int]:
    """Queues and subscriptions that exist."""
    queues = sim.client("sqs").list_queues().get("QueueUrls", [])
    subscriptions = sim.client("sns").list_subscriptions()["Subscriptions"]
    return {"queues": len(queues), "subscriptions": len(subscriptions)}


def subscription_attributes(sim: SageMakerSimulator) -> list[dict[str, str]]:
    sns = sim.client("sns")
    found = []
    for subscription in sns.list_subscriptions()["Subscriptions"]:
        arn = subscription["SubscriptionArn"]
        attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
        found.append({k: attributes.get(k, "") for k in ("FilterPolicyScope", "FilterPolicy")})
    return found


def counts(sim: SageMakerSimulator, queue_url: str) -> tuple[int, int]:
    """Messages visible, and received but hidden."""
    names: Any = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sim.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)
    return tuple(int(attributes["Attributes"][name]) for name in names)  # type: ignore[return-value]


class Requests:
    """Counts the requests a boto3 client sends, by operation."""

    def __init__(self, client: Any) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        client.meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1


FILTER = {
    "FilterPolicyScope": "MessageBody",
    "FilterPolicy": '{"inferenceId": [{"prefix": "worker-1-"}]}',
}


# -- arguments ---------------------------------------------------------------------------


def test_create_names_every_bad_argument_before_any_call(sim: SageMakerSimulator) -> None:
    sqs, sns = sim.client("sqs"), sim.client("sns")
    requests = [Requests(sqs), Requests(sns)]

    with pytest.raises(sa.ValidationError) as caught:
        sa.NotificationQueue.create(
            "results queue",
            topics=["arn:aws:sqs:us-east-1:123456789012:churn-ok"],
            inference_id_prefix=" worker",
            sqs_client=sqs,
            sns_client=sns,
        )

    assert str(caught.value) == (
        "3 problems with NotificationQueue.create:\n"
        "  name: expected 1 to 80 letters, digits, hyphens and underscores "
        "(pattern [A-Za-z0-9_-]{1,80}), received 'results queue' (str)\n"
        "  topics[0]: expected an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:name, "
        "received 'arn:aws:sqs:us-east-1:123456789012:churn-ok' (str)\n"
        "  inference_id_prefix: expected printable ASCII characters, not starting with a "
        "space, received ' worker' (str)\n"
        "Fix the values and try again."
    )
    assert [r.counts.total() for r in requests] == [0, 0]


def test_create_refuses_a_fifo_queue(sim: SageMakerSimulator) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        create(sim, "results.fifo")

    assert [str(problem) for problem in caught.value.problems] == [
        "name: expected a standard queue (SNS delivers SageMaker's notifications to standard "
        "queues; FIFO queues, named *.fifo, are refused), received 'results.fifo' (str)"
    ]


def test_create_needs_a_topic(sim: SageMakerSimulator) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        create(sim, topics=[])

    assert [str(problem) for problem in caught.value.problems] == [
        "topics: expected 1 to 100 topic ARNs, received () (tuple)"
    ]


def test_create_refuses_a_topic_outside_the_sns_clients_region(sim: SageMakerSimulator) -> None:
    elsewhere = "arn:aws:sns:eu-west-1:123456789012:churn-ok"

    with pytest.raises(sa.ValidationError) as caught:
        create(sim, topics=[SUCCESS, elsewhere])

    assert [str(problem) for problem in caught.value.problems] == [
        f"topics[1]: expected a topic in us-east-1, the region of the sns client, "
        f"received '{elsewhere}' (str)"
    ]
    assert leftovers(sim) == {"queues": 0, "subscriptions": 0}


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "w" * 20,
            "1 to 19 characters (the ids made from it add 45, and an InferenceId takes at most 64)",
        ),
        (
            "",
            "1 to 19 characters (the ids made from it add 45, and an InferenceId takes at most 64)",
        ),
        ("wörker-", "printable ASCII characters, not starting with a space"),
        (" worker", "printable ASCII characters, not starting with a space"),
        (7, "a string"),
    ],
    ids=["too-long", "empty", "not-ascii", "space-first", "not-text"],
)
def test_the_client_refuses_a_prefix_that_would_break_inference_ids(
    sim: SageMakerSimulator, prefix: Any, expected: str
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sim.async_client(inference_id_prefix=prefix)

    assert [(p.path, p.expected, p.received) for p in caught.value.problems] == [
        ("inference_id_prefix", expected, prefix)
    ]


def test_generated_ids_start_with_the_prefix_and_stay_within_64_characters(
    sim: SageMakerSimulator,
) -> None:
    client = deploy(sim, inference_id_prefix="w" * 19)

    ids = [client.invoke_async("churn", b"x").inference_id for _ in range(20)]

    assert {(i[:19], len(i)) for i in ids} == {("w" * 19, 64)}
    assert len(set(ids)) == 20
    # One client's ids share a longer prefix still: awaiting lists S3 under it.
    assert len({i[: 19 + 12] for i in ids}) == 1


def test_a_given_inference_id_is_used_as_given(sim: SageMakerSimulator) -> None:
    client = deploy(sim, inference_id_prefix="worker-1-")

    assert client.invoke_async("churn", b"x", inference_id="mine").inference_id == "mine"


# -- create and delete -------------------------------------------------------------------


def test_create_lets_exactly_the_topics_send_to_the_queue(sim: SageMakerSimulator) -> None:
    topics(sim)

    queue = create(sim)

    sqs = sim.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue.queue_url, AttributeNames=["Policy", "QueueArn"]
    )["Attributes"]
    assert json.loads(attributes["Policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SageMakerNotifications",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": attributes["QueueArn"],
                "Condition": {"ArnEquals": {"aws:SourceArn": [SUCCESS, ERROR]}},
            }
        ],
    }


def test_create_subscribes_the_queue_with_a_filter_on_the_message_body(
    sim: SageMakerSimulator,
) -> None:
    topics(sim)

    create(sim)

    assert subscription_attributes(sim) == [FILTER, FILTER]


def test_create_without_a_prefix_subscribes_without_a_filter(sim: SageMakerSimulator) -> None:
    topics(sim)

    create(sim, inference_id_prefix=None)

    assert subscription_attributes(sim) == [{"FilterPolicyScope": "", "FilterPolicy": ""}] * 2


def test_create_again_makes_nothing_twice(sim: SageMakerSimulator) -> None:
    topics(sim)

    first = create(sim)
    second = create(sim)

    assert (second.queue_url, second._subscriptions) == (first.queue_url, first._subscriptions)
    assert leftovers(sim) == {"queues": 1, "subscriptions": 2}


def test_delete_leaves_nothing_and_again_is_harmless(sim: SageMakerSimulator) -> None:
    topics(sim)
    queue = create(sim)

    queue.delete()
    queue.delete()

    assert leftovers(sim) == {"queues": 0, "subscriptions": 0}


def test_a_queue_known_by_its_url_alone_is_deleted_without_its_subscriptions(
    sim: SageMakerSimulator,
) -> None:
    deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)

    sa.NotificationQueue(url, sqs_client=sim.client("sqs")).delete()

    # Its subscriptions were made elsewhere: they are not on record, and stay.
    assert leftovers(sim) == {"queues": 0, "subscriptions": 2}


def test_a_missing_topic_is_reported_and_create_finishes_once_it_exists(
    sim: SageMakerSimulator,
) -> None:
    sim.client("sns").create_topic(Name="churn-ok")

    with pytest.raises(sa.ResourceNotFoundError) as caught:
        create(sim)

    assert caught.value.operation == "Subscribe"
    assert "run NotificationQueue.create again to finish" in "".join(caught.value.__notes__)
    sim.client("sns").create_topic(Name="churn-error")
    create(sim)
    assert leftovers(sim) == {"queues": 1, "subscriptions": 2}


def test_create_with_another_prefix_on_a_subscribed_queue_is_refused_with_advice(
    sim: SageMakerSimulator,
) -> None:
    topics(sim)
    create(sim)

    with pytest.raises(sa.ServiceError) as caught:
        create(sim, inference_id_prefix="worker-2-")

    assert (caught.value.code, caught.value.message) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: Subscription already exists with "
        "different attributes",
    )
    assert "give this consumer a queue name of its own" in "".join(caught.value.__notes__)
    assert subscription_attributes(sim) == [FILTER, FILTER]


CREATE_CALLS = [
    ("sqs", "CreateQueue", 0),
    ("sqs", "GetQueueAttributes", 0),
    ("sqs", "SetQueueAttributes", 0),
    ("sns", "Subscribe", 0),
    ("sns", "Subscribe", 1),
]
CREATE_IDS = ["CreateQueue", "GetQueueAttributes", "SetQueueAttributes", "Subscribe", "Subscribe2"]


def faulty(sim: SageMakerSimulator, injector: FaultInjector) -> dict[str, Any]:
    return {
        "sqs_client": injector.attach(sim.session.client("sqs")),
        "sns_client": injector.attach(sim.session.client("sns")),
    }


@pytest.mark.parametrize(("service", "operation", "skip"), CREATE_CALLS, ids=CREATE_IDS)
def test_create_interrupted_at_a_call_is_finished_by_running_it_again(
    sim: SageMakerSimulator, service: str, operation: str, skip: int
) -> None:
    topics(sim)
    injector = FaultInjector()
    clients = faulty(sim, injector)
    injector.fail_next(operation, INTERRUPTED, skip=skip)

    with pytest.raises(sa.AccessDeniedError):
        create(sim, **clients)
    queue = create(sim, **clients)

    assert leftovers(sim) == {"queues": 1, "subscriptions": 2}
    assert subscription_attributes(sim) == [FILTER, FILTER]
    assert len(queue._subscriptions) == 2


@pytest.mark.parametrize(("service", "operation", "skip"), CREATE_CALLS, ids=CREATE_IDS)
def test_a_lost_answer_at_a_call_of_create_makes_nothing_twice(
    sim: SageMakerSimulator, service: str, operation: str, skip: int
) -> None:
    topics(sim)
    injector = FaultInjector()
    clients = faulty(sim, injector)
    injector.fail_next(operation, "read_timeout", skip=skip)

    create(sim, **clients)

    assert injector.faults == {("read_timeout", operation): 1}
    assert leftovers(sim) == {"queues": 1, "subscriptions": 2}


DELETE_CALLS = [("Unsubscribe", 0), ("Unsubscribe", 1), ("DeleteQueue", 0)]
DELETE_IDS = ["Unsubscribe", "Unsubscribe2", "DeleteQueue"]


@pytest.mark.parametrize(("operation", "skip"), DELETE_CALLS, ids=DELETE_IDS)
def test_delete_interrupted_at_a_call_leaves_nothing_once_run_again(
    sim: SageMakerSimulator, operation: str, skip: int
) -> None:
    topics(sim)
    injector = FaultInjector()
    queue = create(sim, **faulty(sim, injector))
    injector.fail_next(operation, INTERRUPTED, skip=skip)

    with pytest.raises(sa.AccessDeniedError):
        queue.delete()
    queue.delete()

    assert leftovers(sim) == {"queues": 0, "subscriptions": 0}


@pytest.mark.parametrize(("operation", "skip"), DELETE_CALLS, ids=DELETE_IDS)
def test_a_lost_answer_at_a_call_of_delete_is_no_failure(
    sim: SageMakerSimulator, operation: str, skip: int
) -> None:
    topics(sim)
    injector = FaultInjector()
    queue = create(sim, **faulty(sim, injector))
    injector.fail_next(operation, "read_timeout", skip=skip)

    queue.delete()

    assert injector.faults == {("read_timeout", operation): 1}
    assert leftovers(sim) == {"queues": 0, "subscriptions": 0}


def test_a_queue_rebuilt_by_create_in_another_process_can_be_deleted(
    sim: SageMakerSimulator,
) -> None:
    topics(sim)
    create(sim)  # a process that died without deleting its queue

    create(sim).delete()

    assert leftovers(sim) == {"queues": 0, "subscriptions": 0}


# -- the filter, through plain boto3 -----------------------------------------------------

FILTER_CASES = [
    # (policy, message body, delivered)
    ({"inferenceId": [{"prefix": "worker-1-"}]}, {"inferenceId": "worker-1-abc"}, True),
    ({"inferenceId": [{"prefix": "worker-1-"}]}, {"inferenceId": "worker-10-abc"}, False),
    ({"inferenceId": [{"prefix": "1"}]}, {"inferenceId": 12}, False),
    ({"eventName": ["InferenceResult"]}, {"eventName": "InferenceResult"}, True),
    ({"eventName": ["InferenceResult"]}, {"eventName": "TestNotification"}, False),
    ({"eventName": ["k"]}, {"eventName": '{"k": 1}'}, False),
    ({"status": [{"anything-but": ["Failed"]}]}, {"status": "Completed"}, True),
    ({"status": [{"anything-but": ["Failed"]}]}, {"status": "Failed"}, False),
    ({"status": [{"anything-but": ["Failed"]}]}, {"other": 1}, False),
    ({"status": [{"anything-but": {"prefix": "Fail"}}]}, {"status": "Completed"}, True),
    ({"size": [{"numeric": [">", 0, "<=", 150]}]}, {"size": 150}, True),
    ({"size": [{"numeric": [">", 0, "<=", 150]}]}, {"size": 151}, False),
    ({"size": [{"numeric": [">", 0]}]}, {"size": "5"}, False),
    ({"size": [{"numeric": ["=", 301.5]}]}, {"size": 3.015e2}, True),
    ({"size": [100]}, {"size": [7, 100]}, True),
    ({"size": ["100"]}, {"size": 100}, False),
    ({"reason": [{"exists": True}]}, {"reason": "ModelError"}, True),
    ({"reason": [{"exists": True}]}, {"reason": None}, False),
    ({"reason": [{"exists": False}]}, {"other": 1}, True),
    ({"reason": [{"exists": False}]}, {}, False),
    (
        {"responseParameters": {"outputLocation": [{"prefix": "s3://results/"}]}},
        {"responseParameters": {"outputLocation": "s3://results/a.out"}},
        True,
    ),
    ({"response": {"location": [{"exists": False}]}}, {"other": 1}, True),
    ({"records": {"name": ["b"]}}, {"records": [{"name": "a"}, {"name": "b"}]}, True),
    ({"$or": [{"a": ["x"]}, {"b": ["y"]}]}, {"b": "y"}, True),
    ({"a": [None]}, {"a": None}, True),
    ({"a": ["x"]}, "not JSON", False),
]


@pytest.mark.parametrize(("policy", "body", "delivered"), FILTER_CASES)
def test_a_body_filter_delivers_what_sns_delivers(
    sim: SageMakerSimulator, policy: dict[str, Any], body: object, delivered: bool
) -> None:
    sns, sqs = sim.client("sns"), sim.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    attributes = {"FilterPolicyScope": "MessageBody", "FilterPolicy": json.dumps(policy)}
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn["Attributes"]["QueueArn"],
        Attributes=attributes,
    )

    sns.publish(TopicArn=topic, Message=body if isinstance(body, str) else json.dumps(body))

    assert counts(sim, url) == ((1, 0) if delivered else (0, 0))


def test_a_policy_without_scope_filters_the_message_attributes(sim: SageMakerSimulator) -> None:
    sns, sqs = sim.client("sns"), sim.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    policy = json.dumps({"inferenceId": [{"prefix": "worker-1-"}]})
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn["QueueArn"],
        Attributes={"FilterPolicy": policy},
    )

    sns.publish(TopicArn=topic, Message=json.dumps({"inferenceId": "worker-1-a"}))
    sns.publish(
        TopicArn=topic,
        Message="{}",
        MessageAttributes={"inferenceId": {"DataType": "String", "StringValue": "worker-1-b"}},
    )

    assert counts(sim, url) == (1, 0)


def test_the_scope_set_after_the_policy_applies(sim: SageMakerSimulator) -> None:
    sns, sqs = sim.client("sns"), sim.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    subscription = sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"], ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    policy = json.dumps({"inferenceId": [{"prefix": "worker-1-"}]})
    for name, value in (("FilterPolicy", policy), ("FilterPolicyScope", "MessageBody")):
        sns.set_subscription_attributes(
            SubscriptionArn=subscription, AttributeName=name, AttributeValue=value
        )

    sns.publish(TopicArn=topic, Message=json.dumps({"inferenceId": "worker-1-a"}))

    assert counts(sim, url) == (1, 0)


def test_a_deleted_queue_does_not_fail_the_publisher(sim: SageMakerSimulator) -> None:
    sns, sqs = sim.client("sns"), sim.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    sqs.delete_queue(QueueUrl=url)

    assert "MessageId" in sns.publish(TopicArn=topic, Message="{}")


# -- consumers ---------------------------------------------------------------------------


def test_each_filtered_queue_receives_only_its_own_results(sim: SageMakerSimulator) -> None:
    one = deploy(sim, inference_id_prefix="worker-1-")
    two = sim.async_client(inference_id_prefix="worker-2-")
    queues = [create(sim, f"worker-{n}", inference_id_prefix=f"worker-{n}-") for n in (1, 2)]
    mine = [one.invoke_async("churn", f"one {i}") for i in range(3)]
    theirs = [two.invoke_async("churn", f"two {i}") for i in range(4)]
    while sim.pending_invocations():
        sim.clock.sleep(0.05)

    assert [counts(sim, queue.queue_url) for queue in queues] == [(3, 0), (4, 0)]
    done = [sa.wait_all(mine, timeout=30, notifications=queues[0])]
    done.append(sa.wait_all(theirs, timeout=30, notifications=queues[1]))
    assert [[i.result() for i in each] for each in done] == [
        [b"ONE 0", b"ONE 1", b"ONE 2"],
        [b"TWO 0", b"TWO 1", b"TWO 2", b"TWO 3"],
    ]
    assert [counts(sim, queue.queue_url) for queue in queues] == [(0, 0), (0, 0)]


def test_a_shared_queue_gives_others_messages_back_at_once(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    consumers = [sa.NotificationQueue(url, sqs_client=sim.client("sqs")) for _ in range(2)]
    mine, theirs = (client.invoke_async("churn", body) for body in (b"mine", b"theirs"))
    while sim.pending_invocations():
        sim.clock.sleep(0.05)
    receives = Requests(sim.client("sqs"))

    sa.wait_all([mine], timeout=30, notifications=consumers[0])

    # The other consumer's message was received with this one's, and is visible again.
    assert (receives.counts["ReceiveMessage"], counts(sim, url)) == (1, (1, 0))
    assert sa.wait_all([theirs], timeout=30, notifications=consumers[1])[0].result() == b"THEIRS"
    assert (receives.counts["ReceiveMessage"], counts(sim, url)) == (2, (0, 0))


def expected_receives(start: float, timeout: float) -> int:
    """How many receives a consumer makes in *timeout* when only others' messages come.

    The arithmetic of the loop on a FakeClock from *start*, to the last rounding.
    """
    pauses, now, receives = CROWDED_PAUSES.delays(), start, 0
    while timeout - (now - start) > 0:
        receives += 1
        now += min(pauses(), max(0.0, timeout - (now - start)))
    return receives


def test_a_consumer_hearing_only_of_others_pauses_between_receives(
    fake_sim: SageMakerSimulator,
) -> None:
    client = deploy(fake_sim)
    url = fake_sim.subscribe_queue(SUCCESS, ERROR)
    sqs = fake_sim.client("sqs")
    for n in range(3):
        others = {"eventName": "InferenceResult", "invocationStatus": "Completed"}
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({**others, "inferenceId": f"o{n}"}))
    never = client.invocation("mine", f"s3://{BUCKET}/churn/mine.out")
    receives = Requests(sqs)
    start = fake_sim.clock.time()

    with pytest.raises(sa.InferenceTimeoutError):
        sa.wait_all([never], timeout=5, notifications=sa.NotificationQueue(url, sqs_client=sqs))

    # Not one receive after another: pauses between them, and others' messages that keep
    # coming back stay hidden longer each time, so the consumer long-polls instead.
    assert 2 <= receives.counts["ReceiveMessage"] <= expected_receives(start, 5) <= 14
    assert sum(counts(fake_sim, url)) == 3  # none deleted: visible again, or soon


def test_others_messages_that_keep_coming_back_do_not_hide_ones_own(
    sim: SageMakerSimulator,
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    sqs = sim.client("sqs")
    for n in range(25):  # more than one receive returns: results nobody awaits any more
        others = {"eventName": "InferenceResult", "invocationStatus": "Completed"}
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({**others, "inferenceId": f"o{n}"}))
    mine = [client.invoke_async("churn", f"row {n}".encode()) for n in range(5)]

    done = sa.wait_all(mine, timeout=15, notifications=sa.NotificationQueue(url, sqs_client=sqs))

    assert [invocation.result() for invocation in done] == [f"ROW {n}".encode() for n in range(5)]


def test_without_leave_to_return_messages_they_come_back_after_the_timeout(
    sim: SageMakerSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    client = deploy(sim)
    url = sim.subscribe_queue(SUCCESS, ERROR)
    injector = FaultInjector()
    sqs = injector.attach(sim.session.client("sqs"))
    injector.fail_next("ChangeMessageVisibilityBatch", ErrorAnswer("AccessDenied", 403), times=9)
    consumer = sa.NotificationQueue(url, sqs_client=sqs, visibility_timeout=1)
    mine, theirs = (client.invoke_async("churn", body) for body in (b"mine", b"theirs"))
    while sim.pending_invocations():
        sim.clock.sleep(0.05)

    with caplog.at_level(logging.WARNING, logger="sagemaker_async"):
        sa.wait_all([mine], timeout=30, notifications=consumer)
        sa.wait_all([client.invoke_async("churn", b"more")], timeout=30, notifications=consumer)

    assert injector.calls["ChangeMessageVisibilityBatch"] == 1
    assert "could not return others' notifications to the queue" in caplog.text
    assert sa.wait_all([theirs], timeout=30, notifications=consumer)[0].result() == b"THEIRS"


# -- processes ---------------------------------------------------------------------------

PROCESSES = 3
PER_PROCESS = 10


def consume(endpoint_url: str, worker: int) -> tuple[list[str], list[str], int]:
    """One consumer process: its own queue, its own prefix; submit, await, delete.

    Returns the ids it submitted, the ids it received, and how many messages it
    saw that were not its own.
    """
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint_url,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        NO_PROXY="127.0.0.1",
    )
    prefix = f"worker-{worker}-"
    queue = sa.NotificationQueue.create(
        f"churn-worker-{worker}", topics=TOPICS, inference_id_prefix=prefix
    )
    returns = Requests(queue.sqs)
    try:
        client = sa.AsyncInferenceClient(inference_id_prefix=prefix)
        invocations = [client.invoke_async("churn", f"{worker} {i}") for i in range(PER_PROCESS)]
        received = sa.as_completed(invocations, timeout=60, notifications=queue)
        ids = [invocation.inference_id for invocation in received]
    finally:
        queue.delete()
    return (
        [i.inference_id for i in invocations],
        ids,
        returns.counts["ChangeMessageVisibilityBatch"],
    )


def test_consumer_processes_each_receive_exactly_their_own_results() -> None:
    with simulated_sagemaker(transport="server") as sim:
        deploy(sim)
        context = multiprocessing.get_context("spawn")
        with context.Pool(PROCESSES) as pool:
            url = str(sim.endpoint_url)
            outcomes = pool.starmap(consume, [(url, n) for n in range(PROCESSES)])
        left = leftovers(sim)

    assert [collections.Counter(got) == collections.Counter(sent) for sent, got, _ in outcomes] == [
        True
    ] * PROCESSES
    assert [(len(sent), others) for sent, _, others in outcomes] == [(PER_PROCESS, 0)] * PROCESSES
    assert left == {"queues": 0, "subscriptions": 0}


# -- the consumer's IAM policy -----------------------------------------------------------

PARTITION_OF = {"us-east-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"}


def consumer_policy(region: str = "us-east-1") -> iam.PolicyDocument:
    partition = PARTITION_OF[region]
    return iam.consumer_policy(
        "churn-worker-3",
        [f"arn:{partition}:sns:{region}:123456789012:churn-{kind}" for kind in ("ok", "error")],
        account="123456789012",
        region=region,
    )


@pytest.mark.parametrize("region", sorted(PARTITION_OF))
def test_parliament_finds_nothing_in_the_consumer_policy(region: str) -> None:
    found = parliament.analyze_policy_string(consumer_policy(region).to_json()).findings

    assert [(f.issue, f.detail) for f in found] == []


def test_the_consumer_policy_grants_what_create_await_and_delete_call() -> None:
    policy = consumer_policy()

    assert policy.actions == (
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sqs:ChangeMessageVisibility",
        "sqs:CreateQueue",
        "sqs:DeleteMessage",
        "sqs:DeleteQueue",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "sqs:SetQueueAttributes",
    )
    queue = "arn:aws:sqs:us-east-1:123456789012:churn-worker-3"
    assert policy.statement("OwnQueue").resources == (queue,)
    assert policy.statement("SubscribeQueue").to_dict()["Condition"] == {
        "StringEquals": {"sns:Endpoint": queue, "sns:Protocol": "sqs"}
    }


def test_the_consumer_policy_names_every_bad_argument() -> None:
    with pytest.raises(sa.ValidationError) as caught:
        iam.consumer_policy(
            "churn.fifo",
            ["arn:aws-cn:sns:cn-north-1:123456789012:churn-ok", "churn-error"],
            account="12345",
            region="us-east-1",
        )

    assert [str(problem) for problem in caught.value.problems] == [
        "account: expected a 12-digit AWS account id as a string, like '123456789012', "
        "received '12345' (str)",
        "queue_name: expected 1 to 80 letters, digits, hyphens and underscores (a standard "
        "SQS queue name), received 'churn.fifo' (str)",
        "topics[0]: expected a topic in partition 'aws' (the partition of us-east-1), "
        "received 'arn:aws-cn:sns:cn-north-1:123456789012:churn-ok' (str)",
        "topics[1]: expected an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:name, "
        "received 'churn-error' (str)",
    ]
