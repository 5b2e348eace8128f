"""Vapour-compression refrigeration cycle (ideal or actual compressor).

States (Çengel & Boles ch. 11): 1 evaporator exit (saturated vapour, or superheated by
``superheat``), 2 compressor exit, 3 condenser exit (saturated liquid, or subcooled by
``subcool``), 4 after the isenthalpic throttle.

>>> from solvers.media import RealFluid
>>> r = vapor_compression(RealFluid("R134a"), P_evap=0.14e6, P_cond=0.8e6, m_dot=0.05)
>>> round(r["COP_R"], 2), round(r["Q_dot_L"] / 1e3, 2)  # Example 11-1: 3.97, 7.18 kW
(3.97, 7.18)
"""

from __future__ import annotations

from solvers.components.base import check_efficiency
from solvers.cycles.base import CycleResult, entropy_terms, flow_exergies, stage
from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium


def vapor_compression(
    medium: Medium,
    T_evap: float | None = None,
    T_cond: float | None = None,
    eta_comp: float = 1.0,
    m_dot: float | None = None,
    T_L: float | None = None,
    T_H: float | None = None,
    P_evap: float | None = None,
    P_cond: float | None = None,
    superheat: float = 0.0,
    subcool: float = 0.0,
    dead: DeadState | None = None,
) -> CycleResult:
    """Vapour-compression refrigeration cycle.

    Parameters
    ----------
    T_evap, T_cond : float or None  Saturation temperatures [K] (or give P_evap, P_cond [Pa])
    eta_comp : float  Compressor isentropic efficiency [-]
    m_dot : float or None  Refrigerant mass flow rate [kg/s]
    T_L, T_H : float or None  Cooled-space and environment temperatures [K]
    superheat, subcool : float  Superheat at the evaporator exit, subcooling at the condenser
        exit [K]

    values: h1..h4, h2s, s1..s4, x4, w_comp, q_L, q_H [J/kg], COP_R, COP_HP, W_dot_comp,
    Q_dot_L, Q_dot_H [W], s_gen_<comp|cond|throttle|evap>, x_dest_*, ef1..ef4, COP_Carnot, eta_II
    """
    dead = dead or DeadState()
    check_efficiency("eta_comp", eta_comp)
    if (T_evap is None) == (P_evap is None) or (T_cond is None) == (P_cond is None):
        raise SolverError("give the evaporator and condenser by saturation temperature or pressure")
    if P_evap is None:
        P_evap = medium.state(T=T_evap, x=1.0).P  # type: ignore[arg-type]
    if P_cond is None:
        P_cond = medium.state(T=T_cond, x=0.0).P  # type: ignore[arg-type]
    if P_evap >= P_cond:
        raise SolverError(
            f"evaporator pressure {P_evap:g} Pa must be below condenser {P_cond:g} Pa"
        )
    res = CycleResult("vapor_compression")
    sat_v = medium.state(P=P_evap, x=1.0)
    p1 = stage(res, "1", sat_v if superheat <= 0 else medium.state(P=P_evap, T=sat_v.T + superheat))
    h2s = res.record("h2s", medium.state(P=P_cond, s=p1.s).h, "h2s = h(P_cond, s1)")
    p2 = stage(res, "2", medium.state(P=P_cond, h=p1.h + (h2s - p1.h) / eta_comp))
    sat_l = medium.state(P=P_cond, x=0.0)
    p3 = stage(res, "3", sat_l if subcool <= 0 else medium.state(P=P_cond, T=sat_l.T - subcool))
    p4 = stage(res, "4", medium.state(P=P_evap, h=p3.h))
    w = res.record("w_comp", p2.h - p1.h, "w_comp = h2 - h1")
    q_L = res.record("q_L", p1.h - p4.h, "q_L = h1 - h4")
    q_H = res.record("q_H", p2.h - p3.h, "q_H = h2 - h3")
    res.record("COP_R", q_L / w, "COP_R = q_L / w_comp")
    res.record("COP_HP", q_H / w, "COP_HP = q_H / w_comp")
    res.record("energy_balance_error", abs(q_H - w - q_L) / q_H, "|q_H - w - q_L| / q_H")
    if m_dot is not None:
        res.record("m_dot", m_dot, "given")
        res.record("W_dot_comp", m_dot * w, "W = m w_comp")
        res.record("Q_dot_L", m_dot * q_L, "Q_L = m q_L")
        res.record("Q_dot_H", m_dot * q_H, "Q_H = m q_H")
    entropy_terms(
        res,
        dead,
        [
            ("comp", p2.s - p1.s, None, None),
            ("cond", p3.s - p2.s, -q_H, T_H),
            ("throttle", p4.s - p3.s, None, None),
            ("evap", p1.s - p4.s, q_L, T_L),
        ],
    )
    if T_L is not None and T_H is not None:
        if T_H <= T_L:
            raise SolverError(f"environment T_H={T_H:g} K must be above the cooled space T_L")
        carnot = res.record("COP_Carnot", T_L / (T_H - T_L), "COP_Carnot = T_L / (T_H - T_L)")
        res.record("eta_II", res["COP_R"] / carnot, "eta_II = COP_R / COP_Carnot")
    flow_exergies(res, dead, {"*": medium})
    return res
