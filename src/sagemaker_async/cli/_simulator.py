"""``sagemaker-async simulator``: the SageMaker simulator as a server, until interrupted."""

from __future__ import annotations

import argparse
import signal
import socket
import threading
from types import FrameType

from ._console import EXIT_FAILED, EXIT_OK, BadInput, Console

DEFAULT_REGION = "us-east-1"


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


def run(args: argparse.Namespace, console: Console) -> int:
    """Start the simulator, print its URL (flushed), serve until interrupted."""
    port: int = args.port
    if not 0 <= port <= 65535:
        raise BadInput(f"--port must be from 0 to 65535, got {port}")
    if port:
        _check_free(port)
    from sagemaker_async.testing import SageMakerSimulator
    from sagemaker_async.testing._transport import serve_on

    url = serve_on(port)
    simulator = SageMakerSimulator(transport="server", region=args.region)
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
        console.note(
            f"SageMaker simulator (account {simulator.account_id}, region {args.region}) on "
            f"{url}; every model echoes its input. Pass --endpoint-url {url} to the other "
            "commands; Ctrl-C stops it."
        )
        stop.wait()
    return EXIT_OK if stop.is_set() else EXIT_FAILED


def _check_free(port: int) -> None:
    try:
        with socket.create_server(("127.0.0.1", port)):
            pass
    except OSError as error:
        raise BadInput(f"--port {port}: cannot listen on 127.0.0.1:{port} ({error})") from None
