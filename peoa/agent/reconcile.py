"""Reconciling a problem's claims by consistency-based abduction (``solvers.abduction``).

The problem supplies the constraints: each slot's dimension (the unit asked for, else the engine
variable's unit), physical bounds from the variable catalogue, and every engine equation that
applies to the text and links two or more slots once the givens are substituted. Rules are the
declared ones (correlation outside its validity range, failed tool) plus any learned rules the
configuration loads.

>>> from peoa.models import Claim
>>> out = reconcile_claims([
...     Claim(slot="Q", value=100.0, unit="kW", expert="a"),
...     Claim(slot="Q", value=100000.0, unit="W", expert="b"),
...     Claim(slot="Q", value=341.2, unit="kW", expert="c", confidence=0.5)])
>>> out.accepted["Q"].expert, [r["expert"] for r in out.rejected]
('a', ['c'])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy as sp

from peoa.agent.state import Rejection
from peoa.models import Claim, Problem
from solvers.abduction import DECLARED_RULES, Relation, Rule, abduce, equation
from solvers.equations import EQUATIONS, VARIABLES_BY_NAME, Equation
from solvers.errors import SolverError
from solvers.units import parse_unit


@dataclass
class Reconciled:
    """Accepted claim per slot, rejections with reasons, violated constraints, solver figures."""

    accepted: dict[str, Claim]
    rejected: list[Rejection]
    violated: list[str] = field(default_factory=list)
    recheck: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=512)
def _sides(eq: Equation, names: tuple[str, ...]) -> Any:
    syms = [sp.Symbol(n) for n in names]
    loc = {n: s for n, s in zip(names, syms, strict=True)}
    subs = {sp.Symbol(k): v for k, v in eq.constants.items()}
    lhs = sp.sympify(eq.lhs, locals=loc).subs(subs)
    rhs = sp.sympify(eq.rhs, locals=loc).subs(subs)
    return sp.lambdify(syms, [lhs, rhs], modules="math")


def _slot_variable(problem: Problem | None, slot: str) -> str:
    return problem.bindings.get(slot, slot) if problem is not None else slot


def slot_constraints(
    problem: Problem | None, slots: Sequence[str]
) -> tuple[list[Relation], dict[str, tuple[float | None, float | None]], dict[str, str]]:
    """Relations, bounds [SI] and dimensions for ``slots`` of ``problem``."""
    bounds: dict[str, tuple[float | None, float | None]] = {}
    dimensions: dict[str, str] = {}
    var_slot: dict[str, str] = {}
    for slot in slots:
        name = _slot_variable(problem, slot)
        var = VARIABLES_BY_NAME.get(name)
        unit = problem.slot_unit(slot) if problem is not None else ""
        if var is not None:
            var_slot.setdefault(name, slot)
            bounds[slot] = (var.lower, var.upper)
            if not unit:
                unit = var.unit
        if unit:
            try:
                parse_unit(unit)
                dimensions[slot] = unit
            except SolverError:
                pass
    relations: list[Relation] = []
    if problem is None or problem.process:  # process models close their own balances
        return relations, bounds, dimensions
    givens = {k: g.q.to_base_units().magnitude for k, g in problem.givens.items()}
    text = problem.statement
    for eq in EQUATIONS:
        names = eq.variables
        linked = [n for n in names if n in var_slot and n not in givens]
        if len(linked) < 2 or any(n not in givens and n not in var_slot for n in names):
            continue
        if not eq.applies_to(text):
            continue
        order = (*linked, *(n for n in names if n not in linked))
        fn = _sides(eq, order)
        fixed = [float(givens[n]) for n in order[len(linked) :]]

        def sides(
            v: Sequence[float], fn: Any = fn, fixed: list[float] = fixed
        ) -> tuple[float, float]:
            lhs, rhs = fn(*v, *fixed)
            return float(lhs), float(rhs)

        relations.append(
            equation(
                eq.name,
                [var_slot[n] for n in linked],
                sides,
                description=f"{eq.lhs} = {eq.rhs}",
            )
        )
    return relations, bounds, dimensions


def _rejection(c: Claim, reason: str) -> Rejection:
    return Rejection(slot=c.slot, expert=c.expert, value=c.value, unit=c.unit, reason=reason)


def reconcile_claims(
    claims: list[Claim],
    problem: Problem | None = None,
    *,
    rules: Sequence[Rule] = DECLARED_RULES,
    delta: float = 0.1,
    solver: str = "ip",
    time_limit: float = 5.0,
) -> Reconciled:
    """Accept at most one claim per slot by abduction; every other claim gets a reason."""
    usable: list[Claim] = []
    failed: list[Claim] = []
    for c in claims:
        ok = (isinstance(c.value, str) or math.isfinite(c.value)) and c.confidence > 0.0
        (usable if ok else failed).append(c)
    rejected = [
        _rejection(c, f"failed: {c.provenance[-1] if c.provenance else 'no usable value'}")
        for c in failed
    ]
    if not usable:
        return Reconciled({}, rejected)
    slots = list(dict.fromkeys(c.slot for c in usable))
    relations, bounds, dimensions = slot_constraints(problem, slots)
    for slot in slots:  # no declared dimension: the most confident claim's unit decides
        if slot not in dimensions:
            top = max((c for c in usable if c.slot == slot), key=lambda c: c.confidence)
            if not isinstance(top.value, str):
                dimensions[slot] = top.unit or "dimensionless"
    options: dict[str, Any] = {"time_limit": time_limit} if solver == "ip" else {}
    res = abduce(
        usable,
        rules=rules,
        relations=relations,
        bounds=bounds,
        dimensions=dimensions,
        delta=delta,
        solver=solver,
        **options,
    )
    accepted = {s: usable[i] for s, i in res.accepted.items()}
    rejected += [_rejection(usable[r.claim], r.reason) for r in res.rejected]
    figures = {
        "solver": res.solver,
        "status": res.status,
        "coverage": res.coverage,
        "inconsistency_rate": res.rate,
        "relations": [r.name for r in relations],
        "runtime_s": res.runtime_s,
    }
    return Reconciled(accepted, rejected, res.violated, res.violated_slots, figures)
