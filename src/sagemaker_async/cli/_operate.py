"""The commands that operate an endpoint from its file, and the simulator to try them on.

Each runs under :func:`guarded`: bad input exits 2 with one message, AWS
refusing or failing exits 1, and neither prints a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sagemaker_async.models._arguments import MAX_TIMEOUT

from ._aws import add_aws_options
from ._console import EXIT_FAILED, EXIT_USAGE, BadInput, Console, quiet_broken_pipe

Command = Callable[[argparse.Namespace, Console], int]

DEFAULT_TIMEOUT = 1800.0


def add_commands(commands: Any) -> None:
    """Add plan, apply, status, invoke, teardown and simulator to the subparsers."""
    from . import _deploying, _doctor, _invoking, _simulator, _status, _teardown

    plan = _file_command(
        commands,
        "plan",
        _deploying.run_plan,
        "show what apply would create, update or delete (changes nothing)",
    )
    del plan
    apply = _file_command(
        commands,
        "apply",
        _deploying.run_apply,
        "create or update the endpoint, its configs, models and scaling, and wait",
    )
    apply.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the endpoint (default {DEFAULT_TIMEOUT:g})",
    )
    status = _file_command(
        commands, "status", _status.run_status, "the endpoint, its scaling and backlog"
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    invoke = _file_command(
        commands, "invoke", _invoking.run_invoke, "send files to the endpoint, save the results"
    )
    invoke.add_argument(
        "--input", type=Path, nargs="+", required=True, metavar="PATH", help="files to send"
    )
    invoke.add_argument(
        "--output",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="where <input name>.out and .error go (default: here)",
    )
    invoke.add_argument(
        "--concurrency", type=int, default=16, help="submissions at once (default 16)"
    )
    invoke.add_argument(
        "--timeout",
        type=_seconds,
        default=900.0,
        help="seconds to wait for the results (default 900)",
    )
    teardown = _file_command(
        commands,
        "teardown",
        _teardown.run_teardown,
        "delete the endpoint, its scaling, configs and models",
    )
    teardown.add_argument("--yes", action="store_true", help="delete without asking")
    doctor = commands.add_parser(
        "doctor",
        help="check credentials, Region, versions, buckets and the role, with remedies",
        description="Check, with read-only calls, what a deployment needs; a remedy per problem.",
    )
    doctor.add_argument("file", type=Path, nargs="?", help="the deployment file (optional)")
    add_aws_options(doctor)
    doctor.set_defaults(run=_runner(_doctor.run_doctor), parser=doctor)
    simulator = commands.add_parser(
        "simulator",
        help="run the SageMaker simulator on 127.0.0.1 until interrupted",
        description=(
            "Serve the SageMaker simulator (moto with SageMaker's lifecycle, capacity and "
            "results; every model echoes its input) on 127.0.0.1, print its URL, and serve "
            "until interrupted. Needs the `testing` extra."
        ),
    )
    _simulator.add_arguments(simulator)
    simulator.set_defaults(run=_runner(_simulator.run), parser=simulator)


def _file_command(commands: Any, name: str, run: Command, summary: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=summary)
    parser.add_argument("file", type=Path, help="the deployment file (.toml or .json)")
    add_aws_options(parser)
    parser.set_defaults(run=_runner(run), parser=parser)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 < value <= MAX_TIMEOUT:  # nan and inf fail too
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0, at most {MAX_TIMEOUT:g} (a week), got {text}"
        )
    return value


def _runner(run: Command) -> Callable[[argparse.Namespace], int]:
    def runner(args: argparse.Namespace) -> int:
        return guarded(run, args, Console())

    return runner


def guarded(run: Command, args: argparse.Namespace, console: Console) -> int:
    """Run a command; turn what it raises into a message and an exit status."""
    from botocore.exceptions import BotoCoreError

    from sagemaker_async.errors import SageMakerAsyncError, ValidationError

    def attempt() -> int:
        try:
            return run(args, console)
        except BadInput as error:
            console.note(f"error: {error}")
            return EXIT_USAGE
        except ValidationError as error:
            console.note(f"error: {error}")
            return EXIT_USAGE
        except (SageMakerAsyncError, BotoCoreError) as error:
            console.note(f"failed: {error}")
            return EXIT_FAILED
        except KeyboardInterrupt:
            console.note("interrupted")
            return EXIT_FAILED

    return quiet_broken_pipe(attempt)
