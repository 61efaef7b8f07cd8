"""How a model reads an AWS answer, without the models knowing the wire format.

Models sit below the converter (they never import it), yet keep their named
constructors (``Model.from_response``). The converter registers itself here
when it is imported, which the package's ``__init__`` always does first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

Reader = Callable[[type[Any], Mapping[str, Any]], Any]

_readers: list[Reader] = []


def register_reader(reader: Reader) -> None:
    """Make *reader* the function that builds a model from an AWS dict."""
    _readers[:] = [reader]


def read(cls: type[T], response: Mapping[str, Any]) -> T:
    """Build *cls* from an AWS answer with the registered reader."""
    if not _readers:  # pragma: no cover - the package imports the converter first
        raise RuntimeError("import sagemaker_async before reading AWS answers")
    result: T = _readers[0](cls, response)
    return result
