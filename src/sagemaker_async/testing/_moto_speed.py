"""Cheaper equivalents of some of moto's helpers while a simulator is active.

The dispatch. moto's server finds the service of each request by asking
``list_of_moto_modules()`` (twice per request), which lists moto's package
directory and checks each of its ~170 entries with ``isdir``, and then by
matching the host against every service's URL patterns: over a quarter of
the server's time per request; and each response lists its class's methods
(``inspect.getmembers``) to find the handler. None of these answers changes
while the simulator runs (its patches are in place before the first request),
so each is computed once.

The SQS clock. moto's SQS asks ``unix_time_millis()`` for the current time once per queued
message on every send and receive, and each call builds three datetimes. At
a hundred notifications a second that alone outruns the machine and the queue
backs up. The replacement returns the same number (milliseconds since the
epoch) from ``time.time()``; a call with a datetime goes to moto's own.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator
from datetime import datetime
from typing import Any


@contextlib.contextmanager
def faster_sqs_clock() -> Generator[None, None, None]:
    """Swap moto's SQS time helpers for cheap equivalents; restore them on exit."""
    from moto.sqs import models

    originals: dict[str, Callable[..., float]] = {
        name: getattr(models, name) for name in ("unix_time", "unix_time_millis")
    }

    def faster(name: str, scale: float) -> Callable[..., float]:
        original = originals[name]

        def now_or_convert(dt: datetime | None = None) -> float:
            return time.time() * scale if dt is None else original(dt)

        return now_or_convert

    replacements: dict[str, Any] = {
        "unix_time": faster("unix_time", 1.0),
        "unix_time_millis": faster("unix_time_millis", 1000.0),
    }
    for name, value in replacements.items():
        setattr(models, name, value)
    try:
        yield
    finally:
        for name, value in originals.items():
            setattr(models, name, value)


@contextlib.contextmanager
def faster_dispatch() -> Generator[None, None, None]:
    """Answer moto's module list from one listing, and each host's backend from a cache."""
    from moto import backends
    from moto.core import responses
    from moto.moto_server.werkzeug_app import (  # pyright: ignore[reportMissingTypeStubs]
        DomainDispatcherApplication,
    )

    original_list = backends.list_of_moto_modules
    original_lookup = DomainDispatcherApplication.get_backend_for_host
    listed = tuple(original_list())
    found: dict[tuple[int, str | None], Any] = {}

    def modules() -> tuple[str, ...]:
        return listed

    def backend_for_host(self: DomainDispatcherApplication, host: str | None) -> Any:
        # Called with the application's lock held; the answer depends on the host only.
        key = (id(self), host)
        if key not in found:
            found[key] = original_lookup(self, host)
        return found[key]

    # Imported there from moto.core.utils, and looked up there on each request.
    moto_responses: Any = responses
    original_names: Callable[[object], list[str]] = moto_responses.method_names_from_class
    names: dict[object, list[str]] = {}

    def method_names(clazz: object) -> list[str]:
        # The classes are patched before the first request and not after; one look each.
        found = names.get(clazz)
        if found is None:
            found = names[clazz] = original_names(clazz)
        return found

    backends.list_of_moto_modules = modules
    DomainDispatcherApplication.get_backend_for_host = backend_for_host  # type: ignore[method-assign]
    moto_responses.method_names_from_class = method_names
    try:
        yield
    finally:
        backends.list_of_moto_modules = original_list
        DomainDispatcherApplication.get_backend_for_host = original_lookup  # type: ignore[method-assign]
        moto_responses.method_names_from_class = original_names
