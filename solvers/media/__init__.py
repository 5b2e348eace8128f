"""Working-fluid models: real fluids (CoolProp), ideal gases, humid air, ideal mixtures."""

from solvers.media.base import (
    P0_DEFAULT,
    T0_DEFAULT,
    DeadState,
    IdealGas,
    Medium,
    Point,
    RealFluid,
)
from solvers.media.humid_air import psychrometrics
from solvers.media.mixtures import (
    FlashResult,
    bubble_point_P,
    bubble_point_T,
    compound,
    dew_point_P,
    dew_point_T,
    flash_TP,
    vapor_pressure,
)

__all__ = [
    "P0_DEFAULT",
    "T0_DEFAULT",
    "DeadState",
    "FlashResult",
    "IdealGas",
    "Medium",
    "Point",
    "RealFluid",
    "bubble_point_P",
    "bubble_point_T",
    "compound",
    "dew_point_P",
    "dew_point_T",
    "flash_TP",
    "psychrometrics",
    "vapor_pressure",
]
