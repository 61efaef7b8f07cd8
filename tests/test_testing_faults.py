"""The fault injector: what each fault looks like to botocore, what it counts, its seed."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from sagemaker_async.testing import (
    FAULT_KINDS,
    ErrorAnswer,
    FakeClock,
    FaultInjector,
    FaultKind,
    SageMakerSimulator,
    simulated_sagemaker,
)

BUCKET = "fault-bucket"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 5})


def faulty(sim: SageMakerSimulator, injector: FaultInjector, service: str, config: Config) -> Any:
    """A new client of *service* with *injector* attached (the simulator's own stay clean)."""
    return injector.attach(sim.client(service, config=config))


@pytest.fixture
def bucket(fake_sim: SageMakerSimulator) -> str:
    fake_sim.client("s3").create_bucket(Bucket=BUCKET)
    return BUCKET


def keys(sim: SageMakerSimulator) -> list[str]:
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", ()))


# -- what each fault looks like ----------------------------------------------------------

CALLS: dict[str, tuple[str, Callable[[Any], object]]] = {
    "sagemaker": ("ListModels", lambda c: c.list_models()),
    "sagemaker-runtime": (
        "InvokeEndpointAsync",
        lambda c: c.invoke_endpoint_async(EndpointName="e", InputLocation=f"s3://{BUCKET}/x"),
    ),
    "s3": ("ListObjectsV2", lambda c: c.list_objects_v2(Bucket=BUCKET)),
    "sqs": ("ListQueues", lambda c: c.list_queues()),
    "sns": ("ListTopics", lambda c: c.list_topics()),
}
ANSWERS: list[tuple[str, FaultKind, str, int]] = [
    ("sagemaker", "throttling", "ThrottlingException", 400),
    ("sagemaker", "internal_failure", "InternalFailure", 500),
    ("sagemaker", "service_unavailable", "ServiceUnavailable", 503),
    ("sagemaker-runtime", "throttling", "ThrottlingException", 400),
    ("sagemaker-runtime", "internal_failure", "InternalFailure", 500),
    ("s3", "throttling", "SlowDown", 503),
    ("s3", "internal_failure", "InternalError", 500),
    ("s3", "service_unavailable", "ServiceUnavailable", 503),
    ("sqs", "throttling", "ThrottlingException", 400),
    ("sqs", "service_unavailable", "ServiceUnavailable", 503),
    ("sns", "throttling", "ThrottlingException", 400),
    ("sns", "internal_failure", "InternalFailure", 500),
]


@pytest.mark.parametrize(("service", "kind", "code", "status"), ANSWERS)
def test_answers_are_the_services_own_error_responses(
    fake_sim: SageMakerSimulator, bucket: str, service: str, kind: FaultKind, code: str, status: int
) -> None:
    injector = FaultInjector()
    operation, make_call = CALLS[service]
    injector.fail_next(operation, kind)
    client = faulty(fake_sim, injector, service, NO_RETRIES)

    with pytest.raises(ClientError) as caught:
        make_call(client)

    error = caught.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)


def test_an_answered_request_never_reaches_the_service(
    fake_sim: SageMakerSimulator, bucket: str
) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", NO_RETRIES)
    injector.fail_next("PutObject", "internal_failure")

    with pytest.raises(ClientError):
        s3.put_object(Bucket=BUCKET, Key="answered", Body=b"x")

    assert keys(fake_sim) == []


def test_a_connection_error_never_reaches_the_service(
    fake_sim: SageMakerSimulator, bucket: str
) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", NO_RETRIES)
    injector.fail_next("PutObject", "connection_error")

    with pytest.raises(EndpointConnectionError):
        s3.put_object(Bucket=BUCKET, Key="unsent", Body=b"x")

    assert keys(fake_sim) == []


def test_a_read_timeout_loses_the_answer_of_a_request_that_took_effect(
    fake_sim: SageMakerSimulator, bucket: str
) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", NO_RETRIES)
    injector.fail_next("PutObject", "read_timeout")

    with pytest.raises(ReadTimeoutError):
        s3.put_object(Bucket=BUCKET, Key="written", Body=b"x")

    assert keys(fake_sim) == ["written"]


