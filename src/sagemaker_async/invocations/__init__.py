"""Invocations: submit them, and await their results by polling S3 or reading notifications."""

from __future__ import annotations

from ._awaiting import as_completed, wait_all
from ._invocation import AsyncInvocation
from ._many import invoke_many
from ._notifications import NotificationQueue
from ._request import Body, InvokeRequest
from ._submit import Submitter, forget_upload, upload

__all__ = [
    "AsyncInvocation",
    "Body",
    "InvokeRequest",
    "NotificationQueue",
    "Submitter",
    "as_completed",
    "forget_upload",
    "invoke_many",
    "upload",
    "wait_all",
]
