"""Shared second-law bookkeeping for cycle models.

Each component's entropy generation is recorded as ``s_gen_<component>`` [J/(kg K)] and its
exergy destruction as ``x_dest_<component>`` = T0 s_gen [J/kg], per kg of the cycle's reference
flow. Heat-exchange components need their reservoir temperature; when it is not given their
terms (and the totals) are left out rather than guessed.
"""

from __future__ import annotations

from solvers.components.base import ComponentResult
from solvers.media.base import DeadState, Medium, Point

CycleResult = ComponentResult


def stage(res: CycleResult, label: str, p: Point) -> Point:
    """Record state point ``label``: h, s, T, P (and x inside the dome)."""
    res.points[label] = p
    res.record(f"h{label}", p.h, f"state {label}")
    res.record(f"s{label}", p.s, f"state {label}")
    res.record(f"T{label}", p.T, f"state {label}")
    res.record(f"P{label}", p.P, f"state {label}")
    if p.x == p.x:  # inside the dome
        res.record(f"x{label}", p.x, f"quality at state {label}")
    return p


def compress(res: CycleResult, m: Medium, p: Point, P2: float, eta: float, lab: str) -> Point:
    """Pump or compressor stage to P2 [Pa] with isentropic efficiency eta; records h<lab>s and
    state ``lab``: h2 = h1 + (h2s − h1)/eta."""
    h2s = res.record(f"h{lab}s", m.state(P=P2, s=p.s).h, f"h{lab}s = h(P{lab}, s_in)")
    return stage(res, lab, m.state(P=P2, h=p.h + (h2s - p.h) / eta))


def expand(res: CycleResult, m: Medium, p: Point, P2: float, eta: float, lab: str) -> Point:
    """Turbine stage to P2 [Pa] with isentropic efficiency eta; records h<lab>s and state
    ``lab``: h2 = h1 − eta (h1 − h2s)."""
    h2s = res.record(f"h{lab}s", m.state(P=P2, s=p.s).h, f"h{lab}s = h(P{lab}, s_in)")
    return stage(res, lab, m.state(P=P2, h=p.h - eta * (p.h - h2s)))


def entropy_terms(
    res: CycleResult,
    dead: DeadState,
    terms: list[tuple[str, float, float | None, float | None]],
) -> None:
    """Record s_gen and x_dest per component, and their totals when every term is known.

    ``terms``: (component, Σ Δs of its streams [J/(kg K)], heat into the fluid q [J/kg] or None
    when adiabatic, reservoir temperature T_b [K] or None).
    """
    complete = True
    total = 0.0
    for name, ds, q, T_b in terms:
        if q is not None and T_b is None:
            complete = False
            continue
        s_gen = ds - (q / T_b if q is not None and T_b is not None else 0.0)
        res.record(f"s_gen_{name}", s_gen, f"s_gen,{name} = Δs - q/T_b")
        res.record(f"x_dest_{name}", dead.T0 * s_gen, f"x_dest,{name} = T0 s_gen,{name}")
        total += s_gen
    if complete:
        res.record("s_gen_total", total, "Σ s_gen")
        res.record("x_dest_total", dead.T0 * total, "T0 Σ s_gen")


def flow_exergies(res: CycleResult, dead: DeadState, media: dict[str, Medium]) -> None:
    """ef<label> = (h − h0) − T0 (s − s0) [J/kg] for every state, with that state's medium."""
    for label, p in res.points.items():
        if label.endswith("s"):  # ideal (isentropic) exit states are not real states
            continue
        medium = media.get(label) or media["*"]
        res.record(f"ef{label}", dead.flow_exergy(medium, p), "ψ = h - h0 - T0 (s - s0)")


def power_cycle_totals(
    res: CycleResult,
    dead: DeadState,
    w_net: float,
    q_in: float,
    q_out: float,
    m_dot: float | None,
    T_source: float | None,
) -> None:
    """w_net, eta_th, q_out, closure error, net power and second-law efficiency."""
    res.record("w_net", w_net, "w_net = w_out - w_in")
    res.record("q_out", q_out, "heat rejected")
    res.record("eta_th", w_net / q_in, "eta_th = w_net / q_in")
    res.record(
        "energy_balance_error", abs(q_in - w_net - q_out) / q_in, "|q_in - w_net - q_out| / q_in"
    )
    if m_dot is not None:
        res.record("m_dot", m_dot, "given")
        res.record("W_dot_net", m_dot * w_net, "W_net = m w_net")
        res.record("Q_dot_in", m_dot * q_in, "Q_in = m q_in")
        res.record("Q_dot_out", m_dot * q_out, "Q_out = m q_out")
    if T_source is not None:
        res.record(
            "eta_II",
            w_net / (q_in * (1.0 - dead.T0 / T_source)),
            "eta_II = w_net / (q_in (1 - T0/T_source))",
        )
