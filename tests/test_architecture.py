"""The shape of the package: no import cycle anywhere, modules small, the facade thin.

The layers themselves are checked by import-linter (``nox -s lint``); these
tests hold what a layers contract cannot: a cycle inside one room, or one hidden
in a function body or under ``TYPE_CHECKING`` (grimp reads every import).
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

import sagemaker_async

PACKAGE = Path(sagemaker_async.__file__).parent
MODULE_LIMIT = 500
FACADE_LIMIT = 400


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("sagemaker_async", cache_dir=None)


def test_there_is_no_import_cycle(graph: grimp.ImportGraph) -> None:
    expected: list[list[str]] = []
    assert expected == import_cycles(graph)


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")

    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_imports_in_function_bodies_count(graph: grimp.ImportGraph) -> None:
    # The command line imports the demo inside a function, to start fast.
    assert "sagemaker_async.cli.demo" in graph.find_modules_directly_imported_by(
        "sagemaker_async.cli._main"
    )


def test_no_module_is_over_the_limit() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in PACKAGE.rglob("*.py")
    }

    expected: dict[str, int] = {}
    assert expected == {name: size for name, size in sizes.items() if size > MODULE_LIMIT}


def test_the_client_is_a_thin_facade() -> None:
    size = len((PACKAGE / "_client.py").read_text().splitlines())

    assert size <= FACADE_LIMIT
