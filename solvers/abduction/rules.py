"""Error-detection rules: "expert i is wrong on a slot when it predicts c and cond holds".

A rule is a conjunction of feature tests on a claim (``skill == "cycles"``, ``unit_system == "US"``,
``magnitude == 3``, ``tool_failure == True``, ``minority == True``) for one expert or for every
expert (``"*"``). Rules are *learned* greedily from a labelled dev set, each expert's rules together
flagging at most an ε share of that expert's correct claims (Leiva et al., arXiv 2505.19361), or
*declared*: a correlation used outside its validity range, a tool that failed.

>>> r = Rule("code", (("unit_system", "US"),))
>>> r.fires("code", {"unit_system": "US", "skill": "balances"}), r.fires("tool", {"unit_system": "US"})
(True, False)
>>> r.describe()
'code is wrong when unit_system=US'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from solvers.errors import AbductionError

if TYPE_CHECKING:
    from solvers.abduction.instance import ClaimLike

Atom = tuple[str, Any]


@dataclass(frozen=True)
class Rule:
    """Flags ``expert``'s claims (``"*"``: any expert's) whose features match every atom."""

    expert: str
    when: tuple[Atom, ...]
    source: str = "learned"
    note: str = ""

    def fires(self, expert: str, features: Mapping[str, Any]) -> bool:
        """True when the rule applies to a claim by ``expert`` with ``features``."""
        if self.expert not in ("*", expert):
            return False
        return all(features.get(k, _MISSING) == v for k, v in self.when)

    def describe(self) -> str:
        """The rule in words, e.g. ``code is wrong when unit_system=US``."""
        who = "any expert" if self.expert == "*" else self.expert
        cond = " and ".join(f"{k}={v}" for k, v in self.when)
        return f"{who} is wrong when {cond}" + (f" ({self.note})" if self.note else "")


_MISSING = object()

# Declared rules: facts about the tools, not learned. A correlation evaluated outside its
# validity range (the ranges are data on each correlation, seeded into the knowledge graph) and a
# tool that failed and fell back are not trusted, whoever reports them.
DECLARED_RULES: tuple[Rule, ...] = (
    Rule("*", (("outside_validity", True),), "declared", "correlation outside its validity range"),
    Rule("*", (("tool_failure", True),), "declared", "the tool failed"),
)


def learn_rules(
    claims: Sequence[ClaimLike],
    truth: Mapping[str, float | str],
    *,
    eps: float = 0.05,
    max_atoms: int = 2,
    min_support: int = 5,
    rtol: float = 1e-3,
) -> list[Rule]:
    """Greedy rule learning on a labelled dev set.

    ``truth`` maps each slot to its true value [SI base units] (or category). For each expert the
    rule that flags the most not-yet-flagged wrong claims is added while the expert's flagged
    correct claims stay within ``eps`` × its correct claims and each rule flags more wrong than
    right claims; conditions are conjunctions of up to ``max_atoms`` feature tests.
    """
    from solvers.abduction.instance import build_instance

    if not 0.0 <= eps <= 1.0:
        raise AbductionError(eps, "ε must lie in [0, 1]")
    if max_atoms < 1:
        raise AbductionError(max_atoms, "max_atoms must be at least 1")
    inst = build_instance(claims, delta=0.0, rtol=rtol)
    by_expert: dict[str, tuple[set[int], set[int]]] = {}
    for i, c in enumerate(claims):
        if i in inst.excluded or c.slot not in truth:
            continue
        right, wrong = by_expert.setdefault(c.expert, (set(), set()))
        (right if _correct(inst.si[i], truth[c.slot], rtol) else wrong).add(i)
    rules: list[Rule] = []
    for expert in sorted(by_expert):
        right, wrong = by_expert[expert]
        budget = math.floor(eps * len(right))
        index: dict[Atom, set[int]] = {}
        for i in right | wrong:
            for atom in inst.features[i].items():
                index.setdefault(atom, set()).add(i)
        atoms = [a for a, ids in index.items() if len(ids & wrong) >= min_support]
        candidates: dict[tuple[Atom, ...], set[int]] = {}
        for n in range(1, max_atoms + 1):
            for conj in combinations(sorted(atoms, key=repr), n):
                if len({k for k, _ in conj}) < n:
                    continue  # two values of one feature never hold together
                ids = set.intersection(*(index[a] for a in conj))
                if len(ids & wrong) >= min_support:
                    candidates[conj] = ids
        flagged: set[int] = set()
        spent = 0
        while True:
            best: tuple[tuple[int, int, int], tuple[Atom, ...]] | None = None
            for conj, ids in candidates.items():
                new = ids - flagged
                w, r = len(new & wrong), len(new & right)
                if w < min_support or w <= r or spent + r > budget:
                    continue
                key = (w - r, -len(conj), -r)
                if best is None or key > best[0]:
                    best = (key, conj)
            if best is None:
                break
            conj = best[1]
            new = candidates.pop(conj) - flagged
            spent += len(new & right)
            flagged |= new
            rules.append(
                Rule(
                    expert,
                    conj,
                    "learned",
                    f"dev: {len(new & wrong)} wrong, {len(new & right)} right",
                )
            )
    return rules


def _correct(value: float | str | None, true: float | str, rtol: float) -> bool:
    if value is None:
        return False
    if isinstance(value, str) or isinstance(true, str):
        return str(value).strip().lower() == str(true).strip().lower()
    return abs(value - true) <= rtol * max(abs(value), abs(true), 1e-300)


def save_rules(rules: Iterable[Rule], path: Path) -> None:
    """Write rules as JSON (a list of {expert, when, source, note})."""
    data = [
        {"expert": r.expert, "when": [list(a) for a in r.when], "source": r.source, "note": r.note}
        for r in rules
    ]
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def load_rules(path: Path) -> list[Rule]:
    """Read rules written by :func:`save_rules`; a malformed file names itself in the error."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [
            Rule(
                d["expert"],
                tuple((k, v) for k, v in d["when"]),
                d.get("source", "learned"),
                d.get("note", ""),
            )
            for d in data
        ]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise AbductionError(str(path), f"cannot read rules: {e}") from e
