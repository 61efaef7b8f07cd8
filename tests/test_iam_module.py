"""The public ``sagemaker_async.iam`` module: its exports and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

from sagemaker_async import iam
from sagemaker_async.iam._arguments import STEPS


def test_all_is_sorted() -> None:
    assert iam.__all__ == sorted(iam.__all__)


def test_all_names_the_public_api() -> None:
    assert iam.__all__ == [
        "PolicyDocument",
        "Statement",
        "Step",
        "caller_policy",
        "consumer_policy",
        "execution_role_policy",
        "execution_role_trust_policy",
        "router_caller_policy",
        "router_execution_role_policy",
    ]


def test_every_name_in_all_exists() -> None:
    assert [name for name in iam.__all__ if not hasattr(iam, name)] == []


def test_the_steps_are_the_values_of_step() -> None:
    assert get_args(iam.Step) == STEPS


def test_importing_iam_loads_no_botocore_data() -> None:
    code = (
        "import sagemaker_async.iam, sagemaker_async.iam._resources as r; "
        "print(r._sagemaker_partitions.cache_info().currsize)"
    )

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout == "0\n"
