"""``sagemaker-async simulator`` in a process of its own, driven with plain boto3."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import boto3
import pytest

from sagemaker_async.cli import main


@pytest.fixture
def server() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_async", "simulator", "--bucket", "inputs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


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
