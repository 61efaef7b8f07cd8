"""What a command working on a deployment file starts from: the file and a client."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._aws import connect
from ._console import BadInput

if TYPE_CHECKING:
    from sagemaker_async import AsyncInferenceClient

    from ._deployment_file import Deployment


@attrs.frozen
class Context:
    """The deployment file's values and a client for its account and Region."""

    deployment: Deployment
    client: AsyncInferenceClient

    @classmethod
    def open(cls, args: argparse.Namespace) -> Context:
        """Read ``args.file`` and connect as the options say.

        Raises:
            ValidationError: The file describes no valid deployment, or mixes
                partitions and Regions (every problem).
            BadInput: The file cannot be read, or the options contradict it.
        """
        from ._consistency import check

        deployment = read(args.file)
        check(deployment, str(args.file))
        return cls(deployment, connect(args, deployment.region))


def read(path: Path) -> Deployment:
    """The deployment file at *path*."""
    from . import _deployment_file

    try:
        return _deployment_file.load(path)
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read {path}: {error}") from None
    except ValueError as error:
        from sagemaker_async.errors import ValidationError

        if isinstance(error, ValidationError):
            raise
        raise BadInput(f"cannot read {path}: {error}") from None
