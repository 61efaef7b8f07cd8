"""``python -m sagemaker_async``: the command line (see :mod:`.cli`)."""

from .cli import main

raise SystemExit(main(prog="python -m sagemaker_async"))