def test_a_read_timeout_of_a_create_makes_the_retry_meet_the_resource(
    fake_sim: SageMakerSimulator,
) -> None:
    injector = FaultInjector()
    sagemaker = faulty(fake_sim, injector, "sagemaker", RETRIES)
    injector.fail_next("CreateModel", "read_timeout")

    with pytest.raises(ClientError) as caught:
        sagemaker.create_model(
            ModelName="twice",
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"},
        )

    assert "Cannot create already existing model" in caught.value.response["Error"]["Message"]
    assert fake_sim.resource_counts()["models"] == 1


def test_an_error_answer_is_given_as_is_and_not_retried(
    fake_sim: SageMakerSimulator, bucket: str
) -> None:
    injector = FaultInjector()
    sagemaker = faulty(fake_sim, injector, "sagemaker", RETRIES)
    injector.fail_next("ListModels", ErrorAnswer("AccessDeniedException", 400, "not authorized"))

    with pytest.raises(ClientError) as caught:
        sagemaker.list_models()

    assert caught.value.response["Error"] == {
        "Code": "AccessDeniedException",
        "Message": "not authorized",
    }
    assert injector.attempts["ListModels"] == 1


# -- counting ----------------------------------------------------------------------------


def test_botocore_retries_are_counted_per_call(fake_sim: SageMakerSimulator, bucket: str) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", RETRIES)
    injector.fail_next("ListObjectsV2", "throttling", times=2)

    s3.list_objects_v2(Bucket=BUCKET)

    assert (injector.calls, injector.attempts, injector.retries) == (
        {"ListObjectsV2": 1},
        {"ListObjectsV2": 3},
        {"ListObjectsV2": 2},
    )
    assert injector.faults == {("throttling", "ListObjectsV2"): 2}


def test_botocore_pauses_between_retries_pass_on_the_fake_clock(
    fake_sim: SageMakerSimulator, bucket: str
) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", RETRIES)
    injector.fail_next("ListObjectsV2", "service_unavailable", times=4)
    before = fake_sim.clock.time()

    s3.list_objects_v2(Bucket=BUCKET)

    assert fake_sim.clock.time() > before


def test_summary_counts_faults_by_kind(fake_sim: SageMakerSimulator, bucket: str) -> None:
    injector = FaultInjector()
    s3 = faulty(fake_sim, injector, "s3", RETRIES)
    injector.fail_next("ListObjectsV2", "throttling")
    injector.fail_next("ListObjectsV2", "read_timeout")

    s3.list_objects_v2(Bucket=BUCKET)

    assert injector.summary() == (
        "calls: 1\n"
        "requests sent: 3\n"
        "retries by botocore: 2\n"
        "faulted: 2 (read_timeout 1, throttling 1)"
    )


def test_reset_counts_starts_from_zero(fake_sim: SageMakerSimulator, bucket: str) -> None:
    injector = FaultInjector(1.0, kinds=["throttling"])
    s3 = faulty(fake_sim, injector, "s3", NO_RETRIES)
    with pytest.raises(ClientError):
        s3.list_objects_v2(Bucket=BUCKET)

    injector.reset_counts()

    assert (injector.faulted, sum(injector.attempts.values())) == (0, 0)


# -- which requests fail -----------------------------------------------------------------


@pytest.fixture
def quick_sim() -> Iterator[SageMakerSimulator]:
    """In-process only: the draws do not depend on the transport."""
    with simulated_sagemaker(clock=FakeClock()) as simulator:
        simulator.client("s3").create_bucket(Bucket=BUCKET)
        yield simulator


def fault_pattern(
    s3: Any, calls: int, operation: Callable[[Any], object] | None = None
) -> list[bool]:
    """Which of *calls* ListObjectsV2 calls failed (*operation* made between them)."""
    pattern = []
    for _ in range(calls):
        if operation is not None:
            with contextlib.suppress(ClientError, EndpointConnectionError, ReadTimeoutError):
                operation(s3)
        try:
            s3.list_objects_v2(Bucket=BUCKET)
        except (ClientError, EndpointConnectionError, ReadTimeoutError):
            pattern.append(True)
        else:
            pattern.append(False)
    return pattern


def test_the_rate_is_the_fraction_of_requests_faulted(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector(0.3, seed=1)
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)

    pattern = fault_pattern(s3, 400)

    assert 0.22 < sum(pattern) / len(pattern) < 0.38
    assert injector.faulted == sum(pattern)


