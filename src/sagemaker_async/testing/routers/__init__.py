"""The simulator's inference routers: the control plane's routers and their runtime.

moto has neither: routers live here, on the simulator's clock, and their
requests queue at the destinations' backlogs through the capacity room.
"""
