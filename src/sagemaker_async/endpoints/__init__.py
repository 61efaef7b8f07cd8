"""The endpoint control plane: models, endpoint configs and endpoints, and their waiters."""

from __future__ import annotations

from ._configs import Configs
from ._endpoints import DELETE_TIMEOUT, ENDPOINT_TIMEOUT, Endpoints
from ._waiters import ProgressCallback

__all__ = ["DELETE_TIMEOUT", "ENDPOINT_TIMEOUT", "Configs", "Endpoints", "ProgressCallback"]
