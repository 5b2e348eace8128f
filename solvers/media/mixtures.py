"""Pure-compound data and ideal vapour–liquid equilibrium through ``chemicals`` and ``thermo``.

Vapour pressures come from thermo's :class:`~thermo.vapor_pressure.VaporPressure` (the best
method the compound has: CoolProp, Wagner, Antoine, ...); K-values follow Raoult's law,
K_i = Psat_i(T)/P; the isothermal flash solves the Rachford–Rice equation with
:func:`chemicals.rachford_rice.flash_inner_loop`.

>>> round(bubble_point_T(["benzene", "toluene"], [0.5, 0.5], 101325.0) - 273.15, 1)
92.1
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chemicals.identifiers import CAS_from_any, search_chemical
from chemicals.rachford_rice import flash_inner_loop
from scipy import optimize

from solvers.errors import PropertyError


@dataclass(frozen=True)
class Compound:
    """Identity and constants of a pure compound: MW [g/mol], Tc [K], Pc [Pa], Tb [K]."""

    name: str
    CAS: str
    formula: str
    MW: float
    Tc: float | None
    Pc: float | None
    Tb: float | None


@lru_cache(maxsize=512)
def compound(name: str) -> Compound:
    """Look up a compound by name, synonym, formula or CAS number.

    >>> c = compound("toluene")
    >>> c.CAS, round(c.MW, 2)
    ('108-88-3', 92.14)
    """
    from chemicals.critical import Pc, Tc
    from chemicals.phase_change import Tb

    try:
        cas = CAS_from_any(name)
        meta = search_chemical(cas)
    except ValueError as e:
        raise PropertyError(f"compound={name!r}", "unknown compound") from e
    return Compound(
        name=meta.common_name or name,
        CAS=cas,
        formula=meta.formula,
        MW=float(meta.MW),
        Tc=Tc(cas),
        Pc=Pc(cas),
        Tb=Tb(cas),
    )


@lru_cache(maxsize=512)
def _vp(cas: str) -> Any:
    from thermo.vapor_pressure import VaporPressure

    return VaporPressure(CASRN=cas)


def vapor_pressure(name: str, T: float) -> float:
    """Saturation pressure of a pure compound at T [K] -> [Pa].

    Raises PropertyError naming the compound and T when T is outside the correlation's range.

    >>> round(vapor_pressure("water", 373.15) / 1e3, 1)
    101.4
    """
    c = compound(name)
    vp = _vp(c.CAS)
    if vp.method is None:
        raise PropertyError(f"{c.name}(T={T:g} K)", "no vapour-pressure correlation available")
    if not vp.Tmin <= T <= vp.Tmax:
        raise PropertyError(
            f"{c.name}(T={T:g} K)",
            f"outside the vapour-pressure range {vp.Tmin:.1f}-{vp.Tmax:.1f} K ({vp.method})",
        )
    return float(vp(T))


def _check(names: list[str], z: list[float]) -> None:
    if len(names) != len(z) or len(names) < 2:
        raise PropertyError(f"mixture {names} z={z}", "need >= 2 compounds and one z per compound")
    if any(zi < 0 for zi in z) or abs(sum(z) - 1.0) > 1e-6:
        raise PropertyError(f"z={z}", "mole fractions must be >= 0 and sum to 1")


def _bracket(names: list[str]) -> tuple[float, float]:
    lo = max(_vp(compound(n).CAS).Tmin for n in names)
    hi = min(_vp(compound(n).CAS).Tmax for n in names)
    return lo, hi


def bubble_point_T(names: list[str], z: list[float], P: float) -> float:
    """Raoult bubble temperature [K] of liquid ``z`` at P [Pa]: Σ z_i Psat_i(T) = P."""
    _check(names, z)
    lo, hi = _bracket(names)

    def f(T: float) -> float:
        return sum(zi * vapor_pressure(n, T) for n, zi in zip(names, z, strict=True)) - P

    return _root(f, lo, hi, f"bubble point of {names} z={z} at P={P:g} Pa")


def dew_point_T(names: list[str], z: list[float], P: float) -> float:
    """Raoult dew temperature [K] of vapour ``z`` at P [Pa]: Σ z_i P/Psat_i(T) = 1."""
    _check(names, z)
    lo, hi = _bracket(names)

    def f(T: float) -> float:
        return sum(zi * P / vapor_pressure(n, T) for n, zi in zip(names, z, strict=True)) - 1.0

    return _root(f, lo, hi, f"dew point of {names} z={z} at P={P:g} Pa")


def bubble_point_P(names: list[str], z: list[float], T: float) -> float:
    """Raoult bubble pressure [Pa] of liquid ``z`` at T [K]."""
    _check(names, z)
    return sum(zi * vapor_pressure(n, T) for n, zi in zip(names, z, strict=True))


def dew_point_P(names: list[str], z: list[float], T: float) -> float:
    """Raoult dew pressure [Pa] of vapour ``z`` at T [K]."""
    _check(names, z)
    return 1.0 / sum(zi / vapor_pressure(n, T) for n, zi in zip(names, z, strict=True))


def _root(f: Any, lo: float, hi: float, what: str) -> float:
    try:
        return float(optimize.brentq(f, lo + 1e-6, hi - 1e-6, xtol=1e-9))
    except ValueError as e:
        raise PropertyError(what, f"no solution between {lo:.1f} and {hi:.1f} K") from e


@dataclass(frozen=True)
class FlashResult:
    """Isothermal flash: vapour fraction V/F [-], liquid x and vapour y mole fractions, K [-]."""

    beta: float
    x: list[float]
    y: list[float]
    K: list[float]


def flash_TP(names: list[str], z: list[float], T: float, P: float) -> FlashResult:
    """Ideal (Raoult) isothermal flash of feed ``z`` at T [K] and P [Pa] (Rachford–Rice).

    A feed below its bubble point returns beta = 0; above its dew point, beta = 1.

    >>> r = flash_TP(["benzene", "toluene"], [0.5, 0.5], 368.15, 101325.0)
    >>> 0.0 < r.beta < 1.0 and r.y[0] > r.x[0]
    True
    """
    _check(names, z)
    K = [vapor_pressure(n, T) / P for n in names]
    if sum(zi * Ki for zi, Ki in zip(z, K, strict=True)) <= 1.0:  # subcooled liquid
        return FlashResult(0.0, list(z), [zi * Ki for zi, Ki in zip(z, K, strict=True)], K)
    if sum(zi / Ki for zi, Ki in zip(z, K, strict=True)) <= 1.0:  # superheated vapour
        return FlashResult(1.0, [zi / Ki for zi, Ki in zip(z, K, strict=True)], list(z), K)
    beta, xs, ys = flash_inner_loop(list(z), K)
    return FlashResult(float(beta), [float(v) for v in xs], [float(v) for v in ys], K)
