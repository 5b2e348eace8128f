"""The abduction problem: claims → candidate labels per slot, rule flags, constraints.

Claims are converted to SI and clustered per slot within a relative tolerance; each cluster is a
*label* (one candidate value of the slot). A claim is *flagged* when an error-detection rule fires
on it. Choosing a label puts its unflagged claims into the accepted set H (or, when it has none,
its most confident flagged claim: one inconsistency). The objective is

    coverage - μ · inconsistency(H) + τ · Σ score(label)   subject to   inconsistency(H) <= δ · |H|

where coverage counts covered slots, inconsistency counts flagged claims in H plus violated soft
relations, and score is the label's unflagged confidence (or ``confidence - 1`` for a flagged-only
label). μ and τ are small enough that the order is lexicographic: the most coverage first, then,
among choices of equal coverage, the fewest inconsistencies (the threshold δ is an allowance, not
a target), then the most confidence. That is the
consistency-based abduction of Leiva et al. (arXiv 2505.19361) with slots as objects.

>>> inst = build_instance([
...     Prediction("Q", 100.0, "kW", "a", 0.9),
...     Prediction("Q", 1e5, "W", "b", 0.6),
...     Prediction("Q", 341.0, "kW", "c", 0.7)])
>>> [(round(lab.value), len(lab.claims)) for lab in inst.labels]
[(100000, 2), (341000, 1)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Protocol

from solvers.abduction.constraints import Relation, physical_bounds
from solvers.abduction.rules import Rule
from solvers.errors import AbductionError, SolverError
from solvers.units import parse_unit, quantity

MAX_COMBINATIONS = 4096  # label combinations enumerated per relation


class ClaimLike(Protocol):
    """What the abduction reads from a claim (``peoa.models.Claim`` satisfies it)."""

    slot: str
    value: float | str
    unit: str
    expert: str
    confidence: float
    features: dict[str, Any]


@dataclass
class Prediction:
    """A plain claim: expert's ``value`` [``unit``] for ``slot`` with ``confidence`` in [0, 1]."""

    slot: str
    value: float | str
    unit: str
    expert: str
    confidence: float = 1.0
    features: dict[str, Any] = field(default_factory=dict)


@dataclass
class Label:
    """One candidate value of a slot [SI] and the claims that support it (indices)."""

    index: int
    slot: str
    value: float | str
    unit: str
    claims: list[int]
    unflagged: list[int] = field(default_factory=list)
    flagged: list[int] = field(default_factory=list)
    score: float = 0.0
    weight: float = 1.0

    @property
    def flagged_only(self) -> bool:
        """True when every supporter is flagged by a rule (choosing it costs one inconsistency)."""
        return not self.unflagged

    @property
    def size(self) -> int:
        """Claims this label puts into H when chosen."""
        return len(self.unflagged) or 1

    @property
    def representative(self) -> int:
        """The claim reported for the label: its most confident unflagged (else flagged) one."""
        return self.unflagged[0] if self.unflagged else self.flagged[0]


@dataclass
class BoundRelation:
    """A relation with its slots' candidate labels and the consistent label combinations."""

    relation: Relation
    labels: list[list[int]]
    consistent: set[tuple[int, ...]]
    skipped: bool = False


@dataclass
class Instance:
    """A prepared abduction problem (see the module docstring for the objective)."""

    claims: Sequence[ClaimLike]
    si: list[float | str | None]
    labels: list[Label]
    slots: dict[str, list[int]]
    relations: list[BoundRelation]
    excluded: dict[int, str]
    flags: dict[int, list[Rule]]
    features: list[dict[str, Any]]
    delta: float
    tau: float
    mu: float

    def objective(self, choice: Mapping[str, int]) -> float:
        """Objective of a choice {slot: label index}."""
        bad = self.inconsistency(choice)[0]
        return sum(self.labels[i].weight for i in choice.values()) - self.mu * bad

    def violated(self, choice: Mapping[str, int]) -> list[int]:
        """Indices of relations whose slots are all chosen with an inconsistent combination."""
        out = []
        for k, br in enumerate(self.relations):
            if br.skipped:
                continue
            combo = tuple(choice.get(s, -1) for s in br.relation.slots)
            if -1 not in combo and combo not in br.consistent:
                out.append(k)
        return out

    def inconsistency(self, choice: Mapping[str, int]) -> tuple[int, int]:
        """(inconsistencies, |H|) of a choice: flagged-only labels + violated relations."""
        flagged = sum(self.labels[i].flagged_only for i in choice.values())
        size = sum(self.labels[i].size for i in choice.values())
        return flagged + len(self.violated(choice)), size

    def feasible(self, choice: Mapping[str, int]) -> bool:
        """One label per slot, no hard relation violated, inconsistency <= δ·|H|."""
        for s, i in choice.items():
            if self.labels[i].slot != s:
                return False
        if any(self.relations[k].relation.hard for k in self.violated(choice)):
            return False
        bad, size = self.inconsistency(choice)
        return bad <= self.delta * size + 1e-9


