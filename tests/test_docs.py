"""Every Python example in README.md and docs/*.md runs, as a reader would run it.

How a page's examples run:

- The ```` ```python ```` blocks of one page run in order, in one namespace, like one
  interpreter session: a block may use what an earlier block of the page defined.
- ```` ```pycon ```` blocks (``>>>`` prompts) are doctests in that same namespace, so the
  output they show, tracebacks included, is checked (``...`` matches anything).
- Test functions a page defines (``def test_...``) are called once the page has run, with
  the ``sagemaker_simulator`` fixture if they ask for it, as pytest would.
- ``<!-- docs-test: simulator -->`` anywhere in a page runs the whole page inside a fresh
  in-process simulator with instant endpoints and results
  (``simulated_sagemaker(create_seconds=0, update_seconds=0, delete_seconds=0, latency=0)``),
  bound to ``sim``. It intercepts every boto3 client, including those of the default session,
  so examples are written as for AWS: ``sa.AsyncInferenceClient()``.
- ``<!-- docs-test: served ARGS -->`` runs the page as a reader runs it against
  ``sagemaker-async simulator ARGS`` (a server in a process of its own): the server is
  started with those arguments, and the page's examples run with ``AWS_ENDPOINT_URL``
  pointing at it and the fake credentials the page tells the reader to export. Such a page
  has no ``sim`` and no setup: what it needs, it shows.
- ``<!-- docs-test: setup`` ... ``-->`` holds code run at that point of the page and not shown
  to readers: what exists in a reader's account already (a bucket, topics, a queue), and
  names an example takes as given (``model``, ``config``).
- ``<!-- docs-test: skip -->`` right before a block leaves that block out. Only for blocks that
  cannot run anywhere but on AWS (a named profile); ``MAX_SKIPPED`` keeps them few.

Every page runs in a temporary directory, with fake credentials and ``us-east-1`` as the
default region, so an example that escapes the simulator fails instead of reaching AWS.
"""

from __future__ import annotations

import contextlib
import doctest
import inspect
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

from sagemaker_async.testing import simulated_sagemaker

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MAX_SKIPPED = 3
FIXTURES = ("sagemaker_simulator",)

_TOKEN = re.compile(
    r"""
    ^(?P<indent>[ \t]*)(?P<fence>```+)[ \t]*(?P<info>[^\n]*)\n  # an opening fence
    (?P<body>.*?)
    ^(?P=indent)(?P=fence)[ \t]*$  # its closing fence
    | <!--[ \t]*docs-test:[ \t]*(?P<directive>[a-z]+)(?P<code>.*?)-->
    """,
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)

Kind = Literal["python", "pycon", "setup"]


@attrs.frozen
class Example:
    """One piece of code of a page, and where it starts (a line number)."""

    kind: Kind
    code: str
    line: int


@attrs.frozen
class Page:
    """What a page asks the test to run."""

    path: Path
    examples: tuple[Example, ...]
    simulator: bool
    skipped: int
    served: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        """The page's path from the repository's root, as in error messages."""
        if self.path.is_relative_to(ROOT):
            return self.path.relative_to(ROOT).as_posix()
        return self.path.name


def parse(path: Path) -> Page:
    """The examples of the page at *path*, its directives applied."""
    text = path.read_text(encoding="utf-8")
    examples: list[Example] = []
    simulator = False
    served: tuple[str, ...] | None = None
    skip_next = False
    skipped = 0
    for match in _TOKEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        directive = match["directive"]
        if directive == "simulator":
            simulator = True
        elif directive == "skip":
            skip_next = True
        elif directive == "served":
            served = tuple(shlex.split(match["code"]))
        elif directive == "setup":
            examples.append(Example("setup", textwrap.dedent(match["code"]).strip("\n"), line))
        elif directive is not None:
            raise ValueError(f"{path.name}:{line}: unknown directive docs-test: {directive}")
        else:
            language = (match["info"].split() or [""])[0]
            if language not in ("python", "py", "pycon"):
                continue
            if skip_next:
                skip_next, skipped = False, skipped + 1
                continue
            kind: Kind = "pycon" if language == "pycon" else "python"
            body = textwrap.dedent(match["body"])
            examples.append(Example(kind, body, line + 1))
    if served is not None and (simulator or any(e.kind == "setup" for e in examples)):
        raise ValueError(f"{path.name}: a served page has no simulator and no setup")
    return Page(path, tuple(examples), simulator, skipped, served)


