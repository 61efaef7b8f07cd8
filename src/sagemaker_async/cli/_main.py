"""The command line: ``python -m sagemaker_async <command>``, also installed as ``sagemaker-async``.

Commands: ``demo`` (the whole lifecycle on the simulator, or on AWS), ``iam``
(the policies of a deployment file), ``plan``, ``apply``, ``status``,
``invoke`` and ``teardown`` (an endpoint operated from its file), and
``simulator`` (the simulator as a server).

Each command is a subparser whose ``run`` default takes the parsed arguments
and returns the exit status. Bad input exits with status 2 and says what is
wrong on stderr, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sagemaker_async.errors import ValidationError

from ._console import quiet_broken_pipe

EXIT_OK = 0
EXIT_USAGE = 2


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog=prog or "sagemaker-async",
        description="Tools for Amazon SageMaker Asynchronous Inference endpoints.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(metavar="command", required=True)
    _configure_demo(
        commands.add_parser(
            "demo",
            help="deploy, update, invoke, await and tear down an endpoint, step by step",
            description=(
                "Run the whole lifecycle of an asynchronous endpoint, one line per step: "
                "by default on the SageMaker simulator (a moto server on 127.0.0.1, "
                "nothing leaves this machine; needs the `testing` extra), or against AWS "
                "or LocalStack with --role-arn, --image and --bucket."
            ),
        )
    )
    _configure_iam(
        commands.add_parser(
            "iam",
            help="print the IAM policies of a deployment as JSON",
            description=(
                "Print, as one JSON object, the trust policy and the permissions of the "
                "execution role and the permissions of the caller, for the deployment a "
                "TOML or JSON file describes (see docs/iam.md)."
            ),
        )
    )
    from ._operate import add_commands

    add_commands(commands)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sagemaker-async")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the command *argv* names (``sys.argv[1:]`` by default); return the exit status."""
    args, unknown = build_parser(prog).parse_known_args(argv)
    if unknown:
        # Reported by the command's own parser, so that the usage shown is the command's.
        command: argparse.ArgumentParser = args.parser
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    run: Callable[[argparse.Namespace], int] = args.run
    return quiet_broken_pipe(lambda: run(args))


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    from . import demo as _demo

    _demo.add_arguments(parser)
    parser.set_defaults(run=_run_demo, parser=parser)


def _run_demo(args: argparse.Namespace) -> int:
    from . import demo as _demo

    return _demo.run(args)


def _configure_iam(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="the deployment: a .toml file (or .json) as in docs/iam.md"
    )
    parser.set_defaults(run=_run_iam, parser=parser)


def _run_iam(args: argparse.Namespace) -> int:
    # Imported here so that `--help` and other commands do not pay for them.
    from . import _deployment_file
    from ._policies import policies_of

    path: Path = args.file
    try:
        deployment = _deployment_file.load(path)
        policies = policies_of(deployment)
    except ValidationError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return EXIT_USAGE
    output = {name: document.to_dict() for name, document in policies.items()}
    print(json.dumps(output, indent=2))
    return EXIT_OK
