"""Work and flow devices: turbine, compressor, pump, nozzle, diffuser, throttling valve.

Adiabatic steady flow (Çengel & Boles, *Thermodynamics*, ch. 5 and 7-8). Isentropic
efficiencies: turbine η = (h1 − h2)/(h1 − h2s); compressor and pump η = (h2s − h1)/(h2 − h1);
nozzle η = (h1 − h2)/(h1 − h2s). Entropy generation s_gen = s2 − s1, exergy destruction
x_dest = T0 s_gen, second-law efficiency = exergy recovered / exergy expended.

>>> from solvers.media import RealFluid, DeadState
>>> r = turbine(RealFluid("Water"), RealFluid("Water").state(T=673.15, P=3e6), 50e3, eta_s=0.85)
>>> round(r["w_out"] / 1e3, 1), round(r["eta_II"], 3)
(700.2, 0.871)
"""

from __future__ import annotations

import math

from solvers.components.base import (
    ComponentResult,
    check_efficiency,
    component,
    entropy_generation,
    psi,
)
from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium, Point

_REF = "Çengel & Boles, Thermodynamics: An Engineering Approach, 9th ed., ch. 5, 7, 8"


def _inlet(res: ComponentResult, p1: Point) -> None:
    res.points["1"] = p1
    res.record("h1", p1.h, "inlet state")
    res.record("s1", p1.s, "inlet state")
    res.record("T1", p1.T, "inlet state")
    res.record("P1", p1.P, "inlet state")


def _outlet(res: ComponentResult, p2: Point, dead: DeadState, medium: Medium) -> None:
    res.points["2"] = p2
    res.record("T2", p2.T, "exit state from (P2, h2)")
    res.record("s2", p2.s, "exit state from (P2, h2)")
    res.record("P2", p2.P, "exit pressure")
    if not math.isnan(p2.x):
        res.record("x2", p2.x, "exit quality")
    s_gen = res.record("s_gen", entropy_generation(res["s1"], p2.s), "s_gen = s2 - s1 (adiabatic)")
    res.record("x_dest", dead.T0 * s_gen, "x_dest = T0 s_gen")
    res.record("ef1", psi(dead, medium, res.points["1"]), "ψ = h - h0 - T0 (s - s0)")
    res.record("ef2", psi(dead, medium, p2), "ψ = h - h0 - T0 (s - s0)")


@component("turbine")
def turbine(
    medium: Medium, inlet: Point, P_out: float, eta_s: float = 1.0, dead: DeadState | None = None
) -> ComponentResult:
    """Adiabatic turbine from ``inlet`` to P_out [Pa] with isentropic efficiency eta_s [-].

    values: h1, s1, h2s, h2, T2, s2, (x2), w_out [J/kg], s_gen [J/(kg K)], x_dest [J/kg], eta_II
    """
    dead = dead or DeadState()
    check_efficiency("eta_s", eta_s)
    if P_out >= inlet.P:
        raise SolverError(f"turbine exit pressure {P_out:g} Pa must be below inlet {inlet.P:g} Pa")
    res = ComponentResult("turbine")
    _inlet(res, inlet)
    p2s = medium.state(P=P_out, s=inlet.s)
    h2s = res.record("h2s", p2s.h, "h2s = h(P2, s1)")
    h2 = res.record("h2", inlet.h - eta_s * (inlet.h - h2s), "h2 = h1 - eta_s (h1 - h2s)")
    w = res.record("w_out", inlet.h - h2, "w_out = h1 - h2")
    _outlet(res, medium.state(P=P_out, h=h2), dead, medium)
    res.record("eta_II", w / (res["ef1"] - res["ef2"]), "eta_II = w_out / (ψ1 - ψ2)")
    return res


@component("compressor")
def compressor(
    medium: Medium, inlet: Point, P_out: float, eta_s: float = 1.0, dead: DeadState | None = None
) -> ComponentResult:
    """Adiabatic compressor (or pump) from ``inlet`` to P_out [Pa], isentropic efficiency eta_s.

    values: h1, s1, h2s, h2, T2, s2, w_in [J/kg], s_gen [J/(kg K)], x_dest [J/kg], eta_II
    """
    dead = dead or DeadState()
    check_efficiency("eta_s", eta_s)
    if P_out <= inlet.P:
        raise SolverError(f"exit pressure {P_out:g} Pa must be above inlet {inlet.P:g} Pa")
    res = ComponentResult("compressor")
    _inlet(res, inlet)
    p2s = medium.state(P=P_out, s=inlet.s)
    h2s = res.record("h2s", p2s.h, "h2s = h(P2, s1)")
    h2 = res.record("h2", inlet.h + (h2s - inlet.h) / eta_s, "h2 = h1 + (h2s - h1)/eta_s")
    w = res.record("w_in", h2 - inlet.h, "w_in = h2 - h1")
    _outlet(res, medium.state(P=P_out, h=h2), dead, medium)
    res.record("eta_II", (res["ef2"] - res["ef1"]) / w, "eta_II = (ψ2 - ψ1) / w_in")
    return res


