"""Arguments of awaiting and of a notification queue: refused before any call.

The timeouts that could make an await wait forever are in tests/test_hangs.py,
run in a subprocess; these are the rest.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async.testing import SageMakerSimulator

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/results"
URL_EXPECTED = "an SQS queue URL like https://sqs.us-east-1.amazonaws.com/123456789012/name"
VISIBILITY_EXPECTED = "a whole number of seconds from 0 to 43200"


def problems(error: sa.ValidationError) -> list[str]:
    return [str(problem) for problem in error.problems]


@pytest.mark.parametrize(
    "url",
    [
        URL,
        "https://sqs.us-east-1.amazonaws.com/123456789012/results.fifo",
        "https://queue.amazonaws.com/123456789012/results",
        "https://vpce-0a1b.sqs.us-east-1.vpce.amazonaws.com/123456789012/results",
        "http://127.0.0.1:50123/123456789012/sagemaker-async-notifications-1",
        "http://localhost:4566/000000000000/results",
        "http://localhost:9324/queue/results",
    ],
)
def test_a_queue_url_from_aws_or_a_local_stand_in_is_accepted(url: str) -> None:
    assert sa.NotificationQueue(url, sqs_client=object()).queue_url == url  # type: ignore[arg-type]


def test_the_simulators_queue_urls_are_accepted(sim: SageMakerSimulator) -> None:
    sns = sim.client("sns")
    topic = sns.create_topic(Name="churn-ok")["TopicArn"]
    url = sim.subscribe_queue(topic)

    assert sa.NotificationQueue(url, sqs_client=sim.client("sqs")).queue_url == url


@pytest.mark.parametrize(
    "url",
    [
        None,
        7,
        b"https://sqs.us-east-1.amazonaws.com/123456789012/results",
        "",
        "results",
        "sqs://sqs.us-east-1.amazonaws.com/123456789012/results",
        "arn:aws:sqs:us-east-1:123456789012:results",
        "https://sqs.us-east-1.amazonaws.com",
        "https://sqs.us-east-1.amazonaws.com/123456789012/",
        "https://sqs.us-east-1.amazonaws.com/123456789012/my results",
        "https://sqs.us-east-1.amazonaws.com/123456789012/results?Action=ReceiveMessage",
        " https://sqs.us-east-1.amazonaws.com/123456789012/results",
        "https://sqs.us-east-1.amazonaws.com/a/b/c/results",
        "https://sqs.us-east-1.amazonaws.com/123456789012/" + "q" * 81,
    ],
)
def test_what_is_no_queue_url_is_refused(url: object) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sa.NotificationQueue(url)  # type: ignore[arg-type]

    assert caught.value.subject == "NotificationQueue"
    assert caught.value.fields == ("queue_url",)
    assert caught.value.problems[0].expected == URL_EXPECTED


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "True (bool)"),
        (-1, "-1 (int)"),
        (43_201, "43201 (int)"),
        (1.5, "1.5 (float)"),
        ("60", "'60' (str)"),
        (None, "None (NoneType)"),
    ],
)
def test_a_visibility_timeout_out_of_range_is_refused(value: object, shown: str) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sa.NotificationQueue(URL, visibility_timeout=value)  # type: ignore[arg-type]

    assert problems(caught.value) == [
        f"visibility_timeout: expected {VISIBILITY_EXPECTED}, received {shown}"
    ]


@pytest.mark.parametrize("value", [0, 43_200])
def test_the_visibility_timeouts_sqs_allows_are_accepted(value: int) -> None:
    assert sa.NotificationQueue(URL, visibility_timeout=value).visibility_timeout == value


def test_every_bad_queue_argument_is_named_at_once() -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sa.NotificationQueue("results", visibility_timeout=-5)

    assert str(caught.value) == (
        "2 problems with NotificationQueue:\n"
        f"  queue_url: expected {URL_EXPECTED}, received 'results' (str)\n"
        f"  visibility_timeout: expected {VISIBILITY_EXPECTED}, received -5 (int)\n"
        "Fix the values and try again."
    )


@pytest.mark.parametrize("wait", [float("nan"), float("inf"), 10**400, -1, True, "20", None])
def test_receive_refuses_an_odd_wait_before_any_call(wait: Any) -> None:
    queue = sa.NotificationQueue(URL, sqs_client=object())  # type: ignore[arg-type]

    with pytest.raises(sa.ValidationError) as caught:
        queue.receive(wait)

    assert caught.value.subject == "NotificationQueue.receive"
    assert caught.value.problems[0].expected == "a finite number of seconds >= 0"


@pytest.fixture
def invocation() -> sa.AsyncInvocation:
    # Never awaited: every test here is refused before the first look.
    return sa.AsyncInvocation("id-1", "s3://results-bucket/churn/id-1.out")


@pytest.mark.parametrize("function", [sa.as_completed, sa.wait_all])
def test_notifications_that_are_not_a_queue_are_refused_by_the_call(
    function: Any, invocation: sa.AsyncInvocation
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        function([invocation], notifications=URL)

    assert problems(caught.value) == [
        f"notifications: expected a NotificationQueue, or None, received '{URL}' (str)"
    ]


@pytest.mark.parametrize("function", [sa.as_completed, sa.wait_all])
def test_invocations_and_progress_are_checked_together(
    function: Any, invocation: sa.AsyncInvocation
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        function([invocation, "id-2", None], progress="bar")

    assert problems(caught.value) == [
        "invocations[1]: expected an AsyncInvocation, received 'id-2' (str)",
        "invocations[2]: expected an AsyncInvocation, received None (NoneType)",
        "progress: expected a callable progress(done, total), or None, received 'bar' (str)",
    ]


@pytest.mark.parametrize("given", [7, "id-1", b"id-1"])
def test_invocations_that_are_no_collection_are_refused(given: object) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sa.wait_all(given)  # type: ignore[arg-type]

    assert caught.value.fields == ("invocations",)


def test_a_million_bad_invocations_make_a_short_message() -> None:
    with pytest.raises(sa.ValidationError) as caught:
        sa.wait_all([None] * 1_000_000)  # type: ignore[list-item]

    assert len(caught.value.problems) == 10


def test_result_refuses_notifications_that_are_not_a_queue(
    invocation: sa.AsyncInvocation,
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        invocation.result(timeout=1, notifications="queue")  # type: ignore[arg-type]

    assert (caught.value.subject, caught.value.fields) == (
        "AsyncInvocation.result",
        ("notifications",),
    )


def test_aresult_refuses_notifications_that_are_not_a_queue(
    invocation: sa.AsyncInvocation,
) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        asyncio.run(invocation.aresult(timeout=1, notifications="queue"))  # type: ignore[arg-type]

    assert (caught.value.subject, caught.value.fields) == (
        "AsyncInvocation.aresult",
        ("notifications",),
    )


def test_no_invocations_need_no_check_of_anything_else() -> None:
    assert list(sa.as_completed([], timeout=None)) == []
    assert sa.wait_all([]) == ()
