"""Awaits that could wait forever: odd timeouts, and a cancelled ``aresult``.

Each runs in a subprocess with a wall-clock limit, so that a regression fails
the test instead of hanging the suite. The subprocess prints what happened,
one line per case; the test compares the lines.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

LIMIT_SECONDS = 120
"""Wall-clock limit of one subprocess: far above what it needs, far below forever."""

SETUP = """
import asyncio, json, math, sys, time
import sagemaker_async as sa
from sagemaker_async.testing import simulated_sagemaker

BUCKET = "results-bucket"
SUCCESS = "arn:aws:sns:us-east-1:123456789012:churn-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:churn-error"
BAD = [math.nan, math.inf, -math.inf, -1, -0.5, True, "5", 7 * 24 * 3600 + 1]

def upper(body, content_type):
    return body.upper()

def deploy(sim):
    sim.client("s3").create_bucket(Bucket=BUCKET)
    sim.client("sns").create_topic(Name="churn-ok")
    sim.client("sns").create_topic(Name="churn-error")
    sim.set_handler(upper)
    client = sim.async_client(backoff=sa.Backoff(0.05, 0.2))
    client.deploy(
        sa.Model(
            name="churn",
            execution_role_arn="arn:aws:iam::123456789012:role/SageMakerRole",
            container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1"),
        ),
        sa.EndpointConfig(
            name="churn-v1",
            variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path=f"s3://{BUCKET}/churn",
                failure_path=f"s3://{BUCKET}/failed",
                notification=sa.NotificationConfig(success_topic=SUCCESS, error_topic=ERROR),
            ),
        ),
        "churn",
    )
    return client

def outcome(attempt):
    try:
        attempt()
    except sa.ValidationError as error:
        return str(error).splitlines()[1].strip()
    except Exception as error:
        return type(error).__name__
    return "returned"

def queue_counts(sim, url):
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    answer = sim.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)
    return tuple(int(answer["Attributes"][name]) for name in names)
"""


def run(body: str, transport: str = "inprocess") -> list[str]:
    """Run *body* after SETUP with ``sim`` a simulator on *transport*; the lines it prints."""
    code = (
        SETUP
        + f"\nwith simulated_sagemaker(transport={transport!r}) as sim:\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=LIMIT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        printed = expired.stdout.decode() if isinstance(expired.stdout, bytes) else ""
        pytest.fail(f"still waiting after {LIMIT_SECONDS} s; it printed: {printed!r}")
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def refusals() -> list[str]:
    expected = "a number of seconds from 0 to 604800, or None"
    shown = [
        "nan (float)",
        "inf (float)",
        "-inf (float)",
        "-1 (int)",
        "-0.5 (float)",
        "True (bool)",
        "'5' (str)",
        "604801 (int)",
    ]
    return [f"timeout: expected {expected}, received {value}" for value in shown]


AWAITS = {
    "result": "invocation.result(timeout=value)",
    "result by notifications": "invocation.result(timeout=value, notifications=queue)",
    "aresult": "asyncio.run(invocation.aresult(timeout=value))",
    "aresult by notifications": (
        "asyncio.run(invocation.aresult(timeout=value, notifications=queue))"
    ),
    "as_completed": "sa.as_completed([invocation], timeout=value)",
    "as_completed by notifications": (
        "sa.as_completed([invocation], timeout=value, notifications=queue)"
    ),
    "wait_all": "sa.wait_all([invocation], timeout=value)",
    "wait_all by notifications": "sa.wait_all([invocation], timeout=value, notifications=queue)",
}


def test_odd_timeouts_are_refused_before_any_wait() -> None:
    lines = run(
        f"""
        client = deploy(sim)
        queue = sa.NotificationQueue(
            sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sim.client("sqs")
        )
        sim.set_handler(upper, latency=3600)
        invocation = client.invoke_async("churn", b"forever")
        for name, attempt in {AWAITS!r}.items():
            for value in BAD:
                print(name, "|", outcome(lambda: eval(attempt)), flush=True)
        """
    )

    expected = [f"{name} | {line}" for name in AWAITS for line in refusals()]
    assert lines == expected


def test_a_timeout_of_zero_looks_once() -> None:
    lines = run(
        f"""
        client = deploy(sim)
        queue = sa.NotificationQueue(
            sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sim.client("sqs")
        )
        sim.set_handler(upper, latency=3600)
        invocation = client.invoke_async("churn", b"forever")
        for name, attempt in {AWAITS!r}.items():
            print(name, "|", outcome(lambda: list(eval(attempt.replace("value", "0")) or ())))
        """
    )

    assert lines == [f"{name} | InferenceTimeoutError" for name in AWAITS]


@pytest.mark.parametrize("transport", ["inprocess", "server"])
def test_a_cancelled_aresult_stops_its_work_and_loses_nothing(transport: str) -> None:
    lines = run(
        """
        client = deploy(sim)
        url = sim.subscribe_queue(SUCCESS, ERROR)
        queue = sa.NotificationQueue(url, sqs_client=sim.client("sqs"))

        async def cancelled(invocation, **kwargs):
            try:
                await asyncio.wait_for(invocation.aresult(**kwargs), 1)
            except TimeoutError:
                return "cancelled"
            return "returned"

        sim.set_handler(upper, latency=3600)
        forever = client.invoke_async("churn", b"forever")
        print("by notifications:", asyncio.run(cancelled(forever, notifications=queue)))
        print("by polling:", asyncio.run(cancelled(forever)))

        # Cancelled before its result lands; the worker may receive the notification
        # as it stops: it must be back in the queue, visible at once.
        sim.set_handler(upper, latency=2)
        soon = client.invoke_async("churn", b"soon")
        print("soon:", asyncio.run(cancelled(soon, notifications=queue)))
        for _ in range(100):
            if sum(queue_counts(sim, url)) > 0:
                break
            time.sleep(0.1)
        print("visible, hidden:", queue_counts(sim, url))
        print("awaited again:", soon.result(timeout=30, notifications=queue))
        print("left:", queue_counts(sim, url))
        """,
        transport,
    )

    assert lines == [
        "by notifications: cancelled",
        "by polling: cancelled",
        "soon: cancelled",
        "visible, hidden: (1, 0)",
        "awaited again: b'SOON'",
        "left: (0, 0)",
    ]
