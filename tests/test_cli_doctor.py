"""``sagemaker-async doctor`` against the simulator's server."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagemaker_async.testing import SageMakerSimulator
from test_cli_deploying import FILE, ROLE, run, sim, write

__all__ = ["sim"]

TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "sagemaker.amazonaws.com"}}]}'  # noqa: E501


def test_doctor_passes_with_the_bucket_and_a_role_trusting_sagemaker(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.client("iam").create_role(RoleName="churn-execution", AssumeRolePolicyDocument=TRUST)

    status = run(sim, "doctor", write(tmp_path))

    out = capsys.readouterr().out
    assert "ok    bucket churn-results: reachable, in us-east-1\n" in out
    assert "ok    execution role: exists, trusts SageMaker" in out
    assert status == 0


def test_doctor_names_a_missing_role_with_its_remedy(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "doctor", write(tmp_path))

    out = capsys.readouterr().out
    assert status == 1
    assert f"FAIL  execution role: NoSuchEntity for {ROLE}: create it with the trust policy" in out
    assert out.endswith("checks passed\n")


def test_doctor_names_a_missing_bucket(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "doctor", write(tmp_path, FILE.replace("churn-results", "elsewhere")))

    assert status == 1
    assert "FAIL  bucket elsewhere: NoSuchBucket: create it in us-east-1" in capsys.readouterr().out
