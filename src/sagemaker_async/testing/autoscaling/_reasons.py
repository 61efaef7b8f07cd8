"""StateReason and StateReasonData as CloudWatch writes them on a state change.

The wording follows AWS's published examples, such as ``Threshold Crossed: 3
out of the last 3 datapoints [20000.0 (08/11/22 11:25:00), ...] were greater
than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).``
and ``Insufficient Data: 1 datapoint was unknown.``
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from moto.cloudwatch.models import Alarm

from ._alarms import ALARM, COMPARISONS, INSUFFICIENT_DATA, Datapoint, Evaluation, MetricQuery


def _stamp(start: float) -> str:
    return datetime.fromtimestamp(start, UTC).strftime("%d/%m/%y %H:%M:%S")


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def state_reason(alarm: Alarm, evaluation: Evaluation) -> str:
    """Why the alarm is in the state *evaluation* put it in."""
    if evaluation.state == INSUFFICIENT_DATA:
        unknown = int(alarm.evaluation_periods)
        verb = "was" if unknown == 1 else "were"
        return f"Insufficient Data: {_plural(unknown, 'datapoint')} {verb} unknown."
    alarmed = evaluation.state == ALARM
    shown = [each for each in evaluation.evaluated if each.breaching == alarmed]
    count = len(shown) + (evaluation.filled if evaluation.filled_breaching == alarmed else 0)
    total = len(evaluation.evaluated) + evaluation.filled
    listed = ", ".join(f"{each.value!r} ({_stamp(each.start)})" for each in shown)
    side = COMPARISONS[alarm.comparison_operator][1]
    side = side if alarmed else f"not {side}"
    threshold = float(alarm.threshold)
    if total == 1:
        return (
            f"Threshold Crossed: 1 datapoint [{listed}] was {side} the threshold ({threshold!r})."
        )
    if alarmed:
        minimum, transition = evaluation.needed, "OK -> ALARM"
    else:
        minimum, transition = total - evaluation.needed + 1, "ALARM -> OK"
    verb = "was" if count == 1 else "were"
    return (
        f"Threshold Crossed: {count} out of the last {total} datapoints [{listed}] {verb} "
        f"{side} the threshold ({threshold!r}) "
        f"(minimum {_plural(minimum, 'datapoint')} for {transition} transition)."
    )


def _point(each: Datapoint) -> dict[str, object]:
    return {"timestamp": _iso(each.start), "sampleCount": each.sample_count, "value": each.value}


def state_reason_data(
    alarm: Alarm, query: MetricQuery, evaluation: Evaluation, queried_at: float
) -> str:
    """The JSON CloudWatch attaches to the reason: the datapoints it looked at."""
    data: dict[str, object] = {
        "version": "1.0",
        "queryDate": _iso(queried_at),
        "startDate": _iso(evaluation.range_start),
        "statistic": query.statistic,
        "period": query.period,
        "recentDatapoints": [each.value for each in reversed(evaluation.recent)],
        "threshold": float(alarm.threshold),
    }
    if evaluation.evaluated:
        data["evaluatedDatapoints"] = [_point(each) for each in evaluation.evaluated]
    return json.dumps(data, separators=(",", ":"))
