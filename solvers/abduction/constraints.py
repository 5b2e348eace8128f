"""Domain constraints of the abduction: relations linking slots, and physical bounds.

A :class:`Relation` says which combinations of values of its slots are consistent (a mass balance,
an energy balance, any equation); the abduction turns it into forbidden combinations of candidate
labels. Bounds and dimensions act on single labels and are hard: an absolute temperature below
0 K is never accepted, whatever the support.

>>> mix = balance("mixer", inlets=["m1", "m2"], outlets=["m3"])
>>> mix.consistent([1.0, 2.0, 3.0]), mix.consistent([1.0, 2.0, 4.0])
(True, False)
>>> physical_bounds("K"), physical_bounds("dimensionless", kind="quality")
((0.0, None), (0.0, 1.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solvers.errors import AbductionError
from solvers.units import parse_unit, ureg

Residual = Callable[[Sequence[float]], float]


@dataclass(frozen=True)
class Relation:
    """A constraint over ``slots``: their SI values are consistent when ``|residual| <= tol``.

    ``residual`` returns a relative mismatch (dimensionless). ``hard`` relations may never be
    violated by an accepted set; soft ones (the default) count towards the inconsistency rate.
    """

    name: str
    slots: tuple[str, ...]
    residual: Residual
    tol: float = 1e-2
    hard: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if len(self.slots) < 2:
            raise AbductionError(self.slots, f"relation {self.name!r} must link at least two slots")
        if len(set(self.slots)) != len(self.slots):
            raise AbductionError(self.slots, f"relation {self.name!r} repeats a slot")
        if not (self.tol >= 0.0 and math.isfinite(self.tol)):
            raise AbductionError(self.tol, f"relation {self.name!r} needs a finite tol >= 0")

    def consistent(self, values: Sequence[float]) -> bool:
        """True when the SI ``values`` (in the order of ``slots``) satisfy the relation."""
        try:
            r = self.residual(values)
        except (ArithmeticError, ValueError):
            return False
        return math.isfinite(r) and abs(r) <= self.tol


def _relative(lhs: float, rhs: float) -> float:
    scale = max(abs(lhs), abs(rhs))
    return 0.0 if scale == 0.0 else (lhs - rhs) / scale


def balance(
    name: str, inlets: Sequence[str], outlets: Sequence[str], *, tol: float = 1e-2
) -> Relation:
    """A conservation balance: sum of ``inlets`` = sum of ``outlets`` (mass, energy...) [SI].

    >>> balance("energy", ["Q_in"], ["W_net", "Q_out"]).consistent([100.0, 40.0, 60.0])
    True
    """
    k = len(inlets)
    return Relation(
        name=name,
        slots=(*inlets, *outlets),
        residual=lambda v: _relative(sum(v[:k]), sum(v[k:])),
        tol=tol,
        description=f"{' + '.join(inlets)} = {' + '.join(outlets)}",
    )


def equation(
    name: str,
    slots: Sequence[str],
    sides: Callable[[Sequence[float]], tuple[float, float]],
    *,
    tol: float = 1e-2,
    description: str = "",
) -> Relation:
    """A relation ``lhs(values) = rhs(values)`` over ``slots`` [SI], compared relatively.

    >>> eta = equation("efficiency", ["W", "Q", "eta"], lambda v: (v[0], v[1] * v[2]))
    >>> eta.consistent([40.0, 100.0, 0.4]), eta.consistent([40.0, 100.0, 0.5])
    (True, False)
    """

    def residual(v: Sequence[float]) -> float:
        lhs, rhs = sides(v)
        return _relative(lhs, rhs)

    return Relation(
        name=name, slots=tuple(slots), residual=residual, tol=tol, description=description or name
    )


# Bounds by kind of quantity [SI]; None means unbounded on that side.
_KIND_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "quality": (0.0, 1.0),
    "efficiency": (0.0, 1.0),
    "fraction": (0.0, 1.0),
    "absolute_temperature": (0.0, None),
    "absolute_pressure": (0.0, None),
    "mass_flow": (0.0, None),
}


def physical_bounds(unit: str, *, kind: str | None = None) -> tuple[float | None, float | None]:
    """Physical bounds [SI] for a slot in ``unit``: absolute T and P > 0, 0 <= x, η <= 1.

    ``kind`` names a bound set (quality, efficiency, fraction, mass_flow...); without it the
    dimension decides (temperature and pressure are taken as absolute).
    """
    if kind is not None:
        if kind not in _KIND_BOUNDS:
            raise AbductionError(kind, f"unknown bound kind; known: {', '.join(_KIND_BOUNDS)}")
        return _KIND_BOUNDS[kind]
    dim = parse_unit(unit).dimensionality
    if dim == ureg.kelvin.dimensionality:
        return _KIND_BOUNDS["absolute_temperature"]
    if dim == ureg.pascal.dimensionality:
        return _KIND_BOUNDS["absolute_pressure"]
    return (None, None)
