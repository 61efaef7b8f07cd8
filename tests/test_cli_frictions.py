"""The command line's manners: closed pipes, bad numbers, one report of every problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sagemaker_async.cli import main
from test_cli_deploying import FILE


def test_a_closed_pipe_ends_the_command_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deploy.toml"
    path.write_text(FILE, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "sagemaker_async", "iam", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # as `| head` does once it has read enough

    stderr = process.stderr.read().decode()
    process.wait(timeout=60)

    assert "Traceback" not in stderr
    assert stderr == ""


@pytest.mark.parametrize("timeout", ["-3", "0", "nan", "inf", "1e9"])
def test_demo_refuses_a_timeout_that_is_not_a_positive_number_up_to_a_week(
    timeout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["demo", "--timeout", timeout])

    assert status == 2
    assert capsys.readouterr().err == (
        "sagemaker-async demo: --timeout must be a number of seconds above 0, at most 604800 "
        f"(a week), got {float(timeout)}\n"
    )


@pytest.mark.parametrize("command", ["apply", "invoke"])
@pytest.mark.parametrize("timeout", ["-3", "nan", "inf", "1e9"])
def test_operating_commands_refuse_a_timeout_outside_a_week(
    command: str, timeout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = ["--input", "x"] if command == "invoke" else []

    with pytest.raises(SystemExit) as exited:
        main([command, "deploy.toml", *inputs, "--timeout", timeout])

    assert exited.value.code == 2
    assert f"at most 604800 (a week), got {timeout}" in capsys.readouterr().err


def test_every_field_outside_the_region_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = (
        FILE.replace("arn:aws:iam::", "arn:aws-cn:iam::")
        .replace("ecr.us-east-1", "ecr.eu-west-1")
        .replace(
            'failure_path = "s3://churn-results/failed"',
            'failure_path = "s3://churn-results/failed"\n'
            'kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/k"\n'
            "[config.async_inference.notification]\n"
            'success_topic = "arn:aws:sns:eu-west-1:123456789012:done"',
        )
    )
    path = tmp_path / "deploy.toml"
    path.write_text(mixed, encoding="utf-8")

    status = main(["plan", str(path), "--endpoint-url", "http://127.0.0.1:9"])

    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: 4 problems with deployment file {path}:\n")
    for field in (
        "model.execution_role_arn: expected a role in partition aws",
        "model.container.image: expected an ECR image in region us-east-1",
        "config.async_inference.kms_key_id: expected an ARN in region us-east-1",
        "config.async_inference.notification.success_topic: expected an ARN in region us-east-1",
    ):
        assert field in err
