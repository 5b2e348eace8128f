"""Running a suite and summarising: ``{"suite","tier","mode","n","score","answered","wrong",
"by_category"}``."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

from peoa.evaluation.datasets import Item, suite_items
from peoa.evaluation.scoring import nearest_option, score_keys, score_single
from peoa.models import Answer
from peoa.sdk import Assistant


def score_item(item: Item, answer: Answer) -> tuple[float, bool, bool, dict[str, Any]]:
    """(score in [0, 1], answered, wrong, detail) of one answered item."""
    if item.options or ("answer" in item.expected and len(item.expected) == 1 and not item.weights):
        exp = item.expected["answer"]
        if (
            (isinstance(exp.get("value"), int | float) and not item.problem)
            or item.options
            or item.rel_tol != 0.02
            or item.answer_letter is not None
        ):
            ok, v = score_single(
                answer.answers,
                float(exp["value"]),
                exp.get("unit"),
                item.rel_tol,
                float(exp.get("abs_tolerance", 0.0)),
            )
            detail: dict[str, Any] = {"value": v}
            if v is not None and item.options:
                idx = nearest_option(v, item.options)
                detail["mc_correct"] = idx is not None and item.answer_letter == "ABCDEFGHIJ"[idx]
            if ok is None:
                return 0.0, False, False, detail
            return (1.0 if ok else 0.0), True, not ok, detail
    ks = score_keys(answer.answers, item.expected, item.weights, item.rel_tol)
    return ks.score, ks.answered > 0, ks.wrong > 0, ks.detail


def evaluate(
    suite: str,
    root: Path,
    assistant: Assistant,
    tier: int | None = None,
    mode: str = "text",
    limit: int | None = None,
    workers: int = 1,
    on_item: Callable[[Item, Answer, float], None] | None = None,
) -> dict[str, Any]:
    """Solve and score a suite; returns the summary dict (see module docstring)."""
    items = suite_items(suite, root, tier=tier, mode=mode, limit=limit)
    solvable = [i for i in items if i.problem is not None]
    t0 = time.perf_counter()
    answers = assistant.solve_many([i.problem for i in solvable if i.problem], workers=workers)
    wall = time.perf_counter() - t0
    by_id = {a.id: a for a in answers}
    total = 0.0
    answered = wrong = 0
    mc = 0
    cats: dict[str, dict[str, float]] = {}
    per_item = []
    for it in items:
        ans = by_id.get(it.id) or Answer(id=it.id, status="failed", error=it.error)
        sc, was_answered, was_wrong, detail = score_item(it, ans)
        total += sc
        answered += was_answered
        wrong += was_wrong
        mc += bool(detail.get("mc_correct")) if isinstance(detail, dict) else 0
        c = cats.setdefault(it.category, {"n": 0, "score": 0.0, "answered": 0, "wrong": 0})
        c["n"] += 1
        c["score"] += sc
        c["answered"] += was_answered
        c["wrong"] += was_wrong
        per_item.append(
            {
                "id": it.id,
                "score": sc,
                "status": ans.status,
                "elapsed_s": ans.elapsed_s,
                "detail": detail,
                "error": ans.error,
            }
        )
        if on_item is not None:
            on_item(it, ans, sc)
    n = len(items)
    for c in cats.values():
        c["score"] = round(c["score"] / c["n"], 4) if c["n"] else 0.0
    out: dict[str, Any] = {
        "suite": suite,
        "tier": tier,
        "mode": mode,
        "n": n,
        "score": round(total / n, 4) if n else 0.0,
        "answered": answered,
        "wrong": wrong,
        "by_category": cats,
        "median_s": round(median([a.elapsed_s for a in answers]), 4) if answers else None,
        "wall_s": round(wall, 2),
    }
    if any(it.options for it in items):
        out["mc_score"] = round(mc / n, 4) if n else 0.0
    out["_items"] = per_item
    return out
