"""Shared fixtures: the SageMaker simulator on both transports, real and fake clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

TRANSPORTS = ["inprocess", "server"]
FAKE_CREATE_SECONDS = 10.0
FAKE_UPDATE_SECONDS = 10.0
FAKE_DELETE_SECONDS = 5.0


@pytest.fixture(params=TRANSPORTS)
def sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    """A simulator on the real clock with the default delays, on each transport."""
    with simulated_sagemaker(transport=request.param) as simulator:
        yield simulator


@pytest.fixture(params=TRANSPORTS)
def fake_sim(request: pytest.FixtureRequest) -> Iterator[SageMakerSimulator]:
    """A simulator on a FakeClock (``fake_sim.clock``), on each transport.

    Delays are simulated seconds (10 s create and update, 5 s delete): long
    next to the real-clock defaults, yet few polls for a waiter polling every
    0.2 s. Nothing moves until the test advances the clock (or code under test
    sleeps on it).
    """
    clock = FakeClock()
    with simulated_sagemaker(
        transport=request.param,
        clock=clock,
        create_seconds=FAKE_CREATE_SECONDS,
        update_seconds=FAKE_UPDATE_SECONDS,
        delete_seconds=FAKE_DELETE_SECONDS,
    ) as simulator:
        yield simulator


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures of the fault-injection scenario, when it ran (tests/test_faults.py)."""
    scenario = sys.modules.get("fault_scenario")
    reports = getattr(scenario, "REPORTS", [])
    if reports:
        terminalreporter.section("faults injected, and what came of them")
        for figures in reports:
            terminalreporter.write_line(figures.line())
