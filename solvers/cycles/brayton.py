"""Brayton gas-turbine cycles: simple (ideal or actual) and regenerative.

Works with any :class:`~solvers.media.base.Medium`: cold-air standard (``IdealGas``, constant
cp) or variable specific heats (``RealFluid("Air")``, Lemmon et al. 2000 pseudo-pure air).
States (Çengel & Boles ch. 9): 1 compressor inlet, 2 compressor exit, 3 turbine inlet, 4 turbine
exit; the regenerative cycle numbers 1 comp in, 2 comp out, 3 regenerator cold exit, 4 turbine
inlet, 5 turbine exit, 6 regenerator hot exit, with effectiveness ε = (T3 − T2)/(T5 − T2).

>>> from solvers.media import IdealGas
>>> r = brayton(IdealGas(cp=1005.0, k=1.4), T1=300.0, P1=100e3, r_p=8.0, T3=1300.0)
>>> round(r["eta_th"], 3)  # ideal: 1 - r_p^(-(k-1)/k)
0.448
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
from solvers.media.base import DeadState, Medium


def _check(T1: float, P1: float, r_p: float, T_max: float) -> None:
    if r_p <= 1.0:
        raise SolverError(f"pressure ratio r_p={r_p!r} must be > 1")
    if T1 <= 0 or P1 <= 0 or T_max <= T1:
        raise SolverError(f"need T1 > 0, P1 > 0 and turbine inlet T ({T_max:g} K) > T1 ({T1:g} K)")


def brayton(
    medium: Medium,
    T1: float,
    P1: float,
    r_p: float,
    T3: float,
    eta_comp: float = 1.0,
    eta_turb: float = 1.0,
    m_dot: float | None = None,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Simple Brayton cycle.

    Parameters
    ----------
    T1 : float  Compressor inlet temperature [K]
    P1 : float  Compressor inlet pressure [Pa]
    r_p : float  Pressure ratio P2/P1 [-]
    T3 : float  Turbine inlet temperature [K]
    eta_comp, eta_turb : float  Isentropic efficiencies [-]
    m_dot : float or None  Mass flow rate [kg/s]
    T_source, T_sink : float or None  Reservoir temperatures [K]

    values: h1..h4, h2s, h4s, T2, T4 [K], w_comp, q_in, w_turb, w_net [J/kg], eta_th, bwr,
    W_dot_net [W], s_gen_<comp|cc|turb|hr>, x_dest_*, ef1..ef4, eta_II
    """
    dead = dead or DeadState()
    _check(T1, P1, r_p, T3)
    check_efficiency("eta_comp", eta_comp)
    check_efficiency("eta_turb", eta_turb)
    res = CycleResult("brayton")
    P2 = P1 * r_p
    p1 = stage(res, "1", medium.state(T=T1, P=P1))
    p2 = compress(res, medium, p1, P2, eta_comp, "2")
    p3 = stage(res, "3", medium.state(T=T3, P=P2))
    p4 = expand(res, medium, p3, P1, eta_turb, "4")
    w_c = res.record("w_comp", p2.h - p1.h, "w_comp = h2 - h1")
    q_in = res.record("q_in", p3.h - p2.h, "q_in = h3 - h2")
    w_t = res.record("w_turb", p3.h - p4.h, "w_turb = h3 - h4")
    res.record("bwr", w_c / w_t, "back-work ratio")
    q_out = p4.h - p1.h
    power_cycle_totals(res, dead, w_t - w_c, q_in, q_out, m_dot, T_source)
    entropy_terms(
        res,
        dead,
        [
            ("comp", p2.s - p1.s, None, None),
            ("cc", p3.s - p2.s, q_in, T_source),
            ("turb", p4.s - p3.s, None, None),
            ("hr", p1.s - p4.s, -q_out, T_sink),
        ],
    )
    flow_exergies(res, dead, {"*": medium})
    return res


def brayton_regenerative(
    medium: Medium,
    T1: float,
    P1: float,
    r_p: float,
    T4: float,
    epsilon: float,
    eta_comp: float = 1.0,
    eta_turb: float = 1.0,
    m_dot: float | None = None,
    T_source: float | None = None,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> CycleResult:
    """Brayton cycle with a regenerator of effectiveness ``epsilon`` [-] (on temperatures).

    T4 : float  Turbine inlet temperature [K]; other parameters as :func:`brayton`.
    values add h5, h5s, h6, T5, s_gen_regen, x_dest_regen.
    """
    dead = dead or DeadState()
    _check(T1, P1, r_p, T4)
    check_efficiency("eta_comp", eta_comp)
    check_efficiency("eta_turb", eta_turb)
    if not 0.0 <= epsilon <= 1.0:
        raise SolverError(f"regenerator effectiveness epsilon={epsilon!r} must lie in [0, 1]")
    res = CycleResult("brayton_regenerative")
    P2 = P1 * r_p
    p1 = stage(res, "1", medium.state(T=T1, P=P1))
    p2 = compress(res, medium, p1, P2, eta_comp, "2")
    p4 = stage(res, "4", medium.state(T=T4, P=P2))
    p5 = expand(res, medium, p4, P1, eta_turb, "5")
    if p5.T <= p2.T:
        raise SolverError(
            f"turbine exit ({p5.T:.1f} K) is colder than compressor exit ({p2.T:.1f} K): "
            "a regenerator cannot help"
        )
    p3 = stage(res, "3", medium.state(T=p2.T + epsilon * (p5.T - p2.T), P=P2))
    p6 = stage(res, "6", medium.state(P=P1, h=p5.h - (p3.h - p2.h)))
    res.record("q_regen", p3.h - p2.h, "q_regen = h3 - h2 = h5 - h6")
    w_c = res.record("w_comp", p2.h - p1.h, "w_comp = h2 - h1")
    q_in = res.record("q_in", p4.h - p3.h, "q_in = h4 - h3")
    w_t = res.record("w_turb", p4.h - p5.h, "w_turb = h4 - h5")
    res.record("bwr", w_c / w_t, "back-work ratio")
    q_out = p6.h - p1.h
    power_cycle_totals(res, dead, w_t - w_c, q_in, q_out, m_dot, T_source)
    entropy_terms(
        res,
        dead,
        [
            ("comp", p2.s - p1.s, None, None),
            ("regen", (p3.s - p2.s) + (p6.s - p5.s), None, None),
            ("cc", p4.s - p3.s, q_in, T_source),
            ("turb", p5.s - p4.s, None, None),
            ("hr", p1.s - p6.s, -q_out, T_sink),
        ],
    )
    # the rebuilt dict keeps state order 1..6 for readers
    res.points = {k: res.points[k] for k in sorted(res.points)}
    flow_exergies(res, dead, {"*": medium})
    return res
