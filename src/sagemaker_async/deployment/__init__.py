"""Orchestration across a deployment's resources: deploy (with undo) and teardown."""

from __future__ import annotations

from ._deploy import deploy
from ._teardown import teardown
from ._update import update

__all__ = ["deploy", "teardown", "update"]
