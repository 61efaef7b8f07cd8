"""Awaiting 1,000 results: S3 requests per result and delay after landing.

1,000 invocations whose results land uniformly over 10 s in the simulator
(in-process moto, real clock), awaited four ways, side by side:

- ``as_completed`` polling S3 (listing prefixes, default settings);
- ``as_completed`` reading SNS notifications from SQS;
- per-invocation HEAD polling as the reference SDK does it (HEAD the output,
  then the failure, GET once found), at our poll interval and at its 15 s default.

Delay is from the moment the simulator lands an object to the moment the caller
receives the invocation. Targets: at most 1.2 S3 requests per result; p95 at
most 1 s (S3 polling) and 0.5 s (notifications).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import sagemaker_async as sa
from sagemaker_async.invocations._polling import AWAIT_BACKOFF
from sagemaker_async.models.constraints import split_s3_uri
from sagemaker_async.testing import SageMakerSimulator, simulated_sagemaker
from sagemaker_async.testing.fulfilment import _materialise

COUNT = 1000
SPREAD = 10.0
BUCKET = "bench-results"
SUCCESS = "arn:aws:sns:us-east-1:123456789012:bench-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:bench-error"
TARGET_REQUESTS = 1.2
TARGET_P95 = 1.0
TARGET_P95_NOTIFIED = 0.5


class Published:
    """When the simulator actually published each notification (it may run late)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self._original = _materialise.publish

    def __enter__(self) -> Published:
        def publish(topic_arn: str, message: str) -> bool:
            sent = self._original(topic_arn, message)
            inference_id = message.split('"inferenceId":"', 1)[1].split('"', 1)[0]
            self.at[inference_id] = time.monotonic()
            return sent

        _materialise.publish = publish  # type: ignore[assignment]
        return self

    def __exit__(self, *_: object) -> None:
        _materialise.publish = self._original  # type: ignore[assignment]


class Requests:
    """Counts the requests a boto3 client sends."""

    def __init__(self, client: Any) -> None:
        self.count = 0
        client.meta.events.register("before-call", self._count)

    def _count(self, **_: Any) -> None:
        self.count += 1


