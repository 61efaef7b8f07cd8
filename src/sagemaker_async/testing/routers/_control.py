"""The sagemaker control plane's router operations, added to moto's SageMakerResponse.

Create, Update, Describe, Delete and ListInferenceRouters with AWS's shapes;
a router is Creating, Updating or Deleting for the simulator's delays and
answers ConflictException to changes meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, Final

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import (
    ConflictException,
    ResourceNotFound,
    SagemakerClientError,
    ValidationError,
)
from moto.sagemaker.responses import SageMakerResponse

from sagemaker_async.testing.control_plane._moto_patch import Patcher
from sagemaker_async.testing.control_plane._plane import Delays

from ._checks import items, mode_problems, name_problems, refuse, targets_problems
from ._destinations import Destinations
from ._records import BUSY, RouterRecord, RouterStore, router_arn

PAGE: Final = 100
PARAMETERS: Final = ("InferenceRouterName", "RoutingTargets", "Tags", "MaxResults", "NextToken")


class ResourceAlreadyExists(SagemakerClientError):
    """CreateInferenceRouter on a name in use."""

    code = "ResourceAlreadyExists"


def not_found(arn: str) -> str:
    """Any call naming a router that is not there."""
    return f'Could not find inference router "{arn}".'


def busy(arn: str, status: str) -> str:
    """An update or delete while the router is Creating, Updating or Deleting."""
    return (
        f'Cannot modify inference router "{arn}" while its status is {status}. '
        "Describe the router, and send the request again when it is InService or Failed."
    )


def _refuse_first(problems: Iterator[str]) -> None:
    problem = next(problems, None)
    if problem is not None:
        raise ValidationError(problem)


class RouterControl:
    """The handlers' state: routers, delays, the clock and the destinations' status."""

    def __init__(
        self,
        store: RouterStore,
        delays: Delays,
        clock_time: Callable[[], float],
        wall: Callable[[float], datetime],
        destinations: Destinations,
        settle: Callable[[], None],
    ) -> None:
        self.store = store
        self.delays = delays
        self.time = clock_time
        self.wall = wall
        self.destinations = destinations
        self.settle = settle

    def create(self, account: str, region: str, params: Mapping[str, Any]) -> str:
        name = params.get("InferenceRouterName")
        targets = list(params.get("RoutingTargets") or [])
        refuse([*name_problems(name, "inferenceRouterName"), *targets_problems(targets, "aws")])
        assert isinstance(name, str)
        _refuse_first(mode_problems(targets, account))
        now = self.time()
        arn = router_arn(account, region, name)
        if self.store.get((account, region, name), now) is not None:
            raise ResourceAlreadyExists(f'Cannot create already existing inference router "{arn}".')
        moment = self.wall(now)
        record = RouterRecord(
            key=(account, region, name),
            arn=arn,
            targets=[],
            pending=targets,
            tags=list(params.get("Tags") or []),
            status="Creating",
            busy_until=now + self.delays.create,
            created=moment,
            modified=moment,
        )
        self.store.add(record)
        self.store.begin_change(record)
        return arn

    def _existing(self, account: str, region: str, name: object) -> RouterRecord:
        refuse(list(name_problems(name, "inferenceRouterName")))
        assert isinstance(name, str)
        record = self.store.get((account, region, name), self.time())
        if record is None:
            raise ResourceNotFound(not_found(router_arn(account, region, name)))
        return record

    def update(self, account: str, region: str, params: Mapping[str, Any]) -> str:
        targets = list(params.get("RoutingTargets") or [])
        record = self._existing(account, region, params.get("InferenceRouterName"))
        refuse(list(targets_problems(targets, "aws")))
        if record.status in BUSY:
            raise ConflictException(busy(record.arn, record.status))
        _refuse_first(mode_problems(targets, account))
        now = self.time()
        record.pending = targets
        record.status, record.busy_until = "Updating", now + self.delays.update
        record.status_reason = None
        record.modified = self.wall(now)
        self.store.begin_change(record)
        return record.arn

    def delete(self, account: str, region: str, params: Mapping[str, Any]) -> None:
        record = self._existing(account, region, params.get("InferenceRouterName"))
        if record.status in BUSY:
            raise ConflictException(busy(record.arn, record.status))
        now = self.time()
        record.status, record.busy_until = "Deleting", now + self.delays.delete

    def describe(self, account: str, region: str, params: Mapping[str, Any]) -> dict[str, Any]:
        self.settle()
        record = self._existing(account, region, params.get("InferenceRouterName"))
        shown = record.targets if record.status != "Creating" else (record.pending or [])
        targets = [
            {
                **target,
                "Destinations": [
                    {
                        "ResourceArn": str(d.get("ResourceArn")),
                        "RoutingStatus": self.destinations.status(
                            str(d.get("ResourceArn")), account
                        ),
                    }
                    for d in items(target, "Destinations")
                ],
            }
            for target in shown
        ]
        answer: dict[str, Any] = {
            "InferenceRouterName": record.key[2],
            "InferenceRouterArn": record.arn,
            "RoutingTargets": targets,
            "Status": record.status,
            "CreationTime": record.created,
            "LastModifiedTime": record.modified,
        }
        if record.status_reason is not None:
            answer["StatusReason"] = record.status_reason
        return answer

    def list(self, account: str, region: str, params: Mapping[str, Any]) -> dict[str, Any]:
        records = self.store.listed(account, region, self.time())
        size = int(params.get("MaxResults") or PAGE)
        start = int(params.get("NextToken") or 0)
        page = records[start : start + size]
        answer: dict[str, Any] = {
            "InferenceRouters": [
                {
                    "InferenceRouterName": r.key[2],
                    "InferenceRouterArn": r.arn,
                    "CreationTime": r.created,
                    "LastModifiedTime": r.modified,
                }
                for r in page
            ]
        }
        if start + size < len(records):
            answer["NextToken"] = str(start + size)
        return answer


def patch_responses(patcher: Patcher, control: RouterControl, lock: Any) -> None:
    """Add the router operations to moto's SageMakerResponse (found by name at request time)."""

    def handler(
        operation: Callable[[str, str, Mapping[str, Any]], object],
        shape: Callable[[object], dict[str, Any]],
    ) -> Callable[[SageMakerResponse], ActionResult]:
        def handle(self: SageMakerResponse) -> ActionResult:
            params = {key: self._get_param(key) for key in PARAMETERS}  # pyright: ignore[reportPrivateUsage]
            with lock:
                result = operation(self.current_account, self.region, params)
            return ActionResult(shape(result))

        return handle

    def arn_of(result: object) -> dict[str, Any]:
        return {"InferenceRouterArn": result}

    def nothing(_: object) -> dict[str, Any]:
        return {}

    def itself(result: object) -> dict[str, Any]:
        assert isinstance(result, dict)
        return result  # pyright: ignore[reportUnknownVariableType]

    for name, operation, shape in (
        ("create_inference_router", control.create, arn_of),
        ("update_inference_router", control.update, arn_of),
        ("delete_inference_router", control.delete, nothing),
        ("describe_inference_router", control.describe, itself),
        ("list_inference_routers", control.list, itself),
    ):
        patcher.replace(SageMakerResponse, name, handler(operation, shape))
