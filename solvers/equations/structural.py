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
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from solvers.correlations.model import Correlation
from solvers.equations.catalogue import VARIABLES_BY_NAME
from solvers.equations.dimensions import check_dimensions
from solvers.equations.model import Equation
from solvers.errors import InconsistentError, SolverError, UnderdeterminedError

Relation = Equation | Correlation
MAX_BLOCK = 3  # largest simultaneous block searched when single-unknown propagation stalls

CONSISTENCY_RTOL = 0.02


@dataclass
class Step:
    """One solved equation: ``output`` [SI] from ``inputs`` [SI]."""

    equation: str
    output: str
    value: float
    inputs: dict[str, float] = field(default_factory=dict)
    reference: str = ""
    warnings: list[str] = field(default_factory=list)


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
            if math.isfinite(r) and abs(f(r)) <= 1e-8 * max(1.0, scale):
                roots.append(float(r))
        except (RuntimeError, OverflowError, ZeroDivisionError, ValueError, TypeError):
            continue  # complex intermediate values: this guess leaves the real branch
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


def applicable(equations: Iterable[Relation], text: str) -> list[Relation]:
    """Equations and correlations whose ``requires``/``excludes`` cues the text satisfies."""
    return [e for e in equations if e.applies_to(text)]


def solve_structural(
    knowns: dict[str, float],
    targets: Sequence[str],
    equations: Iterable[Relation],
    text: str = "",
    check_consistency: bool = True,
    max_block: int = MAX_BLOCK,
) -> tuple[dict[str, float], list[Step]]:
    """Solve for ``targets`` from ``knowns`` (both in SI) with the relations that apply.

    Equations with one unknown are solved in turn (closed form, else numeric roots);
    correlations give their output once every input is known (a validity-range breach is kept
    as a warning on the step); when that stalls, the smallest block of k ≤ 3 equations in k
    unknowns is solved simultaneously. Every equation is checked for dimensional consistency
    before use.

    Parameters
    ----------
    knowns : dict  Variable name -> value [SI unit of the variable]
    targets : variable names wanted
    equations : candidate equations and correlations; filtered by ``text`` cues when given
    text : the problem text (for ``requires``/``excludes``)
    max_block : largest simultaneous block to try (1: propagation only)

    Returns the values of all variables determined (knowns included) [SI] and the steps.

    Raises
    ------
    UnderdeterminedError  naming the variables that would be needed
    InconsistentError  naming the givens of an equation they violate
    DimensionError  when an equation's two sides differ in dimension
    """
    eqs = applicable(equations, text) if text else list(equations)
    values = dict(knowns)
    steps: list[Step] = []
    used: set[str] = set()
    if check_consistency:
        _check_givens([e for e in eqs if isinstance(e, Equation)], knowns)
    while not all(t in values for t in targets):
        if _propagate(eqs, values, steps, used):
            continue
        if max_block < 2 or not _solve_block(eqs, values, steps, used, max_block):
            break
    missing_targets = [t for t in targets if t not in values]
    if missing_targets:
        raise UnderdeterminedError(missing_targets, _missing_for(missing_targets, eqs, values))
    return values, steps


def _propagate(
    eqs: list[Relation], values: dict[str, float], steps: list[Step], used: set[str]
) -> bool:
    """One sweep of single-unknown solving; True when anything new was found."""
    progress = False
    for eq in eqs:
        if eq.name in used:
            continue
        if isinstance(eq, Correlation):
            if eq.output in values or not all(n in values for n in eq.inputs):
                continue
            warnings = [str(v) for v in eq.violations(values)]
            try:
                value = eq.evaluate(values, strict=False)
            except SolverError:
                continue
            values[eq.output] = value
            used.add(eq.name)
            steps.append(
                Step(
                    eq.name,
                    eq.output,
                    value,
                    {n: values[n] for n in eq.inputs},
                    f"{eq.authors}: {eq.reference}",
                    warnings,
                )
            )
            progress = True
            continue
        unknown = [n for n in eq.variables if n not in values]
        if len(unknown) != 1:
            continue
        var = unknown[0]
        check_dimensions(eq)
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
                eq.name, var, value, {n: values[n] for n in eq.variables if n != var}, eq.reference
            )
        )
        progress = True
    return progress


def _guesses(var: str) -> list[float]:
    """Starting points for a numeric block solve, by the variable's unit."""
    v = VARIABLES_BY_NAME.get(var)
    unit = v.unit if v else ""
    if unit == "K":
        return [300.0, 500.0, 1000.0]
    if unit == "Pa":
        return [1e5, 1e6, 1e3]
    if unit == "dimensionless":
        return [0.5, 0.1, 10.0]
    return [1.0, 100.0, 0.01]