def test_the_same_seed_fails_the_same_requests(quick_sim: SageMakerSimulator) -> None:
    first = faulty(quick_sim, FaultInjector(0.3, seed=5), "s3", NO_RETRIES)
    second = faulty(quick_sim, FaultInjector(0.3, seed=5), "s3", NO_RETRIES)

    assert fault_pattern(first, 60) == fault_pattern(second, 60)


def test_another_seed_fails_other_requests(quick_sim: SageMakerSimulator) -> None:
    first = faulty(quick_sim, FaultInjector(0.3, seed=5), "s3", NO_RETRIES)
    second = faulty(quick_sim, FaultInjector(0.3, seed=6), "s3", NO_RETRIES)

    assert fault_pattern(first, 60) != fault_pattern(second, 60)


def test_each_operation_draws_from_its_own_stream(quick_sim: SageMakerSimulator) -> None:
    alone = faulty(quick_sim, FaultInjector(0.3, seed=5), "s3", NO_RETRIES)
    mixed = faulty(quick_sim, FaultInjector(0.3, seed=5), "s3", NO_RETRIES)

    assert fault_pattern(alone, 60) == fault_pattern(
        mixed, 60, lambda s3: s3.head_bucket(Bucket=BUCKET)
    )


def test_rates_per_operation_override_the_rate(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector(0.0, rates={"ListObjectsV2": 1.0})
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)

    pattern = fault_pattern(s3, 20, lambda s3: s3.head_bucket(Bucket=BUCKET))

    assert pattern == [True] * 20
    assert injector.faults_by_operation() == {"ListObjectsV2": 20}


def test_kinds_limit_the_faults_drawn(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector(1.0, kinds=["throttling", "connection_error"])
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)

    fault_pattern(s3, 40)

    assert set(injector.faults_by_kind()) == {"throttling", "connection_error"}


def test_no_fault_while_paused(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector(1.0)
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)

    with injector.paused():
        pattern = fault_pattern(s3, 10)

    assert pattern == [False] * 10
    assert injector.calls == {"ListObjectsV2": 10}


def test_a_detached_client_is_left_alone(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector(1.0)
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)

    injector.detach(s3)

    assert fault_pattern(s3, 10) == [False] * 10
    assert injector.calls == {}


def test_attaching_twice_injects_once(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector()
    s3 = faulty(quick_sim, injector, "s3", RETRIES)
    injector.attach(s3)
    injector.fail_next("ListObjectsV2", "throttling")

    s3.list_objects_v2(Bucket=BUCKET)

    assert (injector.calls, injector.attempts) == ({"ListObjectsV2": 1}, {"ListObjectsV2": 2})


def test_planned_faults_come_after_the_requests_skipped(quick_sim: SageMakerSimulator) -> None:
    injector = FaultInjector()
    s3 = faulty(quick_sim, injector, "s3", NO_RETRIES)
    injector.fail_next("ListObjectsV2", "throttling", skip=2, times=2)

    assert fault_pattern(s3, 5) == [False, False, True, True, False]


def test_every_kind_can_be_drawn() -> None:
    assert FAULT_KINDS == (
        "throttling",
        "internal_failure",
        "service_unavailable",
        "connection_error",
        "read_timeout",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"rate": 1.5}, "`rate` must be a fraction from 0 to 1, got 1.5"),
        ({"rate": -0.1}, "`rate` must be a fraction from 0 to 1, got -0.1"),
        ({"rates": {"GetObject": 2}}, "`rates['GetObject']` must be a fraction from 0 to 1"),
        ({"kinds": []}, "`kinds` must be a non-empty selection of"),
        ({"kinds": ["gremlins"]}, "`kinds` must be a non-empty selection of"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        FaultInjector(**arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"fault": "gremlins"}, "`fault` must be one of"),
        ({"times": 0}, "`times` must be >= 1 and `skip` >= 0, got 0 and 0"),
        ({"skip": -1}, "`times` must be >= 1 and `skip` >= 0, got 1 and -1"),
    ],
)
def test_bad_plans_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        FaultInjector().fail_next("GetObject", **arguments)
