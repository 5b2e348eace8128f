"""Reconciling claims per slot: cluster values in SI and keep the best-supported cluster.

This is the agent's default reconciler; consistency-based abduction (solvers/abduction) replaces
it where several experts disagree across linked slots.

>>> from peoa.models import Claim
>>> acc, rej = reconcile_claims([
...     Claim(slot="Q", value=100.0, unit="kW", expert="a"),
...     Claim(slot="Q", value=100000.0, unit="W", expert="b"),
...     Claim(slot="Q", value=341.2, unit="kW", expert="c", confidence=0.5)])
>>> acc["Q"].expert, [r["expert"] for r in rej]
('a', ['c'])
"""

from __future__ import annotations

import math

from peoa.agent.state import Rejection
from peoa.models import Claim
from solvers.errors import SolverError

CLUSTER_RTOL = 1e-3


def _si(claim: Claim) -> float | str | None:
    if isinstance(claim.value, str):
        return claim.value.strip().lower()
    if not math.isfinite(claim.value):
        return None
    try:
        return float(claim.q.to_base_units().magnitude)
    except (SolverError, TypeError, ValueError):
        return None


def _same(a: float | str, b: float | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= CLUSTER_RTOL * max(abs(a), abs(b), 1e-300)


def _rejection(c: Claim, reason: str) -> Rejection:
    return Rejection(slot=c.slot, expert=c.expert, value=c.value, unit=c.unit, reason=reason)


def reconcile_claims(claims: list[Claim]) -> tuple[dict[str, Claim], list[Rejection]]:
    """Accept one claim per slot: the largest total-confidence cluster, ties by confidence."""
    accepted: dict[str, Claim] = {}
    rejected: list[Rejection] = []
    by_slot: dict[str, list[Claim]] = {}
    for c in claims:
        by_slot.setdefault(c.slot, []).append(c)
    for slot, group in by_slot.items():
        usable: list[tuple[Claim, float | str]] = []
        for c in group:
            v = _si(c)
            if v is None or c.confidence <= 0.0:
                reason = c.provenance[-1] if c.provenance else "no usable value"
                rejected.append(_rejection(c, f"failed: {reason}"))
            else:
                usable.append((c, v))
        if not usable:
            continue
        clusters: list[list[tuple[Claim, float | str]]] = []
        for item in usable:
            for cl in clusters:
                if _same(cl[0][1], item[1]):
                    cl.append(item)
                    break
            else:
                clusters.append([item])
        clusters.sort(
            key=lambda cl: (sum(c.confidence for c, _ in cl), max(c.confidence for c, _ in cl)),
            reverse=True,
        )
        best = clusters[0]
        accepted[slot] = max(best, key=lambda t: t[0].confidence)[0]
        winners = ", ".join(sorted({b.expert for b, _ in best}))
        for cl in clusters[1:]:
            for c, _ in cl:
                rejected.append(
                    _rejection(c, f"disagrees with the better-supported value from {winners}")
                )
    return accepted, rejected
