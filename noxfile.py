"""Developer tasks: `nox` runs lint, types, tests and docs; `nox -s bench` the benchmarks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox

# nox.project.dependency_groups came with 2025.02.09; it reads the groups itself, so
# the sessions work with a pip that knows no `--group`.
nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "mypy", "pyright", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"
PYPROJECT = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text("utf-8"))


def group(name: str) -> tuple[str, ...]:
    """The requirements of the dependency group *name* of pyproject.toml."""
    return nox.project.dependency_groups(PYPROJECT, name)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff: lint and format check; import-linter's contracts once pyproject.toml has some."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    if "importlinter" in PYPROJECT.get("tool", {}):
        # import-linter finds the package through the environment's import path.
        session.install("-e", ".")
        session.run("lint-imports")


@nox.session(python=PYTHON)
def mypy(session: nox.Session) -> None:
    """mypy --strict on src/ and typing_tests/."""
    session.install("-e", ".[testing]", *group("typing"))
    session.run("mypy", "--strict", "src", "typing_tests")


@nox.session(python=PYTHON)
def pyright(session: nox.Session) -> None:
    """pyright (strict) on src/ and typing_tests/."""
    session.install("-e", ".[testing]", *group("typing"))
    session.run("pyright", "src", "typing_tests")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, against in-process moto and a moto server on 127.0.0.1.

    On every core (`nox -s tests -- -n 0` runs it in this process).
    """
    session.install("-e", ".[testing]", *group("test"))
    # Whole modules per worker: a module-scoped fixture (a fault scenario, a demo run)
    # is then computed once, not once per worker that runs one of its tests.
    session.run("pytest", "-n", "auto", "--dist", "loadscope", *session.posargs)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """The documentation: its examples run (tests/test_docs.py), then mkdocs build --strict."""
    session.install("-e", ".[testing]", *group("test"), *group("docs"))
    # Every Python example of README.md and docs/ runs, as a reader would run it.
    session.run("pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/test_docs.py")
    site = Path(session.create_tmp()) / "site"
    # Material prints a banner about its successor on every build unless told not to.
    env = {"NO_MKDOCS_2_WARNING": "1"}
    session.run("mkdocs", "build", "--strict", "--site-dir", str(site), env=env)


@nox.session(python=PYTHON)
def lowest(session: nox.Session) -> None:
    """The test suite with the lowest versions pyproject.toml allows."""
    session.install(
        "-e",
        ".[testing]",
        *group("test"),
        "attrs==23.1.0",
        "boto3==1.44.4",
        "botocore==1.44.4",
        "cattrs==23.2.1",
        "typing-extensions==4.6.0",
    )
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks: print ratios measured side by side in one run.

    Every script runs, even after one missed its targets; the session fails at the end.
    """
    session.install("-e", ".[testing]")
    missed: list[str] = []
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        try:
            session.run("python", str(script))
        except nox.command.CommandFailed:
            missed.append(script.name)
    if missed:
        session.error(f"targets missed: {', '.join(missed)}")
