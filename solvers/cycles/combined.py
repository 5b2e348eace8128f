"""Combined gas–steam cycle: a Brayton topping cycle whose exhaust raises steam in a
heat-recovery steam generator (HRSG) for a Rankine bottoming cycle.

States: 1-5 gas (1 compressor inlet, 2 compressor exit, 3 gas-turbine inlet, 4 gas-turbine
exit, 5 stack), 6-9 steam (6 condensate, 7 pump exit, 8 steam-turbine inlet, 9 steam-turbine
exit). HRSG balance: m_air (h4 − h5) = m_steam (h8 − h7) (Çengel & Boles §10-10).
Specific quantities are per kg of the stream they belong to; s_gen and x_dest are per kg of air.

>>> from solvers.media import IdealGas, RealFluid
>>> r = combined_cycle(IdealGas(cp=1005.0, k=1.4), RealFluid("Water"), T1=300.0, P1=100e3,
...     r_p=14.0, T3=1500.0, T5=450.0, P_cond=10e3, P_steam=8e6, T8=673.15, m_dot_air=1.0)
>>> r["eta_th"] > r["eta_th_gas"]
True
"""

from __future__ import annotations

from solvers.components.base import check_efficiency
from solvers.cycles.base import (
    CycleResult,
    compress,
    entropy_terms,
    expand,
    flow_exergies,
    stage,
)
from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium


