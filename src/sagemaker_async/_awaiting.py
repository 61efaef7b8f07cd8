"""Await many invocations at once: ``as_completed`` and ``wait_all``.

Without notifications, S3 is polled (see :mod:`._polling`); with a
:class:`NotificationQueue`, SQS is long-polled (see :mod:`._notified`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ._invocation import AsyncInvocation
from ._notified import by_notifications
from ._polling import by_polling

if TYPE_CHECKING:
    from ._notifications import NotificationQueue


def as_completed(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
) -> Iterator[AsyncInvocation]:
    """Yield each invocation once its output or failure has landed.

    Each is yielded once (duplicates in *invocations* too), and its ``result()``
    then returns or raises at once, with no further request. Without
    *notifications*, S3 is polled every 0.15 s by listing prefixes (a page per
    prefix per poll); with them, SQS is long-polled and S3 read only for the
    bodies (not at all when the endpoint includes responses in its
    notifications). Bodies are fetched eight at a time; no thread outlives the
    iteration.

    Raises:
        InferenceTimeoutError: *timeout* seconds passed first; ``pending`` names
            the inference ids still awaited (they can be awaited again).
    """
    unique = list(dict.fromkeys(invocations))
    if not unique:
        return
    client = unique[0].client
    clock: Callable[[], float] = client._clock  # pyright: ignore[reportPrivateUsage]
    sleep: Callable[[float], None] = client._sleep  # pyright: ignore[reportPrivateUsage]
    start = clock()
    pending = [i for i in unique if i._outcome is None]  # pyright: ignore[reportPrivateUsage]
    for invocation in unique:
        if invocation._outcome is not None:  # pyright: ignore[reportPrivateUsage]
            yield invocation
    if notifications is None:
        yield from by_polling(pending, timeout, clock, sleep, start)
    else:
        yield from by_notifications(pending, notifications, timeout, clock, start)


def wait_all(
    invocations: Iterable[AsyncInvocation],
    *,
    timeout: float | None = None,
    notifications: NotificationQueue | None = None,
) -> tuple[AsyncInvocation, ...]:
    """Return the invocations, in the order given, once every one is done.

    Raises:
        InferenceTimeoutError: *timeout* passed first; ``pending`` names the rest.
    """
    given = tuple(invocations)
    for _ in as_completed(given, timeout=timeout, notifications=notifications):
        pass
    return given
