"""Shared fixtures: the SageMaker simulator on both transports, real and fake clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

if TYPE_CHECKING:
    from xdist.workermanage import WorkerController

TRANSPORTS = ["inprocess", "server"]
FAKE_CREATE_SECONDS = 10.0
FAKE_UPDATE_SECONDS = 10.0
FAKE_DELETE_SECONDS = 5.0
# (seed, line) of the fault scenarios run by pytest-xdist's workers, gathered by the controller.
WORKER_FAULT_FIGURES = pytest.StashKey[list[tuple[int, str]]]()


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


def fault_figures() -> list[tuple[int, str]]:
    """(seed, line) of every fault scenario run in this process (tests/test_faults.py)."""
    scenario = sys.modules.get("fault_scenario")
    return [(figures.seed, figures.line()) for figures in getattr(scenario, "REPORTS", [])]


def pytest_sessionfinish(session: pytest.Session) -> None:
    # A pytest-xdist worker's globals die with it: what it puts in workeroutput reaches
    # the controller, which prints the summary.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fault_figures"] = fault_figures()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: WorkerController, error: object | None) -> None:
    # A worker that crashed sent no workeroutput.
    figures = getattr(node, "workeroutput", {}).get("fault_figures", [])
    node.config.stash.setdefault(WORKER_FAULT_FIGURES, []).extend(figures)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """The figures of the fault-injection scenario, when it ran (tests/test_faults.py)."""
    figures = fault_figures() + config.stash.get(WORKER_FAULT_FIGURES, [])
    if figures:
        terminalreporter.section("faults injected, and what came of them")
        for _, line in sorted(figures):
            terminalreporter.write_line(line)
