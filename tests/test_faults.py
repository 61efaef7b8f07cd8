"""Nothing lost under faults: each guarantee of docs/guarantees.md, with faults injected.

- 30% of the requests faulted, several seeds: the whole life of an endpoint
  (``fault_scenario.py``): every invocation submitted once, every result received
  once by each way of awaiting, nothing lost, nothing left behind.
- Interruption: a process killed with SIGKILL while it awaits, then resumed from the
  pickles; a notification consumer killed in the middle of a batch.
- Partial failure: ``deploy`` failing at each step in turn, ``teardown`` interrupted
  at each step and run again.

The figures of each seed are printed at the end of the test session.
"""

from __future__ import annotations

import collections
import contextlib
import os
import pickle
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

import fault_scenario
import sagemaker_async as sa
from fault_scenario import Figures
from sagemaker_async import Backoff
from sagemaker_async.testing import (
    ErrorAnswer,
    FakeClock,
    FaultInjector,
    SageMakerSimulator,
    simulated_sagemaker,
)

NOTHING = {"models": 0, "endpoint_configs": 0, "endpoints": 0}
DENIED = ErrorAnswer("AccessDeniedException", 400, "User is not authorized to perform this")
CHILD = Path(__file__).with_name("awaiter_process.py")


# -- 30% of the requests faulted ---------------------------------------------------------


@pytest.fixture(scope="module", params=fault_scenario.SEEDS, ids=lambda seed: f"seed{seed}")
def figures(request: pytest.FixtureRequest) -> Figures:
    """One run of the scenario per seed, shared by the tests of its figures."""
    return fault_scenario.run(request.param)


def test_every_invocation_is_submitted_once(figures: Figures) -> None:
    expected = (fault_scenario.INVOCATIONS, fault_scenario.INVOCATIONS)

    assert (figures.submitted, figures.distinct_ids) == expected


def test_every_result_is_received_once_by_notifications(figures: Figures) -> None:
    assert figures.by_notifications == collections.Counter(figures.ids)


def test_every_result_is_received_once_by_polling(figures: Figures) -> None:
    assert figures.by_polling == collections.Counter(figures.ids)


def test_every_result_is_the_models_answer(figures: Figures) -> None:
    assert figures.wrong == ()


def test_no_notification_is_left_unread(figures: Figures) -> None:
    assert figures.unread == ()


def test_nothing_is_left_behind(figures: Figures) -> None:
    assert (figures.resources, figures.orphans) == (NOTHING, ())


def test_the_rate_of_requests_is_faulted(figures: Figures) -> None:
    assert 0.25 < figures.faulted / figures.requests < 0.35


def test_lost_answers_made_sagemaker_run_requests_again(figures: Figures) -> None:
    # The read timeouts reached InvokeEndpointAsync: the case that duplicates results.
    assert figures.runs > figures.distinct_ids


# -- interruption: a process killed while it awaits --------------------------------------


def upper(body: bytes, content_type: str | None) -> bytes:
    return body.upper()


