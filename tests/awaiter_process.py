"""A process that awaits pickled invocations, printing each inference id as it gets it.

``tests/test_faults.py`` starts it against the simulator's server on 127.0.0.1
(``AWS_ENDPOINT_URL`` and fake credentials in the environment) and kills it with
SIGKILL while it awaits, to show that another process resumes from the same pickles.

Usage: ``python awaiter_process.py INVOCATIONS_PICKLE [QUEUE_URL]``; with a queue
URL it awaits by notifications (visibility timeout ``VISIBILITY_TIMEOUT``).
After each result it works for ``WORK_SECONDS``, as an application would.
"""

from __future__ import annotations

import pickle
import sys
import time

import boto3

import sagemaker_async as sa

VISIBILITY_TIMEOUT = 2
WORK_SECONDS = 0.3


def main(argv: list[str]) -> None:
    with open(argv[1], "rb") as file:
        invocations: list[sa.AsyncInvocation] = pickle.load(file)
    session = boto3.Session()
    client = sa.AsyncInferenceClient(session)
    queue = None
    if len(argv) > 2:
        queue = sa.NotificationQueue(
            argv[2], sqs_client=session.client("sqs"), visibility_timeout=VISIBILITY_TIMEOUT
        )
    awaited = [invocation.bind(client) for invocation in invocations]
    for invocation in sa.as_completed(awaited, timeout=60, notifications=queue):
        print(invocation.inference_id, flush=True)
        time.sleep(WORK_SECONDS)


if __name__ == "__main__":
    main(sys.argv)
