"""Heat-exchange and flow-joining devices: boiler, condenser, evaporator (one stream and a
reservoir), two-stream heat exchanger, mixing chamber, splitter.

Entropy generation counts the reservoir: s_gen = Δs − q_in/T_b per unit mass of the working
fluid; exergy destruction x_dest = T0 s_gen (Çengel & Boles, ch. 7-8; Bejan, *Advanced
Engineering Thermodynamics*, ch. 3).

>>> from solvers.media import RealFluid, DeadState
>>> w = RealFluid("Water")
>>> r = boiler(w, w.state(T=349.15, P=7.7e6), T_out=761.15, T_source=1220.0,
...            dead=DeadState(298.15, 1e5))
>>> round(r["q_in"] / 1e3, 1), round(r["eta_II"], 3)
(3049.1, 0.588)
"""

from __future__ import annotations

from solvers.components.base import ComponentResult, component, entropy_generation, psi
from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium, Point


def _heat(
    kind: str,
    medium: Medium,
    inlet: Point,
    outlet: Point,
    T_reservoir: float | None,
    dead: DeadState,
    exergy_efficiency: bool = True,
) -> ComponentResult:
    res = ComponentResult(kind)
    res.points.update({"in": inlet, "out": outlet})
    for tag, p in (("in", inlet), ("out", outlet)):
        res.record(f"h_{tag}", p.h, f"{tag}let state")
        res.record(f"s_{tag}", p.s, f"{tag}let state")
        res.record(f"T_{tag}", p.T, f"{tag}let state")
    q = res.record("q_in", outlet.h - inlet.h, "q_in = h_out - h_in")
    res.record("q_out", -q, "q_out = h_in - h_out")
    res.record("ef_in", psi(dead, medium, inlet), "ψ = h - h0 - T0 (s - s0)")
    res.record("ef_out", psi(dead, medium, outlet), "ψ = h - h0 - T0 (s - s0)")
    if T_reservoir is not None:
        s_gen = res.record(
            "s_gen", entropy_generation(inlet.s, outlet.s, q, T_reservoir), "s_gen = Δs - q/T_b"
        )
        res.record("x_dest", dead.T0 * s_gen, "x_dest = T0 s_gen")
        carnot = 1.0 - dead.T0 / T_reservoir
        if q > 0 and exergy_efficiency:  # heated: exergy gained over exergy of the heat supplied
            res.record(
                "eta_II",
                (res["ef_out"] - res["ef_in"]) / (q * carnot),
                "eta_II = (ψ_out - ψ_in) / (q (1 - T0/T_source))",
            )
    return res


def _exit(medium: Medium, P: float, T_out: float | None, x_out: float | None) -> Point:
    if (T_out is None) == (x_out is None):
        raise SolverError("give exactly one of the exit temperature T_out or quality x_out")
    return medium.state(P=P, T=T_out) if T_out is not None else medium.state(P=P, x=x_out)  # type: ignore[arg-type]