def _matched_blocks(open_eqs: list[Equation], values: dict[str, float]) -> list[list[Equation]]:
    """Closed square blocks from a maximum matching of equations to unknowns.

    The equation–variable incidence matrix is matched (each equation to the unknown it
    determines); the strongly connected components of the resulting dependency graph are the
    irreducible blocks (Dulmage–Mendelsohn / block-triangular form). A block is solvable now
    when its equations mention no unknown outside the variables matched to it.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, maximum_bipartite_matching

    unk = sorted({n for e in open_eqs for n in e.variables if n not in values})
    if not unk:
        return []
    col = {u: i for i, u in enumerate(unk)}
    rows, cols = [], []
    for i, e in enumerate(open_eqs):
        for n in set(e.variables):
            if n in col:
                rows.append(i)
                cols.append(col[n])
    inc = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(open_eqs), len(unk)))
    match = maximum_bipartite_matching(inc, perm_type="column")
    var_of = {i: unk[c] for i, c in enumerate(match) if c >= 0}
    eq_of = {v: i for i, v in var_of.items()}
    src, dst = [], []
    for i in var_of:
        for n in set(open_eqs[i].variables):
            j = eq_of.get(n)
            if j is not None and j != i:
                src.append(i)
                dst.append(j)
    n_eq = len(open_eqs)
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(n_eq, n_eq))
    _, labels = connected_components(graph, directed=True, connection="strong")
    comps: dict[int, list[int]] = {}
    for i in var_of:
        comps.setdefault(int(labels[i]), []).append(i)
    blocks = []
    for members in comps.values():
        own = {var_of[i] for i in members}
        needed = {n for i in members for n in open_eqs[i].variables if n not in values}
        if len(members) >= 2 and needed == own:
            blocks.append([open_eqs[i] for i in members])
    return sorted(blocks, key=len)


def _solve_block(
    eqs: list[Relation],
    values: dict[str, float],
    steps: list[Step],
    used: set[str],
    max_block: int = MAX_BLOCK,
) -> bool:
    """Solve one square block of k equations in k unknowns (2 <= k <= max_block) numerically:
    blocks from the matching decomposition first, then any small square subset."""
    from itertools import chain, combinations

    open_eqs = [
        e
        for e in eqs
        if isinstance(e, Equation)
        and e.name not in used
        and 2 <= len([n for n in e.variables if n not in values]) <= max_block
    ]
    matched = (b for b in _matched_blocks(open_eqs, values) if len(b) <= max_block)
    subsets = (list(block) for k in range(2, max_block + 1) for block in combinations(open_eqs, k))
    for block in chain(matched, subsets):
        unknown = sorted({n for e in block for n in e.variables if n not in values})
        if len(unknown) != len(block):
            continue
        x = _root_of_block(block, unknown, values)
        if x is None:
            continue
        for u, xv in zip(unknown, x, strict=True):
            values[u] = xv
        for e in block:
            used.add(e.name)
        steps.append(
            Step(
                "+".join(e.name for e in block),
                ",".join(unknown),
                x[0],
                {n: values[n] for e in block for n in e.variables if n not in unknown},
                "; ".join(dict.fromkeys(e.reference for e in block)),
                [f"simultaneous block: {dict(zip(unknown, x, strict=True))}"],
            )
        )
        return True
    return False


def _root_of_block(
    block: list[Equation], unknown: list[str], values: dict[str, float]
) -> list[float] | None:
    """A real root of the block inside the variables' bounds, from several starting points."""
    from itertools import islice, product

    for e in block:
        check_dimensions(e)
    fns = [_residual_fn(e) for e in block]
    orders = [list(e.variables) for e in block]

    def f(x: np.ndarray) -> list[float]:
        env = {**values, **dict(zip(unknown, x, strict=True))}
        return [float(fn(*(env[n] for n in order))) for fn, order in zip(fns, orders, strict=True)]

    for guess in islice(product(*(_guesses(u) for u in unknown)), 30):
        try:
            with np.errstate(all="ignore"):
                sol = optimize.root(f, np.array(guess, dtype=float), method="hybr")
                x = [float(v) for v in sol.x]
                res = f(sol.x)
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            continue
        scale = max(1.0, *(abs(v) for v in x))
        ok = sol.success and all(math.isfinite(r) and abs(r) <= 1e-8 * scale for r in res)
        bounds = all(
            VARIABLES_BY_NAME[u].in_bounds(xv)
            for u, xv in zip(unknown, x, strict=True)
            if u in VARIABLES_BY_NAME
        )
        if ok and bounds:
            # Dependent equations (e.g. two forms of one relation) are satisfied along a whole
            # curve: the root found is just the starting point. A singular Jacobian says so.
            return None if _singular(f, np.array(x, dtype=float)) else x
    return None


def _singular(f: Any, x: np.ndarray, rtol: float = 1e-7) -> bool:
    """True when the block's Jacobian at ``x`` (columns scaled by |x|) is rank-deficient."""
    base = np.array(f(x), dtype=float)
    cols = []
    for i in range(len(x)):
        step = 1e-6 * max(abs(x[i]), 1e-12)
        xp = x.copy()
        xp[i] += step
        cols.append((np.array(f(xp), dtype=float) - base) / step * max(abs(x[i]), 1e-12))
    jac = np.column_stack(cols)
    row_scale = np.maximum(np.abs(jac).max(axis=1), 1e-300)
    sv = np.linalg.svd(jac / row_scale[:, None], compute_uv=False)
    return not np.all(np.isfinite(sv)) or sv[-1] <= rtol * max(sv[0], 1e-300)


def _missing_for(targets: list[str], eqs: list[Relation], values: dict[str, float]) -> list[str]:
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
