"""Applying a plan: create what is new, move the endpoint, then retire what it left.

A failure undoes this run's own work (what it created, an update it made) and
is raised; what existed before is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from sagemaker_async.aws import Services
from sagemaker_async.endpoints import Configs, Endpoints, ProgressCallback
from sagemaker_async.scaling import Autoscaling

from ._deploy import Undo, undo_all
from ._plan import Change, Plan
from ._update import update

Report = Callable[[Change], object]
"""Told of each change once it is made."""


def apply(
    aws: Services,
    planned: Plan,
    *,
    timeout: float,
    on_change: Report | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[Change, ...]:
    """Make the changes of *planned*, in order; return those made."""
    configs = Configs(aws)
    endpoints = Endpoints(aws, configs)
    autoscaling = Autoscaling(aws)
    wanted = planned.desired
    done: list[Change] = []
    undo: list[Undo] = []

    def made(change: Change) -> None:
        done.append(change)
        if on_change is not None:
            on_change(change)

    try:
        for change in planned.changes:
            if change.kind == "model" and change.action == "create":
                configs.create_model(wanted.model)
                undo.append((f"model {change.name}", _deleter(configs.delete_model, change.name)))
            elif change.kind == "endpoint config" and change.action == "create":
                configs.create_endpoint_config(wanted.config)
                undo.append(
                    (
                        f"endpoint config {change.name}",
                        lambda: configs.delete_endpoint_config(wanted.config.name, force=True),
                    )
                )
            elif change.kind == "endpoint" and change.action == "create":
                undo.append(
                    (
                        f"endpoint {change.name}",
                        lambda: endpoints.remove(
                            wanted.endpoint_name, timeout, running=wanted.config.name
                        ),
                    )
                )
                endpoints.create(
                    wanted.endpoint_name,
                    wanted.config.name,
                    wait=True,
                    timeout=timeout,
                    on_progress=on_progress,
                )
            elif change.kind == "endpoint" and change.action == "update":
                _update(configs, endpoints, autoscaling, planned, timeout, on_progress, undo)
            elif change.kind == "scaling" and wanted.scaling is not None:
                autoscaling.enable(wanted.endpoint_name, wanted.scaling, wanted.variant_name)
            elif change.kind == "scaling":
                autoscaling.disable(wanted.endpoint_name, wanted.variant_name)
            elif change.action == "delete":
                # Retiring comes last: nothing to undo, and a failure leaves only litter.
                _retire(configs, change)
            made(change)
    except BaseException as error:
        undo_all(reversed(undo), error)
        raise
    return tuple(done)


def _update(
    configs: Configs,
    endpoints: Endpoints,
    autoscaling: Autoscaling,
    planned: Plan,
    timeout: float,
    on_progress: ProgressCallback | None,
    undo: list[Undo],
) -> None:
    wanted = planned.desired
    before = planned.endpoint.config_name if planned.endpoint is not None else None

    def move(config_name: str) -> object:
        return update(
            configs,
            endpoints,
            autoscaling,
            wanted.endpoint_name,
            config_name,
            wait=True,
            timeout=timeout,
            on_progress=on_progress,
        )

    # A failed update rolls back by itself; one that succeeded is undone if a later
    # step fails, before the config it moved to is deleted.
    update_done: list[bool] = []
    if before is not None:
        undo.append(
            (
                f"the update of endpoint {wanted.endpoint_name}",
                lambda: move(before) if update_done else False,
            )
        )
    move(wanted.config.name)
    update_done.append(True)


def _retire(configs: Configs, change: Change) -> None:
    if change.kind == "endpoint config":
        configs.delete_endpoint_config(change.name)
    else:
        configs.delete_model(change.name)


def _deleter(delete: Callable[[str], None], name: str) -> Callable[[], None]:
    return lambda: delete(name)
