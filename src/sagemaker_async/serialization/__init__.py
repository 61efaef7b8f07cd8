"""The one cattrs converter: model values to AWS requests, AWS answers to model values.

Only this package knows AWS key names.
"""

from __future__ import annotations

from ._converter import from_response, to_request
from ._routers import unstructure_target

__all__ = ["from_response", "to_request", "unstructure_target"]
