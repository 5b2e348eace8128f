"""Thermodynamic cycle models built from the component balances."""

from solvers.cycles.base import CycleResult
from solvers.cycles.brayton import brayton, brayton_regenerative
from solvers.cycles.combined import combined_cycle
from solvers.cycles.rankine import rankine, rankine_regenerative, rankine_reheat
from solvers.cycles.refrigeration import vapor_compression

__all__ = [
    "CycleResult",
    "brayton",
    "brayton_regenerative",
    "combined_cycle",
    "rankine",
    "rankine_regenerative",
    "rankine_reheat",
    "vapor_compression",
]
