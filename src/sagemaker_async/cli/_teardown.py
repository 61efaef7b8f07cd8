"""``teardown``: delete a file's endpoint, its scaling, configs and models."""

from __future__ import annotations

import argparse
import contextlib
import sys

from ._console import EXIT_OK, EXIT_USAGE, Console
from ._context import Context


def run_teardown(args: argparse.Namespace, console: Console) -> int:
    """Delete everything ``apply`` made for the file; safe to run again."""
    from sagemaker_async.deployment import desired
    from sagemaker_async.errors import ResourceNotFoundError

    context = Context.open(args)
    deployment = context.deployment
    name = deployment.endpoint_name
    if not args.yes and not _confirmed(name):
        console.note(
            f"deleted nothing: confirm with --yes to delete endpoint {name}, its "
            "autoscaling, endpoint configs and models"
        )
        return EXIT_USAGE
    wanted = desired(deployment.model, deployment.config, name, deployment.scaling)
    context.client.teardown(name, config_names=(wanted.config.name,))
    with contextlib.suppress(ResourceNotFoundError):
        context.client.delete_model(wanted.model.name)
    console.say(f"Deleted endpoint {name} and what it used (whatever was left of it).")
    return EXIT_OK


def _confirmed(name: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"Delete endpoint {name}, its autoscaling, configs and models? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}
