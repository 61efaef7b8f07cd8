"""``invoke``: send files to the endpoint, write each result or failure next to its name."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ._console import EXIT_FAILED, EXIT_OK, BadInput, Console
from ._context import Context

if TYPE_CHECKING:
    from sagemaker_async import AsyncInvocation


def run_invoke(args: argparse.Namespace, console: Console) -> int:
    """Submit every input with ``invoke_many``; write ``<name>.out`` or ``<name>.error``."""
    import sagemaker_async as sa

    inputs: list[Path] = args.input
    output: Path = args.output
    names = [path.name for path in inputs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise BadInput(
            f"--input: several inputs are called {', '.join(repeated)}; their results "
            "would overwrite each other in --output"
        )
    missing = [str(path) for path in inputs if not path.is_file()]
    if missing:
        raise BadInput(f"--input: no such file: {', '.join(missing)}")
    context = Context.open(args)
    bodies = [path.read_bytes() for path in inputs]
    output.mkdir(parents=True, exist_ok=True)
    endpoint = context.deployment.endpoint_name
    failed: dict[str, str] = {}
    invocations: dict[AsyncInvocation, str] = {}
    submitted: tuple[AsyncInvocation | None, ...]
    try:
        submitted = context.client.invoke_many(endpoint, bodies, concurrency=args.concurrency)
    except sa.SubmissionError as error:
        for index, problem in error.failures.items():
            failed[names[index]] = _write_error(output, names[index], str(problem))
        submitted = error.invocations
    for name, invocation in zip(names, submitted, strict=True):
        if invocation is not None:
            invocations[invocation] = name
    progress = _progress(console) if console.interactive else None
    try:
        for invocation in sa.as_completed(invocations, timeout=args.timeout, progress=progress):
            name = invocations[invocation]
            try:
                (output / f"{name}.out").write_bytes(invocation.result())
            except sa.InferenceFailedError as failure:
                failed[name] = _write_error(output, name, str(failure))
    except sa.InferenceTimeoutError as error:
        pending = set(error.pending)
        for invocation, name in invocations.items():
            if invocation.inference_id in pending:
                failed[name] = _write_error(output, name, str(error))
    if progress is not None:
        console.note("")
    done = len(inputs) - len(failed)
    console.say(f"{done} of {len(inputs)} results written to {output}")
    for name in names:
        if name in failed:
            console.note(f"failed: {name} (see {failed[name]})")
    return EXIT_FAILED if failed else EXIT_OK


def _write_error(output: Path, name: str, text: str) -> str:
    path = output / f"{name}.error"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def _progress(console: Console) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        console.err.write(f"\r{done}/{total} results")
        console.err.flush()

    return show
