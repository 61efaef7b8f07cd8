"""Many consumer processes: how late each result reaches its owner, and what SQS costs.

8 consumer processes each submit 100 invocations, then await them by SNS
notifications, against the simulator over HTTP (its moto server runs in this
process; the consumers reach it at ``sim.endpoint_url``). Results land over
SPREAD seconds once every consumer is awaiting. Three set-ups, side by side:

- (a) one shared queue, others' messages left invisible for the visibility
  timeout (what ``NotificationQueue`` did before it returned them), with a
  visibility timeout of VISIBILITY seconds instead of the default 60 (whose
  delays would be 60 / VISIBILITY times these);
- (b) one shared queue, others' messages returned to it at once;
- (c) a queue per consumer, filtered on its inference id prefix.

Delay is from the moment the simulator lands a result (``sim.landed``) to the
moment its owner has it. Targets for (c): p95 at most 0.5 s, at most 1.2
ReceiveMessage requests per result, no result lost or received twice.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import random
import statistics
import sys
import time
from typing import Any

from moto.sns.models import SNSBackend

import sagemaker_async as sa
from sagemaker_async.aws import Backoff
from sagemaker_async.invocations import _notified
from sagemaker_async.testing import SageMakerSimulator, simulated_sagemaker

PROCESSES = 8
PER_PROCESS = 100
SPREAD = 10.0
VISIBILITY = 2
AWAIT_TIMEOUT = 240.0
BUCKET = "bench-results"
SUCCESS = "arn:aws:sns:us-east-1:123456789012:bench-ok"
ERROR = "arn:aws:sns:us-east-1:123456789012:bench-error"
TARGET_P95 = 0.5
TARGET_RECEIVES = 1.2


class Published:
    """When the simulator's SNS actually published each result (moto may run late)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self._original = SNSBackend.publish

    def __enter__(self) -> Published:
        original, at = self._original, self.at

        def publish(backend: SNSBackend, message: str, *args: Any, **kwargs: Any) -> str:
            sent = original(backend, message, *args, **kwargs)
            if '"inferenceId":"' in message:
                at[message.split('"inferenceId":"', 1)[1].split('"', 1)[0]] = time.monotonic()
            return sent

        SNSBackend.publish = publish  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        SNSBackend.publish = self._original  # type: ignore[method-assign]


class HidingQueue(sa.NotificationQueue):
    """The queue as it was: others' messages stay invisible until the visibility timeout."""

    def release(self, receipt_handles: Any) -> None:
        del receipt_handles


class Receives:
    """Counts ReceiveMessage requests of a boto3 client."""

    def __init__(self, client: Any) -> None:
        self.count = 0
        client.meta.events.register("before-call.sqs.ReceiveMessage", self._count)

    def _count(self, **_: Any) -> None:
        self.count += 1


