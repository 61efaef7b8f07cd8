"""pytest plugin: the ``sagemaker_simulator`` fixture.

Registered as a ``pytest11`` entry point, so pytest loads this module at startup
for everyone who installs the library. It must therefore stay cheap and must not
import moto (an optional dependency): the simulator is imported when the fixture
is first used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sagemaker_async.testing import SageMakerSimulator


@pytest.fixture
def sagemaker_simulator() -> Iterator[SageMakerSimulator]:
    """An in-process SageMaker simulator (moto plus realistic endpoint lifecycles).

    Needs the ``testing`` extra (``pip install 'sagemaker-async[testing]'``).
    Use ``simulated_sagemaker(...)`` directly for other delays, a fake clock or
    the HTTP server transport.
    """
    from sagemaker_async.testing import simulated_sagemaker

    with simulated_sagemaker() as simulator:
        yield simulator