def to_si(claim: ClaimLike) -> float | str | None:
    """The claim's value in SI base units (a lower-cased string for categories; None if unusable)."""
    if isinstance(claim.value, str):
        return claim.value.strip().lower()
    if not math.isfinite(claim.value):
        return None
    try:
        return float(quantity(claim.value, claim.unit or "dimensionless").to_base_units().magnitude)
    except (SolverError, TypeError, ValueError):
        return None


def _close(a: float, b: float, rtol: float) -> bool:
    return abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300)


def _dimension(unit: str) -> Any:
    return parse_unit(unit or "dimensionless").dimensionality


def _cluster(values: list[tuple[int, float]], rtol: float) -> list[list[int]]:
    """Single-linkage clusters of sorted values within a relative tolerance."""
    values.sort(key=lambda t: t[1])
    groups: list[list[int]] = []
    last: float | None = None
    for i, v in values:
        if last is not None and _close(v, last, rtol):
            groups[-1].append(i)
        else:
            groups.append([i])
        last = v
    return groups


def _derived(claim: ClaimLike, si: float | str) -> dict[str, Any]:
    feats = {k: v for k, v in claim.features.items() if isinstance(v, str | bool | int)}
    if isinstance(si, float):
        feats.setdefault("magnitude", math.floor(math.log10(abs(si))) if si else 0)
    return feats


def _weights(
    labels: list[Label], slots: dict[str, list[int]], relations: list[Relation]
) -> tuple[float, float]:
    """μ and τ that make the objective lexicographic within every group of linked slots.

    Global weights (1 / number of labels) would shrink the tie-breaks of a 10⁵-claim instance
    below the IP solver's tolerances; sized on the largest group of slots that relations link,
    they keep τ·Σ|score| < μ and μ·(inconsistencies) < 1 wherever choices interact directly.
    """
    parent = {s: s for s in slots}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for rel in relations:
        linked = [s for s in rel.slots if s in parent]
        for s in linked[1:]:
            parent[find(s)] = find(linked[0])
    count: dict[str, int] = {}
    score: dict[str, float] = {}
    for lab in labels:
        root = find(lab.slot)
        count[root] = count.get(root, 0) + 1
        score[root] = score.get(root, 0.0) + abs(lab.score)
    for rel in relations:
        linked = [s for s in rel.slots if s in parent]
        if linked:
            root = find(linked[0])
            count[root] = count.get(root, 0) + 1
    mu = 1.0 / (2.0 + max(count.values(), default=0))
    return mu, mu / (2.0 + max(score.values(), default=0.0))


