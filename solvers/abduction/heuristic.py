"""The fast solver: greedy choice, constraint repair, budget filling and a 1-opt pass.

1. Each slot takes its best unflagged label (largest weight); slots with only flagged labels wait.
2. Every violated relation is repaired by the move that removes the violation at the least loss of
   objective: switch its slots to a consistent label combination, or leave one slot uncovered.
3. While the inconsistency budget δ·|H| allows, uncovered slots are filled, free additions first,
   then the ones that cost an inconsistency (flagged-only labels, violations) by weight.
4. One pass of single-slot label switches that raise the objective and keep the set feasible.

It returns a feasible choice always, and works in time linear in the claims for bounded relations.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from solvers.abduction.instance import Instance
from solvers.abduction.ip import Selection


class _Search:
    """A choice with incremental bookkeeping of inconsistencies and |H|."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.choice: dict[str, int] = {}
        self.rels_of: dict[str, list[int]] = {}
        for k, br in enumerate(inst.relations):
            if not br.skipped:
                for s in br.relation.slots:
                    self.rels_of.setdefault(s, []).append(k)
        self.fo = [int(lab.flagged_only) for lab in inst.labels]
        self.sz = [lab.size for lab in inst.labels]
        self.w = [lab.weight for lab in inst.labels]
        self.flagged = 0
        self.size = 0
        self.violated: set[int] = set()
        self.hard = 0  # violated hard relations (kept apart: checked on every trial)

    def _is_violated(self, k: int) -> bool:
        br = self.inst.relations[k]
        combo = []
        for s in br.relation.slots:
            i = self.choice.get(s)
            if i is None:
                return False
            combo.append(i)
        return tuple(combo) not in br.consistent

    def assign(self, slot: str, label: int | None) -> None:
        """Set (or clear, with None) the label of ``slot``, updating the counters."""
        old = self.choice.pop(slot, None)
        if old is not None:
            self.flagged -= self.fo[old]
            self.size -= self.sz[old]
        if label is not None:
            self.flagged += self.fo[label]
            self.size += self.sz[label]
            self.choice[slot] = label
        for k in self.rels_of.get(slot, ()):
            was, now = k in self.violated, self._is_violated(k)
            if was == now:
                continue
            if now:
                self.violated.add(k)
            else:
                self.violated.discard(k)
            if self.inst.relations[k].relation.hard:
                self.hard += 1 if now else -1

    @property
    def bad(self) -> int:
        return self.flagged + len(self.violated)

    def feasible(self) -> bool:
        if self.hard:
            return False
        return self.bad <= self.inst.delta * self.size + 1e-9

    def start(self, choice: dict[str, int]) -> None:
        """Set a whole initial choice at once (relations checked once each)."""
        self.choice = dict(choice)
        self.flagged = sum(self.fo[i] for i in choice.values())
        self.size = sum(self.sz[i] for i in choice.values())
        self.violated = {
            k for k, br in enumerate(self.inst.relations) if not br.skipped and self._is_violated(k)
        }
        self.hard = sum(1 for k in self.violated if self.inst.relations[k].relation.hard)

    def weight(self, slot: str) -> float:
        i = self.choice.get(slot)
        return 0.0 if i is None else self.w[i]

    def trial(self, moves: Iterable[tuple[str, int | None]]) -> tuple[int, float, bool]:
        """(Δinconsistency, Δobjective, hard violated) of ``moves``; the state is restored."""
        moves = list(moves)
        before = [(s, self.choice.get(s)) for s, _ in moves]
        bad0 = self.bad
        obj0 = sum(self.weight(s) for s, _ in moves)
        for s, lab in moves:
            self.assign(s, lab)
        d_bad = self.bad - bad0
        d_obj = sum(self.weight(s) for s, _ in moves) - obj0 - self.inst.mu * d_bad
        hard = self.hard > 0
        for s, lab in reversed(before):
            self.assign(s, lab)
        return d_bad, d_obj, hard


