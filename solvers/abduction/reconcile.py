"""Abduction end to end: claims in, accepted claims and reasoned rejections out.

>>> from solvers.abduction.constraints import balance
>>> from solvers.abduction.instance import Prediction as P
>>> from solvers.abduction.rules import Rule
>>> claims = [
...     P("m1", 0.9072, "kg/s", "tool", 0.7), P("m1", 2.0, "kg/s", "code", 0.9,
...         {"inputs": "US"}),
...     P("m2", 1.5, "kg/s", "tool", 0.7), P("m2", 1.5, "kg/s", "code", 0.9),
...     P("m3", 2.4072, "kg/s", "lora", 0.6), P("m3", 3.5, "kg/s", "code", 0.9)]
>>> res = abduce(claims, rules=[Rule("code", (("inputs", "US"),))],
...              relations=[balance("mixer", ["m1", "m2"], ["m3"])], delta=0.0)
>>> {s: res.claims[i].expert for s, i in sorted(res.accepted.items())}
{'m1': 'tool', 'm2': 'code', 'm3': 'lora'}
>>> [r.reason.split(":")[0] for r in res.rejected]
['rule', 'constraint']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from solvers.abduction.constraints import Relation
from solvers.abduction.heuristic import solve_heuristic
from solvers.abduction.instance import ClaimLike, Instance, build_instance
from solvers.abduction.ip import Selection, solve_ip
from solvers.abduction.rules import Rule
from solvers.errors import AbductionError

SolverFn = Callable[..., Selection]
SOLVERS: dict[str, SolverFn] = {}


def register_solver(name: str, fn: SolverFn) -> None:
    """Add an abduction solver ``fn(instance, **options) -> Selection``; names are unique."""
    if name in SOLVERS:
        raise AbductionError(name, "an abduction solver of this name is already registered")
    SOLVERS[name] = fn


register_solver("ip", solve_ip)
register_solver("heuristic", lambda inst, **_: solve_heuristic(inst))


@dataclass
class Rejected:
    """A claim that was not accepted (index into ``claims``) and why."""

    claim: int
    reason: str


@dataclass
class Abduction:
    """Result: ``accepted`` {slot: claim index}, rejections with reasons, and the figures."""

    claims: Sequence[ClaimLike]
    accepted: dict[str, int]
    rejected: list[Rejected]
    uncovered: list[str]
    violated: list[str]
    violated_slots: list[str]
    objective: float
    coverage: int
    inconsistency: int
    size: int
    status: str
    solver: str
    runtime_s: float
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Inconsistency rate of the accepted set H (0 when H is empty)."""
        return self.inconsistency / self.size if self.size else 0.0


def abduce(
    claims: Sequence[ClaimLike],
    *,
    rules: Iterable[Rule] = (),
    relations: Iterable[Relation] = (),
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
    dimensions: Mapping[str, str] | None = None,
    delta: float = 0.1,
    solver: str = "ip",
    rtol: float = 1e-3,
    **options: object,
) -> Abduction:
    """Choose the claims to accept: max coverage s.t. inconsistency rate <= ``delta``.

    ``solver``: ``ip`` (exact; options ``time_limit`` [s], ``backend`` cbc|highs) or
    ``heuristic``. See :func:`build_instance` for ``bounds`` [SI] and ``dimensions``.
    """
    if solver not in SOLVERS:
        raise AbductionError(solver, f"unknown solver; choose one of {', '.join(SOLVERS)}")
    inst = build_instance(
        claims,
        rules=rules,
        relations=relations,
        bounds=bounds,
        dimensions=dimensions,
        delta=delta,
        rtol=rtol,
    )
    sel = SOLVERS[solver](inst, **options)
    return explain(inst, sel, solver)


def _fmt(inst: Instance, label: int) -> str:
    lab = inst.labels[label]
    c = inst.claims[lab.representative]
    return (
        f"{lab.slot}={c.value:.6g} {c.unit}".strip()
        if isinstance(c.value, float)
        else (f"{lab.slot}={c.value}")
    )


def explain(inst: Instance, sel: Selection, solver: str) -> Abduction:
    """Turn a solver's choice into accepted claims and a reason for every rejected claim."""
    choice = sel.choice
    accepted = {s: inst.labels[i].representative for s, i in choice.items()}
    violated_k = inst.violated(choice)
    bad, size = inst.inconsistency(choice)
    rejected: list[Rejected] = []
    for i, reason in sorted(inst.excluded.items()):
        rejected.append(Rejected(i, reason))
    label_of = {i: lab.index for lab in inst.labels for i in lab.claims}
    for i, lab_i in sorted(label_of.items()):
        lab = inst.labels[lab_i]
        chosen = choice.get(lab.slot)
        if chosen == lab_i:
            continue
        if i in inst.flags:
            why = "; ".join(r.describe() for r in inst.flags[i])
            rejected.append(Rejected(i, f"rule: {why}"))
            continue
        conflict = _conflict(inst, choice, lab_i)
        if conflict:
            rejected.append(Rejected(i, f"constraint: {conflict}"))
        elif chosen is not None:
            rejected.append(
                Rejected(i, f"one value per slot: {_fmt(inst, chosen)} is better supported")
            )
        else:
            rejected.append(
                Rejected(i, f"inconsistency budget: accepting it would exceed δ={inst.delta}")
            )
    notes = [
        f"relation {br.relation.name!r} not checked: too many label combinations"
        for br in inst.relations
        if br.skipped and br.labels and all(br.labels)
    ]
    return Abduction(
        claims=inst.claims,
        accepted=accepted,
        rejected=rejected,
        uncovered=sorted(s for s in inst.slots if s not in choice),
        violated=[_describe(inst, k, choice) for k in violated_k],
        violated_slots=sorted({s for k in violated_k for s in inst.relations[k].relation.slots}),
        objective=sel.objective,
        coverage=len(choice),
        inconsistency=bad,
        size=size,
        status=sel.status,
        solver=solver,
        runtime_s=sel.runtime_s,
        notes=notes,
    )


def _describe(inst: Instance, k: int, choice: Mapping[str, int]) -> str:
    rel = inst.relations[k].relation
    vals = ", ".join(_fmt(inst, choice[s]) for s in rel.slots if s in choice)
    return f"{rel.name} ({rel.description}) violated by {vals}"


def _conflict(inst: Instance, choice: Mapping[str, int], label: int) -> str:
    """The relation this label would violate together with the accepted labels, if any."""
    slot = inst.labels[label].slot
    for br in inst.relations:
        rel = br.relation
        if br.skipped or slot not in rel.slots:
            continue
        trial = dict(choice)
        trial[slot] = label
        combo = tuple(trial.get(s, -1) for s in rel.slots)
        if -1 in combo or combo in br.consistent:
            continue
        others = ", ".join(_fmt(inst, trial[s]) for s in rel.slots if s != slot)
        return f"{rel.name} ({rel.description}) fails with {_fmt(inst, label)} and {others}"
    return ""
