"""``sagemaker-async demo``: the whole life of an asynchronous endpoint, one line per step.

By default it runs on the SageMaker simulator, served by a moto server on
127.0.0.1 (real HTTP, fake credentials, nothing leaves the machine), with a
small logistic regression in plain Python as the model. Given real names
(``--role-arn``, ``--image``, ``--bucket``, and ``--endpoint-url`` for
LocalStack) it deploys the same way to that account, with that image.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TextIO

from sagemaker_async._client import ENDPOINT_TIMEOUT, AsyncInferenceClient
from sagemaker_async.aws import Backoff
from sagemaker_async.endpoints._waiters import ProgressCallback
from sagemaker_async.errors import (
    InferenceFailedError,
    ResourceNotFoundError,
    ValidationError,
    WaiterError,
)
from sagemaker_async.invocations._awaiting import as_completed
from sagemaker_async.invocations._invocation import AsyncInvocation
from sagemaker_async.invocations._notifications import NotificationQueue
from sagemaker_async.models import EndpointDescription

from . import _model as model
from . import _resources as resources
from ._plan import Plan, build_plan, describe_statements
from ._report import Reporter, StepFailed
from ._routing import route_across_regions
from ._scaling import scale_to_zero
from ._target import Settings, Target, UsageError, aws_target, simulator_target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
ROUND = 25
"""Requests per round: one round awaited by polling S3, one by notifications."""
SIMULATED_TIMEOUT = 30.0
SIMULATED_BACKOFF = Backoff(initial=0.1, maximum=0.5, multiplier=1.5)
_SAMPLES = 3

Outcome = bytes | InferenceFailedError
_Wait = Callable[[ProgressCallback], object]
"""A wait that reports each endpoint status it sees to the callback it is given."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo's options."""
    parser.add_argument("--region", help="the AWS region (default: us-east-1 on the simulator)")
    parser.add_argument(
        "--endpoint-url", metavar="URL", help="send every AWS request here, e.g. LocalStack's"
    )
    aws = parser.add_argument_group(
        "against AWS or LocalStack (give all three; without them the simulator is used)"
    )
    aws.add_argument("--role-arn", metavar="ARN", help="the SageMaker execution role")
    aws.add_argument("--image", metavar="URI", help="the model's container image in ECR")
    aws.add_argument(
        "--bucket", help="an existing bucket; the demo writes and empties <name>/ in it"
    )
    aws.add_argument("--model-data-url", metavar="S3_URI", help="the model artifact, if any")
    aws.add_argument("--instance-type", default="ml.m5.large", help="(default: %(default)s)")
    parser.add_argument(
        "--name",
        default="churn-demo",
        help="the endpoint and model name, and the prefix of every other (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"for each wait (default: {SIMULATED_TIMEOUT:.0f} on the simulator, "
        f"{ENDPOINT_TIMEOUT:.0f} on AWS)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the demo with the parsed *args* on stdout and stderr; return the exit status."""
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    settings = Settings(
        name=args.name,
        region=args.region,
        endpoint_url=args.endpoint_url,
        role_arn=args.role_arn,
        image=args.image,
        model_data_url=args.model_data_url,
        bucket=args.bucket,
        instance_type=args.instance_type,
        timeout=args.timeout,
    )
    try:
        settings.check()
        target = simulator_target(settings) if settings.simulated else aws_target(settings)
        plan = build_plan(settings, target)
    except (UsageError, ValidationError) as error:
        print(f"sagemaker-async demo: {error}", file=err)
        return EXIT_USAGE
    except ModuleNotFoundError as error:
        hint = "" if "[testing]" in str(error) else " (pip install 'sagemaker-async[testing]')"
        print(f"sagemaker-async demo: the simulator cannot run: {error}{hint}", file=err)
        return EXIT_FAILED
    timeout = settings.timeout or (SIMULATED_TIMEOUT if settings.simulated else ENDPOINT_TIMEOUT)
    demo = Demo(target, plan, Reporter(out), timeout=timeout)
    try:
        demo.run()
    except StepFailed as error:
        print(f"sagemaker-async demo: {error}", file=err)
        for note in demo.notes:
            print(f"sagemaker-async demo: {note}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("sagemaker-async demo: interrupted", file=err)
        return EXIT_INTERRUPTED
    return EXIT_OK


class Demo:
    """The steps, and what they created, so that teardown deletes exactly that."""

    def __init__(self, target: Target, plan: Plan, report: Reporter, *, timeout: float) -> None:
        self.target = target
        self.plan = plan
        self.report = report
        self.timeout = timeout
        self.notes: list[str] = []
        self._created: set[str] = set()
        self._queue_url: str | None = None
        self._client: AsyncInferenceClient | None = None

    @property
    def client(self) -> AsyncInferenceClient:
        """The library's client, on the target's boto3 clients."""
        if self._client is None:
            target = self.target
            self._client = AsyncInferenceClient(
                target.session,
                sagemaker_client=target.sagemaker,
                runtime_client=target.runtime,
                s3_client=target.s3,
                input_path=self.plan.input_path,
                backoff=SIMULATED_BACKOFF if target.simulator is not None else None,
            )
        return self._client

    def run(self) -> None:
        """Every step, then teardown (also after a failure); raises the first failure."""
        started = time.perf_counter()
        self.report.line(f"sagemaker-async demo on {self.target.description}")
        try:
            if self.target.simulator is not None:
                with self.report.step("start the simulator (a moto server)") as step:
                    self.target.start()
                    step.summary = str(self.target.simulator.endpoint_url)
            failure: BaseException | None = None
            try:
                self._lifecycle()
            except (StepFailed, KeyboardInterrupt) as error:
                failure = error
            try:
                self._teardown()
            except StepFailed as error:
                if failure is None:
                    raise
                self.notes.append(f"and then {error}")
            if failure is not None:
                raise failure
        finally:
            self.target.stop()
        if self.target.simulator is not None:
            # One simulator at a time per process: this one runs once the first is stopped.
            scale_to_zero(self.report)
            route_across_regions(self.report)
        self.report.line(f"done in {time.perf_counter() - started:.1f} s")

    # -- the steps ---------------------------------------------------------------------

    def _lifecycle(self) -> None:
        plan, target, report = self.plan, self.target, self.report
        if target.owns_bucket:
            with report.step(f"create bucket {target.bucket}"):
                resources.create_bucket(target)
                self._created.add("bucket")
        with report.step(
            f"create SNS topics {_short(plan.success_topic)} and {_short(plan.error_topic)}, "
            f"and SQS queue {plan.queue_name} subscribed to both"
        ):
            self._created.add("notifications")
            self._queue_url = resources.create_notifications(target, plan)
        with report.step(f"create model {plan.model.name}"):
            self.client.create_model(plan.model)
            self._created.add("model")
        first, second = plan.config_names
        with report.step(f"create endpoint configs {first} and {second} (failure path, topics)"):
            for config in (plan.config, plan.updated_config):
                self.client.create_endpoint_config(config)
                self._created.add(config.name)
        with report.step(f"create endpoint {plan.endpoint_name} on {first}") as step:
            self.client.create_endpoint(plan.endpoint_name, first, wait=False)
            self._created.add("endpoint")
            step.summary = self._statuses(
                lambda on_progress: self.client.wait_for_endpoint(
                    plan.endpoint_name, timeout=self.timeout, on_progress=on_progress
                )
            )
        with report.step(f"update endpoint {plan.endpoint_name} to {second}") as step:
            step.summary = self._statuses(
                lambda on_progress: self.client.update_endpoint(
                    plan.endpoint_name, second, timeout=self.timeout, on_progress=on_progress
                )
            )
        rows = model.sample_rows(2 * ROUND - 1)
        rows.insert(ROUND + ROUND // 2, model.MALFORMED_ROW)
        self._round(rows[:ROUND], "polling S3 (as_completed)", None)
        queue = NotificationQueue(self._queue_url or "", sqs_client=target.sqs)
        self._round(rows[ROUND:], "SNS notifications (NotificationQueue)", queue)
        with report.step("the IAM policies of this deployment (sagemaker_async.iam)") as step:
            described = {title: describe_statements(doc) for title, doc in plan.policies.items()}
            count = sum(len(lines) for lines in described.values())
            step.summary = f"{len(described)} policies, {count} statements"
        for title, lines in described.items():
            report.detail(f"{title}:")
            for line in lines:
                report.detail(f"  {line}")

    def _statuses(self, wait: _Wait) -> str:
        seen: list[str] = []

        def on_progress(described: EndpointDescription, elapsed: float) -> None:
            seen.append(str(described.status))
            self.report.progress(f"{described.status} after {elapsed:.1f} s")

        wait(on_progress)
        return " -> ".join(seen)

    def _round(self, rows: list[str], how: str, queue: NotificationQueue | None) -> None:
        report = self.report
        malformed = sum(row == model.MALFORMED_ROW for row in rows)
        which = f", {malformed} of them malformed" if malformed else ""
        with report.step(f"invoke {len(rows)} requests asynchronously{which}"):
            sent: dict[AsyncInvocation, str] = {}
            for row in rows:
                invocation = self.client.invoke_async(
                    self.plan.endpoint_name, row + "\n", content_type=model.CONTENT_TYPE
                )
                sent[invocation] = row
        with report.step(f"await {len(rows)} results by {how}") as step:
            done = as_completed(sent, timeout=self.timeout, notifications=queue)
            outcomes = self._collect(done, len(sent))
            self._check(outcomes, sent)
            failed = [i for i, o in outcomes.items() if isinstance(o, InferenceFailedError)]
            step.summary = f"{len(outcomes) - len(failed)} scored, {len(failed)} failed"
        shown = 0
        for invocation, outcome in outcomes.items():
            if isinstance(outcome, InferenceFailedError):
                body = (outcome.failure_body or b"").decode("utf-8", "replace").strip()
                report.detail(f"failed {sent[invocation]!r}: {body[:200]}")
            elif shown < _SAMPLES:
                shown += 1
                score = outcome.decode("utf-8", "replace").strip()
                report.detail(f"{sent[invocation]} -> churn probability {score}")

    def _collect(
        self, done: Iterable[AsyncInvocation], total: int
    ) -> dict[AsyncInvocation, Outcome]:
        outcomes: dict[AsyncInvocation, Outcome] = {}
        self.report.count(0, total)
        for invocation in done:
            try:
                outcomes[invocation] = invocation.result()
            except InferenceFailedError as error:
                outcomes[invocation] = error
            self.report.count(len(outcomes), total)
        return outcomes

    def _check(
        self, outcomes: dict[AsyncInvocation, Outcome], sent: dict[AsyncInvocation, str]
    ) -> None:
        if self.target.simulator is None:
            return  # a real image is the user's model: nothing to compare with
        for invocation, outcome in outcomes.items():
            row = sent[invocation]
            if row == model.MALFORMED_ROW:
                if not isinstance(outcome, InferenceFailedError):
                    raise resources.DemoError(f"the malformed request {row!r} did not fail")
            elif outcome != model.handler(row.encode(), model.CONTENT_TYPE):
                raise resources.DemoError(f"request {row!r} returned {outcome!r}")

    # -- teardown ----------------------------------------------------------------------

    def _remove_endpoint(self) -> None:
        name = self.plan.endpoint_name
        # After a failed or interrupted step the endpoint may still be Creating or
        # Updating, which SageMaker refuses to delete: let it settle first.
        with contextlib.suppress(WaiterError):
            self.client.wait_for_endpoint(name, timeout=ENDPOINT_TIMEOUT)
        self.client.teardown(name)

    def _teardown(self) -> None:
        plan, target, report = self.plan, self.target, self.report
        created = self._created
        with report.step("tear down the endpoint, its configs and model, topics, queue, objects"):
            undo: list[tuple[str, Callable[[], object]]] = []
            if "endpoint" in created:
                # The endpoint, then the config it runs and that config's model.
                undo.append(("the endpoint", self._remove_endpoint))
            undo.extend(
                (config_name, partial(self.client.delete_endpoint_config, config_name))
                for config_name in plan.config_names
                if config_name in created
            )
            if "model" in created:
                undo.append(("the model", partial(self.client.delete_model, plan.model.name)))
            if "notifications" in created:
                undo.append(
                    (
                        "the topics and the queue",
                        partial(resources.delete_notifications, target, plan, self._queue_url),
                    )
                )
            if "bucket" in created or not target.owns_bucket:
                undo.append(("the objects", partial(resources.delete_objects, target, plan.prefix)))
            if "bucket" in created:
                undo.append(("the bucket", partial(resources.delete_bucket, target)))
            # Each one is tried, so that one failure leaves as little behind as possible.
            failures: list[str] = []
            for what, delete in undo:
                try:
                    delete()
                except ResourceNotFoundError:
                    pass  # gone already: a teardown may run again after an interrupted one
                except Exception as error:
                    failures.append(f"{what}: {error}")
            if failures:
                raise resources.DemoError("could not delete " + "; ".join(failures))
        with report.step("check that nothing the demo created is left") as step:
            left = resources.leftovers(target, plan)
            if left:
                raise resources.DemoError(f"still there: {', '.join(left)}")
            step.summary = "nothing left"


def _short(arn: str) -> str:
    return arn.rpartition(":")[2]
