"""Working-fluid models behind one small protocol, and the dead state for exergy.

A :class:`Medium` turns two independent properties into a :class:`Point` (T [K], P [Pa],
h [J/kg], s [J/(kg K)], v [m³/kg], x [-]). Component and cycle models only talk to this
protocol, so the same turbine works with steam through CoolProp, with cold-air-standard air and
with variable-cp air.

>>> air = IdealGas("air", cp=1005.0, k=1.4)
>>> p = air.state(T=300.0, P=100e3)
>>> round(p.h / 1e3, 2)
301.5
>>> round(air.state(P=800e3, s=p.s).T, 1)  # isentropic: T2 = T1 (P2/P1)^((k-1)/k)
543.4
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, runtime_checkable

from solvers.errors import PropertyError
from solvers.properties import State

T0_DEFAULT = 298.15  # dead-state temperature [K]
P0_DEFAULT = 101325.0  # dead-state pressure [Pa]


@dataclass(frozen=True)
class Point:
    """A resolved state point [SI]; ``x`` is NaN outside the two-phase dome."""

    T: float
    P: float
    h: float
    s: float
    v: float = math.nan
    x: float = math.nan


@runtime_checkable
class Medium(Hashable, Protocol):
    """A working-fluid model: ``state(**two of T, P, h, s, x)`` -> :class:`Point` [SI]."""

    name: str

    def state(self, **props: float) -> Point:
        """The state fixed by two independent properties [SI]."""
        ...


class RealFluid:
    """A real fluid through CoolProp (HEOS reference equations, or IAPWS-IF97 for water).

    Parameters
    ----------
    fluid : str  CoolProp name or synonym (steam, R-134a, air...)
    backend : str  "HEOS" or "IF97"
    reference : str or None  "IIR", "ASHRAE", "NBP" or None for CoolProp's default

    >>> round(RealFluid("R134a", reference="IIR").state(T=273.15, x=0.0).h / 1e3, 3)
    200.0
    """

    def __init__(self, fluid: str, backend: str = "HEOS", reference: str | None = None) -> None:
        self.name = fluid
        self.backend = backend
        self.reference = reference

    def state(self, **props: float) -> Point:
        """The state fixed by two of T [K], P [Pa], h [J/kg], s [J/(kg K)], x [-]."""
        st = State(self.name, backend=self.backend, reference=self.reference, **props)
        return Point(T=st.T, P=st.P, h=st.h, s=st.s, v=st.v, x=st.x)

    def __repr__(self) -> str:
        return f"RealFluid({self.name!r}, backend={self.backend!r})"


class IdealGas:
    """Ideal gas with constant specific heats (the cold-air-standard model).

    h = cp T (zero at 0 K) and s = cp ln(T/T_ref) − R ln(P/P_ref), zero at the reference state
    (the dead state by default), as textbooks tabulate it.

    Parameters
    ----------
    name : str  Gas name, for messages
    cp : float  Specific heat at constant pressure [J/(kg K)]
    k : float  Ratio of specific heats cp/cv [-]; gives R = cp (k − 1)/k when R is not given
    R : float or None  Gas constant [J/(kg K)]
    T_ref, P_ref : float  Entropy reference state [K], [Pa]
    """

    def __init__(
        self,
        name: str = "air",
        cp: float = 1005.0,
        k: float = 1.4,
        R: float | None = None,
        T_ref: float = T0_DEFAULT,
        P_ref: float = P0_DEFAULT,
    ) -> None:
        if cp <= 0 or k <= 1.0:
            raise PropertyError(f"{name}(cp={cp}, k={k})", "need cp > 0 and k > 1")
        self.name = name
        self.cp = cp
        self.k = k
        self.R = cp * (k - 1.0) / k if R is None else R
        if not 0 < self.R < cp:
            raise PropertyError(f"{name}(cp={cp}, R={self.R})", "need 0 < R < cp")
        self.T_ref = T_ref
        self.P_ref = P_ref

    def with_reference(self, T_ref: float, P_ref: float) -> IdealGas:
        """The same gas with entropy zero at (T_ref [K], P_ref [Pa])."""
        return IdealGas(self.name, self.cp, self.k, self.R, T_ref, P_ref)

    def _s(self, T: float, P: float) -> float:
        return self.cp * math.log(T / self.T_ref) - self.R * math.log(P / self.P_ref)

    def state(self, **props: float) -> Point:
        """The state fixed by two of T [K], P [Pa], h [J/kg], s [J/(kg K)]."""
        if len(props) != 2 or "x" in props:
            raise PropertyError(f"{self.name}{props}", "an ideal gas needs two of T, P, h, s")
        T = props.get("T")
        if T is None and "h" in props:
            T = props["h"] / self.cp
        P = props.get("P")
        s = props.get("s")
        if T is not None and P is None and s is not None:
            P = self.P_ref * math.exp((self.cp * math.log(T / self.T_ref) - s) / self.R)
        elif T is None and P is not None and s is not None:
            T = self.T_ref * math.exp((s + self.R * math.log(P / self.P_ref)) / self.cp)
        if T is None or P is None:
            raise PropertyError(f"{self.name}{props}", "these two properties are not independent")
        if T <= 0 or P <= 0:
            raise PropertyError(f"{self.name}(T={T:g} K, P={P:g} Pa)", "T and P must be > 0")
        return Point(T=T, P=P, h=self.cp * T, s=self._s(T, P), v=self.R * T / P)

    def __repr__(self) -> str:
        return f"IdealGas({self.name!r}, cp={self.cp:g}, k={self.k:g}, R={self.R:g})"


@dataclass(frozen=True)
class DeadState:
    """The environment for exergy: T0 [K] and P0 [Pa] (25 °C and 1 atm unless given)."""

    T0: float = T0_DEFAULT
    P0: float = P0_DEFAULT

    def flow_exergy(self, medium: Medium, p: Point, V: float = 0.0) -> float:
        """ψ = (h − h0) − T0 (s − s0) + V²/2 [J/kg] of ``p`` in ``medium`` (V [m/s]).

        >>> dead = DeadState(298.15, 100e3)
        >>> air = IdealGas(cp=1005.0, R=287.0, T_ref=298.15, P_ref=100e3)
        >>> round(dead.flow_exergy(air, air.state(T=298.15, P=100e3)), 9)
        0.0
        """
        p0 = self.point(medium)
        return (p.h - p0.h) - self.T0 * (p.s - p0.s) + 0.5 * V * V

    def point(self, medium: Medium) -> Point:
        """The dead state of ``medium`` (resolved once per medium and dead state)."""
        return _dead_point(self, medium)


@lru_cache(maxsize=64)
def _dead_point(dead: DeadState, medium: Medium) -> Point:
    # every flow exergy of a cycle needs the same (h0, s0): resolve it once
    return medium.state(T=dead.T0, P=dead.P0)
