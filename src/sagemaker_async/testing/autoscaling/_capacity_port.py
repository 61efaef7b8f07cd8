"""What the autoscaling room needs from whoever owns the variants' instances."""

from __future__ import annotations

from typing import Protocol


class CapacityRefusedError(Exception):
    """SageMaker refused a capacity change (for example: the endpoint is not InService).

    Raised by :meth:`CapacityPort.set_desired_count`; the scaling activity is
    recorded as Failed with *reason*, and no cooldown starts.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CapacityPort(Protocol):
    """The variants of SageMaker endpoints, as Application Auto Scaling sees them.

    Implemented by the simulator's capacity room. :class:`AutoScaling` calls
    these with its lock held; a port with a lock of its own should share it
    (``AutoScaling(..., lock=...)``) so that two threads never take the two
    locks in opposite orders.
    """

    def variant_exists(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool:
        """Whether the endpoint exists and has a production variant of that name."""
        ...

    def desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> int | None:
        """The variant's ``DesiredInstanceCount``; None if the variant is gone."""
        ...

    def set_desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str, count: int
    ) -> None:
        """Do what UpdateEndpointWeightsAndCapacities does for this variant's count.

        The endpoint goes ``Updating`` and instances start or drain.

        Raises:
            CapacityRefusedError: SageMaker would refuse the change.
        """
        ...
