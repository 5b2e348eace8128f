"""Rankine steam power cycles: simple (ideal or actual), reheat, regenerative (open FWH).

State numbering follows Çengel & Boles, *Thermodynamics*, ch. 10: 1 pump inlet (saturated
liquid at the condenser pressure), 2 pump exit, 3 turbine inlet, 4 turbine exit; reheat adds
4 (high-pressure turbine exit), 5 (reheated), 6 (low-pressure turbine exit). An ideal cycle is
the actual one with efficiencies 1.

>>> from solvers.media import RealFluid
>>> r = rankine(RealFluid("Water"), P_cond=75e3, P_boiler=3e6, T3=623.15)
>>> round(r["eta_th"], 3)  # Çengel & Boles Example 10-1: 26.0 %
0.26
"""

from __future__ import annotations

from solvers.components.base import check_efficiency
from solvers.cycles.base import (
    CycleResult,
    compress,
    entropy_terms,
    expand,
    flow_exergies,
    power_cycle_totals,
    stage,
)
from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium, Point


def _check_pressures(P_cond: float, P_boiler: float) -> None:
    if not 0 < P_cond < P_boiler:
        raise SolverError(f"need 0 < P_cond ({P_cond:g} Pa) < P_boiler ({P_boiler:g} Pa)")


def _boiler_exit(medium: Medium, P: float, T: float | None) -> Point:
    return medium.state(P=P, T=T) if T is not None else medium.state(P=P, x=1.0)


