"""Orchestration across a deployment's resources: deploy (with undo), apply, teardown."""

from __future__ import annotations

from ._apply import apply
from ._deploy import deploy
from ._plan import Change, Desired, Plan, desired, plan
from ._teardown import teardown
from ._update import update

__all__ = ["Change", "Desired", "Plan", "apply", "deploy", "desired", "plan", "teardown", "update"]
