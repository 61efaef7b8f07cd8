"""Await many invocations at once: ``as_completed`` and ``wait_all``.

Without notifications, S3 is polled (see :mod:`._polling`); with a
:class:`NotificationQueue`, SQS is long-polled (see :mod:`._notified`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ._awaiting_arguments import check_awaiting, check_many
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

    The arguments are checked, and *invocations* read, when it is called, not
    at the first ``next``. *timeout* is None (no limit) or a finite number of
    seconds from 0 (one look) to a week.

    Raises:
        ValidationError: An argument is not valid (raised by the call itself).
        InferenceTimeoutError: *timeout* seconds passed first; ``pending`` names
            the inference ids still awaited (they can be awaited again).
        ResourceNotFoundError: A notification said a result was written, yet it
            stayed unreadable for 10 s; that invocation stays pending.
    """
    check_awaiting("as_completed", timeout, notifications)
    given = check_many("as_completed", invocations, progress, AsyncInvocation)
    return _as_completed(given, timeout, notifications, progress)


def _as_completed(
    invocations: list[AsyncInvocation],
    timeout: float | None,
    notifications: NotificationQueue | None,
    progress: Progress | None,
) -> Iterator[AsyncInvocation]:
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
        ValidationError: An argument is not valid (before any call).
        InferenceTimeoutError: *timeout* passed first; ``pending`` names the rest.
    """
    check_awaiting("wait_all", timeout, notifications)
    given = tuple(check_many("wait_all", invocations, progress, AsyncInvocation))
    for _ in _as_completed(list(given), timeout, notifications, progress):
        pass
    return given
