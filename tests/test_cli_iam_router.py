"""`sagemaker-async iam` with a `[router]` table: the router's policies too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sagemaker_async import cli as _cli

FILE = """
account = "123456789012"
region = "us-east-1"
endpoint_name = "churn"

[model]
name = "churn"
execution_role_arn = "arn:aws:iam::123456789012:role/churn-sagemaker"
container = { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1" }

[config]
name = "churn-v1"
variants = [{ instance_type = "ml.m5.large" }]
async_inference = { output_path = "s3://acme-inference/churn/results" }

[router]
name = "churn"

[[router.targets]]
name = "churn"
destinations = [
  "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn",
  "arn:aws:sagemaker:us-west-2:123456789012:endpoint/churn",
]
output_path = "s3://acme-inference/churn/router-results"
failure_path = "s3://acme-inference/churn/router-failures"
"""


def test_a_router_table_adds_the_router_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deployment.toml"
    path.write_text(FILE, encoding="utf-8")

    status = _cli.main(["iam", str(path)])

    printed = json.loads(capsys.readouterr().out)
    expected = (0, True, True)
    assert expected == (
        status,
        "router_caller_policy" in printed,
        "router_execution_role_policy" in printed,
    )


def test_a_bad_router_table_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deployment.toml"
    path.write_text(
        FILE.replace('name = "churn"\n\n[[router', 'name = "-bad"\n\n[[router'), "utf-8"
    )

    status = _cli.main(["iam", str(path)])

    expected = (2, "router.name")
    assert expected == (status, "router.name" if "router.name" in capsys.readouterr().err else "")


def test_the_documented_router_table_gives_both_router_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = (Path(__file__).parent.parent / "docs" / "iam.md").read_text(encoding="utf-8")
    deployment, router = re.findall(r"```toml\n(.*?)```", docs, re.DOTALL)[:2]
    path = tmp_path / "deployment.toml"
    path.write_text(deployment + router, encoding="utf-8")

    status = _cli.main(["iam", str(path)])

    printed = json.loads(capsys.readouterr().out)
    role = printed["router_execution_role_policy"]["Statement"]
    assert status == 0
    assert "EncryptRouterResults" in [statement["Sid"] for statement in role]
    assert "InvokeRouter" in [s["Sid"] for s in printed["router_caller_policy"]["Statement"]]
