"""The exact solver: the abduction as an integer program (PuLP; CBC bundled, HiGHS selectable).

Variables: ``y[l]`` = label l chosen; for each soft relation k, ``v[k]`` = k violated; for each
consistent label combination c of k, ``z[c]`` = c chosen. Constraints:

- one label per slot:            Σ_l∈s y[l] <= 1
- a combination needs its labels: z[c] <= y[l] for l in c,   Σ_c z[c] <= 1
- violation:                      v[k] >= Σ_s∈k Σ_l∈s y[l] - (|k| - 1) - Σ_c z[c]   (v[k] = 0 if hard)
- inconsistency rate:             Σ_l flagged_only[l]·y[l] + Σ_k v[k] <= δ · Σ_l size[l]·y[l]

objective: max Σ_l weight[l]·y[l] - μ·(Σ_l flagged_only[l]·y[l] + Σ_k v[k]) (coverage first,
then consistency, then confidence; see ``instance``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pulp

from solvers.abduction.instance import Instance
from solvers.errors import AbductionError

BACKENDS = ("cbc", "highs")


@dataclass
class Selection:
    """A solver's choice {slot: label index}, how it ended and how long it took [s]."""

    choice: dict[str, int]
    status: str
    objective: float
    runtime_s: float


def _solver(backend: str, time_limit: float) -> pulp.LpSolver:
    # CBC runs single-threaded on purpose: with ``threads`` set it sometimes stalls until the
    # time limit even on a five-variable problem (measured here, about 1 solve in 80).
    if backend == "cbc":
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    if backend == "highs":
        return pulp.HiGHS(msg=False, timeLimit=time_limit)
    raise AbductionError(backend, f"unknown IP backend; choose one of {', '.join(BACKENDS)}")


def solve_ip(inst: Instance, *, time_limit: float = 10.0, backend: str = "cbc") -> Selection:
    """Solve exactly (or to the best solution found within ``time_limit`` [s]).

    Status is ``optimal``, ``time_limit`` (an incumbent that may not be optimal) or ``no_solution``
    (the limit hit before any incumbent; the heuristic's choice is returned instead).
    """
    if time_limit <= 0:
        raise AbductionError(time_limit, "time_limit must be positive [s]")
    if backend not in BACKENDS:
        raise AbductionError(backend, f"unknown IP backend; choose one of {', '.join(BACKENDS)}")
    t0 = time.perf_counter()
    prob = pulp.LpProblem("abduction", pulp.LpMaximize)
    y = {lab.index: pulp.LpVariable(f"y{lab.index}", cat=pulp.LpBinary) for lab in inst.labels}
    objective = pulp.LpAffineExpression(
        [(y[lab.index], lab.weight - inst.mu * lab.flagged_only) for lab in inst.labels]
    )
    for labs in inst.slots.values():
        if len(labs) > 1:
            prob += pulp.lpSum(y[i] for i in labs) <= 1, f"one_{len(prob.constraints)}"
    violations = []
    for k, br in enumerate(inst.relations):
        if br.skipped:
            continue
        z = [pulp.LpVariable(f"z{k}_{j}", cat=pulp.LpBinary) for j in range(len(br.consistent))]
        for zc, combo in zip(z, br.consistent, strict=True):
            for i in combo:
                prob += zc - y[i] <= 0
        if len(z) > 1:
            prob += pulp.lpSum(z) <= 1
        covered = pulp.LpAffineExpression([(y[i], 1.0) for labs in br.labels for i in labs])
        slack = len(br.relation.slots) - 1
        if br.relation.hard:
            prob += covered - pulp.lpSum(z) <= slack
        else:
            v = pulp.LpVariable(f"v{k}", lowBound=0, upBound=1)
            prob += covered - pulp.lpSum(z) - v <= slack
            violations.append(v)
    rate = pulp.LpAffineExpression(
        [(y[lab.index], float(lab.flagged_only) - inst.delta * lab.size) for lab in inst.labels]
    )
    prob += rate + pulp.lpSum(violations) <= 0, "rate"
    prob += objective - inst.mu * pulp.lpSum(violations)
    prob.solve(_solver(backend, time_limit))
    choice = {
        lab.slot: lab.index
        for lab in inst.labels
        if y[lab.index].value() is not None and y[lab.index].value() > 0.5
    }
    runtime = time.perf_counter() - t0
    if prob.sol_status == pulp.LpSolutionOptimal and prob.status == pulp.LpStatusOptimal:
        status = "optimal"
    elif prob.sol_status in (pulp.LpSolutionIntegerFeasible, pulp.LpSolutionOptimal) and choice:
        status = "time_limit"
    else:
        from solvers.abduction.heuristic import solve_heuristic

        fallback = solve_heuristic(inst)
        return Selection(fallback.choice, "no_solution", fallback.objective, runtime)
    if not inst.feasible(choice):  # numerical slack of the solver; never return an infeasible set
        from solvers.abduction.heuristic import repair

        choice = repair(inst, choice)
    return Selection(choice, status, inst.objective(choice), runtime)
