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


def test_demo_refuses_a_negative_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--timeout", "-3"])

    assert status == 2
    assert capsys.readouterr().err == (
        "sagemaker-async demo: --timeout must be a positive number of seconds, got -3.0\n"
    )


def test_apply_refuses_a_negative_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["apply", "deploy.toml", "--timeout", "-3"])

    assert exited.value.code == 2
    assert "expected a positive number of seconds, got -3" in capsys.readouterr().err
