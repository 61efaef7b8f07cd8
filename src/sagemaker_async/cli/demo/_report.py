"""What the demo prints: one line per step with its duration, and live progress on a TTY.

On a terminal, progress (endpoint statuses, the count of results) rewrites one
line that the step's own line then replaces. Anywhere else (a pipe, a log file,
CI) no carriage returns are written: endpoint statuses are plain lines and
counters are left out.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import TextIO


class DemoFailure(Exception):
    """A failure the demo itself detects; its message says everything."""


class StepFailed(Exception):
    """A step of the demo raised; carries the step's title and the original error."""

    def __init__(self, title: str, error: BaseException) -> None:
        self.title = title
        self.error = error
        super().__init__(title, error)

    def __str__(self) -> str:
        text = " ".join(str(self.error).split()) or "no message"
        if not isinstance(self.error, DemoFailure):
            text = f"{type(self.error).__name__}: {text}"
        return f"{self.title!r} failed: {text}"


class Step:
    """The running step: its title, and the summary shown after it on its line."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.summary = ""


class Reporter:
    """Prints the demo's lines to *out*; *live* progress defaults to ``out.isatty()``."""

    def __init__(
        self,
        out: TextIO,
        *,
        live: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._out = out
        self.live = out.isatty() if live is None else live
        self._clock = clock
        self._step: Step | None = None
        self._pending = False  # a live line is on screen, with no newline yet

    def line(self, text: str) -> None:
        """Print *text* as a line of its own."""
        self._clear()
        self._out.write(text + "\n")
        self._out.flush()

    def detail(self, text: str) -> None:
        """Print *text* indented under the steps."""
        self.line(" " * 10 + text)

    @contextmanager
    def step(self, title: str) -> Generator[Step, None, None]:
        """Time the block and print its line; an exception becomes :class:`StepFailed`."""
        step = self._step = Step(title)
        start = self._clock()
        try:
            yield step
        except Exception as error:
            self._clear()
            raise StepFailed(title, error) from error
        finally:
            self._step = None
        seconds = self._clock() - start
        summary = f": {step.summary}" if step.summary else ""
        self.line(f"{seconds:6.2f} s  {title}{summary}")

    def progress(self, text: str) -> None:
        """Show *text* for the running step: live on a TTY, else a plain line."""
        title = self._step.title if self._step is not None else ""
        if self.live:
            # A line wider than the terminal wraps, and a carriage return cannot undo that.
            width = shutil.get_terminal_size().columns - 1
            self._out.write(f"\r\x1b[2K{f'     ...  {title}: {text}'[:width]}")
            self._out.flush()
            self._pending = True
        else:
            self.detail(text)  # the step's own line follows, naming it

    def count(self, done: int, total: int, what: str = "results") -> None:
        """Show a live ``done/total`` counter (on a TTY only: elsewhere it would flood)."""
        if self.live:
            self.progress(f"{done:>{len(str(total))}}/{total} {what}")

    def _clear(self) -> None:
        if self._pending:
            self._out.write("\r\x1b[2K")
            self._pending = False
