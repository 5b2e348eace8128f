"""What every steady-flow component returns, and the second-law bookkeeping they share.

All values are SI: specific quantities per kg of the component's reference flow (h, w, q in
J/kg; s, s_gen in J/(kg K)), rates for multi-stream devices (Q_dot, X_dest_dot in W; S_gen_dot in
W/K). ``values`` uses textbook names (h1, h2s, w_out, s_gen, x_dest, eta_II...) so that a report
slot can name them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from solvers.errors import SolverError
from solvers.media.base import DeadState, Medium, Point


@dataclass
class ComponentResult:
    """A solved component: named values [SI], its state points, and the steps taken."""

    kind: str
    values: dict[str, float] = field(default_factory=dict)
    points: dict[str, Point] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def record(self, name: str, value: float, how: str) -> float:
        """Store ``name`` = ``value`` [SI] and note how it was obtained."""
        self.values[name] = value
        self.steps.append(f"{name} = {value:.6g}  [{how}]")
        return value


def entropy_generation(
    s_in: float, s_out: float, q_in: float = 0.0, T_boundary: float | None = None
) -> float:
    """s_gen = s_out − s_in − q_in/T_b [J/(kg K)] for one stream exchanging heat q_in [J/kg]
    with a reservoir at T_b [K] (q_in < 0 for heat rejected).

    >>> round(entropy_generation(1000.0, 1200.0, q_in=150e3, T_boundary=1000.0), 6)
    50.0
    """
    if q_in and T_boundary is None:
        raise SolverError("heat crosses the boundary but its temperature T_boundary is not given")
    if T_boundary is not None and T_boundary <= 0:
        raise SolverError(f"boundary temperature must be > 0 K, got {T_boundary}")
    return s_out - s_in - (q_in / T_boundary if q_in and T_boundary else 0.0)


def check_efficiency(name: str, eta: float) -> float:
    """Efficiencies lie in (0, 1]; a value like 85 (percent) is a clear error, not a guess."""
    if not 0.0 < eta <= 1.0:
        raise SolverError(f"{name}={eta!r}: an efficiency must lie in (0, 1]")
    return eta


def psi(dead: DeadState, medium: Medium, p: Point, V: float = 0.0) -> float:
    """Flow exergy [J/kg] (see :meth:`DeadState.flow_exergy`)."""
    return dead.flow_exergy(medium, p, V)


ComponentFn = Callable[..., ComponentResult]
COMPONENTS: dict[str, ComponentFn] = {}


def register_component(name: str, fn: ComponentFn) -> ComponentFn:
    """Add a component model; names are unique."""
    if name in COMPONENTS:
        raise ValueError(f"component {name!r} is already registered")
    COMPONENTS[name] = fn
    return fn


def component(name: str) -> Callable[[ComponentFn], ComponentFn]:
    """Decorator form of :func:`register_component`."""

    def deco(fn: ComponentFn) -> ComponentFn:
        return register_component(name, fn)

    return deco


def get_component(name: str) -> ComponentFn:
    """The component model registered as ``name``."""
    try:
        return COMPONENTS[name]
    except KeyError:
        raise SolverError(f"unknown component {name!r}; known: {sorted(COMPONENTS)}") from None


def as_dict(result: ComponentResult) -> dict[str, Any]:
    """Plain-data view of a result (for traces and JSON)."""
    return {"kind": result.kind, "values": dict(result.values), "steps": list(result.steps)}
