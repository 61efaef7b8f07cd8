"""Writing to the terminal: flushed in order, quiet about a closed pipe, exit statuses."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Final, TextIO

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2


class BadInput(Exception):
    """The command line or the file asks for something impossible; exit status 2."""


class Console:
    """Standard output for results, standard error for progress and problems."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr

    @property
    def interactive(self) -> bool:
        """Whether standard error is a terminal (so progress may redraw a line)."""
        return _is_tty(self.err)

    def say(self, text: str = "") -> None:
        """One line of output, flushed so that it shows before what follows."""
        print(text, file=self.out, flush=True)

    def note(self, text: str) -> None:
        """One line on standard error, flushed."""
        print(text, file=self.err, flush=True)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def quiet_broken_pipe(run: Callable[[], int]) -> int:
    """Run *run*; a reader that closed the pipe (``| head``) ends it without a traceback."""
    try:
        return run()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at devnull so that the
        # second write does not fail too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)
        return EXIT_FAILED
