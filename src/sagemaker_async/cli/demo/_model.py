"""The demo's model: a churn probability from four customer features, in plain Python.

A logistic regression with fixed weights. The simulator serves it as the
endpoint's handler: each request is CSV, one customer per line, and the result
has one probability per line. A line that is not four numbers fails the
inference, as a real model's input check would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Final

FEATURES: Final = ("tenure_months", "monthly_charges", "support_calls", "contract_years")
WEIGHTS: Final = (-0.06, 0.035, 0.55, -0.8)
BIAS: Final = -1.5
CONTENT_TYPE: Final = "text/csv"
MALFORMED_ROW: Final = "24,79.90,two,1"
"""The deliberately bad request: a feature that is not a number."""


def churn_probability(features: Sequence[float]) -> float:
    """The logistic regression: ``1 / (1 + exp(-(w . x + b)))``."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def parse_row(line: str) -> tuple[float, ...]:
    """The features of one CSV line.

    Raises:
        ValueError: The line is not four comma-separated numbers; the message says which.
    """
    cells = [cell.strip() for cell in line.split(",")]
    if len(cells) != len(FEATURES):
        raise ValueError(f"expected {len(FEATURES)} comma-separated numbers, received {line!r}")
    values: list[float] = []
    for name, cell in zip(FEATURES, cells, strict=True):
        try:
            values.append(float(cell))
        except ValueError:
            raise ValueError(f"{name}: expected a number, received {cell!r}") from None
    return tuple(values)


def handler(body: bytes, content_type: str | None) -> bytes:
    """Score every line of a CSV request; the simulator's handler for the demo endpoint."""
    lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    if not lines:
        raise ValueError("the request has no CSV line to score")
    scores = [churn_probability(parse_row(line)) for line in lines]
    return "".join(f"{score:.4f}\n" for score in scores).encode()


def sample_rows(count: int, *, seed: int = 7) -> list[str]:
    """*count* customers as CSV lines, the same ones on every run."""
    rng = random.Random(seed)
    return [
        f"{rng.randint(1, 72)},{rng.uniform(20, 120):.2f},{rng.randint(0, 6)},{rng.randint(0, 2)}"
        for _ in range(count)
    ]
