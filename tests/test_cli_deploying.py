"""``sagemaker-async plan`` and ``apply`` against the simulator's HTTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagemaker_async.cli import main
from sagemaker_async.testing import SageMakerSimulator, simulated_sagemaker

ROLE = "arn:aws:iam::123456789012:role/churn-execution"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
MUTATING = re.compile(r"^(Create|Update|Delete)")

FILE = f"""\
account = "123456789012"
region = "us-east-1"
endpoint_name = "churn"

[model]
name = "churn"
execution_role_arn = "{ROLE}"
container = {{ image = "{IMAGE}" }}

[config]
name = "churn-config"
variants = [{{ instance_type = "ml.m5.large" }}]

[config.async_inference]
output_path = "s3://churn-results/out"
failure_path = "s3://churn-results/failed"
"""
SCALING = """
[scaling]
max_instances = 2
min_instances = 1
"""


@pytest.fixture
def sim() -> Iterator[SageMakerSimulator]:
    with simulated_sagemaker(transport="server", create_seconds=0.05, update_seconds=0.05) as s:
        s.client("s3").create_bucket(Bucket="churn-results")
        yield s


def write(tmp_path: Path, text: str = FILE) -> Path:
    path = tmp_path / "deploy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(sim: SageMakerSimulator, *argv: str | Path) -> int:
    assert sim.endpoint_url is not None
    return main([*map(str, argv), "--endpoint-url", sim.endpoint_url])


def mutating(sim: SageMakerSimulator) -> dict[str, int]:
    return {name: count for name, count in sim.calls.items() if MUTATING.match(name)}


def test_plan_lists_what_apply_would_create_and_changes_nothing(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "plan", write(tmp_path))

    out = capsys.readouterr().out
    assert status == 0
    assert re.search(r"create model churn-[0-9a-f]{8}\n", out)
    assert re.search(r"create endpoint config churn-config-[0-9a-f]{8}\n", out)
    assert "create endpoint churn (with churn-config-" in out
    assert mutating(sim) == {}


def test_apply_creates_model_config_and_endpoint(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "apply", write(tmp_path))

    described = sim.client("sagemaker").describe_endpoint(EndpointName="churn")
    assert status == 0
    assert described["EndpointStatus"] == "InService"
    assert re.fullmatch(r"churn-config-[0-9a-f]{8}", described["EndpointConfigName"])
    assert "Applied 3 changes to endpoint churn." in capsys.readouterr().out


def test_second_apply_of_the_same_file_changes_nothing(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path)
    run(sim, "apply", path)
    before = mutating(sim)
    capsys.readouterr()

    status = run(sim, "apply", path)

    assert status == 0
    assert mutating(sim) == before
    assert capsys.readouterr().out == (
        "No changes: endpoint churn is up to date (nothing created, updated or deleted).\n"
    )


def test_a_scaling_change_alone_never_touches_the_endpoint(
    sim: SageMakerSimulator, tmp_path: Path
) -> None:
    run(sim, "apply", write(tmp_path, FILE + SCALING))
    before = mutating(sim)

    status = run(sim, "apply", write(tmp_path, FILE + SCALING.replace("= 2", "= 3")))

    assert status == 0
    assert mutating(sim) == before
    client = sim.async_client()
    described = client.describe_autoscaling("churn")
    assert described is not None
    assert described.policy.max_instances == 3


def test_removing_scaling_from_the_file_disables_it(
    sim: SageMakerSimulator, tmp_path: Path
) -> None:
    run(sim, "apply", write(tmp_path, FILE + SCALING))

    status = run(sim, "apply", write(tmp_path))

    assert status == 0
    assert sim.async_client().describe_autoscaling("churn") is None


def test_a_changed_model_updates_the_endpoint_and_retires_the_old_resources(
    sim: SageMakerSimulator, tmp_path: Path
) -> None:
    run(sim, "apply", write(tmp_path))
    sagemaker = sim.client("sagemaker")
    old_config = sagemaker.describe_endpoint(EndpointName="churn")["EndpointConfigName"]

    status = run(sim, "apply", write(tmp_path, FILE.replace("churn:1", "churn:2")))

    new_config = sagemaker.describe_endpoint(EndpointName="churn")["EndpointConfigName"]
    assert status == 0
    assert new_config != old_config
    assert [
        c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]
    ] == [new_config]
    models = [m["ModelName"] for m in sagemaker.list_models()["Models"]]
    assert len(models) == 1
    assert sim.calls["UpdateEndpoint"] == 1


def test_a_failed_create_undoes_the_model_and_config(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.fail_next_create("churn", reason="no capacity")

    status = run(sim, "apply", write(tmp_path))

    assert status == 1
    assert "no capacity" in capsys.readouterr().err
    sagemaker = sim.client("sagemaker")
    assert sagemaker.list_models()["Models"] == []
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []


def test_a_region_contradicting_the_file_is_bad_input(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "plan", write(tmp_path), "--region", "eu-west-1")

    assert status == 2
    assert capsys.readouterr().err == (
        "error: --region eu-west-1 contradicts the file's region us-east-1: "
        "drop --region or change the file\n"
    )
    assert sim.calls == {}


def test_every_problem_of_the_file_is_reported_at_once(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = FILE.replace(IMAGE, "").replace('"ml.m5.large"', '"m5.huge"')

    status = run(sim, "plan", write(tmp_path, broken))

    err = capsys.readouterr().err
    assert status == 2
    assert "model.container.image" in err
    assert "config.variants[0].instance_type" in err


def test_a_missing_file_is_bad_input(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "apply", tmp_path / "nope.toml")

    assert status == 2
    assert capsys.readouterr().err.startswith(f"error: cannot read {tmp_path / 'nope.toml'}")
