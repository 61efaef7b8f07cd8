"""Await many invocations at once: ``as_completed`` and ``wait_all``.

Without notifications, S3 is polled (see :mod:`._polling`); with a
:class:`NotificationQueue`, SQS is long-polled (see :mod:`._notified`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ._invocation import AsyncInvocation
from ._notified import by_notifications
from ._pending import PendingResult
from ._polling import by_polling

if TYPE_CHECKING:
    from ._notifications import NotificationQueue

Progress = Callable[[int, int], object]
"""Called as ``progress(done, total)`` each time an awaited result lands."""


def as_completed(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
    progress: Progress | None = None,
) -> Iterator[AsyncInvocation]:
    """Yield each invocation once its output or failure has landed.

    Each is yielded once (duplicates in *invocations* too), and its ``result()``
    then returns or raises at once, with no further request. Without
    *notifications*, S3 is polled every 0.15 s by listing prefixes (a page per
    prefix per poll); with them, SQS is long-polled and S3 read only for the
    bodies (not at all when the endpoint includes responses in its
    notifications). Bodies are fetched eight at a time; no thread outlives the
    iteration. *progress*, when given, is called as ``progress(done, total)``
    before each invocation is yielded (and once with ``(0, total)`` at the start).

    Raises:
        InferenceTimeoutError: *timeout* seconds passed first; ``pending`` names
            the inference ids still awaited (they can be awaited again).
    """
    unique = list(dict.fromkeys(invocations))
    if not unique:
        return
    total, done = len(unique), 0
    if progress is not None:
        progress(0, total)
    services = unique[0].services
    clock, sleep = services.clock, services.sleep
    start = clock()
    pending = [i for i in unique if i._outcome is None]  # pyright: ignore[reportPrivateUsage]
    for invocation in unique:
        if invocation._outcome is not None:  # pyright: ignore[reportPrivateUsage]
            done += 1
            if progress is not None:
                progress(done, total)
            yield invocation
    # The strategies hand back the very objects given; map them back to their type.
    given: dict[PendingResult, AsyncInvocation] = {each: each for each in pending}
    if notifications is None:
        found = by_polling(list(given), timeout, clock, sleep, start)
    else:
        found = by_notifications(list(given), notifications, timeout, clock, start)
    for each in found:
        done += 1
        if progress is not None:
            progress(done, total)
        yield given[each]


def wait_all(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
    progress: Progress | None = None,
) -> tuple[AsyncInvocation, ...]:
    """Return the invocations, in the order given, once every one is done.

    *progress* is called as in :func:`as_completed`.

    Raises:
        InferenceTimeoutError: *timeout* passed first; ``pending`` names the rest.
    """
    given = tuple(invocations)
    for _ in as_completed(given, timeout=timeout, notifications=notifications, progress=progress):
        pass
    return given