def rankine(
    medium: Medium,
    P_cond: float,
    P_boiler: float,
    T3: float | None = None,
    eta_pump: float = 1.0,
    eta_turb: float = 1.0,
    m_dot: float | None = None,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Simple Rankine cycle.

    Parameters
    ----------
    P_cond, P_boiler : float  Condenser and boiler pressures [Pa]
    T3 : float or None  Turbine inlet temperature [K]; saturated vapour when None
    eta_pump, eta_turb : float  Isentropic efficiencies [-]
    m_dot : float or None  Mass flow rate [kg/s]
    T_source, T_sink : float or None  Reservoir temperatures [K] for the second-law terms

    values: h1..h4, h2s, h4s, s1..s4, x4, w_pump, q_in, w_turb, q_out, w_net [J/kg], eta_th,
    W_dot_net [W], s_gen_<pump|boiler|turb|cond>, x_dest_*, ef1..ef4, eta_II
    """
    dead = dead or DeadState()
    _check_pressures(P_cond, P_boiler)
    check_efficiency("eta_pump", eta_pump)
    check_efficiency("eta_turb", eta_turb)
    res = CycleResult("rankine")
    p1 = stage(res, "1", medium.state(P=P_cond, x=0.0))
    p2 = compress(res, medium, p1, P_boiler, eta_pump, "2")
    p3 = stage(res, "3", _boiler_exit(medium, P_boiler, T3))
    p4 = expand(res, medium, p3, P_cond, eta_turb, "4")
    w_pump = res.record("w_pump", p2.h - p1.h, "w_pump = h2 - h1")
    q_in = res.record("q_in", p3.h - p2.h, "q_in = h3 - h2")
    w_turb = res.record("w_turb", p3.h - p4.h, "w_turb = h3 - h4")
    q_out = p4.h - p1.h
    res.record("bwr", w_pump / w_turb, "back-work ratio")
    power_cycle_totals(res, dead, w_turb - w_pump, q_in, q_out, m_dot, T_source)
    entropy_terms(
        res,
        dead,
        [
            ("pump", p2.s - p1.s, None, None),
            ("boiler", p3.s - p2.s, q_in, T_source),
            ("turb", p4.s - p3.s, None, None),
            ("cond", p1.s - p4.s, -q_out, T_sink),
        ],
    )
    flow_exergies(res, dead, {"*": medium})
    return res


def rankine_reheat(
    medium: Medium,
    P_cond: float,
    P_boiler: float,
    P_reheat: float,
    T3: float | None = None,
    T5: float | None = None,
    eta_pump: float = 1.0,
    eta_HPT: float = 1.0,
    eta_LPT: float = 1.0,
    m_dot: float | None = None,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Reheat Rankine cycle: expand to P_reheat [Pa], reheat to T5 [K] (T3 when None), expand
    to P_cond. values as :func:`rankine` with h5, h6, w_HPT, w_LPT, s_gen_reheater, ..."""
    dead = dead or DeadState()
    _check_pressures(P_cond, P_boiler)
    if not P_cond < P_reheat < P_boiler:
        raise SolverError(f"reheat pressure {P_reheat:g} Pa must lie between P_cond and P_boiler")
    for n, e in (("eta_pump", eta_pump), ("eta_HPT", eta_HPT), ("eta_LPT", eta_LPT)):
        check_efficiency(n, e)
    res = CycleResult("rankine_reheat")
    p1 = stage(res, "1", medium.state(P=P_cond, x=0.0))
    p2 = compress(res, medium, p1, P_boiler, eta_pump, "2")
    p3 = stage(res, "3", _boiler_exit(medium, P_boiler, T3))
    p4 = expand(res, medium, p3, P_reheat, eta_HPT, "4")
    p5 = stage(res, "5", medium.state(P=P_reheat, T=T5 if T5 is not None else p3.T))
    p6 = expand(res, medium, p5, P_cond, eta_LPT, "6")
    w_pump = res.record("w_pump", p2.h - p1.h, "w_pump = h2 - h1")
    q_b = p3.h - p2.h
    q_rh = p5.h - p4.h
    q_in = res.record("q_in", q_b + q_rh, "q_in = (h3 - h2) + (h5 - h4)")
    w_hp = res.record("w_HPT", p3.h - p4.h, "w_HPT = h3 - h4")
    w_lp = res.record("w_LPT", p5.h - p6.h, "w_LPT = h5 - h6")
    res.record("w_turb", w_hp + w_lp, "w_turb = w_HPT + w_LPT")
    q_out = p6.h - p1.h
    power_cycle_totals(res, dead, w_hp + w_lp - w_pump, q_in, q_out, m_dot, T_source)
    entropy_terms(
        res,
        dead,
        [
            ("pump", p2.s - p1.s, None, None),
            ("boiler", p3.s - p2.s, q_b, T_source),
            ("HPT", p4.s - p3.s, None, None),
            ("reheater", p5.s - p4.s, q_rh, T_source),
            ("LPT", p6.s - p5.s, None, None),
            ("cond", p1.s - p6.s, -q_out, T_sink),
        ],
    )
    flow_exergies(res, dead, {"*": medium})
    return res


def rankine_regenerative(
    medium: Medium,
    P_cond: float,
    P_boiler: float,
    P_fwh: float,
    T5: float | None = None,
    eta_pump: float = 1.0,
    eta_turb: float = 1.0,
    m_dot: float | None = None,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Regenerative Rankine cycle with one open feedwater heater at P_fwh [Pa].

    States (Çengel & Boles §10-6): 1 condensate, 2 pump I exit, 3 saturated liquid leaving the
    heater, 4 pump II exit, 5 turbine inlet (T5 [K]), 6 bleed at P_fwh, 7 turbine exit.
    values: y (bleed fraction), h1..h7, w_pump, w_turb, q_in, q_out, w_net, eta_th, ...

    >>> from solvers.media import RealFluid
    >>> r = rankine_regenerative(RealFluid("Water"), 10e3, 15e6, 1.2e6, T5=873.15)
    >>> round(r["y"], 3), round(r["eta_th"], 3)  # Example 10-5: y = 0.227, 46.3 %
    (0.227, 0.463)
    """
    dead = dead or DeadState()
    _check_pressures(P_cond, P_boiler)
    if not P_cond < P_fwh < P_boiler:
        raise SolverError(f"heater pressure {P_fwh:g} Pa must lie between P_cond and P_boiler")
    check_efficiency("eta_pump", eta_pump)
    check_efficiency("eta_turb", eta_turb)
    res = CycleResult("rankine_regenerative")
    p1 = stage(res, "1", medium.state(P=P_cond, x=0.0))
    p2 = compress(res, medium, p1, P_fwh, eta_pump, "2")
    p3 = stage(res, "3", medium.state(P=P_fwh, x=0.0))
    p4 = compress(res, medium, p3, P_boiler, eta_pump, "4")
    p5 = stage(res, "5", _boiler_exit(medium, P_boiler, T5))
    p6 = expand(res, medium, p5, P_fwh, eta_turb, "6")
    p7 = expand(res, medium, p5, P_cond, eta_turb, "7")
    y = res.record("y", (p3.h - p2.h) / (p6.h - p2.h), "y = (h3 - h2)/(h6 - h2) (heater balance)")
    w_pump = res.record(
        "w_pump", (1 - y) * (p2.h - p1.h) + (p4.h - p3.h), "w_pump = (1-y)(h2-h1) + (h4-h3)"
    )
    w_turb = res.record(
        "w_turb", (p5.h - p6.h) + (1 - y) * (p6.h - p7.h), "w_turb = (h5-h6) + (1-y)(h6-h7)"
    )
    q_in = res.record("q_in", p5.h - p4.h, "q_in = h5 - h4")
    q_out = (1 - y) * (p7.h - p1.h)
    power_cycle_totals(res, dead, w_turb - w_pump, q_in, q_out, m_dot, T_source)
    entropy_terms(
        res,
        dead,
        [
            ("pump", (1 - y) * (p2.s - p1.s) + (p4.s - p3.s), None, None),
            ("boiler", p5.s - p4.s, q_in, T_source),
            ("turb", (p6.s - p5.s) * y + (1 - y) * (p7.s - p5.s), None, None),
            ("fwh", p3.s - y * p6.s - (1 - y) * p2.s, None, None),
            ("cond", (1 - y) * (p1.s - p7.s), -q_out, T_sink),
        ],
    )
    flow_exergies(res, dead, {"*": medium})
    return res
