"""Fluid-property expert: CoolProp states and saturation tables."""

from __future__ import annotations

import math

from experts.base import Context
from peoa.models import Claim, Subtask
from solvers.errors import SolverError
from solvers.properties import PROPERTY_UNITS as SOLVER_PROPERTY_UNITS
from solvers.properties import State, saturation

# slot key -> SI unit: the engine's property units plus the phase and saturation slots
PROPERTY_UNITS: dict[str, str] = {
    **SOLVER_PROPERTY_UNITS,
    "phase": "",
    "T_sat": "K",
    "P_sat": "Pa",
}

STATE_INPUTS = ("T", "P", "x", "h", "s", "u", "v", "rho")
# which pair of givens fixes a state, best first (x pairs first: T and P are dependent in the dome)
_PAIRS = (
    ("P", "x"),
    ("T", "x"),
    ("T", "P"),
    ("P", "h"),
    ("P", "s"),
    ("T", "h"),
    ("T", "s"),
    ("h", "s"),
    ("P", "v"),
    ("T", "v"),
    ("P", "u"),
    ("T", "u"),
    ("P", "rho"),
    ("T", "rho"),
)


class PropertiesExpert:
    """Resolves a fluid state from two givens and reports any of its properties."""

    name = "properties"
    exact = True  # computes from the engine: the agent skips LLM experts when it answers
    skills: tuple[str, ...] = ("properties",)

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims for the property slots of ``subtask`` (SI units)."""
        problem = context.problem
        if not problem.fluid:
            return []
        known = {
            k: float(g.q.to_base_units().magnitude)
            for k, g in problem.givens.items()
            if k in STATE_INPUTS
        }
        wanted = {s: problem.bindings.get(s, s) for s in subtask.targets}
        wanted = {s: k for s, k in wanted.items() if k in PROPERTY_UNITS}
        if not wanted:
            return []
        values: dict[str, float | str] = {}
        prov: list[str] = []
        pair = next((p for p in _PAIRS if p[0] in known and p[1] in known), None)
        try:
            if pair is not None:
                pair_kw: dict[str, float] = {pair[0]: known[pair[0]], pair[1]: known[pair[1]]}
                st = State(problem.fluid, backend="HEOS", reference=None, **pair_kw)
                prov.append(f"CoolProp HEOS {st!r}")
                for key in (
                    "T",
                    "P",
                    "h",
                    "s",
                    "u",
                    "v",
                    "rho",
                    "x",
                    "cp",
                    "cv",
                    "mu",
                    "k",
                    "Pr",
                    "Z",
                ):
                    values[key] = st.get(key)
                values["phase"] = st.phase
                sat_kw = {"P": st.P} if st.phase != "supercritical" else {}
            else:
                sat_kw = {k: known[k] for k in ("P", "T") if k in known}
            if len(sat_kw) == 1 and any(
                k.endswith(("_f", "_g", "_fg", "_sat")) or k in {"T", "P"} for k in wanted.values()
            ):
                sat = saturation(problem.fluid, T=sat_kw.get("T"), P=sat_kw.get("P"))
                prov.append(f"CoolProp saturation at {sat_kw}")
                values.setdefault("T", sat["T"])
                values.setdefault("P", sat["P"])
                values["T_sat"], values["P_sat"] = sat["T"], sat["P"]
                for k, v in sat.items():
                    if k not in {"T", "P"}:
                        values[k] = v
        except SolverError as e:
            return [
                Claim(
                    slot=s,
                    value=float("nan"),
                    unit=PROPERTY_UNITS[k],
                    expert=self.name,
                    confidence=0.0,
                    provenance=[str(e)],
                    features={"tool_failure": True},
                )
                for s, k in wanted.items()
            ]
        claims = []
        for slot, key in wanted.items():
            if key not in values:
                continue
            val = values[key]
            if isinstance(val, float) and math.isnan(val):
                continue
            claims.append(
                Claim(
                    slot=slot,
                    value=val,
                    unit=PROPERTY_UNITS[key],
                    expert=self.name,
                    confidence=1.0,
                    provenance=[*prov, f"{key} of the state"],
                    features={"skill": "properties"},
                )
            )
        return claims