def combined_cycle(
    gas: Medium,
    steam: Medium,
    T1: float,
    P1: float,
    r_p: float,
    T3: float,
    T5: float,
    P_cond: float,
    P_steam: float,
    T8: float | None = None,
    superheat: float | None = None,
    eta_comp: float = 1.0,
    eta_gas_turb: float = 1.0,
    eta_pump: float = 1.0,
    eta_steam_turb: float = 1.0,
    m_dot_air: float = 1.0,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Gas-turbine + steam-turbine combined cycle.

    Parameters
    ----------
    T1, P1 : float  Compressor inlet [K], [Pa]
    r_p : float  Gas-turbine pressure ratio [-]
    T3 : float  Gas-turbine inlet temperature [K]
    T5 : float  Stack (HRSG gas exit) temperature [K]
    P_cond, P_steam : float  Condenser and HRSG steam pressures [Pa]
    T8 : float or None  Steam-turbine inlet temperature [K], or ``superheat`` [K] above
        saturation at P_steam
    eta_* : float  Isentropic efficiencies [-]
    m_dot_air : float  Air mass flow rate [kg/s]
    T_source, T_sink : float or None  Combustion-source and condenser-sink temperatures [K]

    values: h1..h9, T2, T4, m_dot_steam [kg/s], w_comp, q_in, w_gas_turb, w_pump, w_steam_turb
    [J/kg], W_dot_net [W], eta_th, eta_th_gas, s_gen_<comp|cc|gas_turb|HRSG|pump|steam_turb|cond>,
    x_dest_*, ef1..ef9, eta_II
    """
    dead = dead or DeadState()
    for n, e in (
        ("eta_comp", eta_comp),
        ("eta_gas_turb", eta_gas_turb),
        ("eta_pump", eta_pump),
        ("eta_steam_turb", eta_steam_turb),
    ):
        check_efficiency(n, e)
    if (T8 is None) == (superheat is None):
        raise SolverError("give the steam-turbine inlet as T8 or as superheat above saturation")
    if r_p <= 1 or m_dot_air <= 0 or not 0 < P_cond < P_steam:
        raise SolverError(
            f"need r_p > 1, m_dot_air > 0, 0 < P_cond < P_steam "
            f"(got {r_p}, {m_dot_air}, {P_cond:g}, {P_steam:g})"
        )
    res = CycleResult("combined_cycle")
    P2 = P1 * r_p
    p1 = stage(res, "1", gas.state(T=T1, P=P1))
    p2 = compress(res, gas, p1, P2, eta_comp, "2")
    p3 = stage(res, "3", gas.state(T=T3, P=P2))
    p4 = expand(res, gas, p3, P1, eta_gas_turb, "4")
    p5 = stage(res, "5", gas.state(T=T5, P=P1))
    if T8 is None:
        T8 = steam.state(P=P_steam, x=1.0).T + superheat  # type: ignore[operator]
    p6 = stage(res, "6", steam.state(P=P_cond, x=0.0))
    p7 = compress(res, steam, p6, P_steam, eta_pump, "7")
    p8 = stage(res, "8", steam.state(P=P_steam, T=T8))
    p9 = expand(res, steam, p8, P_cond, eta_steam_turb, "9")
    if p5.h >= p4.h or p5.T <= p7.T:
        raise SolverError(
            f"stack T5={p5.T:.1f} K must lie between the feedwater ({p7.T:.1f} K) and the "
            f"gas-turbine exhaust ({p4.T:.1f} K)"
        )
    if T8 >= p4.T:
        raise SolverError(f"steam T8={T8:.1f} K cannot exceed the gas exhaust T4={p4.T:.1f} K")
    m_s = res.record(
        "m_dot_steam", m_dot_air * (p4.h - p5.h) / (p8.h - p7.h), "m_s = m_a (h4-h5)/(h8-h7)"
    )
    r = m_s / m_dot_air
    w_c = res.record("w_comp", p2.h - p1.h, "w_comp = h2 - h1")
    q_in = res.record("q_in", p3.h - p2.h, "q_in = h3 - h2 (combustion)")
    w_gt = res.record("w_gas_turb", p3.h - p4.h, "w_gas_turb = h3 - h4")
    w_p = res.record("w_pump", p7.h - p6.h, "w_pump = h7 - h6")
    w_st = res.record("w_steam_turb", p8.h - p9.h, "w_steam_turb = h8 - h9")
    W = res.record(
        "W_dot_net",
        m_dot_air * (w_gt - w_c) + m_s * (w_st - w_p),
        "W = m_a (w_gt - w_c) + m_s (w_st - w_p)",
    )
    res.record("m_dot_air", m_dot_air, "given")
    res.record("Q_dot_in", m_dot_air * q_in, "Q_in = m_a q_in")
    res.record("eta_th", W / (m_dot_air * q_in), "eta = W_net / Q_in")
    res.record("eta_th_gas", (w_gt - w_c) / q_in, "gas cycle alone")
    q_gas_out = p4.h - p1.h
    res.record(
        "energy_balance_error_gas",
        abs(q_in - (w_gt - w_c) - q_gas_out) / q_in,
        "|q_in - w_net,gas - (h4 - h1)| / q_in",
    )
    q_hrsg = p8.h - p7.h
    q_cond = p9.h - p6.h
    res.record(
        "energy_balance_error_steam",
        abs(q_hrsg - (w_st - w_p) - q_cond) / q_hrsg,
        "|q_HRSG - w_net,steam - q_cond| / q_HRSG",
    )
    entropy_terms(
        res,
        dead,
        [
            ("comp", p2.s - p1.s, None, None),
            ("cc", p3.s - p2.s, q_in, T_source),
            ("gas_turb", p4.s - p3.s, None, None),
            ("HRSG", (p5.s - p4.s) + r * (p8.s - p7.s), None, None),
            ("pump", r * (p7.s - p6.s), None, None),
            ("steam_turb", r * (p9.s - p8.s), None, None),
            ("cond", r * (p6.s - p9.s), -r * q_cond, T_sink),
        ],
    )
    if T_source is not None:
        res.record(
            "eta_II",
            W / (m_dot_air * q_in * (1.0 - dead.T0 / T_source)),
            "eta_II = W_net / (Q_in (1 - T0/T_source))",
        )
    flow_exergies(res, dead, {**{k: gas for k in "12345"}, **{k: steam for k in "6789"}, "*": gas})
    res.record("x_lost_stack", res["ef5"], "exergy leaving with the stack gas")
    return res
