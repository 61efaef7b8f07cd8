"""``python -m sagemaker_async demo``: the whole lifecycle on the simulator over HTTP.

The demo runs once per module in a subprocess, as a user runs it (stdout is a
pipe, so no live counter); the tests read what it printed. Bad input is tested
in-process where no simulator starts, and in subprocesses where the exit itself
is the behaviour.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sagemaker_async import cli as _cli
from sagemaker_async.cli.demo import _model as _demo_model
from sagemaker_async.cli.demo._plan import build_plan
from sagemaker_async.cli.demo._report import DemoFailure, Reporter, StepFailed
from sagemaker_async.cli.demo._resources import create_notifications, leftovers
from sagemaker_async.cli.demo._target import Settings, Target
from sagemaker_async.testing import simulated_sagemaker

STEPS = [
    "start the simulator (a moto server)",
    "create bucket sagemaker-async-demo",
    "create SNS topics churn-demo-success and churn-demo-errors, "
    "and SQS queue churn-demo-results subscribed to both",
    "create model churn-demo",
    "create endpoint configs churn-demo-v1 and churn-demo-v2 (failure path, topics)",
    "create endpoint churn-demo on churn-demo-v1",
    "update endpoint churn-demo to churn-demo-v2",
    "invoke 25 requests asynchronously",
    "await 25 results by polling S3 (as_completed)",
    "invoke 25 requests asynchronously, 1 of them malformed",
    "await 25 results by SNS notifications (NotificationQueue)",
    "the IAM policies of this deployment (sagemaker_async.iam)",
    "tear down the endpoint, its configs and model, topics, queue, objects",
    "check that nothing the demo created is left",
    "scale to zero on a simulated clock",
    "a burst of 60 requests (4 at a time per instance)",
    "idle",
    "one request wakes it",
    "an inference router over us-east-1 and us-west-2",
    "a burst of 20 requests through the router",
    "the same burst on the us-east-1 endpoint alone",
]
STEP_LINE = re.compile(r"^ *\d+\.\d\d s  (?P<title>[^:]+?)(?:: (?P<summary>.*))?$")


def clean_env() -> dict[str, str]:
    """The environment without AWS settings: the demo must need none of them."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env=clean_env()
    )


class Run:
    def __init__(self, process: subprocess.CompletedProcess[str], seconds: float) -> None:
        self.process = process
        self.seconds = seconds
        self.steps = {
            match["title"]: match["summary"]
            for match in map(STEP_LINE.match, process.stdout.splitlines())
            if match
        }


@pytest.fixture(scope="module")
def demo() -> Run:
    start = time.perf_counter()
    process = run_python("-m", "sagemaker_async", "demo")
    return Run(process, time.perf_counter() - start)


# -- the demo on the simulator -----------------------------------------------------------


def test_the_demo_exits_0_with_nothing_on_stderr(demo: Run) -> None:
    assert (demo.process.returncode, demo.process.stderr) == (0, "")


def test_the_demo_prints_one_line_with_its_duration_per_step_in_order(demo: Run) -> None:
    assert list(demo.steps) == STEPS


def test_the_demo_shows_each_endpoint_status_it_waited_through(demo: Run) -> None:
    assert (
        demo.steps["create endpoint churn-demo on churn-demo-v1"],
        demo.steps["update endpoint churn-demo to churn-demo-v2"],
    ) == ("Creating -> InService", "Updating -> InService")


def test_the_demo_scales_out_to_zero_and_wakes_up(demo: Run) -> None:
    burst = demo.steps["a burst of 60 requests (4 at a time per instance)"] or ""
    idle = demo.steps["idle"] or ""
    wake = demo.steps["one request wakes it"] or ""

    assert (burst.startswith("1 -> 4 instances"), "4 -> 0 instances" in idle, wake[:16]) == (
        True,
        True,
        "0 -> 1 instance,",
    )


def test_the_demo_routes_a_burst_over_two_regions_faster_than_one_endpoint(demo: Run) -> None:
    routed = demo.steps["a burst of 20 requests through the router"] or ""
    alone = demo.steps["the same burst on the us-east-1 endpoint alone"] or ""
    minutes = [re.fullmatch(r"all 20 results in (\d+) min", each) for each in (routed, alone)]

    assert all(minutes), (routed, alone)
    routed_minutes, alone_minutes = (int(match[1]) for match in minutes if match)
    assert (alone_minutes, routed_minutes < alone_minutes) == (20, True)


def test_the_demo_awaits_by_polling_and_by_notifications(demo: Run) -> None:
    assert (
        demo.steps["await 25 results by polling S3 (as_completed)"],
        demo.steps["await 25 results by SNS notifications (NotificationQueue)"],
    ) == ("25 scored, 0 failed", "24 scored, 1 failed")


def test_the_demo_shows_the_malformed_request_failing_with_the_models_message(
    demo: Run,
) -> None:
    expected = (
        "failed '24,79.90,two,1': ModelError: support_calls: expected a number, received 'two'"
    )
    assert expected in [line.strip() for line in demo.process.stdout.splitlines()]


