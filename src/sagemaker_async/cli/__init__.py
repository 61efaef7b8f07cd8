"""The ``sagemaker-async`` command: ``demo`` and ``iam`` (see docs/cli.md)."""

from __future__ import annotations

from ._main import main

__all__ = ["main"]
