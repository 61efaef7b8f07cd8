"""``sagemaker-async status``, ``invoke`` and ``teardown`` against the simulator's server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagemaker_async.testing import SageMakerSimulator
from test_cli_deploying import FILE, SCALING, mutating, run, sim, write

__all__ = ["sim"]


def fail_on_bad(body: bytes, content_type: str | None) -> bytes:
    if body.startswith(b"bad"):
        raise ValueError("cannot score this")
    return body.upper()


@pytest.fixture
def deployed(sim: SageMakerSimulator, tmp_path: Path) -> Path:
    path = write(tmp_path, FILE + SCALING)
    assert run(sim, "apply", path) == 0
    return path


def test_status_json_is_one_object_with_the_endpoint_scaling_and_backlog(
    sim: SageMakerSimulator, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    status = run(sim, "status", deployed, "--json")

    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert (report["endpoint_name"], report["status"], report["instance_count"]) == (
        "churn",
        "InService",
        1,
    )
    assert report["scaling"] == {
        "max_instances": 2,
        "min_instances": 1,
        "target_backlog_per_instance": 5.0,
        "scale_in_cooldown": 600,
        "scale_out_cooldown": 300,
    }
    assert "backlog_size" in report


def test_status_shows_variants_scaling_and_backlog(
    sim: SageMakerSimulator, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    run(sim, "status", deployed)

    out = capsys.readouterr().out
    assert "endpoint      churn: InService\n" in out
    assert "variant       AllTraffic: 1 instances (desired 1)\n" in out
    assert "scaling       1 to 2 instances, target 5 waiting per instance\n" in out


def test_status_of_a_missing_endpoint_fails(
    sim: SageMakerSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(sim, "status", write(tmp_path))

    assert status == 1
    assert capsys.readouterr().err == (
        "endpoint churn does not exist; `sagemaker-async apply` creates it\n"
    )


def test_invoke_writes_each_result_and_names_each_failure(
    sim: SageMakerSimulator, deployed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.set_handler(fail_on_bad)
    (tmp_path / "a.txt").write_bytes(b"good")
    (tmp_path / "b.txt").write_bytes(b"bad input")
    out = tmp_path / "results"
    capsys.readouterr()

    status = run(
        sim, "invoke", deployed, "--input", tmp_path / "a.txt", tmp_path / "b.txt", "--output", out
    )

    captured = capsys.readouterr()
    assert status == 1
    assert (out / "a.txt.out").read_bytes() == b"GOOD"
    assert "cannot score this" in (out / "b.txt.error").read_text()
    assert captured.out == f"1 of 2 results written to {out}\n"
    assert captured.err == f"failed: b.txt (see {out / 'b.txt.error'})\n"


def test_status_shows_the_recent_failures_newest_first_with_their_reason(
    sim: SageMakerSimulator, deployed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.set_handler(fail_on_bad)
    inputs = [tmp_path / name for name in ("a.txt", "b.txt")]
    for each in inputs:
        each.write_bytes(b"bad " + each.name.encode())
    run(sim, "invoke", deployed, "--input", *inputs, "--output", tmp_path / "out")
    capsys.readouterr()

    status = run(sim, "status", deployed, "--json")

    failures = json.loads(capsys.readouterr().out)["recent_failures"]
    assert status == 0
    assert [failure["location"][:26] for failure in failures] == ["s3://churn-results/failed/"] * 2
    assert {failure["reason"] for failure in failures} == {"ModelError: cannot score this"}
    assert failures[0]["last_modified"] >= failures[1]["last_modified"]
    run(sim, "status", deployed)
    out = capsys.readouterr().out
    assert "failures      2 recent:\n" in out
    assert "    ModelError: cannot score this\n" in out


def test_invoke_refuses_a_missing_input_before_any_call(
    sim: SageMakerSimulator, deployed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    sim.calls.clear()

    status = run(sim, "invoke", deployed, "--input", tmp_path / "nope.txt")

    assert status == 2
    assert capsys.readouterr().err == f"error: --input: no such file: {tmp_path / 'nope.txt'}\n"
    assert sim.calls == {}


def test_teardown_without_yes_and_no_terminal_deletes_nothing(
    sim: SageMakerSimulator, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = mutating(sim)
    capsys.readouterr()

    status = run(sim, "teardown", deployed)

    assert status == 2
    assert mutating(sim) == before
    assert capsys.readouterr().err == (
        "deleted nothing: confirm with --yes to delete endpoint churn, its autoscaling, "
        "endpoint configs and models\n"
    )


def test_teardown_deletes_everything_and_can_run_again(
    sim: SageMakerSimulator, deployed: Path
) -> None:
    first = run(sim, "teardown", deployed, "--yes")
    second = run(sim, "teardown", deployed, "--yes")

    assert (first, second) == (0, 0)
    assert sim.resource_counts() == {"models": 0, "endpoint_configs": 0, "endpoints": 0}
    assert sim.async_client().describe_autoscaling("churn") is None
