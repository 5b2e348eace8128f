"""Scoring answers against expected values: unit conversion with pint, per-key tolerances,
weighted steps, and multiple choice by nearest option.

>>> from peoa.models import SlotValue
>>> exp = {"h_kJ_kg": {"value": 1000.0, "unit": "kJ/kg", "tolerance_pct": 2.0, "abs_tolerance": 0.5}}
>>> score_keys({"h": SlotValue(value=1.01e6, unit="J/kg")}, exp, {}).score
1.0
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from peoa.models import SlotValue
from peoa.understand.slots import slot_key
from solvers.errors import SolverError
from solvers.units import convert, quantity, to_unit

_NO_UNIT = {"", "-", "dimensionless", None}


@dataclass
class KeyScore:
    """Score of one question: weighted fraction correct, and answered/wrong key counts."""

    score: float
    answered: int
    wrong: int
    detail: dict[str, str] = field(default_factory=dict)


def match_slot(key: str, answers: dict[str, SlotValue]) -> SlotValue | None:
    """The answer slot an expected key refers to (``h_kJ_kg`` -> ``h``, ``Q_dot`` -> ``Q̇``)."""
    by_key = {slot_key(k): v for k, v in answers.items()}
    parts = key.split("_")
    for n in range(len(parts), 0, -1):  # drop unit suffix tokens one by one
        k = slot_key("_".join(parts[:n]))
        if k in by_key:
            return by_key[k]
        if k == "phasename" or k == "phase":
            return by_key.get("phase")
    return None


def _unit(u: str | None) -> str:
    if u in _NO_UNIT:
        return ""
    u = str(u)
    return "degC" if u == "C" else ("degF" if u == "F" else u)


def value_in(answer: SlotValue, unit: str | None) -> float:
    """The answer's value in ``unit`` (raises SolverError when incompatible)."""
    if isinstance(answer.value, str):
        raise SolverError(f"categorical answer {answer.value!r}")
    target = _unit(unit)
    if not target:
        if not answer.unit:
            return float(answer.value)
        q = quantity(answer.value, answer.unit)
        return float(q.to("dimensionless").magnitude)
    if not answer.unit:
        return float(answer.value)
    return float(to_unit(quantity(answer.value, answer.unit), target).magnitude)


def within(got: float, want: float, rel: float, abs_tol: float = 0.0) -> bool:
    """True when ``got`` is within ``rel`` (fraction) or ``abs_tol`` of ``want``.

    >>> within(101.0, 100.0, 0.02), within(0.0, 1e-9, 0.05, 1e-6), within(90, 100, 0.02)
    (True, True, False)
    """
    if not (math.isfinite(got) and math.isfinite(want)):
        return False
    return abs(got - want) <= max(rel * abs(want), abs_tol) * (1 + 1e-9)


def _phase_ok(answer: SlotValue, exp: dict[str, Any]) -> bool:
    got = str(answer.value).strip().lower().replace("_", " ")
    names = [str(exp.get("value", "")), *list(exp.get("acceptable_aliases", []))]
    return any(got == n.strip().lower().replace("_", " ") for n in names)


def score_keys(
    answers: dict[str, SlotValue],
    expected: dict[str, dict[str, Any]],
    weights: dict[str, float],
    default_rel: float = 0.02,
) -> KeyScore:
    """Weighted fraction of expected keys answered within tolerance (equal weights by default)."""
    total = 0.0
    got_w = 0.0
    answered = wrong = 0
    detail: dict[str, str] = {}
    for key, exp in expected.items():
        w = float(weights.get(key, 1.0)) if weights else 1.0
        total += w
        ans = match_slot(key, answers)
        if ans is None:
            detail[key] = "missing"
            continue
        answered += 1
        if exp.get("type") == "exact_match" or isinstance(exp.get("value"), str):
            ok = _phase_ok(ans, exp)
        else:
            rel = float(exp.get("tolerance_pct", default_rel * 100)) / 100.0
            try:
                v = value_in(ans, exp.get("unit"))
                ok = within(v, float(exp["value"]), rel, float(exp.get("abs_tolerance", 0.0)))
            except (SolverError, ValueError, TypeError):
                ok = False
        if ok:
            got_w += w
            detail[key] = "ok"
        else:
            wrong += 1
            detail[key] = f"wrong: {ans.value} {ans.unit}"
    return KeyScore(
        score=got_w / total if total else 0.0, answered=answered, wrong=wrong, detail=detail
    )


_OPTION_NUM = re.compile(r"[-+]?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?")


def option_value(option: str) -> float | None:
    """The first number of a multiple-choice option (``"1.57 kJ/°K"`` -> 1.57)."""
    m = _OPTION_NUM.search(option.replace("×10^", "e"))
    return float(m.group(0).replace(",", "")) if m else None


def nearest_option(value: float, options: list[str]) -> int | None:
    """Index of the option whose number is nearest ``value`` (relative distance)."""
    best, best_d = None, math.inf
    for i, o in enumerate(options):
        v = option_value(o)
        if v is None:
            continue
        d = abs(value - v) / max(abs(v), 1e-12)
        if d < best_d:
            best, best_d = i, d
    return best


def score_single(
    answers: dict[str, SlotValue], want: float, unit: str | None, rel: float, abs_tol: float = 0.0
) -> tuple[bool | None, float | None]:
    """Score a one-number answer: (correct or None when unanswered, the value compared)."""
    numeric = [a for a in answers.values() if not isinstance(a.value, str)]
    if not numeric:
        return None, None
    a = numeric[0]
    try:
        v = value_in(a, unit) if unit and a.unit else float(a.value)
    except (SolverError, ValueError, TypeError):
        try:
            v = convert(float(a.value), a.unit, a.unit) if a.unit else float(a.value)
        except (SolverError, ValueError, TypeError):
            v = float(a.value)
    return within(v, float(want), rel, abs_tol), v