def test_the_demo_prints_the_generated_iam_policies(demo: Run) -> None:
    lines = [line.strip() for line in demo.process.stdout.splitlines()]
    assert [line for line in lines if line.endswith("policy:")] == [
        "execution role trust policy:",
        "execution role policy:",
        "caller policy:",
    ]


def test_the_demo_tears_down_everything_it_created(demo: Run) -> None:
    assert demo.steps["check that nothing the demo created is left"] == "nothing left"


def test_the_demo_writes_no_carriage_return_when_stdout_is_not_a_terminal(demo: Run) -> None:
    assert "\r" not in demo.process.stdout


# -- a step that fails ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failed_demo() -> Run:
    # The simulated endpoint takes 0.8 s to create: a 0.3 s timeout fails that step.
    start = time.perf_counter()
    process = run_python("-m", "sagemaker_async", "demo", "--timeout", "0.3")
    return Run(process, time.perf_counter() - start)


def test_a_failing_step_is_named_in_one_line_on_stderr_and_the_demo_exits_1(
    failed_demo: Run,
) -> None:
    expected = re.escape(
        "sagemaker-async demo: 'create endpoint churn-demo on churn-demo-v1' failed: "
        "WaiterTimeoutError: Endpoint 'churn-demo' was still Creating after 0.0 s. Increase "
        "`timeout`, or pass `wait=False` and call `wait_for_endpoint` later."
    ).replace(r"0\.0", r"\d+\.\d")
    lines = failed_demo.process.stderr.splitlines()

    assert (failed_demo.process.returncode, len(lines)) == (1, 1)
    assert re.fullmatch(expected, lines[0]), lines[0]


def test_after_a_failing_step_the_demo_still_tears_down_everything(failed_demo: Run) -> None:
    last_two = [(title, failed_demo.steps[title]) for title in list(failed_demo.steps)[-2:]]

    assert last_two == [
        ("tear down the endpoint, its configs and model, topics, queue, objects", None),
        ("check that nothing the demo created is left", "nothing left"),
    ]


# -- the teardown check can fail -----------------------------------------------------------


def test_leftovers_names_what_the_demo_created_and_did_not_delete() -> None:
    settings = Settings()
    with simulated_sagemaker() as sim:
        target = Target(
            description="test",
            session=None,
            region=sim.region,
            partition="aws",
            account=sim.account_id,
            bucket="sagemaker-async-demo",
            role_arn=f"arn:aws:iam::{sim.account_id}:role/demo",
            image=f"{sim.account_id}.dkr.ecr.us-east-1.amazonaws.com/demo:1",
            model_data_url=None,
            simulator=sim,
        )
        plan = build_plan(settings, target)
        target.s3.create_bucket(Bucket=target.bucket)
        create_notifications(target, plan)
        sim.async_client().create_model(plan.model)

        found = leftovers(target, plan)

    assert [
        "model churn-demo",
        f"topic {plan.success_topic}",
        f"topic {plan.error_topic}",
        "queue churn-demo-results",
        "bucket sagemaker-async-demo",
    ] == found


# -- bad input -------------------------------------------------------------------------------


def test_an_unknown_command_prints_usage_and_exits_2() -> None:
    process = run_python("-m", "sagemaker_async", "deploy")

    assert (
        process.returncode,
        process.stderr.splitlines()[0],
    ) == (2, "usage: python -m sagemaker_async [-h] [--version] command ...")


def test_an_unknown_flag_prints_the_commands_usage_and_exits_2() -> None:
    process = run_python("-m", "sagemaker_async", "demo", "--fast")

    assert (
        process.returncode,
        process.stderr[: len("usage: python -m sagemaker_async demo")],
        process.stderr.strip().rpartition(": error: ")[2],
    ) == (2, "usage: python -m sagemaker_async demo", "unrecognized arguments: --fast")


def test_no_command_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _cli.main([])

    assert (
        exited.value.code,
        capsys.readouterr().err.splitlines()[0],
    ) == (2, "usage: sagemaker-async [-h] [--version] command ...")


def test_the_console_script_runs_the_same_commands() -> None:
    script = shutil.which("sagemaker-async", path=str(Path(sys.executable).parent))
    assert script is not None, "the sagemaker-async script is not installed next to python"

    process = subprocess.run(
        [script, "demo", "--fast"], capture_output=True, text=True, timeout=60, env=clean_env()
    )

    assert (
        process.returncode,
        process.stderr[: len("usage: sagemaker-async demo")],
    ) == (2, "usage: sagemaker-async demo")


def test_aws_names_without_the_others_exit_2_naming_the_missing_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = _cli.main(["demo", "--role-arn", "arn:aws:iam::123456789012:role/demo"])

    assert (status, capsys.readouterr().err) == (
        2,
        "sagemaker-async demo: to run against AWS or LocalStack, also give --image, --bucket "
        "(or none of --endpoint-url, --role-arn, --image, --bucket for the simulator)\n",
    )