@component("boiler")
def boiler(
    medium: Medium,
    inlet: Point,
    T_out: float | None = None,
    x_out: float | None = None,
    T_source: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Constant-pressure heating of ``inlet`` to T_out [K] (or quality x_out) with heat from a
    source at T_source [K]. values: h_in, h_out, q_in [J/kg], s_in, s_out, s_gen, x_dest, eta_II
    """
    return _heat(
        "boiler", medium, inlet, _exit(medium, inlet.P, T_out, x_out), T_source, dead or DeadState()
    )


@component("condenser")
def condenser(
    medium: Medium,
    inlet: Point,
    T_out: float | None = None,
    x_out: float | None = 0.0,
    T_sink: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Constant-pressure cooling to saturated liquid (or T_out [K]) rejecting heat to a sink
    at T_sink [K]. values: q_out [J/kg], s_gen [J/(kg K)], x_dest [J/kg]"""
    if T_out is not None:
        x_out = None
    return _heat(
        "condenser",
        medium,
        inlet,
        _exit(medium, inlet.P, T_out, x_out),
        T_sink,
        dead or DeadState(),
    )


@component("evaporator")
def evaporator(
    medium: Medium,
    inlet: Point,
    T_out: float | None = None,
    x_out: float | None = 1.0,
    T_source: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Constant-pressure evaporation to saturated vapour (or T_out [K]) taking heat from a space
    at T_source [K]. values: q_in [J/kg], s_gen [J/(kg K)], x_dest [J/kg]"""
    if T_out is not None:
        x_out = None
    # heat drawn from a space below T0 carries no exergy to the fluid: no boiler-style eta_II
    return _heat(
        "evaporator",
        medium,
        inlet,
        _exit(medium, inlet.P, T_out, x_out),
        T_source,
        dead or DeadState(),
        exergy_efficiency=False,
    )


@component("heat_exchanger")
def heat_exchanger(
    hot: Medium,
    cold: Medium,
    hot_in: Point,
    cold_in: Point,
    m_h: float,
    m_c: float,
    hot_out_T: float | None = None,
    cold_out_T: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Adiabatic two-stream heat exchanger; give one exit temperature [K], the energy balance
    m_h (h_h,in − h_h,out) = m_c (h_c,out − h_c,in) gives the other.

    Parameters
    ----------
    m_h, m_c : float  Mass flow rates of the hot and cold streams [kg/s]

    values: h_h_in, h_h_out, h_c_in, h_c_out, T_h_out, T_c_out [K], Q_dot [W],
    s_* [J/(kg K)], S_gen_dot [W/K], X_dest_dot [W], eta_II = m_c Δψ_c / (m_h Δψ_h)
    """
    dead = dead or DeadState()
    if m_h <= 0 or m_c <= 0:
        raise SolverError(f"mass flow rates must be > 0 (m_h={m_h}, m_c={m_c})")
    if (hot_out_T is None) == (cold_out_T is None):
        raise SolverError("give exactly one exit temperature: hot_out_T or cold_out_T")
    res = ComponentResult("heat_exchanger")
    if hot_out_T is not None:
        hot_out = hot.state(P=hot_in.P, T=hot_out_T)
        Q = m_h * (hot_in.h - hot_out.h)
        cold_out = cold.state(P=cold_in.P, h=cold_in.h + Q / m_c)
    else:
        cold_out = cold.state(P=cold_in.P, T=cold_out_T)  # type: ignore[arg-type]
        Q = m_c * (cold_out.h - cold_in.h)
        hot_out = hot.state(P=hot_in.P, h=hot_in.h - Q / m_h)
    if Q <= 0:
        raise SolverError(f"heat must flow from hot to cold: Q_dot = {Q:g} W")
    if cold_out.T > hot_in.T + 1e-9 and hot_out.T < cold_in.T - 1e-9:
        raise SolverError("temperature cross: the streams swap places; check the exit temperature")
    for tag, p in (("h_in", hot_in), ("h_out", hot_out), ("c_in", cold_in), ("c_out", cold_out)):
        res.points[tag] = p
        res.record(f"h_{tag}", p.h, "state")
        res.record(f"s_{tag}", p.s, "state")
        res.record(f"T_{tag}", p.T, "state")
    res.record("Q_dot", Q, "Q = m_h (h_h,in - h_h,out) = m_c (h_c,out - h_c,in)")
    S = res.record(
        "S_gen_dot",
        m_h * (hot_out.s - hot_in.s) + m_c * (cold_out.s - cold_in.s),
        "S_gen = m_h Δs_h + m_c Δs_c",
    )
    res.record("X_dest_dot", dead.T0 * S, "X_dest = T0 S_gen")
    gained = m_c * (psi(dead, cold, cold_out) - psi(dead, cold, cold_in))
    given = m_h * (psi(dead, hot, hot_in) - psi(dead, hot, hot_out))
    res.record("eta_II", gained / given, "eta_II = m_c Δψ_c / (m_h Δψ_h)")
    return res


@component("mixing_chamber")
def mixing_chamber(
    medium: Medium,
    inlets: list[tuple[Point, float]],
    P: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Adiabatic mixing of streams (state, m [kg/s]) at pressure P [Pa] (the inlets' by default).

    values: h1, h2, ..., m3 [kg/s], h3, T3 [K], s*, S_gen_dot [W/K], X_dest_dot [W],
    eta_II = Σ m ψ out / Σ m ψ in
    """
    dead = dead or DeadState()
    if len(inlets) < 2:
        raise SolverError("a mixing chamber needs at least two inlet streams")
    if any(m <= 0 for _, m in inlets):
        raise SolverError(f"mass flow rates must be > 0: {[m for _, m in inlets]}")
    res = ComponentResult("mixing_chamber")
    P = P if P is not None else min(p.P for p, _ in inlets)
    m_out = sum(m for _, m in inlets)
    for i, (p, m) in enumerate(inlets, start=1):
        res.points[str(i)] = p
        res.record(f"h{i}", p.h, "inlet state")
        res.record(f"s{i}", p.s, "inlet state")
        res.record(f"m{i}", m, "given")
    n = len(inlets) + 1
    res.record(f"m{n}", m_out, "mass balance: m_out = Σ m_in")
    h_out = res.record(f"h{n}", sum(p.h * m for p, m in inlets) / m_out, "h_out = Σ m h / m_out")
    out = medium.state(P=P, h=h_out)
    res.points[str(n)] = out
    res.record(f"T{n}", out.T, "exit state from (P, h)")
    res.record(f"s{n}", out.s, "exit state from (P, h)")
    S = res.record(
        "S_gen_dot", m_out * out.s - sum(p.s * m for p, m in inlets), "S_gen = Σ m s out - in"
    )
    res.record("X_dest_dot", dead.T0 * S, "X_dest = T0 S_gen")
    x_in = sum(m * psi(dead, medium, p) for p, m in inlets)
    res.record("eta_II", m_out * psi(dead, medium, out) / x_in, "eta_II = X_out / X_in")
    return res


@component("splitter")
def splitter(inlet: Point, m_in: float, fractions: list[float]) -> ComponentResult:
    """Split one stream m_in [kg/s] into outlets at the same state by ``fractions`` (sum 1).

    values: m1, m2, ... [kg/s]; no entropy is generated.
    """
    if abs(sum(fractions) - 1.0) > 1e-9 or any(f < 0 for f in fractions):
        raise SolverError(f"split fractions must be >= 0 and sum to 1, got {fractions}")
    res = ComponentResult("splitter")
    for i, f in enumerate(fractions, start=1):
        res.points[str(i)] = inlet
        res.record(f"m{i}", f * m_in, "m_i = f_i m_in")
    res.record("S_gen_dot", 0.0, "no change of state")
    return res
