"""Autoscaling an asynchronous endpoint on its backlog (down to zero), and its metrics."""

from __future__ import annotations

from ._autoscaling import Autoscaling
from ._facade import ScalingMethods
from ._metrics import endpoint_metrics

__all__ = ["Autoscaling", "ScalingMethods", "endpoint_metrics"]