@component("pump")
def pump(
    medium: Medium, inlet: Point, P_out: float, eta_s: float = 1.0, dead: DeadState | None = None
) -> ComponentResult:
    """Adiabatic pump: the compressor balance on a liquid (h2s from the exact isentrope).

    Also records w_in_vdP = v1 (P2 − P1)/eta_s [J/kg], the incompressible estimate.
    """
    res = compressor(medium, inlet, P_out, eta_s, dead)
    res.kind = "pump"
    if not math.isnan(inlet.v):
        res.record("w_in_vdP", inlet.v * (P_out - inlet.P) / eta_s, "w = v1 (P2 - P1)/eta_s")
    return res


@component("nozzle")
def nozzle(
    medium: Medium,
    inlet: Point,
    P_out: float,
    eta_N: float = 1.0,
    V1: float = 0.0,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Adiabatic nozzle: inlet velocity V1 [m/s] to P_out [Pa] with nozzle efficiency eta_N.

    values: h1, s1, h2s, h2, V2 [m/s], T2, s2, s_gen, x_dest, eta_II = ΔKE/(ΔKE + x_dest)
    """
    dead = dead or DeadState()
    check_efficiency("eta_N", eta_N)
    if P_out >= inlet.P:
        raise SolverError(f"nozzle exit pressure {P_out:g} Pa must be below inlet {inlet.P:g} Pa")
    res = ComponentResult("nozzle")
    _inlet(res, inlet)
    res.record("V1", V1, "inlet velocity")
    h2s = res.record("h2s", medium.state(P=P_out, s=inlet.s).h, "h2s = h(P2, s1)")
    h2 = res.record("h2", inlet.h - eta_N * (inlet.h - h2s), "h2 = h1 - eta_N (h1 - h2s)")
    V2 = res.record("V2", math.sqrt(V1 * V1 + 2.0 * (inlet.h - h2)), "V2² = V1² + 2 (h1 - h2)")
    _outlet(res, medium.state(P=P_out, h=h2), dead, medium)
    dke = 0.5 * (V2 * V2 - V1 * V1)
    res.record("eta_II", dke / (dke + res["x_dest"]), "eta_II = ΔKE / (ΔKE + x_dest)")
    return res


@component("diffuser")
def diffuser(
    medium: Medium,
    inlet: Point,
    V1: float,
    V2: float,
    P_out: float,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Adiabatic diffuser slowing V1 → V2 [m/s] to P_out [Pa]: h2 = h1 + (V1² − V2²)/2.

    values: h1, s1, h2, T2, s2, s_gen, x_dest, eta_II = (ψ2 − ψ1)/ΔKE
    """
    dead = dead or DeadState()
    if V2 >= V1:
        raise SolverError(f"a diffuser slows the flow: V2={V2:g} m/s must be below V1={V1:g} m/s")
    res = ComponentResult("diffuser")
    _inlet(res, inlet)
    h2 = res.record("h2", inlet.h + 0.5 * (V1 * V1 - V2 * V2), "h2 = h1 + (V1² - V2²)/2")
    _outlet(res, medium.state(P=P_out, h=h2), dead, medium)
    res.record(
        "eta_II",
        (res["ef2"] - res["ef1"]) / (0.5 * (V1 * V1 - V2 * V2)),
        "eta_II = (ψ2 - ψ1) / ΔKE",
    )
    return res


@component("throttle")
def throttle(
    medium: Medium, inlet: Point, P_out: float, dead: DeadState | None = None
) -> ComponentResult:
    """Throttling valve (isenthalpic): h2 = h1 at P_out [Pa]; values h2, T2, x2, s2, s_gen."""
    dead = dead or DeadState()
    if P_out >= inlet.P:
        raise SolverError(f"valve exit pressure {P_out:g} Pa must be below inlet {inlet.P:g} Pa")
    res = ComponentResult("throttle")
    _inlet(res, inlet)
    h2 = res.record("h2", inlet.h, "h2 = h1 (isenthalpic)")
    _outlet(res, medium.state(P=P_out, h=h2), dead, medium)
    return res
