"""Steady-flow component models with energy, entropy and exergy balances."""

from solvers.components import devices, heat, separation
from solvers.components.base import (
    COMPONENTS,
    ComponentResult,
    entropy_generation,
    get_component,
    register_component,
)
from solvers.components.devices import compressor, diffuser, nozzle, pump, throttle, turbine
from solvers.components.heat import (
    boiler,
    condenser,
    evaporator,
    heat_exchanger,
    mixing_chamber,
    splitter,
)
from solvers.components.separation import flash_separator, reactor

__all__ = [
    "COMPONENTS",
    "ComponentResult",
    "boiler",
    "compressor",
    "condenser",
    "devices",
    "diffuser",
    "entropy_generation",
    "evaporator",
    "flash_separator",
    "get_component",
    "heat",
    "heat_exchanger",
    "mixing_chamber",
    "nozzle",
    "pump",
    "reactor",
    "register_component",
    "separation",
    "splitter",
    "throttle",
    "turbine",
]
