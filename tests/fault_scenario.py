"""The whole life of an endpoint with a fraction of every request failing, and its figures.

Shared by ``tests/test_faults.py`` (which asserts the guarantees on the figures) and
``benchmarks/bench_faults.py`` (which prints them). On the in-process simulator and a
FakeClock, with a :class:`FaultInjector` attached to every boto3 client the library
uses (the ones it builds itself from the session, and the queue's SQS client):

deploy, update to a second config, submit the invocations (one in ten fails in the
model), await them all by SNS notifications, await pickled copies of them all by
polling S3, let every request SageMaker accepted land, read what is left in the
queue, and tear everything down. Then count: what each await reported and how often,
what SageMaker ran, what is left in SageMaker, S3 and SQS.
"""

from __future__ import annotations

import collections
import json
import logging
import pickle
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

import sagemaker_async as sa
from sagemaker_async import Backoff
from sagemaker_async.testing import (
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
ENDPOINT = "churn"
CONFIGS = ("churn-v1", "churn-v2")
SEEDS = (1, 2, 3)
RATE = 0.3
INVOCATIONS = 300
# Simulated seconds: nothing here takes real time but the SQS visibility timeout.
CREATE_SECONDS, UPDATE_SECONDS, DELETE_SECONDS = 60.0, 60.0, 30.0
LATENCY = (0.0, 5.0)
AWAIT_TIMEOUT = 7 * 24 * 3600.0
VISIBILITY_TIMEOUT = 1  # real seconds: SQS runs on the real clock

REPORTS: list[Figures] = []
"""Every scenario run in this process, for the test session's summary."""


def row(number: int) -> str:
    return f"fail {number}" if number % 10 == 0 else f"row {number}"


def model_of(body: bytes, content_type: str | None) -> bytes:
    if body.startswith(b"fail"):
        raise ValueError(f"cannot score {body.decode()}")
    return body.upper()


def expected(number: int) -> bytes | None:
    """The result of row *number*, or None for a failure."""
    text = row(number)
    return None if text.startswith("fail") else text.upper().encode()


@attrs.frozen(kw_only=True)
class Figures:
    """What one run of the scenario counted."""

    seed: int
    rate: float
    requests: int
    faulted: int
    botocore_retries: int
    library_retries: int
    submitted: int
    distinct_ids: int
    runs: int
    by_notifications: collections.Counter[str]
    by_polling: collections.Counter[str]
    wrong: tuple[str, ...]
    late_copies: int
    unread: tuple[str, ...]
    resources: dict[str, int]
    orphans: tuple[str, ...]
    seconds: float
    ids: frozenset[str]

    @property
    def received(self) -> int:
        """Results handed over, by both awaits."""
        return sum(self.by_notifications.values()) + sum(self.by_polling.values())

    @property
    def duplicates(self) -> int:
        """Results an await handed over more than once, and ids submitted twice."""
        again = sum(
            count - 1
            for counts in (self.by_notifications, self.by_polling)
            for count in counts.values()
            if count > 1
        )
        return again + (self.submitted - self.distinct_ids)

    @property
    def lost(self) -> int:
        """Results an await never handed over, and notifications left unread."""
        missing = sum(
            len(self.ids - set(counts)) for counts in (self.by_notifications, self.by_polling)
        )
        return missing + len(self.unread)

    @property
    def left(self) -> int:
        """Models, endpoint configs and endpoints left, and S3 objects of no invocation."""
        return sum(self.resources.values()) + len(self.orphans)

    def line(self) -> str:
        notified, polled = sum(self.by_notifications.values()), sum(self.by_polling.values())
        return (
            f"seed {self.seed}: calls faulted {self.faulted} of {self.requests} requests "
            f"({self.faulted / max(self.requests, 1):.0%}); retries made "
            f"{self.botocore_retries + self.library_retries} ({self.botocore_retries} by "
            f"botocore, {self.library_retries} by the library); invocations submitted "
            f"{self.submitted}; results received {self.received} ({notified} by notifications, "
            f"{polled} by polling); duplicates {self.duplicates}; lost {self.lost}; resources "
            f"left {self.left} (SageMaker ran {self.runs - self.distinct_ids} retried requests "
            f"again; {self.late_copies} late notification copies; {self.seconds:.1f} s)"
        )


class _Retries(logging.Handler):
    """Counts the library's own retries (its "retrying ..." warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying "):
            self.count += 1


@contextmanager
def _counting_retries() -> Iterator[_Retries]:
    handler = _Retries()
    logger = logging.getLogger("sagemaker_async")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def endpoint_config(name: str) -> sa.EndpointConfig:
    return sa.EndpointConfig(
        name=name,
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(
            output_path=f"s3://{BUCKET}/churn",
            failure_path=f"s3://{BUCKET}/failed",
            notification=sa.NotificationConfig(success_topic=SUCCESS, error_topic=ERROR),
        ),
    )


def run(seed: int, *, rate: float = RATE, invocations: int = INVOCATIONS) -> Figures:
    """The scenario with *rate* of the requests faulted, drawn from *seed*."""
    started = time.monotonic()
    landing = random.Random(seed)
    clock = FakeClock()
    with (
        simulated_sagemaker(
            clock=clock,
            create_seconds=CREATE_SECONDS,
            update_seconds=UPDATE_SECONDS,
            delete_seconds=DELETE_SECONDS,
            latency=lambda: landing.uniform(*LATENCY),
        ) as sim,
        _counting_retries() as library_retries,
    ):
        runs: collections.Counter[bytes] = collections.Counter()

        def handler(body: bytes, content_type: str | None) -> bytes:
            runs[body] += 1
            return model_of(body, content_type)

        sim.set_handler(handler)
        queue_url = _infrastructure(sim)
        injector = FaultInjector(rate, seed=seed)
        client = sa.AsyncInferenceClient(
            sim.session, clock=clock.time, sleep=clock.sleep, backoff=Backoff(2.0, 30.0)
        )
        for boto_client in (client.sagemaker, client.runtime, client.s3):
            injector.attach(boto_client)
        sqs = injector.attach(sim.session.client("sqs"))
        queue = sa.NotificationQueue(
            queue_url, sqs_client=sqs, visibility_timeout=VISIBILITY_TIMEOUT
        )

        client.deploy(
            sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE)),
            endpoint_config(CONFIGS[0]),
            ENDPOINT,
        )
        client.create_endpoint_config(endpoint_config(CONFIGS[1]))
        client.update_endpoint(ENDPOINT, CONFIGS[1])

        submitted = [client.invoke_async(ENDPOINT, row(number)) for number in range(invocations)]
        numbers = {invocation.inference_id: n for n, invocation in enumerate(submitted)}

        by_notifications: collections.Counter[str] = collections.Counter()
        wrong: list[str] = []
        for invocation in sa.as_completed(submitted, timeout=AWAIT_TIMEOUT, notifications=queue):
            by_notifications[invocation.inference_id] += 1
            wrong += _check(invocation, numbers)
        copies = [pickle.loads(pickle.dumps(i)).bind(client) for i in submitted]
        by_polling: collections.Counter[str] = collections.Counter()
        for invocation in sa.as_completed(copies, timeout=AWAIT_TIMEOUT):
            by_polling[invocation.inference_id] += 1
            wrong += _check(invocation, numbers)

        _land_everything(sim)
        late, unread = _read_queue(sim, queue_url, set(by_notifications))
        client.teardown(ENDPOINT, config_names=CONFIGS)
        resources = sim.resource_counts()
        orphans = _orphans(sim, set(numbers))
        attempts = sum(injector.attempts.values())
        figures = Figures(
            seed=seed,
            rate=rate,
            requests=attempts,
            faulted=injector.faulted,
            botocore_retries=sum(injector.retries.values()),
            library_retries=library_retries.count,
            submitted=len(submitted),
            distinct_ids=len(numbers),
            runs=sum(runs.values()),
            by_notifications=by_notifications,
            by_polling=by_polling,
            wrong=tuple(wrong),
            late_copies=late,
            unread=tuple(unread),
            resources=resources,
            orphans=tuple(orphans),
            seconds=time.monotonic() - started,
            ids=frozenset(numbers),
        )
    REPORTS.append(figures)
    return figures


def _infrastructure(sim: SageMakerSimulator) -> str:
    """The bucket, the topics and a queue subscribed to them (the application's, unfaulted)."""
    sim.client("s3").create_bucket(Bucket=BUCKET)
    sns = sim.client("sns")
    sns.create_topic(Name="churn-ok")
    sns.create_topic(Name="churn-error")
    return sim.subscribe_queue(SUCCESS, ERROR)


def _check(invocation: sa.AsyncInvocation, numbers: dict[str, int]) -> list[str]:
    """The inference id, if the invocation's outcome is not its row's."""
    want = expected(numbers[invocation.inference_id])
    try:
        got: bytes | None = invocation.result()
    except sa.InferenceFailedError as error:
        got = None if b"cannot score" in (error.failure_body or b"") else b"?"
    return [] if got == want else [invocation.inference_id]


def _land_everything(sim: SageMakerSimulator) -> None:
    """Let every request SageMaker accepted land (the copies of retried ones too)."""
    clock: Any = sim.clock
    while sim.pending_invocations():
        clock.advance(LATENCY[1])


def _read_queue(
    sim: SageMakerSimulator, queue_url: str, reported: set[str]
) -> tuple[int, list[str]]:
    """How many messages left are copies of reported results, and the ids of the others."""
    sqs = sim.client("sqs")
    names: Any = ["ApproximateNumberOfMessagesNotVisible"]
    hidden = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)
    if int(hidden["Attributes"].get("ApproximateNumberOfMessagesNotVisible", "0")):
        time.sleep(VISIBILITY_TIMEOUT + 0.2)  # messages whose receipt was lost come back
    late, unread = 0, []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=600, WaitTimeSeconds=0
        ).get("Messages", [])
        if not batch:
            return late, unread
        for message in batch:
            event = json.loads(json.loads(message["Body"])["Message"])
            inference_id = event.get("inferenceId")
            if inference_id in reported:
                late += 1
            elif event.get("eventName") != "TestNotification":
                unread.append(str(inference_id))


def _orphans(sim: SageMakerSimulator, ids: set[str]) -> list[str]:
    """S3 objects that belong to no submitted invocation (an input of a refused one...)."""
    orphans = []
    pages = sim.client("s3").get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    for page in pages:
        for item in page.get("Contents", ()):
            key = item["Key"]
            name = key.rsplit("/", 1)[-1].removesuffix(".out").removesuffix("-error")
            if name not in ids:
                orphans.append(key)
    return orphans