def test_an_invalid_name_exits_2_before_anything_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = _cli.main(["demo", "--name", "churn_demo"])

    err = capsys.readouterr().err
    assert (
        status,
        err.splitlines()[0],
        err[err.index("received") :].split(" (")[0],
    ) == (2, "sagemaker-async demo: 1 problem with Model:", "received 'churn_demo'")


def test_an_unknown_region_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status = _cli.main(["demo", "--region", "mars-1"])

    assert (
        status,
        capsys.readouterr().err,
    ) == (
        2,
        "sagemaker-async demo: --region: no AWS partition has a region called 'mars-1'\n",
    )


def test_without_moto_the_demo_says_which_extra_to_install_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "moto", None)  # as if the extra were not installed

    status = _cli.main(["demo"])

    assert (status, capsys.readouterr().err) == (
        1,
        "sagemaker-async demo: the simulator cannot run: The SageMaker simulator needs moto: "
        "pip install 'sagemaker-async[testing]'\n",
    )


def test_a_demo_that_cannot_bind_a_port_says_so_and_exits_1() -> None:
    refuse_every_bind = textwrap.dedent(
        """
        import socket, sys
        def refuse(self, address):
            raise OSError(99, "Cannot assign requested address")
        socket.socket.bind = refuse
        from sagemaker_async.cli import main
        sys.exit(main(["demo"]))
        """
    )

    process = run_python("-c", refuse_every_bind)

    message = (
        "sagemaker-async demo: 'start the simulator (a moto server)' failed: "
        "cannot bind a port on 127.0.0.1 for the simulator's server ("
    )
    assert (1, [message]) == (
        process.returncode,
        [line[: len(message)] for line in process.stderr.splitlines()],
    )


# -- the model ---------------------------------------------------------------------------------


def test_the_model_scores_each_csv_line_by_logistic_regression() -> None:
    # z = -1.5 - 0.06 * 10 + 0.035 * 50 + 0.55 * 2 - 0.8 * 1 = -0.05
    assert _demo_model.handler(b"10,50,2,1\n0,0,0,0\n", "text/csv") == b"0.4875\n0.1824\n"


def test_the_model_refuses_a_feature_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match=r"^support_calls: expected a number, received 'two'$"):
        _demo_model.handler(_demo_model.MALFORMED_ROW.encode(), "text/csv")


def test_the_model_refuses_a_line_with_too_few_features() -> None:
    with pytest.raises(ValueError, match=r"^expected 4 comma-separated numbers, received '1,2'$"):
        _demo_model.handler(b"1,2", "text/csv")


# -- what the demo prints ------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_step_prints_its_duration_title_and_summary() -> None:
    out = io.StringIO()
    ticks = iter([10.0, 11.25])
    reporter = Reporter(out, clock=lambda: next(ticks))

    with reporter.step("create model churn") as step:
        step.summary = "done"

    assert out.getvalue() == "  1.25 s  create model churn: done\n"


def test_a_counter_rewrites_one_line_on_a_terminal_and_the_step_line_replaces_it() -> None:
    out = Terminal()
    reporter = Reporter(out, clock=lambda: 0.0)

    with reporter.step("await"):
        reporter.count(1, 2)
        reporter.count(2, 2)

    assert out.getvalue() == (
        "\r\x1b[2K     ...  await: 1/2 results"
        "\r\x1b[2K     ...  await: 2/2 results"
        "\r\x1b[2K  0.00 s  await\n"
    )


def test_a_counter_prints_nothing_when_not_on_a_terminal() -> None:
    out = io.StringIO()
    reporter = Reporter(out, clock=lambda: 0.0)

    with reporter.step("await"):
        reporter.count(1, 2)

    assert out.getvalue() == "  0.00 s  await\n"


def test_progress_is_a_plain_indented_line_when_not_on_a_terminal() -> None:
    out = io.StringIO()
    reporter = Reporter(out, clock=lambda: 0.0)

    with reporter.step("create endpoint churn"):
        reporter.progress("Creating after 0.0 s")

    assert out.getvalue() == "          Creating after 0.0 s\n  0.00 s  create endpoint churn\n"


def test_a_failing_step_raises_one_line_naming_the_step_and_the_error() -> None:
    reporter = Reporter(io.StringIO())

    with pytest.raises(StepFailed) as failed, reporter.step("update endpoint churn"):
        raise TimeoutError("still Updating\nafter 30 s")

    assert (
        str(failed.value)
        == "'update endpoint churn' failed: TimeoutError: still Updating after 30 s"
    )


def test_a_failure_the_demo_detects_is_shown_without_its_type() -> None:
    reporter = Reporter(io.StringIO())

    with pytest.raises(StepFailed) as failed, reporter.step("check"):
        raise DemoFailure("still there: model churn")

    assert str(failed.value) == "'check' failed: still there: model churn"