def build_instance(
    claims: Sequence[ClaimLike],
    *,
    rules: Iterable[Rule] = (),
    relations: Iterable[Relation] = (),
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
    dimensions: Mapping[str, str] | None = None,
    delta: float = 0.1,
    rtol: float = 1e-3,
) -> Instance:
    """Prepare claims for the solvers: labels, flags, hard exclusions and relation combos.

    ``bounds`` {slot: (lo, hi)} [SI]: labels outside are excluded (absolute temperature and
    pressure slots get ``> 0`` by default). ``dimensions`` {slot: unit}: claims whose unit has
    another dimension are excluded; without it, one slot with claims of two dimensions is an error.
    """
    if not claims:
        raise AbductionError(claims, "no claims to reconcile")
    if not (isinstance(delta, int | float) and 0.0 <= delta <= 1.0):
        raise AbductionError(delta, "the inconsistency threshold δ must lie in [0, 1]")
    if not (0.0 < rtol < 1.0):
        raise AbductionError(rtol, "the clustering tolerance must lie in (0, 1)")
    rules = list(rules)
    relations = list(relations)
    bounds = dict(bounds or {})
    dimensions = dict(dimensions or {})
    si = [to_si(c) for c in claims]
    excluded: dict[int, str] = {}
    by_slot: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        if not 0.0 <= c.confidence <= 1.0:
            raise AbductionError(c.confidence, f"confidence of {c.expert}'s {c.slot} claim")
        if si[i] is None or c.confidence == 0.0:
            excluded[i] = "failed: no usable value"
            continue
        by_slot.setdefault(c.slot, []).append(i)

    # dimensions: declared per slot, else the claims of a slot must agree
    for slot, idx in by_slot.items():
        numeric = [i for i in idx if isinstance(si[i], float)]
        want = dimensions.get(slot)
        if want is not None:
            dim = _dimension(want)
            for i in numeric:
                if _dimension(claims[i].unit) != dim:
                    excluded[i] = f"dimension: {claims[i].unit!r} is not a unit of {want!r}"
        else:
            dims = {str(_dimension(claims[i].unit)) for i in numeric}
            if len(dims) > 1:
                units = sorted({claims[i].unit for i in numeric})
                raise AbductionError(units, f"slot {slot!r} has claims in incompatible units")
            if numeric:
                want = claims[numeric[0]].unit
        if slot not in bounds and want is not None and numeric:
            bounds[slot] = physical_bounds(want)

    features = [_derived(c, s) if s is not None else {} for c, s in zip(claims, si, strict=True)]
    labels: list[Label] = []
    slots: dict[str, list[int]] = {}
    for slot, idx in by_slot.items():
        idx = [i for i in idx if i not in excluded]
        nums = [(i, si[i]) for i in idx if isinstance(si[i], float)]
        groups = _cluster(nums, rtol)  # type: ignore[arg-type]
        cats: dict[str, list[int]] = {}
        for i in idx:
            if isinstance(si[i], str):
                cats.setdefault(str(si[i]), []).append(i)
        groups += list(cats.values())
        lo, hi = bounds.get(slot, (None, None))
        # plurality label of the slot, for the derived "minority" feature
        top = max((len({claims[i].expert for i in g}) for g in groups), default=0)
        for g in groups:
            g.sort(key=lambda i: -claims[i].confidence)
            rep = si[g[0]]
            if isinstance(rep, float) and (
                (lo is not None and rep < lo) or (hi is not None and rep > hi)
            ):
                for i in g:
                    excluded[i] = (
                        f"bounds: {claims[i].value} {claims[i].unit} outside [{lo}, {hi}] SI"
                    )
                continue
            minority = len({claims[i].expert for i in g}) < top
            for i in g:
                features[i].setdefault("minority", minority)
            lab = Label(
                index=len(labels),
                slot=slot,
                value=rep,  # type: ignore[arg-type]
                unit=claims[g[0]].unit,
                claims=g,
            )
            labels.append(lab)
            slots.setdefault(slot, []).append(lab.index)

    flags: dict[int, list[Rule]] = {}
    for lab in labels:
        for i in lab.claims:
            fired = [r for r in rules if r.fires(claims[i].expert, features[i])]
            if fired:
                flags[i] = fired
                lab.flagged.append(i)
            else:
                lab.unflagged.append(i)
        lab.score = (
            sum(claims[i].confidence for i in lab.unflagged)
            if lab.unflagged
            else claims[lab.flagged[0]].confidence - 1.0
        )
    mu, tau = _weights(labels, slots, relations)
    for lab in labels:
        lab.weight = 1.0 + tau * lab.score

    bound: list[BoundRelation] = []
    for rel in relations:
        cand = [slots.get(s, []) for s in rel.slots]
        n = math.prod(len(c) for c in cand)
        if n == 0 or any(not isinstance(labels[c[0]].value, float) for c in cand):
            bound.append(BoundRelation(rel, cand, set(), skipped=True))
            continue
        if n > MAX_COMBINATIONS:
            bound.append(BoundRelation(rel, cand, set(), skipped=True))
            continue
        ok = {
            combo
            for combo in product(*cand)
            if rel.consistent([labels[i].value for i in combo])  # type: ignore[misc]
        }
        bound.append(BoundRelation(rel, cand, ok))
    return Instance(
        claims=claims,
        si=si,
        labels=labels,
        slots=slots,
        relations=bound,
        excluded=excluded,
        flags=flags,
        features=features,
        delta=float(delta),
        tau=tau,
        mu=mu,
    )