class Awaiter:
    """``awaiter_process.py`` in a process of its own; the ids it prints, read by a thread."""

    def __init__(self, sim: SageMakerSimulator, directory: Path, *arguments: str) -> None:
        self._stderr: IO[str] = (directory / "stderr.txt").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *arguments],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=_child_environment(sim),
        )
        self.printed: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.strip())

    def wait_for(self, count: int, timeout: float = 60.0) -> None:
        """Return once the process has printed *count* ids."""
        deadline = time.monotonic() + timeout
        while len(self.printed) < count:
            try:
                self.printed.append(self._lines.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                self._stderr.seek(0)
                report = f"the awaiter printed {self.printed}; {self._stderr.read()}"
                raise AssertionError(report) from None

    def kill(self) -> None:
        """SIGKILL: no ``finally``, no cleanup, as when a machine goes away."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join()
        while not self._lines.empty():
            self.printed.append(self._lines.get())
        self._stderr.close()


def _child_environment(sim: SageMakerSimulator) -> dict[str, str]:
    """Fake credentials and the simulator's URL on 127.0.0.1; nothing from ~/.aws."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=sim.region,
        AWS_ENDPOINT_URL=str(sim.endpoint_url),
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    return environment


@pytest.fixture
def server_sim() -> Iterator[SageMakerSimulator]:
    """The simulator over HTTP on 127.0.0.1, on the real clock: other processes reach it."""
    with simulated_sagemaker(transport="server") as simulator:
        simulator.client("s3").create_bucket(Bucket=fault_scenario.BUCKET)
        sns = simulator.client("sns")
        sns.create_topic(Name="churn-ok")
        sns.create_topic(Name="churn-error")
        yield simulator


def deploy(sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    client = sim.async_client(backoff=Backoff(0.05, 0.2))
    client.deploy(
        sa.Model(
            name="churn",
            execution_role_arn=fault_scenario.ROLE,
            container=sa.Container(image=fault_scenario.IMAGE),
        ),
        fault_scenario.endpoint_config("churn-v1"),
        "churn",
        timeout=30,
    )
    return client


def pickled(invocations: list[sa.AsyncInvocation], directory: Path) -> Path:
    path = directory / "invocations.pickle"
    path.write_bytes(pickle.dumps(invocations))
    return path


def test_an_awaiter_killed_while_awaiting_is_resumed_from_its_pickles(
    server_sim: SageMakerSimulator, tmp_path: Path
) -> None:
    client = deploy(server_sim)
    landing = random.Random(7)
    server_sim.set_handler(upper, latency=lambda: landing.uniform(1.0, 4.0))
    with server_sim.holding_results():
        invocations = [client.invoke_async("churn", f"row {i}") for i in range(30)]
    path = pickled(invocations, tmp_path)
    awaiter = Awaiter(server_sim, tmp_path, str(path))
    awaiter.wait_for(5)
    awaiter.kill()
    assert 5 <= len(awaiter.printed) < len(invocations)  # it died while awaiting

    resumed = [i.bind(client) for i in pickle.loads(path.read_bytes())]
    yielded = list(sa.as_completed(resumed, timeout=30))

    assert collections.Counter(i.inference_id for i in yielded) == collections.Counter(
        i.inference_id for i in invocations
    )
    assert sorted(i.result() for i in yielded) == sorted(f"ROW {i}".encode() for i in range(30))


def test_a_consumer_killed_mid_batch_loses_no_notification(
    server_sim: SageMakerSimulator, tmp_path: Path
) -> None:
    queue_url = server_sim.subscribe_queue(fault_scenario.SUCCESS, fault_scenario.ERROR)
    client = deploy(server_sim)
    server_sim.set_handler(upper, latency=0)
    with server_sim.holding_results():
        invocations = [client.invoke_async("churn", f"row {i}") for i in range(20)]
    while server_sim.pending_invocations():
        time.sleep(0.05)
    awaiter = Awaiter(server_sim, tmp_path, str(pickled(invocations, tmp_path)), queue_url)
    awaiter.wait_for(3)
    awaiter.kill()
    # What it received stays in the queue, out of sight until the visibility timeout.
    assert hidden(server_sim, queue_url) >= len(awaiter.printed)
    listings = RequestCount(client.s3, "ListObjectsV2")

    consumer = sa.NotificationQueue(queue_url, sqs_client=server_sim.client("sqs"))
    resumed = [client.invocation(i.inference_id, i.output_location) for i in invocations]
    yielded = list(sa.as_completed(resumed, timeout=30, notifications=consumer))

    assert collections.Counter(i.inference_id for i in yielded) == collections.Counter(
        i.inference_id for i in invocations
    )
    assert (listings.count, in_flight(server_sim, queue_url)) == (0, 0)


def in_flight(sim: SageMakerSimulator, queue_url: str) -> int:
    """Messages in the queue, received or not."""
    return visible(sim, queue_url) + hidden(sim, queue_url)


def visible(sim: SageMakerSimulator, queue_url: str) -> int:
    return _count(sim, queue_url, "ApproximateNumberOfMessages")


def hidden(sim: SageMakerSimulator, queue_url: str) -> int:
    """Messages received and neither deleted nor visible again yet."""
    return _count(sim, queue_url, "ApproximateNumberOfMessagesNotVisible")


def _count(sim: SageMakerSimulator, queue_url: str, name: str) -> int:
    names: Any = [name]
    attributes = sim.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)
    return int(attributes["Attributes"][name])


class RequestCount:
    """Counts *operation*'s requests made through a boto3 client from now on."""

    def __init__(self, client: Any, operation: str) -> None:
        self.count = 0
        self._operation = operation
        client.meta.events.register("before-call", self._seen)

    def _seen(self, model: Any, **_: Any) -> None:
        if model.name == self._operation:
            self.count += 1


# -- partial failure ---------------------------------------------------------------------


@contextlib.contextmanager
def fake_simulator() -> Iterator[SageMakerSimulator]:
    with simulated_sagemaker(
        clock=FakeClock(), create_seconds=10, update_seconds=10, delete_seconds=5
    ) as sim:
        yield sim


def faulty_client(sim: SageMakerSimulator, injector: FaultInjector) -> sa.AsyncInferenceClient:
    clock: Any = sim.clock
    client = sa.AsyncInferenceClient(
        sim.session, clock=clock.time, sleep=clock.sleep, backoff=Backoff(2.0, 30.0)
    )
    for boto_client in (client.sagemaker, client.runtime, client.s3):
        injector.attach(boto_client)
    return client


MODEL = sa.Model(
    name="churn",
    execution_role_arn=fault_scenario.ROLE,
    container=sa.Container(image=fault_scenario.IMAGE),
)
DEPLOY_CALLS = ["CreateModel", "CreateEndpointConfig", "DescribeEndpointConfig", "CreateEndpoint"]
DEPLOY_CALLS += ["DescribeEndpoint"] * 5  # the waiter, through 10 s of Creating
TEARDOWN_CALLS = [
    "DescribeEndpoint",  # which config it runs
    "DescribeEndpoint",  # at rest? (SageMaker refuses to delete a busy endpoint)
    "DeleteEndpoint",
    "DescribeEndpoint",  # the waiter, through 5 s of Deleting
    "DescribeEndpoint",
    "DescribeEndpoint",
    "DescribeEndpointConfig",  # churn-v2, which it ran: its models
    "ListEndpoints",  # does another endpoint use it?
    "DeleteModel",
    "DeleteEndpointConfig",
    "DescribeEndpointConfig",  # churn-v1, named by the caller
    "ListEndpoints",
    "DeleteModel",
    "DeleteEndpointConfig",
]


def steps(calls: list[str]) -> list[Any]:
    """Each call with how many calls of its operation came before it."""
    seen: collections.Counter[str] = collections.Counter()
    numbered = []
    for number, operation in enumerate(calls):
        skip = seen[operation]
        numbered.append(pytest.param(operation, skip, id=f"{number:02}-{operation}"))
        seen[operation] += 1
    return numbered


def recorded(client: sa.AsyncInferenceClient) -> list[str]:
    calls: list[str] = []
    client.sagemaker.meta.events.register(
        "before-call.sagemaker", lambda model, **_: calls.append(model.name)
    )
    return calls


def test_deploy_makes_these_calls() -> None:
    with fake_simulator() as sim:
        client = faulty_client(sim, FaultInjector())
        calls = recorded(client)

        client.deploy(MODEL, fault_scenario.endpoint_config("churn-v1"), "churn")

    assert calls == DEPLOY_CALLS


@pytest.mark.parametrize(("operation", "skip"), steps(DEPLOY_CALLS))
def test_deploy_failing_at_any_step_leaves_nothing_behind(operation: str, skip: int) -> None:
    with fake_simulator() as sim:
        # 30% of the requests fail on top, the undo's included.
        injector = FaultInjector(0.3, seed=7)
        client = faulty_client(sim, injector)
        injector.fail_next(operation, DENIED, skip=skip)

        with pytest.raises(sa.AccessDeniedError):
            client.deploy(MODEL, fault_scenario.endpoint_config("churn-v1"), "churn")

        assert sim.resource_counts() == NOTHING


def test_deploy_of_an_endpoint_that_fails_leaves_nothing_behind() -> None:
    with fake_simulator() as sim:
        client = faulty_client(sim, FaultInjector(0.3, seed=4))
        sim.fail_next_create("churn")

        with pytest.raises(sa.EndpointFailedError):
            client.deploy(MODEL, fault_scenario.endpoint_config("churn-v1"), "churn")

        assert sim.resource_counts() == NOTHING


def deployed_and_updated(sim: SageMakerSimulator, client: sa.AsyncInferenceClient) -> None:
    client.deploy(MODEL, fault_scenario.endpoint_config("churn-v1"), "churn")
    client.create_endpoint_config(fault_scenario.endpoint_config("churn-v2"))
    client.update_endpoint("churn", "churn-v2")


def test_teardown_makes_these_calls() -> None:
    with fake_simulator() as sim:
        client = faulty_client(sim, FaultInjector())
        deployed_and_updated(sim, client)
        calls = recorded(client)

        client.teardown("churn", config_names=fault_scenario.CONFIGS)

    assert calls == TEARDOWN_CALLS


@pytest.mark.parametrize(("operation", "skip"), steps(TEARDOWN_CALLS))
def test_an_interrupted_teardown_runs_again_to_completion(operation: str, skip: int) -> None:
    with fake_simulator() as sim:
        injector = FaultInjector()
        client = faulty_client(sim, injector)
        deployed_and_updated(sim, client)
        injector.fail_next(operation, DENIED, skip=skip)
        with pytest.raises(sa.AccessDeniedError):
            client.teardown("churn", config_names=fault_scenario.CONFIGS)
        assert sim.resource_counts() != NOTHING  # interrupted with work left

        client.teardown("churn", config_names=fault_scenario.CONFIGS)

        assert sim.resource_counts() == NOTHING
