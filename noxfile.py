"""Developer tasks: `nox` runs lint, types, tests and docs; `nox -s bench` the benchmarks."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "mypy", "pyright", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"
TEST_DEPS = [
    "pytest>=8",
    "hypothesis>=6.100",
    # parliament lints the generated IAM policies; it imports pkg_resources.
    "parliament==1.6.4",
    "setuptools<81",
]
STUBS = "boto3-stubs[s3,sagemaker,sagemaker-runtime,sns,sqs,sts]>=1.35"


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff: lint and format check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def mypy(session: nox.Session) -> None:
    """mypy --strict on src/ and typing_tests/."""
    session.install("-e", ".[testing]", "mypy>=1.10", "pytest>=8", STUBS)
    session.run("mypy", "--strict", "src", "typing_tests")


@nox.session(python=PYTHON)
def pyright(session: nox.Session) -> None:
    """pyright (strict) on src/ and typing_tests/."""
    session.install("-e", ".[testing]", "pyright>=1.1.380", "pytest>=8", STUBS)
    session.run("pyright", "src", "typing_tests")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, against in-process moto and a moto server on 127.0.0.1."""
    session.install("-e", ".[testing]", *TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """The documentation: mkdocs build --strict, into the session's temporary directory."""
    extras = nox.project.load_toml("pyproject.toml")["project"]["optional-dependencies"]
    session.install(*extras["docs"])
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
        *TEST_DEPS,
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
