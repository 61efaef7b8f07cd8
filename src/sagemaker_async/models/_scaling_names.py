"""The names of what enabling autoscaling creates, derived from the endpoint and variant."""

from __future__ import annotations

import hashlib
from typing import Final

_LIMIT: Final = 255  # policy and alarm names


def _bounded(name: str) -> str:
    if len(name) <= _LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{name[: _LIMIT - 13]}-{digest}"


def tracking_policy_name(endpoint_name: str, variant_name: str) -> str:
    """The target-tracking policy on the backlog per instance."""
    return _bounded(f"{endpoint_name}-{variant_name}-backlog-per-instance")


def wake_policy_name(endpoint_name: str, variant_name: str) -> str:
    """The step policy that adds an instance to a sleeping variant."""
    return _bounded(f"{endpoint_name}-{variant_name}-wake-from-zero")


def wake_alarm_name(endpoint_name: str, variant_name: str) -> str:
    """The alarm on HasBacklogWithoutCapacity that runs the step policy."""
    return _bounded(f"{endpoint_name}-{variant_name}-has-backlog-without-capacity")
