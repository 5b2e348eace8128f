"""Dimensional consistency of equations, checked with pint before an equation is used.

Each variable is replaced by a quantity in its SI unit and each side is evaluated; both sides
must share a dimension and every exp/log argument must be dimensionless.

>>> from solvers.equations.catalogue import EQUATIONS_BY_NAME
>>> check_dimensions(EQUATIONS_BY_NAME["darcy_weisbach"])  # passes silently
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import sympy as sp

from solvers.equations.model import Equation
from solvers.errors import DimensionError
from solvers.units import Q_

# units of the named constants the catalogue uses
CONSTANT_UNITS = {"g": "m/s**2", "R_u": "J/(mol*K)", "sigma": "W/(m**2*K**4)"}


def _qexp(x: Any) -> Any:
    return math.exp(x.to("dimensionless").magnitude) if hasattr(x, "to") else math.exp(x)


def _qlog(x: Any) -> Any:
    return math.log(x.to("dimensionless").magnitude) if hasattr(x, "to") else math.log(x)


def _side(expr: str, eq: Equation, values: dict[str, Any]) -> Any:
    loc = {n: sp.Symbol(n) for n in eq.symbol_names}
    e = sp.sympify(expr, locals=loc)
    syms = sorted(e.free_symbols, key=lambda s: s.name)
    fn = sp.lambdify(syms, e, modules=[{"exp": _qexp, "log": _qlog, "sqrt": lambda x: x**0.5}])
    return fn(*(values[s.name] for s in syms))


@lru_cache(maxsize=512)
def check_dimensions(eq: Equation) -> None:
    """Raise :class:`DimensionError` when ``eq``'s two sides differ in dimension."""
    from solvers.equations.catalogue import VARIABLES_BY_NAME

    values: dict[str, Any] = {}
    for i, n in enumerate(eq.symbol_names):
        if n in eq.constants:
            values[n] = Q_(eq.constants[n], CONSTANT_UNITS.get(n, "dimensionless"))
            continue
        unit = VARIABLES_BY_NAME[n].unit
        # distinct values avoid 0/0 in differences; fractions stay inside (0, 1) for log(1 - X)
        mag = 0.3 + 0.01 * i if unit == "dimensionless" else 1.3 + 0.17 * i
        values[n] = Q_(mag, unit)
    try:
        lhs = Q_(_side(eq.lhs, eq, values))
        rhs = Q_(_side(eq.rhs, eq, values))
    except Exception as e:
        raise DimensionError(f"{eq.name}: {eq.lhs} = {eq.rhs}", f"consistent units ({e})") from e
    if lhs.dimensionality != rhs.dimensionality:
        raise DimensionError(
            f"{eq.name}: {eq.lhs} [{lhs.dimensionality}]", f"{eq.rhs} [{rhs.dimensionality}]"
        )