@contextlib.contextmanager
def page_environment(
    page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    """The namespace the page's examples share, inside the simulator if the page asks."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.path.stem}"}
    if page.served is not None:
        with served_simulator(page.served) as url:
            monkeypatch.setenv("AWS_ENDPOINT_URL", url)
            yield namespace
        return
    if not page.simulator:
        yield namespace
        return
    with simulated_sagemaker(
        create_seconds=0, update_seconds=0, delete_seconds=0, latency=0
    ) as sim:
        namespace["sim"] = sim
        yield namespace


@contextlib.contextmanager
def served_simulator(arguments: tuple[str, ...]) -> Iterator[str]:
    """``sagemaker-async simulator`` with *arguments*, in a process of its own: its URL."""
    command = [sys.executable, "-m", "sagemaker_async", "simulator", *arguments]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            pytest.fail(f"{shlex.join(command)} printed {url!r}, not its URL")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_example(page: Page, example: Example, namespace: dict[str, Any]) -> None:
    where = f"{page.name}:{example.line}"
    if example.kind == "pycon":
        test = doctest.DocTestParser().get_doctest(example.code, namespace, where, where, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, clear_globs=False)
        namespace.update(test.globs)  # a DocTest runs in a copy of the namespace
        if runner.failures:
            pytest.fail(f"{where}: the pycon example's output differs (see the captured stdout)")
        return
    code = compile(example.code, where, "exec")
    exec(code, namespace)


def call_tests(page: Page, namespace: dict[str, Any]) -> list[str]:
    """Call each ``test_*`` function the page defined; return their names."""
    called: list[str] = []
    for name, function in list(namespace.items()):
        if not (name.startswith("test_") and inspect.isfunction(function)):
            continue
        parameters = list(inspect.signature(function).parameters)
        unknown = [p for p in parameters if p not in FIXTURES]
        if unknown:
            pytest.fail(f"{page.name}: {name} asks for fixtures the docs test lacks: {unknown}")
        test: Callable[..., object] = function
        if parameters:
            with simulated_sagemaker() as simulator:
                test(simulator)
        else:
            test()
        called.append(name)
    return called


def run_page(page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Run every example of *page*, then its test functions; return their names."""
    with page_environment(page, monkeypatch, tmp_path) as namespace:
        for example in page.examples:
            run_example(page, example, namespace)
        return call_tests(page, namespace)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_python_examples_of_the_page_run(
    path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_page(parse(path), monkeypatch, tmp_path)


def test_every_page_with_python_has_examples_the_test_finds() -> None:
    text_has_python = {
        path.name for path in PAGES if re.search(r"^\s*```(python|pycon)", path.read_text(), re.M)
    }
    parsed_has_examples = {path.name for path in PAGES if parse(path).examples}

    assert parsed_has_examples == text_has_python


def test_few_blocks_are_left_out() -> None:
    skipped = {page.name: page.skipped for page in map(parse, PAGES) if page.skipped}

    assert sum(skipped.values()) <= MAX_SKIPPED, skipped


def test_the_readme_runs_the_tests_with_the_line_ci_runs() -> None:
    ci_line = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    readme = (ROOT / "README.md").read_text()

    assert ci_line in readme.splitlines()


def test_the_readme_runs_the_demo_in_one_line() -> None:
    readme = (ROOT / "README.md").read_text()

    assert "python -m pip install -e '.[testing]' && python -m sagemaker_async demo" in (
        readme.splitlines()
    )


# -- the conventions themselves ------------------------------------------------------------

SAMPLE = """\
# A page

<!-- docs-test: simulator -->

```console
pip install sagemaker-async
```

<!-- docs-test: setup
bucket = "acme"
-->

```python
x = 1
```

- a list item with a block:

    ```python
    y = x + 1
    ```

```pycon
>>> y
2
```

<!-- docs-test: skip -->
```python
import boto3; boto3.Session(profile_name="prod")
```
"""


def write_page(tmp_path: Path, text: str) -> Page:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return parse(path)


def test_a_page_is_read_as_its_examples_in_order(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(SAMPLE, encoding="utf-8")

    page = parse(path)

    assert (page.simulator, page.skipped, [(e.kind, e.code) for e in page.examples]) == (
        True,
        1,
        [
            ("setup", 'bucket = "acme"'),
            ("python", "x = 1\n"),
            ("python", "y = x + 1\n"),
            ("pycon", ">>> y\n2\n"),
        ],
    )


def test_an_unknown_directive_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("<!-- docs-test: skipp -->\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"page\.md:1: unknown directive docs-test: skipp"):
        parse(path)


def test_a_pycon_example_whose_output_differs_fails_the_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = write_page(tmp_path, "```pycon\n>>> 1 + 1\n3\n```\n")

    with pytest.raises(pytest.fail.Exception, match="the pycon example's output differs"):
        run_page(page, monkeypatch, tmp_path)


def test_the_test_functions_a_page_defines_are_called(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = write_page(tmp_path, "```python\ndef test_it():\n    raise ValueError('ran')\n```\n")

    with pytest.raises(ValueError, match="ran"):
        run_page(page, monkeypatch, tmp_path)


def test_a_page_test_asking_for_the_fixture_gets_a_running_simulator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = write_page(
        tmp_path,
        "```python\n"
        "def test_it(sagemaker_simulator):\n"
        "    assert sagemaker_simulator.resource_counts()['models'] == 0\n"
        "```\n",
    )

    assert run_page(page, monkeypatch, tmp_path) == ["test_it"]


def test_a_page_with_the_simulator_reaches_it_through_the_default_session(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = write_page(
        tmp_path,
        "<!-- docs-test: simulator -->\n"
        "```python\n"
        "import boto3\n"
        "boto3.client('s3').create_bucket(Bucket='acme')\n"
        "assert [b['Name'] for b in sim.client('s3').list_buckets()['Buckets']] == ['acme']\n"
        "```\n",
    )

    run_page(page, monkeypatch, tmp_path)
