"""The structural solver: from knowns and targets, pick and order equations, and solve.

Equations whose unknowns reduce to one are solved in turn (symbolically once, cached, then
numerically); candidate roots outside a variable's physical bounds are discarded. Every step is
recorded. Under-determined problems raise an error naming what is missing; over-determined,
inconsistent givens raise one naming the conflicting givens.

>>> from solvers.equations.catalogue import EQUATIONS
>>> vals, steps = solve_structural({"rho": 998.0, "V": 2.0, "D": 0.05, "mu": 1.0e-3}, ["Re"],
...                                EQUATIONS, text="water in a pipe")
>>> round(vals["Re"])
99800
>>> steps[0].equation
'reynolds'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy import optimize

from solvers.equations.catalogue import VARIABLES_BY_NAME
from solvers.equations.model import Equation
from solvers.errors import InconsistentError, UnderdeterminedError

CONSISTENCY_RTOL = 0.02


@dataclass
class Step:
    """One solved equation: ``output`` [SI] from ``inputs`` [SI]."""

    equation: str
    output: str
    value: float
    inputs: dict[str, float] = field(default_factory=dict)
    reference: str = ""


@lru_cache(maxsize=1024)
def _solutions(eq: Equation, var: str) -> tuple[Callable[..., float], ...]:
    """Closed-form solutions of ``eq`` for ``var`` as numeric functions of the other variables."""
    sym = sp.Symbol(var)
    others = [sp.Symbol(n) for n in eq.variables if n != var]
    try:
        roots = sp.solve(eq.symbolic_residual, sym, dict=False)
    except (NotImplementedError, ValueError):
        roots = []
    roots = [r.subs(eq.constant_subs()) for r in roots]
    return tuple(
        sp.lambdify(others, r, modules=["scipy", "numpy"]) for r in roots if r.is_real is not False
    )


@lru_cache(maxsize=1024)
def _residual_fn(eq: Equation) -> Callable[..., float]:
    syms = [sp.Symbol(n) for n in eq.variables]
    return sp.lambdify(syms, eq.residual, modules="math")


def _sides(eq: Equation, values: dict[str, float]) -> tuple[float, float]:
    loc = {n: sp.Symbol(n) for n in eq.symbol_names}
    subs = {sp.Symbol(k): v for k, v in {**eq.constants, **values}.items() if k in loc}
    lhs = float(sp.sympify(eq.lhs, locals=loc).subs(subs))
    rhs = float(sp.sympify(eq.rhs, locals=loc).subs(subs))
    return lhs, rhs


def _numeric_roots(eq: Equation, var: str, known: dict[str, float]) -> list[float]:
    """Fallback when sympy finds no closed form: scalar root finding from several guesses."""
    fn = _residual_fn(eq)
    order = list(eq.variables)

    def f(x: float) -> float:
        args = [x if n == var else known[n] for n in order]
        return float(fn(*args))

    scale = max((abs(v) for v in known.values()), default=1.0) or 1.0
    roots: list[float] = []
    for guess in (1.0, 0.5 * scale, scale, 1e-3 * scale, 10.0):
        try:
            r = optimize.newton(f, guess, maxiter=200, tol=1e-12)
        except (RuntimeError, OverflowError, ZeroDivisionError, ValueError):
            continue
        if math.isfinite(r) and abs(f(r)) <= 1e-8 * max(1.0, scale):
            roots.append(float(r))
    return roots


def _candidates(eq: Equation, var: str, known: dict[str, float]) -> list[float]:
    args = [known[n] for n in eq.variables if n != var]
    out: list[float] = []
    for fn in _solutions(eq, var):
        try:
            with np.errstate(all="ignore"):
                val = complex(fn(*args))
        except (ZeroDivisionError, ValueError, OverflowError, TypeError, NameError):
            continue
        if abs(val.imag) <= 1e-9 * max(1.0, abs(val.real)) and math.isfinite(val.real):
            out.append(val.real)
    if not out:
        out = _numeric_roots(eq, var, known)
    v = VARIABLES_BY_NAME.get(var)
    valid = [x for x in out if v is None or v.in_bounds(x)]
    # x in log(x/y) forms: drop the trivial or duplicated roots
    uniq: list[float] = []
    for x in valid:
        if all(abs(x - u) > 1e-9 * max(1.0, abs(u)) for u in uniq):
            uniq.append(x)
    return uniq


def applicable(equations: Iterable[Equation], text: str) -> list[Equation]:
    """Equations whose ``requires``/``excludes`` cues the problem text satisfies."""
    return [e for e in equations if e.applies_to(text)]


def solve_structural(
    knowns: dict[str, float],
    targets: Sequence[str],
    equations: Iterable[Equation],
    text: str = "",
    check_consistency: bool = True,
) -> tuple[dict[str, float], list[Step]]:
    """Solve for ``targets`` from ``knowns`` (both in SI) with the equations that apply.

    Parameters
    ----------
    knowns : dict  Variable name -> value [SI unit of the variable]
    targets : variable names wanted
    equations : candidate equations; filtered by ``text`` cues when ``text`` is given
    text : the problem text (for ``requires``/``excludes``)

    Returns the values of all variables determined (knowns included) [SI] and the steps.

    Raises
    ------
    UnderdeterminedError  naming the variables that would be needed
    InconsistentError  naming the givens of an equation they violate
    """
    eqs = applicable(equations, text) if text else list(equations)
    values = dict(knowns)
    steps: list[Step] = []
    used: set[str] = set()
    progress = True
    if check_consistency:
        _check_givens(eqs, knowns)
    while progress and not all(t in values for t in targets):
        progress = False
        for eq in eqs:
            if eq.name in used:
                continue
            unknown = [n for n in eq.variables if n not in values]
            if len(unknown) != 1:
                continue
            var = unknown[0]
            roots = _candidates(eq, var, values)
            if not roots:
                continue
            # several admissible roots: take the smallest in magnitude (the physical branch of
            # the quadratic and log forms in the catalogue)
            value = min(roots, key=abs)
            values[var] = value
            used.add(eq.name)
            steps.append(
                Step(
                    eq.name,
                    var,
                    value,
                    {n: values[n] for n in eq.variables if n != var},
                    eq.reference,
                )
            )
            progress = True
    missing_targets = [t for t in targets if t not in values]
    if missing_targets:
        raise UnderdeterminedError(missing_targets, _missing_for(missing_targets, eqs, values))
    return values, steps


def _missing_for(targets: list[str], eqs: list[Equation], values: dict[str, float]) -> list[str]:
    """The unknowns of the smallest equation that would yield a target."""
    best: list[str] | None = None
    for t in targets:
        for eq in eqs:
            if t in eq.variables:
                unknown = [n for n in eq.variables if n not in values and n != t]
                if best is None or len(unknown) < len(best):
                    best = unknown
    return best or []


def _check_givens(eqs: list[Equation], knowns: dict[str, float]) -> None:
    """Raise when an equation whose variables are all given does not hold."""
    for eq in eqs:
        if eq.variables and all(n in knowns for n in eq.variables):
            lhs, rhs = _sides(eq, knowns)
            if abs(lhs - rhs) > CONSISTENCY_RTOL * max(abs(lhs), abs(rhs), 1e-12):
                raise InconsistentError(
                    list(eq.variables), f"{eq.name}: {eq.lhs} = {lhs:.6g} but {eq.rhs} = {rhs:.6g}"
                )
