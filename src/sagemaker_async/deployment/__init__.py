"""Orchestration across a deployment's resources: deploy (with undo) and teardown."""

from __future__ import annotations

from ._deploy import deploy
from ._teardown import teardown

__all__ = ["deploy", "teardown"]
