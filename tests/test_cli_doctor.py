"""``sagemaker-async doctor`` against the simulator's server."""

from __future__ import annotations

from pathlib import Path

import pytest

import sagemaker_async as sa
from sagemaker_async import iam
from sagemaker_async.cli._doctor_permissions import NotChecked, principal_arn, simulations
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


def test_doctor_says_the_caller_permissions_were_not_checked_when_iam_cannot_simulate(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # moto serves no SimulatePrincipalPolicy, as some emulators and restricted callers.
    sim.client("iam").create_role(RoleName="churn-execution", AssumeRolePolicyDocument=TRUST)

    status = run(sim, "doctor", write(tmp_path))

    lines = capsys.readouterr().out.splitlines()
    (caller,) = [line for line in lines if "caller permissions" in line]
    assert caller.startswith("ok    caller permissions: not checked: ")
    assert caller.endswith("compare with the caller policy `sagemaker-async iam` prints")
    assert status == 0


def test_an_assumed_role_is_simulated_as_its_role_with_its_path(sim: SageMakerSimulator) -> None:
    iam = sim.client("iam")
    iam.create_role(RoleName="deployer", Path="/platform/", AssumeRolePolicyDocument=TRUST)
    session = f"arn:aws:sts::{sim.account_id}:assumed-role/deployer/ci-run-42"

    found = principal_arn(session, iam)

    assert found == f"arn:aws:iam::{sim.account_id}:role/platform/deployer"


def test_a_root_or_federated_caller_cannot_be_simulated(sim: SageMakerSimulator) -> None:
    with pytest.raises(NotChecked, match="is not an IAM user or role"):
        principal_arn(f"arn:aws:iam::{sim.account_id}:root", sim.client("iam"))


def test_each_statement_of_the_caller_policy_is_one_simulation_with_its_conditions() -> None:
    model = sa.Model(
        name="churn",
        execution_role_arn=ROLE,
        container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"),
    )
    config = sa.EndpointConfig(
        name="churn-v1",
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(output_path="s3://churn-results/out"),
    )
    document = iam.caller_policy(model, config, "churn", account="123456789012", region="us-east-1")

    requests = simulations(document)

    statements = document.to_dict()["Statement"]
    pass_role = requests[[s["Sid"] for s in statements].index("PassExecutionRole")]
    assert len(requests) == len(statements)
    assert pass_role == {
        "ActionNames": ["iam:PassRole"],
        "ResourceArns": [ROLE],
        "ContextEntries": [
            {
                "ContextKeyName": "iam:PassedToService",
                "ContextKeyValues": ["sagemaker.amazonaws.com"],
                "ContextKeyType": "string",
            }
        ],
    }
