"""Fluid states through CoolProp.

``State(fluid, **two independent properties)`` resolves the rest. Inputs and outputs are SI
(T [K], P [Pa], h [J/kg], s [J/(kg K)], u [J/kg], v [m³/kg], rho [kg/m³], x [-]).

>>> st = State("Water", T=573.15, P=5.0e6)
>>> round(st.h / 1e3, 1), st.phase
(2925.7, 'superheated_vapor')
>>> round(State("Water", P=1.0e5, x=1.0).T - 273.15, 2)
99.61
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import CoolProp.CoolProp as CP

from solvers.errors import PropertyError

# CoolProp names for the properties we resolve
_KEYS = {
    "T": "T",
    "P": "P",
    "h": "Hmass",
    "s": "Smass",
    "u": "Umass",
    "rho": "Dmass",
    "x": "Q",
}
OUTPUTS = ("T", "P", "h", "s", "u", "v", "rho", "x", "cp", "cv", "mu", "k", "Pr", "Z")

# SI unit of every State output and saturation() key (h_f, h_g, h_fg...)
PROPERTY_UNITS: dict[str, str] = {
    "T": "K",
    "P": "Pa",
    "h": "J/kg",
    "s": "J/(kg*K)",
    "u": "J/kg",
    "v": "m**3/kg",
    "rho": "kg/m**3",
    "x": "dimensionless",
    "cp": "J/(kg*K)",
    "cv": "J/(kg*K)",
    "mu": "Pa*s",
    "k": "W/(m*K)",
    "Pr": "dimensionless",
    "Z": "dimensionless",
    **{
        f"{p}_{end}": u
        for p, u in (
            ("h", "J/kg"),
            ("s", "J/(kg*K)"),
            ("v", "m**3/kg"),
            ("u", "J/kg"),
            ("rho", "kg/m**3"),
        )
        for end in ("f", "g")
    },
    "h_fg": "J/kg",
    "s_fg": "J/(kg*K)",
}

FLUID_ALIASES = {
    "water": "Water",
    "steam": "Water",
    "water vapor": "Water",
    "water vapour": "Water",
    "h2o": "Water",
    "r134a": "R134a",
    "r-134a": "R134a",
    "r 134a": "R134a",
    "air": "Air",
    "nitrogen": "Nitrogen",
    "n2": "Nitrogen",
    "oxygen": "Oxygen",
    "o2": "Oxygen",
    "methane": "Methane",
    "ch4": "Methane",
    "carbon dioxide": "CarbonDioxide",
    "co2": "CarbonDioxide",
    "ammonia": "Ammonia",
    "nh3": "Ammonia",
    "r-22": "R22",
    "r22": "R22",
    "r-410a": "R410A",
    "r410a": "R410A",
    "propane": "Propane",
    "hydrogen": "Hydrogen",
    "helium": "Helium",
    "argon": "Argon",
}


def canonical_fluid(name: str) -> str:
    """CoolProp's name for a fluid as users write it (steam, R-134a, CO2...).

    >>> canonical_fluid("steam"), canonical_fluid("R-134a")
    ('Water', 'R134a')
    """
    key = name.strip().lower()
    if key in FLUID_ALIASES:
        return FLUID_ALIASES[key]
    try:
        CP.get_fluid_param_string(name, "CAS")
    except ValueError as e:
        raise PropertyError(f"fluid={name!r}", "unknown fluid") from e
    return name


BACKENDS = ("HEOS", "IF97")

# Reference states for enthalpy and entropy: (T [K] or None for the normal boiling point,
# P [Pa] or None for the saturated liquid, h [J/kg], s [J/(kg K)]) at the anchor state.
# CoolProp's defaults are IIR for refrigerants. AIR-TABLE anchors air to the ideal-gas air table
# (Çengel & Boles Table A-17: h = 300.19 kJ/kg, s° = 1.70203 kJ/(kg K) at 300 K and 1 atm), the
# convention of air-standard analyses with variable specific heats.
REFERENCE_STATES: dict[str, tuple[float | None, float | None, float, float]] = {
    "IIR": (273.15, None, 200.0e3, 1.0e3),
    "ASHRAE": (233.15, None, 0.0, 0.0),
    "NBP": (None, None, 0.0, 0.0),
    "AIR-TABLE": (300.0, 101325.0, 300.19e3, 1.70203e3),
}


@lru_cache(maxsize=32)
def _abstract_state(fluid: str, backend: str = "HEOS") -> Any:
    if backend not in BACKENDS:
        raise PropertyError(f"backend={backend!r}", f"unknown backend; choose from {BACKENDS}")
    if backend == "IF97" and fluid != "Water":
        raise PropertyError(f"{fluid} with IF97", "IAPWS-IF97 covers water only")
    return CP.AbstractState(backend, fluid)


@lru_cache(maxsize=64)
def reference_offsets(fluid: str, reference: str | None) -> tuple[float, float]:
    """(Δh [J/kg], Δs [J/(kg K)]) to add to CoolProp's values for ``reference``.

    IIR: h = 200 kJ/kg and s = 1 kJ/(kg K) for saturated liquid at 0 °C; ASHRAE: h = s = 0 for
    saturated liquid at -40 °C; NBP: h = s = 0 for saturated liquid at the normal boiling point;
    AIR-TABLE: the ideal-gas air table values at 300 K and 1 atm.

    >>> dh, ds = reference_offsets("R134a", "ASHRAE")
    >>> round((State("R134a", T=233.15, x=0.0).h + dh) / 1e3, 6) + 0.0
    0.0
    """
    if reference is None:
        return 0.0, 0.0
    if reference not in REFERENCE_STATES:
        raise PropertyError(
            f"reference={reference!r}", f"unknown reference state; use {sorted(REFERENCE_STATES)}"
        )
    T, P, h_ref, s_ref = REFERENCE_STATES[reference]
    st = _abstract_state(canonical_fluid(fluid))
    try:
        if T is None:
            st.update(CP.PQ_INPUTS, 101325.0, 0.0)
        elif P is not None:
            st.update(CP.PT_INPUTS, P, T)
        else:
            st.update(CP.QT_INPUTS, 0.0, T)
    except ValueError as e:
        raise PropertyError(
            f"{fluid} reference {reference}", f"reference state undefined: {e}"
        ) from e
    return h_ref - st.hmass(), s_ref - st.smass()


class State:
    """A thermodynamic state of a pure fluid fixed by two independent properties [SI].

    Parameters
    ----------
    fluid : str  Fluid name (CoolProp name or a common synonym)
    backend : str  "HEOS" (reference equations of state, default) or "IF97" (water only)
    reference : str or None  Enthalpy/entropy reference: None (CoolProp default, IIR for
        refrigerants), "IIR", "ASHRAE", "NBP" or "AIR-TABLE"
    **props : two of T [K], P [Pa], h [J/kg], s [J/(kg K)], u [J/kg], v [m³/kg], rho [kg/m³], x [-]
    """

    __slots__ = ("_dh", "_ds", "_values", "backend", "fluid", "inputs", "reference")

    def __init__(
        self, fluid: str, *, backend: str = "HEOS", reference: str | None = None, **props: float
    ) -> None:
        self.fluid = canonical_fluid(fluid)
        self.backend = backend
        self.reference = reference
        self._dh, self._ds = reference_offsets(self.fluid, reference)
        if "v" in props:
            v = props.pop("v")
            if v <= 0:
                raise PropertyError(self._describe({"v": v}), "specific volume must be > 0")
            props["rho"] = 1.0 / v
        if len(props) != 2:
            raise PropertyError(self._describe(props), "exactly two independent properties needed")
        unknown = [k for k in props if k not in _KEYS]
        if unknown:
            raise PropertyError(self._describe(props), f"unknown properties {unknown}")
        self.inputs = dict(props)
        self._values = self._resolve(props)

    def _describe(self, props: dict[str, float]) -> str:
        inner = ", ".join(f"{k}={v:g}" for k, v in props.items())
        return f"{self.fluid}({inner})"

    def _resolve(self, props: dict[str, float]) -> dict[str, float]:
        if "x" in props and not 0.0 <= props["x"] <= 1.0:
            raise PropertyError(self._describe(props), "quality x must lie in [0, 1]")
        shifted = dict(props)
        for k, d in (("h", self._dh), ("u", self._dh), ("s", self._ds)):
            if k in shifted:  # user reference -> CoolProp's
                shifted[k] -= d
        (k1, v1), (k2, v2) = shifted.items()
        st = _abstract_state(self.fluid, self.backend)
        try:
            pair, a, b = CP.generate_update_pair(
                CP.get_parameter_index(_KEYS[k1]), v1, CP.get_parameter_index(_KEYS[k2]), v2
            )
            st.update(pair, a, b)
        except ValueError as e:
            tmin, tmax = st.Tmin(), st.Tmax()
            pmax = st.pmax()
            raise PropertyError(
                self._describe(props),
                f"outside the model's range (T {tmin:.1f}-{tmax:.1f} K, P up to {pmax:.4g} Pa) "
                f"or not independent: {e}",
            ) from e
        T, P = st.T(), st.p()
        tmin, tmax, pmax = st.Tmin(), st.Tmax(), st.pmax()
        if not (tmin - 1e-6 <= T <= tmax + 1e-6) or P > pmax * (1 + 1e-9):
            # CoolProp would extrapolate the equation of state here: refuse instead
            raise PropertyError(
                self._describe(props),
                f"outside the model's range (T {tmin:.2f}-{tmax:.1f} K, P up to {pmax:.4g} Pa): "
                f"T={T:.6g} K, P={P:.6g} Pa",
            )
        out: dict[str, float] = {
            "T": st.T(),
            "P": st.p(),
            "h": st.hmass() + self._dh,
            "s": st.smass() + self._ds,
            "u": st.umass() + self._dh,
            "rho": st.rhomass(),
        }
        out["v"] = 1.0 / out["rho"]
        q = st.Q()
        if -1e-9 <= q <= 1.0 + 1e-9:  # round-off at the saturation lines
            q = min(max(q, 0.0), 1.0)
        out["x"] = q if 0.0 <= q <= 1.0 else float("nan")
        for name, fn in (
            ("cp", st.cpmass),
            ("cv", st.cvmass),
            ("mu", st.viscosity),
            ("k", st.conductivity),
            ("Pr", st.Prandtl),
            ("Z", st.compressibility_factor),
        ):
            try:
                out[name] = float(fn())
            except ValueError:  # transport properties are undefined inside the dome
                out[name] = float("nan")
        out["_phase"] = float(st.phase())
        out["_Tcrit"], out["_Pcrit"] = st.T_critical(), st.p_critical()
        return out

    def __getattr__(self, name: str) -> float:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str) -> float:
        """Property ``name`` [SI]."""
        if name not in self._values or name.startswith("_"):
            raise PropertyError(f"{self!r}", f"unknown property {name!r}")
        return self._values[name]

    @property
    def phase(self) -> str:
        """Phase name: subcooled_liquid, saturated_liquid, two_phase, saturated_vapor,
        superheated_vapor or supercritical."""
        x = self._values["x"]
        T, P = self._values["T"], self._values["P"]
        if self._values["_Tcrit"] <= T and self._values["_Pcrit"] <= P:
            return "supercritical"
        if x == x:  # not NaN: on or inside the dome
            if x <= 1e-9:
                return "saturated_liquid"
            if x >= 1 - 1e-9:
                return "saturated_vapor"
            return "two_phase"
        if self._values["_Pcrit"] <= P:
            return "subcooled_liquid" if self._values["_Tcrit"] > T else "supercritical"
        tsat = saturation(self.fluid, P=P, backend=self.backend)["T"]
        return "subcooled_liquid" if tsat > T else "superheated_vapor"

    def __repr__(self) -> str:
        extra = "" if self.backend == "HEOS" else f", backend={self.backend}"
        extra += f", reference={self.reference}" if self.reference else ""
        return f"State({self._describe(self.inputs)}{extra})"


def saturation(
    fluid: str,
    *,
    T: float | None = None,
    P: float | None = None,
    backend: str = "HEOS",
    reference: str | None = None,
) -> dict[str, float]:
    """Saturation properties at T [K] or P [Pa]: T, P and h_f, h_g, s_f, s_g, v_f, v_g, u_f,
    u_g, rho_f, rho_g [SI].

    >>> round(saturation("Water", P=1.0e6)["T"] - 273.15, 2)
    179.88
    """
    if (T is None) == (P is None):
        raise PropertyError(f"{fluid}(T={T}, P={P})", "give exactly one of T or P")
    kw = {"T": T} if T is not None else {"P": P}
    liq = State(fluid, backend=backend, reference=reference, x=0.0, **kw)
    vap = State(fluid, backend=backend, reference=reference, x=1.0, **kw)
    out = {"T": liq.T, "P": liq.P}
    for p in ("h", "s", "v", "u", "rho"):
        out[f"{p}_f"] = liq.get(p)
        out[f"{p}_g"] = vap.get(p)
    out["h_fg"] = out["h_g"] - out["h_f"]
    out["s_fg"] = out["s_g"] - out["s_f"]
    return out
