"""``plan`` and ``apply``: bring an endpoint to what its deployment file says."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._console import EXIT_OK, Console
from ._context import Context

if TYPE_CHECKING:
    from sagemaker_async.deployment import Plan


def run_plan(args: argparse.Namespace, console: Console) -> int:
    """Print what ``apply`` would do; call nothing that changes anything."""
    context = Context.open(args)
    planned = _plan(context)
    where = f"endpoint {planned.desired.endpoint_name} ({context.deployment.region})"
    if not planned.changes:
        console.say(f"No changes: {where} is up to date.")
        return EXIT_OK
    console.say(f"Plan for {where}:")
    for change in planned.changes:
        console.say(f"  {change}")
    count = len(planned.changes)
    console.say(
        f"{count} change{'s' if count != 1 else ''}. "
        f"Run `sagemaker-async apply {args.file}` to make {'them' if count != 1 else 'it'}."
    )
    return EXIT_OK


def run_apply(args: argparse.Namespace, console: Console) -> int:
    """Make the plan's changes, waiting for the endpoint; undo them if one fails."""
    from sagemaker_async.deployment import apply

    context = Context.open(args)
    planned = _plan(context)
    name = planned.desired.endpoint_name
    if not planned.changes:
        console.say(
            f"No changes: endpoint {name} is up to date (nothing created, updated or deleted)."
        )
        return EXIT_OK
    done = apply(
        context.client.services,
        planned,
        timeout=args.timeout,
        on_change=lambda change: console.say(f"  done: {change}"),
    )
    console.say(f"Applied {len(done)} change{'s' if len(done) != 1 else ''} to endpoint {name}.")
    return EXIT_OK


def _plan(context: Context) -> Plan:
    from sagemaker_async.deployment import desired, plan

    deployment = context.deployment
    wanted = desired(
        deployment.model, deployment.config, deployment.endpoint_name, deployment.scaling
    )
    return plan(context.client.services, wanted)
