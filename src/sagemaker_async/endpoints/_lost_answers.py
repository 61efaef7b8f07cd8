"""Telling a retried request's refusal from the echo of its own first attempt.

When a request's answer was lost (read timeout, dropped connection, 5xx), the
retry may be refused because the first attempt took effect: "already exists"
on a create, "not found" on a delete. These ``echo`` functions decide.
"""

from __future__ import annotations

import re
from typing import Final

from sagemaker_async.errors import ResourceNotFoundError, ServiceError

_QUOTED_ARN: Final = re.compile(r'"(arn:[^"]+)"')


def arn_in(message: str) -> str | None:
    """The ARN quoted in a message: ``Cannot create already existing model "arn:..."``."""
    found = _QUOTED_ARN.search(message)
    return None if found is None else found.group(1)


def gone(error: ServiceError) -> None:
    """Echo of a delete: "not found" after a request whose answer was lost is success."""
    if not isinstance(error, ResourceNotFoundError):
        raise error
