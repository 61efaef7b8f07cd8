"""Submitting many invocations at once, and following the results as they land."""

from __future__ import annotations

import io

import pytest

import sagemaker_async as sa
from sagemaker_async.testing import SageMakerSimulator
from test_invocations import BUCKET, Requests, deploy, keys


@pytest.fixture
def client(fake_sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    return deploy(fake_sim)


class Unreadable(io.BytesIO):
    """A payload whose upload fails when it is read."""

    def read(self, size: int | None = -1) -> bytes:
        raise OSError("the disk went away")


def test_results_keep_the_order_of_the_bodies(client: sa.AsyncInferenceClient) -> None:
    bodies = [f"body {index}".encode() for index in range(40)]

    invocations = client.invoke_many("churn", bodies, concurrency=8)

    results = [each.result(timeout=60) for each in sa.wait_all(invocations, timeout=60)]
    assert results == [body.upper() for body in bodies]


def test_s3_locations_are_inputs_not_payloads(
    fake_sim: SageMakerSimulator, client: sa.AsyncInferenceClient
) -> None:
    fake_sim.client("s3").put_object(Bucket=BUCKET, Key="inputs/a", Body=b"stored")

    (invocation,) = client.invoke_many("churn", [f"s3://{BUCKET}/inputs/a"])

    assert invocation.result(timeout=60) == b"STORED"
    assert keys(fake_sim, "sagemaker-async-inputs/") == []


def test_text_bodies_are_sent_as_utf8(client: sa.AsyncInferenceClient) -> None:
    (invocation,) = client.invoke_many("churn", ["héllo"])

    assert invocation.result(timeout=60) == "héllo".encode().upper()


def test_every_problem_is_reported_before_any_call(client: sa.AsyncInferenceClient) -> None:
    runtime, s3 = Requests(client.runtime), Requests(client.s3)

    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_many("churn", [b"ok", 42, b"ok", None], concurrency=0, request_ttl_seconds=59)

    assert caught.value.fields == (
        "concurrency",
        "bodies[0].request_ttl_seconds",
        "bodies[1].request_ttl_seconds",
        "bodies[1].body",
        "bodies[2].request_ttl_seconds",
        "bodies[3].request_ttl_seconds",
        "bodies[3].body",
    )
    assert (runtime.total(), s3.total()) == (0, 0)


def test_a_bad_endpoint_name_is_reported_once(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_many("bad_name", [b"a", b"b"])

    assert caught.value.fields == ("endpoint_name",)


def test_one_inference_id_for_many_is_refused(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_many("churn", [b"a"], inference_id="same")

    assert "inference_id: expected no inference_id (each invocation gets its own)" in str(
        caught.value
    )


def test_a_single_body_is_refused(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_many("churn", b"one body")

    assert caught.value.fields == ("bodies",)


def test_a_failed_submission_does_not_stop_the_others(client: sa.AsyncInferenceClient) -> None:
    with pytest.raises(sa.SubmissionError) as caught:
        client.invoke_many("churn", [b"first", Unreadable(b"x"), b"third"], concurrency=2)

    error = caught.value
    assert list(error.failures) == [1]
    assert error.invocations[1] is None
    assert [each.result(timeout=60) for each in error.accepted] == [b"FIRST", b"THIRD"]
    assert str(error).startswith("1 of 3 submissions failed (bodies[1]: the disk went away)")


def test_no_bodies_make_no_call(client: sa.AsyncInferenceClient) -> None:
    runtime = Requests(client.runtime)

    assert client.invoke_many("churn", []) == ()
    assert runtime.total() == 0


def test_progress_counts_results_as_they_land(client: sa.AsyncInferenceClient) -> None:
    invocations = client.invoke_many("churn", [b"a", b"b", b"c"])
    seen: list[tuple[int, int]] = []

    sa.wait_all(invocations, timeout=60, progress=lambda done, total: seen.append((done, total)))

    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_progress_counts_results_already_known(client: sa.AsyncInferenceClient) -> None:
    (first,) = client.invoke_many("churn", [b"a"])
    first.result(timeout=60)
    seen: list[tuple[int, int]] = []

    for _ in sa.as_completed([first], progress=lambda done, total: seen.append((done, total))):
        pass

    assert seen == [(0, 1), (1, 1)]
