"""The waiter loop and its acceptor tables, driven by scripted descriptions.

These cover transitions in isolation and at once (every status, backoff,
timeouts); tests/test_client_lifecycle.py runs the same waiters against the
simulator over moto.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pytest

from sagemaker_async import (
    AccessDeniedError,
    EndpointDescription,
    EndpointFailedError,
    EndpointStatus,
    ResourceNotFoundError,
    ServiceError,
    WaiterTimeoutError,
)
from sagemaker_async.endpoints._waiters import (
    DELETED,
    IN_SERVICE,
    SETTLED,
    UPDATED,
    Backoff,
    Outcome,
    wait,
)

S = EndpointStatus
ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep"


class Timeline:
    """A clock that moves only when slept on, and a script of descriptions."""

    def __init__(self, script: Iterable[EndpointDescription | Exception | None]) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.script = list(script)
        self.polls = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def describe(self, name: str) -> EndpointDescription:
        assert name == "ep"
        item = self.script[min(self.polls, len(self.script) - 1)]
        self.polls += 1
        if item is None:
            raise ResourceNotFoundError(
                'Could not find endpoint "ep".', code="ValidationException", operation="X"
            )
        if isinstance(item, Exception):
            raise item
        return item


def desc(
    status: EndpointStatus, config: str = "c1", reason: str | None = None
) -> EndpointDescription:
    return EndpointDescription(
        name="ep", arn=ARN, status=status, config_name=config, failure_reason=reason
    )


def run(timeline: Timeline, waiter=IN_SERVICE, timeout: float = 100.0, **kwargs):  # type: ignore[no-untyped-def]
    return wait(
        waiter,
        "ep",
        timeline.describe,
        timeout=timeout,
        backoff=Backoff(initial=1.0, maximum=4.0, multiplier=2.0),
        clock=timeline.clock,
        sleep=timeline.sleep,
        **kwargs,
    )


@pytest.mark.parametrize("waiter", [IN_SERVICE, UPDATED, DELETED, SETTLED], ids=lambda w: w.name)
def test_every_status_has_an_outcome_in_every_table(waiter) -> None:  # type: ignore[no-untyped-def]
    assert set(waiter.outcomes) == set(EndpointStatus)


def test_in_service_after_creating_returns_the_description() -> None:
    timeline = Timeline([desc(S.CREATING), desc(S.CREATING), desc(S.IN_SERVICE)])

    described = run(timeline)

    assert described == desc(S.IN_SERVICE)
    assert timeline.sleeps == [1.0, 2.0]


def test_poll_delay_backs_off_to_its_cap() -> None:
    timeline = Timeline([desc(S.CREATING)] * 6 + [desc(S.IN_SERVICE)])

    run(timeline)

    assert timeline.sleeps == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize("status", [S.CREATING, S.UPDATING, S.SYSTEM_UPDATING, S.ROLLING_BACK])
def test_transitional_statuses_keep_waiting(status: EndpointStatus) -> None:
    timeline = Timeline([desc(status), desc(S.IN_SERVICE)])

    assert run(timeline) == desc(S.IN_SERVICE)
    assert timeline.polls == 2


@pytest.mark.parametrize(
    "status", [S.FAILED, S.OUT_OF_SERVICE, S.UPDATE_ROLLBACK_FAILED, S.DELETING]
)
def test_failure_statuses_raise_with_the_reason(status: EndpointStatus) -> None:
    timeline = Timeline([desc(S.CREATING), desc(status, reason="image not found")])

    with pytest.raises(EndpointFailedError) as caught:
        run(timeline)

    error = caught.value
    assert (error.endpoint_name, error.status, error.failure_reason) == (
        "ep",
        status,
        "image not found",
    )
    assert f"it is {status}" in str(error)
    assert "image not found" in str(error)
    assert "/aws/sagemaker/Endpoints/ep" in str(error)


def test_timeout_raises_with_last_status_and_elapsed() -> None:
    timeline = Timeline([desc(S.CREATING)])

    with pytest.raises(WaiterTimeoutError) as caught:
        run(timeline, timeout=10.0)

    error = caught.value
    assert (error.endpoint_name, error.last_status, error.elapsed) == ("ep", S.CREATING, 10.0)
    assert isinstance(error, TimeoutError)
    assert "Increase `timeout`" in str(error)


def test_the_last_sleep_stops_at_the_timeout() -> None:
    timeline = Timeline([desc(S.CREATING)])

    with pytest.raises(WaiterTimeoutError):
        run(timeline, timeout=5.0)

    assert timeline.sleeps == [1.0, 2.0, 2.0]


def test_update_succeeds_only_on_the_target_config() -> None:
    timeline = Timeline([desc(S.UPDATING, "c1"), desc(S.IN_SERVICE, "c2")])

    described = run(timeline, UPDATED, target_config="c2")

    assert described == desc(S.IN_SERVICE, "c2")


def test_update_that_rolled_back_is_a_failure() -> None:
    timeline = Timeline(
        [
            desc(S.UPDATING, "c1"),
            desc(S.ROLLING_BACK, "c1"),
            desc(S.IN_SERVICE, "c1", reason="health check failed"),
        ]
    )

    with pytest.raises(EndpointFailedError) as caught:
        run(timeline, UPDATED, target_config="c2")

    error = caught.value
    assert error.status == S.IN_SERVICE
    assert error.failure_reason == ("the update to 'c2' rolled back to 'c1': health check failed")


def test_update_not_yet_begun_keeps_waiting() -> None:
    # InService on the old config with no new failure reason: the update is not visible yet.
    timeline = Timeline(
        [desc(S.IN_SERVICE, "c1"), desc(S.UPDATING, "c1"), desc(S.IN_SERVICE, "c2")]
    )

    assert run(timeline, UPDATED, target_config="c2") == desc(S.IN_SERVICE, "c2")
    assert timeline.polls == 3


def test_update_rollback_seen_only_by_its_new_failure_reason() -> None:
    timeline = Timeline([desc(S.IN_SERVICE, "c1", reason="new reason")])

    with pytest.raises(EndpointFailedError):
        run(timeline, UPDATED, target_config="c2", failure_reason_before="old reason")


def test_old_failure_reason_alone_is_not_a_rollback() -> None:
    timeline = Timeline(
        [desc(S.IN_SERVICE, "c1", reason="old reason"), desc(S.IN_SERVICE, "c2", "old reason")]
    )

    described = run(timeline, UPDATED, target_config="c2", failure_reason_before="old reason")

    assert described is not None
    assert described.config_name == "c2"


def test_deleted_returns_none_once_gone() -> None:
    timeline = Timeline([desc(S.DELETING), desc(S.DELETING), None])

    assert run(timeline, DELETED) is None
    assert timeline.polls == 3


def test_in_service_on_a_missing_endpoint_raises_not_found() -> None:
    timeline = Timeline([None])

    with pytest.raises(ResourceNotFoundError):
        run(timeline)


def test_progress_callback_and_log_at_each_status_change(
    caplog: pytest.LogCaptureFixture,
) -> None:
    timeline = Timeline([desc(S.CREATING), desc(S.CREATING), desc(S.CREATING), desc(S.IN_SERVICE)])
    seen: list[tuple[str, float]] = []
    caplog.set_level(logging.INFO, logger="sagemaker_async")

    run(timeline, on_progress=lambda d, elapsed: seen.append((d.status, elapsed)))

    assert seen == [(S.CREATING, 0.0), (S.IN_SERVICE, 7.0)]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "endpoint ep is Creating after 0.0 s (waiting for it to reach InService)",
        "endpoint ep is InService after 7.0 s (waiting for it to reach InService)",
    ]


def test_outcome_table_says_rollback_only_through_the_loop() -> None:
    assert UPDATED.outcomes[S.IN_SERVICE] is Outcome.SUCCESS
    assert DELETED.when_gone is Outcome.SUCCESS
    assert IN_SERVICE.when_gone is Outcome.FAILURE


def test_a_status_sagemaker_adds_later_keeps_waiting() -> None:
    timeline = Timeline([desc(EndpointStatus("Hibernating")), desc(S.IN_SERVICE)])

    assert run(timeline) == desc(S.IN_SERVICE)
    assert timeline.polls == 2


def test_throttling_while_waiting_is_retried() -> None:
    throttled = ServiceError("Rate exceeded", code="ThrottlingException", operation="X")
    timeline = Timeline([desc(S.CREATING), throttled, throttled, desc(S.IN_SERVICE)])

    assert run(timeline) == desc(S.IN_SERVICE)
    assert timeline.polls == 4


def test_access_denied_while_waiting_is_never_retried() -> None:
    denied = AccessDeniedError("not authorized", code="AccessDeniedException", operation="X")
    timeline = Timeline([desc(S.CREATING), denied, desc(S.IN_SERVICE)])

    with pytest.raises(AccessDeniedError):
        run(timeline)

    assert timeline.polls == 2


def test_throttling_until_the_timeout_is_a_timeout() -> None:
    throttled = ServiceError("Rate exceeded", code="ThrottlingException", operation="X")
    timeline = Timeline([desc(S.CREATING), throttled])

    with pytest.raises(WaiterTimeoutError) as caught:
        run(timeline, timeout=10.0)

    assert caught.value.last_status == S.CREATING
