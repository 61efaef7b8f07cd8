"""Inference routers: create, update, describe, wait for, delete, and invoke through them."""

from __future__ import annotations

from ._facade import RouterMethods
from ._waiters import ROUTER_TIMEOUT, RouterFailedError, RouterTimeoutError

__all__ = ["ROUTER_TIMEOUT", "RouterFailedError", "RouterMethods", "RouterTimeoutError"]
