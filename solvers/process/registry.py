"""Process models (components and cycles) behind one calling convention.

A :class:`ProcessModel` declares its inputs (SI unit, aliases, default) and runs on a dict of
givens in any units; it answers named values in SI. Output names are textbook names (h1, w_net,
s_gen_turb, eta_II...); :func:`resolve_output` maps the variants people write (``s_gen,turbine``,
``W_net_combined``, ``x_destroyed``) to them.

>>> from solvers.units import quantity
>>> model = PROCESSES["rankine"]
>>> res = model.solve({"P_cond": quantity(75, "kPa"), "P_boiler": quantity(3, "MPa"),
...                    "T3": quantity(350, "degC")}, {"fluid": "water"})
>>> round(res["eta_th"], 3)
0.26
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from solvers.components.base import ComponentResult
from solvers.errors import SolverError, UnderdeterminedError
from solvers.media.base import P0_DEFAULT, T0_DEFAULT, DeadState, IdealGas, Medium, RealFluid
from solvers.properties import canonical_fluid
from solvers.units import Q_, ureg

DELTA_T = "delta_degC"  # unit tag for temperature differences (kelvin-sized)


@dataclass(frozen=True)
class Input:
    """One input of a process model: SI ``unit`` (``DELTA_T`` for temperature differences)."""

    name: str
    unit: str
    description: str
    aliases: tuple[str, ...] = ()
    default: float | None = None
    required: bool = False
    cues: tuple[str, ...] = ()  # words that must name it in text (dead state, source, sink...)


@dataclass(frozen=True)
class ProcessModel:
    """A component or cycle model with declared inputs, skills, keywords and a reference."""

    name: str
    kind: str  # "component" | "cycle"
    description: str
    inputs: tuple[Input, ...]
    run: Callable[[dict[str, float], dict[str, Any]], ComponentResult]
    skills: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    reference: str = ""
    default_fluid: str | None = None
    requires: tuple[str, ...] = ()  # words of which one must also appear (a variant's family)
    _by_alias: dict[str, Input] = field(default_factory=dict, compare=False, repr=False)
    _by_lower: dict[str, list[Input]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for inp in self.inputs:
            for key in (inp.name, *inp.aliases):
                k = _norm(key)
                if k in self._by_alias and self._by_alias[k] is not inp:
                    raise ValueError(f"{self.name}: alias {key!r} names two inputs")
                self._by_alias[k] = inp
                group = self._by_lower.setdefault(k.lower(), [])
                if inp not in group:
                    group.append(inp)

    def input_for(self, key: str) -> Input | None:
        """The input that ``key`` (a name or alias; case matters only where it must, as for
        R vs r) names, if any."""
        k = _norm(key)
        if k in self._by_alias:
            return self._by_alias[k]
        group = self._by_lower.get(k.lower(), [])
        return group[0] if len(group) == 1 else None

    def bind(self, givens: dict[str, Any]) -> tuple[dict[str, float], list[str]]:
        """Givens (name -> pint Quantity, or float already in SI) -> inputs [SI].

        Returns the bound inputs and the given names no input matched.
        Raises SolverError naming a given whose dimension does not fit its input.
        """
        out: dict[str, float] = {}
        unused: list[str] = []
        for key, val in givens.items():
            inp = self.input_for(key)
            if inp is None:
                unused.append(key)
                continue
            out[inp.name] = _to_si(inp, key, val)
        for inp in self.inputs:
            if inp.name not in out and inp.default is not None:
                out[inp.name] = inp.default
        missing = [i.name for i in self.inputs if i.required and i.name not in out]
        if missing:
            raise UnderdeterminedError([self.name], missing)
        return out, unused

    def solve(
        self, givens: dict[str, Any], options: dict[str, Any] | None = None
    ) -> ComponentResult:
        """Bind ``givens`` and run the model; ``options`` carry non-numeric choices (fluid,
        cp_model, reference, backend)."""
        inputs, _ = self.bind(givens)
        opts = dict(options or {})
        opts.setdefault("fluid", self.default_fluid)
        return self.run(inputs, opts)


def _norm(key: str) -> str:
    return re.sub(r"[\s,\-·.]+", "_", key.strip()).strip("_")


def _to_si(inp: Input, key: str, val: Any) -> float:
    if not isinstance(val, Q_):
        return float(val)
    try:
        if inp.unit == DELTA_T:
            if val.units in (ureg.degC, ureg.kelvin, ureg.delta_degC):
                return float(val.magnitude)
            if val.units in (ureg.degF, ureg.degR, ureg.delta_degF):
                return float(val.magnitude) * 5.0 / 9.0
            raise SolverError(f"{key}={val}: expected a temperature difference")
        if inp.unit in ("", "dimensionless"):
            return float(val.to("dimensionless").magnitude)
        return float(val.to(inp.unit).magnitude)
    except Exception as e:
        if isinstance(e, SolverError):
            raise
        raise SolverError(f"{key}={val}: cannot be read as {inp.name} [{inp.unit}]: {e}") from e


PROCESSES: dict[str, ProcessModel] = {}


def register_process(model: ProcessModel) -> ProcessModel:
    """Add a process model; names are unique."""
    if model.name in PROCESSES:
        raise ValueError(f"process model {model.name!r} is already registered")
    PROCESSES[model.name] = model
    return model


@lru_cache(maxsize=256)
def _solve_frozen(
    name: str, givens: tuple[tuple[str, float, str], ...], options: tuple[tuple[str, Any], ...]
) -> ComponentResult:
    return get_process(name).solve({k: Q_(v, u) if u else v for k, v, u in givens}, dict(options))


def solve_once(
    name: str, givens: dict[str, Any], options: dict[str, Any] | None = None
) -> ComponentResult:
    """Run model ``name`` memoised on its inputs: a problem's reading and each stage of its plan
    share one run. The result is shared: read it, do not change it.

    >>> a = solve_once("pump", {"T1": 300.0, "P1": 1e5, "P2": 1e6}, {"fluid": "water"})
    >>> a is solve_once("pump", {"T1": 300.0, "P1": 1e5, "P2": 1e6}, {"fluid": "water"})
    True
    """
    frozen = tuple(
        sorted(
            (k, float(v.magnitude), str(v.units)) if isinstance(v, Q_) else (k, float(v), "")
            for k, v in givens.items()
        )
    )
    opts = tuple(sorted((options or {}).items()))
    try:
        hash(opts)
    except TypeError:  # an option that cannot be a cache key: run without the cache
        return get_process(name).solve(givens, options)
    return _solve_frozen(name, frozen, opts)


def get_process(name: str) -> ProcessModel:
    """The process model registered as ``name``."""
    try:
        return PROCESSES[name]
    except KeyError:
        raise SolverError(f"unknown process model {name!r}; known: {sorted(PROCESSES)}") from None


# -- media from options --------------------------------------------------------------------------
def dead_state(inputs: dict[str, float]) -> DeadState:
    """The dead state from inputs T0 [K], P0 [Pa] (25 °C, 1 atm by default)."""
    return DeadState(inputs.get("T0", T0_DEFAULT), inputs.get("P0", P0_DEFAULT))


def make_medium(
    fluid: str | None, options: dict[str, Any], inputs: dict[str, float], dead: DeadState
) -> Medium:
    """The working-fluid model the options ask for.

    ``cp_model="constant"`` gives an ideal gas with constant cp, k (and R) from the inputs
    (air defaults 1005 J/(kg K), 1.4) and entropy zero at the dead state; otherwise the real
    fluid through CoolProp (``backend``: HEOS or IF97; ``reference``: IIR, ASHRAE, NBP,
    AIR-TABLE — the default for air with ``cp_model="variable"``).
    """
    if not fluid:
        raise SolverError("no working fluid given")
    if options.get("cp_model") == "constant" or "cp" in inputs:
        name = canonical_fluid(fluid) if fluid.lower() != "ideal gas" else "ideal gas"
        return IdealGas(
            name,
            cp=inputs.get("cp", 1005.0),
            k=inputs.get("k", 1.4),
            R=inputs.get("R"),
            T_ref=dead.T0,
            P_ref=dead.P0,
        )
    name = canonical_fluid(fluid)
    reference = options.get("reference")
    if reference is None and name == "Air" and options.get("cp_model") == "variable":
        reference = "AIR-TABLE"  # air-standard analyses read the ideal-gas air table
    return RealFluid(name, backend=options.get("backend", "HEOS"), reference=reference)


# -- outputs -------------------------------------------------------------------------------------
# SI unit of an output from its name: first matching pattern wins
_UNIT_RULES: tuple[tuple[str, str], ...] = (
    (r"^(eta|COP|bwr|energy_balance_error|epsilon|beta|y$|r_p|x\d|x_\d|y_\d|K_\d|x2$)", ""),
    (r"^(X_dest_dot|W_dot|Q_dot|W_net)", "W"),
    (r"^S_gen_dot", "W/K"),
    (r"^(x_dest|x_lost|ef|psi|h|w_|q_|w$|q$|dh)", "J/kg"),
    (r"^(s_gen|s)", "J/(kg*K)"),
    (r"^(T|dT)", "K"),
    (r"^P", "Pa"),
    (r"^(m_dot|m\d|m_)", "kg/s"),
    (r"^V", "m/s"),
    (r"^v", "m**3/kg"),
    (r"^[VL]$", "mol/s"),
)


def output_unit(name: str) -> str:
    """SI unit of output ``name`` ("" for dimensionless).

    >>> output_unit("s_gen_turb"), output_unit("W_dot_net"), output_unit("eta_II"), output_unit("x4")
    ('J/(kg*K)', 'W', '', '')
    """
    for pattern, unit in _UNIT_RULES:
        if re.match(pattern, name):
            return unit
    return ""


_WORDS = {
    "compressor": "comp",
    "turbine": "turb",
    "condenser": "cond",
    "evaporator": "evap",
    "combustor": "cc",
    "combustion_chamber": "cc",
    "combustion": "cc",
    "regenerator": "regen",
    "heat_rejection": "hr",
    "destroyed": "dest",
    "destruction": "dest",
    "psi": "ef",
    "hpt": "HPT",
    "lpt": "LPT",
    "hrsg": "HRSG",
}
_SPECIAL = {
    "q_cc": "q_in",
    "q_combustion": "q_in",
    "w_net_combined": "W_dot_net",
    "W_net_combined": "W_dot_net",
    "W_net": "W_dot_net",
    "eta_combined": "eta_th",
    "eta_II_combined": "eta_II",
    "eta_thermal": "eta_th",
    "eta": "eta_th",
    "COP": "COP_R",
    "w_c": "w_comp",
    "w_t": "w_turb",
    "w_p": "w_pump",
}


def resolve_output(name: str, values: dict[str, float]) -> str | None:
    """The key of ``values`` that output ``name`` refers to, or None.

    >>> resolve_output("s_gen,compressor", {"s_gen_comp": 1.0})
    's_gen_comp'
    >>> resolve_output("W_net_combined", {"W_dot_net": 1.0})
    'W_dot_net'
    """
    if name in values:
        return name
    key = re.sub(r"[\s,\-·.]+", "_", name.strip()).strip("_")
    cands = [key, _SPECIAL.get(key, key)]
    parts = key.split("_")
    cands.append("_".join(_WORDS.get(p.lower(), p) for p in parts))
    joined = key.lower()
    for long, short in _WORDS.items():
        joined = joined.replace(long, short)
    cands.append(joined)
    cands.append(_SPECIAL.get(cands[2], cands[2]))
    lower = {k.lower(): k for k in values}
    for c in cands:
        if c in values:
            return c
        if c.lower() in lower:
            return lower[c.lower()]
    for c in cands:  # a component's own names for the same quantity
        for alt in _SYNONYMS.get(c, ()):
            if alt in values:
                return alt
    return None


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "w_turb": ("w_out",),
    "w_comp": ("w_in",),
    "w_pump": ("w_in",),
    "w_out": ("w_turb", "w_net"),
    "w_in": ("w_comp", "w_pump"),
    "q_in": ("q_H",),
    # exit temperature of a device or mixture, by the names people give it
    "T_mix": ("T3",),
    "T_mixture": ("T3",),
    "T_exit": ("T2", "T3", "T_out"),
    "T_out": ("T2", "T3"),
    "T_final": ("T2", "T3"),
    "V_exit": ("V2",),
    "V_out": ("V2",),
}
