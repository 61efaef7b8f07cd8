"""The ``demo`` command: the whole lifecycle on the simulator (or on AWS), explained as it runs."""

from __future__ import annotations

from ._run import add_arguments, run

__all__ = ["add_arguments", "run"]
