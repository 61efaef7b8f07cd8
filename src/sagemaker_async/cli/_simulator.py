"""``sagemaker-async simulator``: the SageMaker simulator as a server, until interrupted."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import cast

from ._console import EXIT_FAILED, EXIT_OK, BadInput, Console

DEFAULT_REGION = "us-east-1"
MODELS = ("echo", "churn")
DEFAULT_LATENCY = 0.05
"""The simulator's own default (sagemaker_async.testing.DEFAULT_LATENCY), without importing moto."""
MAX_LATENCY = 3600.0
"""InvocationTimeoutSeconds' maximum: no request runs longer."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's options."""
    parser.add_argument(
        "--port", type=int, default=0, help="the port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument(
        "--region", default=DEFAULT_REGION, help=f"its default Region (default {DEFAULT_REGION})"
    )
    parser.add_argument(
        "--bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="create this S3 bucket at start (repeatable)",
    )
    served = parser.add_mutually_exclusive_group()
    served.add_argument(
        "--model",
        choices=MODELS,
        default="echo",
        help="what every endpoint serves: echo its input, or churn, the demo's logistic "
        "regression of 'tenure,monthly charges,support calls,contract years' "
        "(default: echo)",
    )
    served.add_argument(
        "--handler",
        metavar="MODULE:FUNCTION",
        help="serve your own model: function(body: bytes, content_type: str | None) -> bytes, "
        "an exception being a failed inference",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=DEFAULT_LATENCY,
        metavar="SECONDS",
        help=f"how long each request runs once an instance takes it (default {DEFAULT_LATENCY:g})",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    """Start the simulator, print its URL (flushed), serve until interrupted."""
    port: int = args.port
    if not 0 <= port <= 65535:
        raise BadInput(f"--port must be from 0 to 65535, got {port}")
    if not 0 <= args.latency <= MAX_LATENCY:  # nan fails too
        raise BadInput(
            f"--latency must be from 0 to {MAX_LATENCY:g} seconds (a model's longest), "
            f"got {args.latency}"
        )
    if port:
        _check_free(port)
    from sagemaker_async.testing import SageMakerSimulator
    from sagemaker_async.testing._transport import serve_on

    handler = _handler(args.handler, args.model)
    url = serve_on(port)
    simulator = SageMakerSimulator(
        transport="server", region=args.region, handler=handler, latency=args.latency
    )
    stop = threading.Event()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    with simulator:
        s3 = simulator.client("s3")
        for bucket in args.bucket:
            if args.region == "us-east-1":
                s3.create_bucket(Bucket=bucket)
            else:
                s3.create_bucket(
                    Bucket=bucket,
                    CreateBucketConfiguration={"LocationConstraint": args.region},
                )
        console.say(url)
        serves = args.handler or f"the {args.model} model"
        console.note(
            f"SageMaker simulator (account {simulator.account_id}, region {args.region}) on "
            f"{url}; every endpoint serves {serves}. Pass --endpoint-url {url} to the other "
            f"commands; for boto3 and Python, export AWS_ENDPOINT_URL={url} "
            f"AWS_DEFAULT_REGION={args.region} AWS_ACCESS_KEY_ID=testing "
            "AWS_SECRET_ACCESS_KEY=testing. Ctrl-C stops it."
        )
        stop.wait()
    return EXIT_OK if stop.is_set() else EXIT_FAILED


def _check_free(port: int) -> None:
    try:
        with socket.create_server(("127.0.0.1", port)):
            pass
    except OSError as error:
        raise BadInput(f"--port {port}: cannot listen on 127.0.0.1:{port} ({error})") from None


Handler = Callable[[bytes, "str | None"], bytes]


def _handler(spec: str | None, model: str) -> Handler:
    """The model every endpoint serves: ``--handler MODULE:FUNCTION``, else ``--model``."""
    if spec is None:
        from sagemaker_async.cli.demo._model import handler as churn
        from sagemaker_async.testing._handler import echo

        return churn if model == "churn" else echo
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise BadInput(f"--handler must be MODULE:FUNCTION, got {spec!r}")
    # As uvicorn and gunicorn do: a module beside the user is found, also from the script.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise BadInput(f"--handler {spec}: cannot import {module_name} ({error})") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise BadInput(f"--handler {spec}: {module_name} has no function {function_name}")
    return cast(Handler, function)