def deploy(
    sim: SageMakerSimulator, include: tuple[sa.NotificationTopic, ...] = ()
) -> sa.AsyncInferenceClient:
    sim.client("s3").create_bucket(Bucket=BUCKET)
    sns = sim.client("sns")
    sns.create_topic(Name="bench-ok")
    sns.create_topic(Name="bench-error")
    client = sim.async_client()
    client.deploy(
        sa.Model(
            name="bench",
            execution_role_arn="arn:aws:iam::123456789012:role/Bench",
            container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/b:1"),
        ),
        sa.EndpointConfig(
            name="bench-v1",
            variants=[sa.ProductionVariant(model_name="bench", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path=f"s3://{BUCKET}/out",
                failure_path=f"s3://{BUCKET}/failed",
                notification=sa.NotificationConfig(
                    success_topic=SUCCESS, error_topic=ERROR, include_inference_response_in=include
                ),
            ),
        ),
        "bench",
    )
    return client


def submit(sim: SageMakerSimulator, client: sa.AsyncInferenceClient) -> list[sa.AsyncInvocation]:
    """Submit COUNT invocations whose results then land uniformly over SPREAD seconds."""
    rng = random.Random(1)
    sim.set_handler(lambda body, _type: body, latency=lambda: rng.uniform(0, SPREAD))
    with sim.holding_results():
        return [client.invoke_async("bench", b"x", inline=True) for _ in range(COUNT)]


def head_polling(
    client: sa.AsyncInferenceClient, invocations: Iterable[sa.AsyncInvocation], interval: float
) -> Iterator[sa.AsyncInvocation]:
    """The reference SDK's way: HEAD each pending output, then its failure, every interval."""
    s3: Any = client.s3
    pending = list(invocations)
    while pending:
        still = []
        for invocation in pending:
            found = None
            for location in (invocation.output_location, invocation.failure_location):
                if location is None:
                    continue
                bucket, key = split_s3_uri(location)
                try:
                    s3.head_object(Bucket=bucket, Key=key)
                except s3.exceptions.ClientError:
                    continue
                found = location
                break
            if found is None:
                still.append(invocation)
                continue
            bucket, key = split_s3_uri(found)
            s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            yield invocation
        pending = still
        if pending:
            time.sleep(interval)


def _percentiles(delays: list[float]) -> tuple[float, float]:
    ordered = sorted(delays)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def measure(
    name: str,
    await_all: Callable[[sa.AsyncInferenceClient, list[sa.AsyncInvocation], Any], Iterator[Any]],
    notified: bool = False,
    include: tuple[sa.NotificationTopic, ...] = (),
) -> tuple[float, float, float]:
    """S3 requests per result and the p50 and p95 delay after landing.

    With notifications, the delay counts from the moment the simulator actually
    published the notification: moto cannot publish 100 a second on time here,
    and its lag is no consumer's doing.
    """
    with simulated_sagemaker() as sim, Published() as published:
        client = deploy(sim, include)
        queue = None
        if notified:
            queue = sa.NotificationQueue(
                sim.subscribe_queue(SUCCESS, ERROR), sqs_client=sim.client("sqs")
            )
        invocations = submit(sim, client)
        requests = Requests(client.s3)
        after_due: list[float] = []
        after_publish: list[float] = []
        for invocation in await_all(client, invocations, queue):
            received = sim.clock.time()
            after_due.append(received - sim.landed[invocation.output_location])
            if notified:
                after_publish.append(received - published.at[invocation.inference_id])
        per_result = requests.count / len(invocations)
    p50, p95 = _percentiles(after_publish if notified else after_due)
    late = ""
    if notified:
        due50, due95 = _percentiles(after_due)
        late = f"   (after the due time: p50 {due50:5.2f} s, p95 {due95:5.2f} s)"
    print(
        f"{name:<44} {per_result:6.2f} S3 requests/result   "
        f"delay p50 {p50:5.2f} s   p95 {p95:5.2f} s{late}"
    )
    return per_result, p50, p95


def main() -> int:
    print(f"{COUNT} results landing uniformly over {SPREAD:g} s (in-process moto, real clock)")
    interval = AWAIT_BACKOFF.maximum
    ours = measure(
        "as_completed, polling S3 (default)",
        lambda client, invocations, _q: sa.as_completed(invocations, timeout=120),
    )
    notified = measure(
        "as_completed, notifications",
        lambda client, invocations, queue: sa.as_completed(
            invocations, timeout=120, notifications=queue
        ),
        notified=True,
    )
    included = measure(
        "as_completed, notifications with responses",
        lambda client, invocations, queue: sa.as_completed(
            invocations, timeout=120, notifications=queue
        ),
        notified=True,
        include=("SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC"),
    )
    measure(
        f"HEAD per invocation every {interval:g} s",
        lambda client, invocations, _q: head_polling(client, invocations, interval),
    )
    measure(
        "HEAD per invocation every 15 s (reference)",
        lambda client, invocations, _q: head_polling(client, invocations, 15.0),
    )
    failures = []
    if ours[0] > TARGET_REQUESTS:
        failures.append(f"S3 requests per result {ours[0]:.2f} > {TARGET_REQUESTS}")
    if ours[2] > TARGET_P95:
        failures.append(f"polling p95 {ours[2]:.2f} s > {TARGET_P95} s")
    if min(notified[2], included[2]) > TARGET_P95_NOTIFIED:
        failures.append(f"notifications p95 {notified[2]:.2f} s > {TARGET_P95_NOTIFIED} s")
    for failure in failures:
        print(f"target missed: {failure}")
    print(
        f"targets: <= {TARGET_REQUESTS} S3 requests/result, p95 <= {TARGET_P95} s polling, "
        f"<= {TARGET_P95_NOTIFIED} s notified: {'met' if not failures else 'MISSED'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
