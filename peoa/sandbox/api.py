"""The API that sandboxed code is written against, imported there as ``peoa_api`` (and its names
are also predefined). Quantities are pint quantities; every function takes and returns them.

- ``Q(value, unit)`` -> quantity, e.g. ``Q(6, "MPa")``, ``Q(450, "degC")``, ``Q(30, "psig")``
- ``convert(q, unit)`` -> ``q`` in ``unit`` (offset temperatures and gauge pressures handled)
- ``State(fluid, **two_props)`` -> a thermodynamic state from two of T, P, h, s, u, v, rho, x
  (quantities); its attributes ``T P h s u v rho x cp cv mu k`` are quantities in SI units
- ``saturation(fluid, T=... | P=...)`` -> dict of saturated properties (quantities, SI)
- ``solve(knowns, targets)`` -> dict of quantities: the engine's equations and correlations
  (variable names as in ``variables()``) solved from ``knowns`` (name -> quantity)
- ``variables()`` -> {name: "description [SI unit]"} of the engine's catalogue
- ``components()`` -> {name: "description; inputs: ..."} of the engine's component and cycle
  models (turbine, compressor, pump, nozzle, heat exchanger, Rankine cycle...)
- ``component(name, fluid=None, **inputs)`` -> dict of quantities: that model solved from its
  inputs (quantities), e.g. ``component("turbine", fluid="Water", P1=Q(6, "MPa"), ...)``
- ``answer(slot, q)`` reports the value of a report slot (a quantity, or a number when
  dimensionless); the last call per slot counts
- ``givens``: dict of the problem's givens (name -> quantity)

>>> q = Q(1, "bar")
>>> round(float(convert(q, "kPa").magnitude), 6)
100.0
>>> st = State("Water", T=Q(100, "degC"), x=Q(1, ""))
>>> round(float(convert(st.P, "kPa").magnitude), 1)
101.4
"""

from __future__ import annotations

import math
from typing import Any

import pint

from solvers.properties import OUTPUTS, PROPERTY_UNITS
from solvers.units import quantity, to_unit

#: Values reported by :func:`answer` in this process, slot -> quantity.
ANSWERS: dict[str, Any] = {}


def Q(value: float, unit: str = "") -> pint.Quantity:
    """A quantity ``value`` [``unit``] (gauge pressures are made absolute)."""
    return quantity(float(value), unit or "dimensionless")


def convert(q: Any, unit: str) -> pint.Quantity:
    """``q`` expressed in ``unit`` [unit]."""
    if not isinstance(q, pint.Quantity):
        q = Q(float(q))
    return to_unit(q, unit or "dimensionless")


def _si(name: str, q: Any) -> float:
    if isinstance(q, pint.Quantity):
        return float(to_unit(q, PROPERTY_UNITS[name]).magnitude)
    return float(q)


class State:
    """A thermodynamic state of ``fluid`` from two properties given as quantities."""

    def __init__(self, fluid: str, **props: Any) -> None:
        from solvers.properties import State as _State

        si: dict[str, Any] = {k: _si(k, v) for k, v in props.items()}
        self._state = _State(fluid, **si)

    def __getattr__(self, name: str) -> pint.Quantity:
        if name not in OUTPUTS:
            raise AttributeError(f"State has no property {name!r}; known: {list(OUTPUTS)}")
        return Q(self._state.get(name), PROPERTY_UNITS[name])

    @property
    def phase(self) -> str:
        """The phase name (e.g. ``superheated_vapor``)."""
        return str(self._state.phase)

    def __repr__(self) -> str:
        return repr(self._state)


def saturation(fluid: str, **prop: Any) -> dict[str, pint.Quantity]:
    """Saturated liquid and vapour properties at ``T`` or ``P`` [SI quantities]."""
    from solvers.properties import saturation as _saturation

    si: dict[str, Any] = {k: _si(k, v) for k, v in prop.items()}
    raw = _saturation(fluid, **si)
    return {k: Q(v, PROPERTY_UNITS[k]) for k, v in raw.items()}


def variables() -> dict[str, str]:
    """The engine's variables: name -> ``"description [SI unit]"``."""
    from solvers.equations import VARIABLES

    return {v.name: f"{v.description} [{v.unit}]" for v in VARIABLES}


def solve(knowns: dict[str, Any], targets: list[str]) -> dict[str, pint.Quantity]:
    """Solve the engine's equations for ``targets`` from ``knowns`` [quantities, SI out]."""
    from solvers.correlations import CORRELATIONS
    from solvers.equations import EQUATIONS, VARIABLES_BY_NAME, solve_structural

    unknown = [n for n in [*knowns, *targets] if n not in VARIABLES_BY_NAME]
    if unknown:
        raise KeyError(f"unknown variables {unknown}; see variables()")
    si = {}
    for name, q in knowns.items():
        unit = VARIABLES_BY_NAME[name].unit
        si[name] = float(to_unit(q, unit).magnitude) if isinstance(q, pint.Quantity) else float(q)
    values, _ = solve_structural(si, list(targets), (*EQUATIONS, *CORRELATIONS))
    return {t: Q(values[t], VARIABLES_BY_NAME[t].unit) for t in targets if t in values}


def components() -> dict[str, str]:
    """The engine's component and cycle models: name -> description and input names."""
    from solvers.process import PROCESSES

    return {
        name: f"{m.description}; inputs: {', '.join(i.name for i in m.inputs)}"
        for name, m in PROCESSES.items()
    }


def component(name: str, fluid: str | None = None, **inputs: Any) -> dict[str, pint.Quantity]:
    """Solve the component or cycle model ``name`` from ``inputs`` [quantities, SI out]."""
    from solvers.process import get_process, output_unit

    model = get_process(name)
    res = model.solve(inputs, {"fluid": fluid} if fluid else {})
    return {k: Q(v, output_unit(k) or "") for k, v in res.values.items()}


def answer(slot: str, q: Any) -> None:
    """Report ``q`` (a quantity, or a number when dimensionless) as the value of ``slot``."""
    if not isinstance(slot, str) or not slot:
        raise ValueError(f"answer() needs a slot name, got {slot!r}")
    if not isinstance(q, pint.Quantity):
        q = float(q)
        if not math.isfinite(q):
            raise ValueError(f"answer({slot!r}) got a non-finite value {q}")
    ANSWERS[slot] = q


EXPORTS = (
    "Q",
    "convert",
    "State",
    "saturation",
    "solve",
    "variables",
    "components",
    "component",
    "answer",
)