def _repair_relations(st: _Search) -> None:
    for _ in range(3):
        if not st.violated:
            return
        for k in sorted(st.violated):
            if k not in st.violated:
                continue
            br = st.inst.relations[k]
            slots = br.relation.slots
            options: list[list[tuple[str, int | None]]] = [
                list(zip(slots, combo, strict=True)) for combo in br.consistent
            ]
            options += [[(s, None)] for s in slots]
            best: tuple[float, list[tuple[str, int | None]]] | None = None
            for moves in options:
                d_bad, d_obj, hard = st.trial(moves)
                if d_bad < 0 and not hard and (best is None or d_obj > best[0]):
                    best = (d_obj, moves)
            if best is not None:
                for s, lab in best[1]:
                    st.assign(s, lab)


def _enforce_budget(st: _Search) -> None:
    """Uncover slots, cheapest first per inconsistency removed, until the choice is feasible."""
    while not st.feasible():
        best: tuple[float, str] | None = None
        for slot in list(st.choice):
            d_bad, d_obj, hard = st.trial([(slot, None)])
            if d_bad < 0 and not hard:
                cost = -d_obj / -d_bad
                if best is None or cost < best[0]:
                    best = (cost, slot)
        if best is None:  # nothing removes an inconsistency: drop everything flagged
            for slot in list(st.choice):
                st.assign(slot, None)
            return
        st.assign(best[1], None)


def _fill(st: _Search) -> None:
    inst = st.inst
    uncovered = [s for s in inst.slots if s not in st.choice]
    uncovered.sort(key=lambda s: -max(inst.labels[i].weight for i in inst.slots[s]))
    costly: list[tuple[float, str, int]] = []
    for slot in uncovered:
        for i in sorted(inst.slots[slot], key=lambda i: -inst.labels[i].weight):
            d_bad, d_obj, hard = st.trial([(slot, i)])
            if hard:
                continue
            if d_bad <= 0:
                st.assign(slot, i)
                break
            costly.append((d_obj / d_bad, slot, i))
    costly.sort(key=lambda t: -t[0])
    for _, slot, i in costly:
        if slot in st.choice:
            continue
        st.assign(slot, i)
        if not st.feasible():
            st.assign(slot, None)


def _improve(st: _Search) -> None:
    labels = st.inst.labels
    for slot in list(st.choice):
        labs = st.inst.slots[slot]
        if len(labs) == 1:
            continue
        for i in labs:
            cur = st.choice[slot]
            # a switch can only gain weight, or shed an inconsistency this slot takes part in
            stuck = labels[cur].flagged_only or any(
                k in st.violated for k in st.rels_of.get(slot, ())
            )
            if i == cur or (labels[i].weight <= labels[cur].weight and not stuck):
                continue
            _, d_obj, hard = st.trial([(slot, i)])
            if d_obj <= 0 or hard:
                continue
            st.assign(slot, i)
            if not st.feasible():
                st.assign(slot, cur)


def repair(inst: Instance, choice: dict[str, int]) -> dict[str, int]:
    """Make a choice feasible by uncovering slots (cheapest first)."""
    st = _Search(inst)
    st.start(choice)
    _enforce_budget(st)
    return dict(st.choice)


def solve_heuristic(inst: Instance) -> Selection:
    """Fast, feasible, usually optimal or within a few parts per thousand of the IP objective."""
    t0 = time.perf_counter()
    st = _Search(inst)
    first: dict[str, int] = {}
    for slot, labs in inst.slots.items():
        clean = [i for i in labs if not st.fo[i]]
        if clean:
            first[slot] = max(clean, key=st.w.__getitem__)
    st.start(first)
    _repair_relations(st)
    _enforce_budget(st)
    _fill(st)
    _improve(st)
    return Selection(
        dict(st.choice), "heuristic", inst.objective(st.choice), time.perf_counter() - t0
    )