def consume(
    setup: str, worker: int, endpoint_url: str, shared_url: str | None, ready: Any
) -> tuple[list[str], list[tuple[str, str, float]], int]:
    """One consumer process: submit, say so, await; the ids sent, what came when, receives."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint_url,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        NO_PROXY="127.0.0.1",
    )
    prefix = f"consumer-{worker}-"
    client = sa.AsyncInferenceClient(inference_id_prefix=prefix)
    queue: sa.NotificationQueue
    if setup == "filtered":
        queue = sa.NotificationQueue.create(
            f"bench-consumer-{worker}", topics=[SUCCESS, ERROR], inference_id_prefix=prefix
        )
    elif setup == "hiding":
        queue = HidingQueue(shared_url or "", visibility_timeout=VISIBILITY)
        # Nor did it pause after a batch of others' messages: they were out of sight.
        _notified.CROWDED_PAUSES = Backoff(0.001, 0.001, 1.0)  # type: ignore[misc]
    else:
        queue = sa.NotificationQueue(shared_url or "", visibility_timeout=VISIBILITY)
    receives = Receives(queue.sqs)
    invocations = [client.invoke_async("bench", b"x", inline=True) for _ in range(PER_PROCESS)]
    ready.wait()  # every consumer has submitted: the results may land
    received = []
    try:
        for invocation in sa.as_completed(invocations, timeout=AWAIT_TIMEOUT, notifications=queue):
            received.append((invocation.inference_id, invocation.output_location, time.monotonic()))
    except sa.InferenceTimeoutError as error:
        print(f"consumer {worker}: {len(error.pending)} results not received in time", flush=True)
    finally:
        if setup == "filtered":
            queue.delete()
    return [i.inference_id for i in invocations], received, receives.count


def deploy(sim: SageMakerSimulator) -> None:
    sim.client("s3").create_bucket(Bucket=BUCKET)
    sns = sim.client("sns")
    sns.create_topic(Name="bench-ok")
    sns.create_topic(Name="bench-error")
    sim.async_client().deploy(
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
                notification=sa.NotificationConfig(success_topic=SUCCESS, error_topic=ERROR),
            ),
        ),
        "bench",
    )


Figures = tuple[float, float, float, int, int]  # p50, p95, receives per result, lost, twice


def _percentiles(delays: list[float]) -> tuple[float, float]:
    ordered = sorted(delays)
    if not ordered:
        return float("nan"), float("nan")
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def measure(name: str, setup: str) -> Figures:
    with simulated_sagemaker(transport="server") as sim, Published() as published:
        deploy(sim)
        rng = random.Random(1)
        sim.set_handler(lambda body, _type: body, latency=lambda: rng.uniform(0.5, SPREAD))
        shared = None if setup == "filtered" else sim.subscribe_queue(SUCCESS, ERROR)
        context = multiprocessing.get_context("spawn")
        manager = context.Manager()
        ready = manager.Event()
        url = str(sim.endpoint_url)
        with context.Pool(PROCESSES) as pool:
            with sim.holding_results():
                pending = pool.starmap_async(
                    consume, [(setup, n, url, shared, ready) for n in range(PROCESSES)]
                )
                # Every consumer has submitted when the simulator has every request
                # (or one failed: get() raises its error).
                while sim.pending_invocations() < PROCESSES * PER_PROCESS:
                    if pending.ready():
                        pending.get()
                    time.sleep(0.05)
            ready.set()
            outcomes = pending.get()
        manager.shutdown()
        landed = sim.landed
    delays: list[float] = []
    after_publish: list[float] = []
    lost = twice = receives = 0
    for sent, received, count in outcomes:
        receives += count
        got = collections.Counter(inference_id for inference_id, _, _ in received)
        lost += sum(1 for inference_id in sent if inference_id not in got)
        twice += sum(n - 1 for n in got.values())
        delays += [at - landed[location] for _, location, at in received]
        after_publish += [at - published.at[inference_id] for inference_id, _, at in received]
    p50, p95 = _percentiles(delays)
    lag50, lag95 = _percentiles(after_publish)
    per_result = receives / (PROCESSES * PER_PROCESS)
    print(
        f"{name:<48} delay p50 {p50:6.2f} s  p95 {p95:6.2f} s   "
        f"{per_result:5.2f} receives/result   lost {lost}   twice {twice}\n"
        f"{'':<48} (after moto published: p50 {lag50:6.2f} s  p95 {lag95:6.2f} s)",
        flush=True,
    )
    return p50, p95, per_result, lost, twice


def main() -> int:
    print(
        f"{PROCESSES} consumer processes x {PER_PROCESS} invocations, results landing over "
        f"{SPREAD:g} s (moto server on 127.0.0.1, {os.cpu_count()} CPUs)",
        flush=True,
    )
    measure(f"(a) shared queue, others' hidden ({VISIBILITY} s visibility)", "hiding")
    measure("(b) shared queue, others' returned at once", "returning")
    _p50, p95, per_result, lost, twice = measure("(c) a filtered queue per consumer", "filtered")
    failures = []
    if p95 > TARGET_P95:
        failures.append(f"(c) p95 {p95:.2f} s > {TARGET_P95} s")
    if per_result > TARGET_RECEIVES:
        failures.append(f"(c) {per_result:.2f} receives per result > {TARGET_RECEIVES}")
    if lost or twice:
        failures.append(f"(c) {lost} lost, {twice} received twice")
    for failure in failures:
        print(f"target missed: {failure}")
    print(
        f"targets for (c): p95 <= {TARGET_P95} s, <= {TARGET_RECEIVES} receives/result, "
        f"none lost or twice: {'met' if not failures else 'MISSED'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
