"""``sagemaker-async simulator`` in a process of its own, driven with plain boto3."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

import sagemaker_async as sa
from sagemaker_async import testing
from sagemaker_async.cli import _simulator as cli_simulator
from sagemaker_async.cli import main


@contextlib.contextmanager
def serving(*options: str, cwd: Path | None = None) -> Iterator[str]:
    """``sagemaker-async simulator --bucket inputs *options*`` in a process: its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_async", "simulator", "--bucket", "inputs", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def server() -> Iterator[str]:
    with serving() as url:
        yield url


def served(url: str, *bodies: bytes) -> list[bytes | str]:
    """Deploy an endpoint on the server at *url*, invoke it with each body: the results."""
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    client = deployed(session, url)
    invocations = [client.invoke_async("m", body, inline=True) for body in bodies]
    sa.wait_all(invocations, timeout=30)
    outcomes: list[bytes | str] = []
    for invocation in invocations:
        try:
            outcomes.append(invocation.result())
        except sa.InferenceFailedError as error:
            outcomes.append(f"failed: {error.failure_body!r}")
    return outcomes


def deployed(session: boto3.Session, url: str) -> sa.AsyncInferenceClient:
    """A client of the server at *url*, with an endpoint 'm' deployed."""
    client = sa.AsyncInferenceClient(
        sagemaker_client=session.client("sagemaker", endpoint_url=url),
        runtime_client=session.client("sagemaker-runtime", endpoint_url=url),
        s3_client=session.client("s3", endpoint_url=url),
    )
    client.deploy(
        sa.Model(
            name="m",
            execution_role_arn="arn:aws:iam::123456789012:role/r",
            container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"),
        ),
        sa.EndpointConfig(
            name="m",
            variants=[sa.ProductionVariant(model_name="m", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path="s3://inputs/out", failure_path="s3://inputs/failed"
            ),
        ),
        "m",
    )
    return client


def test_the_simulator_prints_its_url_and_serves_sagemaker_and_s3(server: str) -> None:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    sagemaker = session.client("sagemaker", endpoint_url=server)
    s3 = session.client("s3", endpoint_url=server)

    assert server.startswith("http://127.0.0.1:")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["inputs"]


def test_a_port_out_of_range_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["simulator", "--port", "70000"])

    assert status == 2
    assert capsys.readouterr().err == "error: --port must be from 0 to 65535, got 70000\n"


def test_version_names_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("sagemaker-async 0.")


def test_the_churn_model_scores_rows_and_fails_a_malformed_one() -> None:
    with serving("--model", "churn") as url:
        scored, malformed = served(url, b"10,50,2,1", b"10,50,two,1")

    assert isinstance(scored, bytes)
    assert 0 < float(scored) < 1
    assert isinstance(malformed, str)
    assert malformed.startswith("failed: ")


def test_a_handler_of_the_users_own_module_is_served(tmp_path: Path) -> None:
    (tmp_path / "my_model.py").write_text(
        "def shout(body, content_type):\n    return body.upper() + b'!'\n", encoding="utf-8"
    )

    with serving("--handler", "my_model:shout", cwd=tmp_path) as url:
        results = served(url, b"hello")

    assert results == [b"HELLO!"]


@pytest.mark.parametrize(
    ("handler", "said"),
    [
        ("no_colon", "--handler must be MODULE:FUNCTION, got 'no_colon'"),
        (
            "no_such_module_xyz:f",
            "--handler no_such_module_xyz:f: cannot import no_such_module_xyz",
        ),
        ("json:no_such_function", "--handler json:no_such_function: json has no function"),
    ],
)
def test_a_handler_that_cannot_be_found_is_bad_input(
    handler: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["simulator", "--handler", handler])

    assert status == 2
    assert said in capsys.readouterr().err


def test_the_default_latency_is_the_simulators() -> None:
    assert cli_simulator.DEFAULT_LATENCY == testing.DEFAULT_LATENCY


@pytest.mark.parametrize("latency", ["-1", "nan", "3601"])
def test_a_latency_out_of_range_is_bad_input(
    latency: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["simulator", "--latency", latency])

    assert status == 2
    assert "--latency must be from 0 to 3600 seconds" in capsys.readouterr().err


def test_results_land_after_the_latency(tmp_path: Path) -> None:
    with serving("--latency", "0.5") as url:
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        )
        client = deployed(session, url)
        invocation = client.invoke_async("m", b"x", inline=True)
        early = invocation.done()
        result = invocation.result(timeout=30)

    assert (early, result) == (False, b"x")
