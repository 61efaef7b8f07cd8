"""Arbitrary arguments to awaiting: ``result``, ``aresult``, ``as_completed``, ``wait_all``,
``NotificationQueue`` and its ``receive``, against the simulator.

Same property as tests/test_fuzz.py: a call returns or raises one of this
library's errors, and a ValidationError comes before any request. One
invocation has landed and one never does (its model takes a billion simulated
seconds), so a valid timeout on the pending one polls S3 on the FakeClock
(an hour between looks) and ends in InferenceTimeoutError, and a refused one
must not have polled at all. SQS long polls and ``aresult``'s pauses take real time: the
queue and ``aresult`` are given with the landed invocation only.
"""

from __future__ import annotations

import asyncio
import collections
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sagemaker_async as sa
from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker
from test_fuzz import FUZZ, Requests, check_call, junk
from test_invocations import SUCCESS, deploy, upper

CASES: collections.Counter[str] = collections.Counter()
NEVER = 1e9
HOUR = 3600.0

timeouts = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.5, 5, 604_800, 604_801, -1, True]),
    junk,
)


class Awaited:
    """A client and its request counter, one landed invocation, one that never lands."""

    def __init__(self, sim: SageMakerSimulator) -> None:
        deploy(sim, topics=True)
        self.client = sim.async_client(backoff=sa.Backoff(HOUR, HOUR))
        self.requests = Requests(self.client)
        self.sqs = sim.client("sqs")
        self.sqs.meta.events.register("before-call", self.requests._one)  # pyright: ignore[reportPrivateUsage]
        self.queue_url = sim.subscribe_queue(SUCCESS, raw_delivery=True)
        self.queue = sa.NotificationQueue(self.queue_url, sqs_client=self.sqs)
        self.done = self.client.invoke_async("churn", b"row", inline=True)
        sa.wait_all([self.done], timeout=HOUR)
        sim.set_handler(upper, latency=NEVER)
        self.pending = self.client.invoke_async("churn", b"late", inline=True)


@pytest.fixture(scope="module")
def awaited() -> Iterator[Awaited]:
    with simulated_sagemaker(transport="inprocess", clock=FakeClock()) as sim:
        yield Awaited(sim)


def invocations(awaited: Awaited) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([[awaited.done], [awaited.pending], [awaited.done, awaited.pending], []]),
        st.lists(st.sampled_from([awaited.done, awaited.pending]), max_size=3).map(tuple),
        st.lists(junk, min_size=1, max_size=2),
        junk,
    )


def queues(awaited: Awaited, invocations: Any) -> st.SearchStrategy[Any]:
    """The real queue only for landed invocations; None or junk for any."""
    landed = isinstance(invocations, list | tuple) and awaited.pending not in invocations
    real = [st.just(awaited.queue)] if landed else []
    return st.one_of(st.none(), *real, junk)


def fuzz(name: str, awaited: Awaited, call: Callable[[], object]) -> None:
    outcome = check_call(call, awaited.requests)
    CASES[f"{name}:{outcome}"] += 1
    assert outcome != "refused after a request"


def test_wait_all(awaited: Awaited) -> None:
    @FUZZ
    @given(st.data(), invocations(awaited), timeouts)
    def run(data: st.DataObject, given_invocations: Any, timeout: Any) -> None:
        queue = data.draw(queues(awaited, given_invocations))
        fuzz(
            "wait_all",
            awaited,
            lambda: sa.wait_all(given_invocations, timeout=timeout, notifications=queue),
        )

    run()


def test_as_completed(awaited: Awaited) -> None:
    @FUZZ
    @given(st.data(), invocations(awaited), timeouts, st.one_of(st.none(), junk))
    def run(data: st.DataObject, given_invocations: Any, timeout: Any, progress: Any) -> None:
        queue = data.draw(queues(awaited, given_invocations))
        fuzz(
            "as_completed",
            awaited,
            lambda: sa.as_completed(
                given_invocations, timeout=timeout, notifications=queue, progress=progress
            ),
        )

    run()


def test_result_and_aresult(awaited: Awaited) -> None:
    @FUZZ
    @given(st.data(), st.sampled_from(["done", "pending"]), timeouts, st.booleans())
    def run(data: st.DataObject, which: str, timeout: Any, coroutine: bool) -> None:
        invocation = awaited.done if which == "done" else awaited.pending
        queue = data.draw(queues(awaited, [invocation]))
        if coroutine and invocation is awaited.done:
            fuzz(
                "aresult",
                awaited,
                lambda: asyncio.run(invocation.aresult(timeout=timeout, notifications=queue)),
            )
        else:
            fuzz("result", awaited, lambda: invocation.result(timeout=timeout, notifications=queue))

    run()


def test_notification_queue_and_receive(awaited: Awaited) -> None:
    urls = st.one_of(st.just(awaited.queue_url), st.text(max_size=40), junk)
    seconds = st.one_of(st.integers(-5, 50_000), junk)

    @FUZZ
    @given(urls, seconds, st.one_of(st.floats(allow_nan=True), st.integers(-3, 30), junk))
    def run(url: Any, visibility_timeout: Any, wait: Any) -> None:
        def build_and_receive() -> object:
            queue = sa.NotificationQueue(
                url, sqs_client=awaited.sqs, visibility_timeout=visibility_timeout
            )
            valid = not isinstance(wait, bool) and isinstance(wait, int | float) and wait >= 0
            if valid and math.isfinite(wait):
                return queue  # a long poll would take real seconds: only refusals are tried
            return queue.receive(wait)

        fuzz("NotificationQueue", awaited, build_and_receive)

    run()


def test_summary() -> None:
    # Runs last in this module: the cases each property ran, by outcome.
    for line in sorted(CASES.items()):
        print(*line)
    assert sum(CASES.values()) >= 4 * 100  # every property ran its examples
