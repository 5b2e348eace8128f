"""Benchmark loaders: ThermoQA (text or structured), MMLU-Pro engineering, SciBench, and problem
files with ``expect``. Data are read from ``PEOA_BENCHMARKS``, never copied into the repository."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peoa.errors import BenchmarkNotFound, ProblemFileError
from peoa.models import Given, Problem, ReportSlot
from peoa.problems import BadProblem, read_problems
from peoa.understand.slots import property_key

THERMOQA_FILES = {1: "tier1_properties.jsonl", 2: "tier2_components.jsonl", 3: "tier3_cycles.jsonl"}

# unit suffixes of ThermoQA keys (T1_C, P_kPa, h_kJ_kg...)
_SUFFIX_UNITS = {
    "C": "degC",
    "K": "K",
    "kPa": "kPa",
    "MPa": "MPa",
    "Pa": "Pa",
    "bar": "bar",
    "kJ_kg": "kJ/kg",
    "kJ_kgK": "kJ/(kg*K)",
    "m3_kg": "m**3/kg",
    "kg_m3": "kg/m**3",
    "kgs": "kg/s",
    "kg_s": "kg/s",
    "kW": "kW",
    "ms": "m/s",
    "m_s": "m/s",
    "pct": "%",
}


@dataclass
class Item:
    """One benchmark question: the problem to solve and what scoring needs."""

    problem: Problem | None
    category: str
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)
    answer_letter: str | None = None
    rel_tol: float = 0.02
    error: str | None = None
    id: str = ""


def _suite_path(root: Path, suite: str, name: str) -> Path:
    p = root / name
    if not p.exists():
        raise BenchmarkNotFound(suite, str(p))
    return p


def split_key(key: str) -> tuple[str, str]:
    """``"T1_C"`` -> ``("T1", "degC")``; ``"x"`` -> ``("x", "")``.

    >>> split_key("h_kJ_kg"), split_key("P_cond_kPa"), split_key("eta_s")
    (('h', 'kJ/kg'), ('P_cond', 'kPa'), ('eta_s', ''))
    """
    for suf in sorted(_SUFFIX_UNITS, key=len, reverse=True):
        if key.endswith("_" + suf) and len(key) > len(suf) + 1:
            return key[: -len(suf) - 1], _SUFFIX_UNITS[suf]
    return key, ""


def thermoqa(root: Path, tier: int, mode: str = "text") -> list[Item]:
    """ThermoQA tier 1-3 as items; structured mode uses the ``given`` block and expected keys."""
    if tier not in THERMOQA_FILES:
        raise ValueError(f"ThermoQA tier must be 1, 2 or 3, got {tier!r}")
    if mode not in {"text", "structured"}:
        raise ValueError(f"mode must be 'text' or 'structured', got {mode!r}")
    path = _suite_path(root, "thermoqa", f"thermoqa/{THERMOQA_FILES[tier]}")
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        cat = d.get("category") or d.get("component") or d.get("cycle_type") or "all"
        weights = {s["id"]: float(s["weight"]) for s in d.get("steps", [])}
        problem = Problem(id=d["id"], text=d["question"]) if mode == "text" else _structured(d)
        items.append(
            Item(
                problem=problem,
                category=str(cat),
                expected=d["expected"],
                weights=weights,
                id=d["id"],
            )
        )
    return items


def _structured(d: dict[str, Any]) -> Problem:
    given = dict(d.get("given", {}))
    fluid = given.pop("fluid", None) or d.get("fluid")
    givens: dict[str, Given] = {}
    for k, v in given.items():
        if not isinstance(v, int | float):
            continue
        name, unit = split_key(k)
        givens[name] = Given.parse(name, f"{v} {unit}".strip())
    slots = []
    for k, e in d["expected"].items():
        name, unit = split_key(k)
        u = e.get("unit") or unit
        u = "" if u in {"-", "dimensionless", None} else u
        slots.append(
            ReportSlot(
                name="phase" if name == "phase_name" else name, unit="degC" if u == "C" else u
            )
        )
    keys = {s.name: property_key(s.name) for s in slots}
    props = (
        bool(fluid)
        and all(keys.values())
        and set(givens) <= {"T", "P", "x", "h", "s", "u", "v", "rho"}
    )
    return Problem(
        id=d["id"],
        givens=givens,
        fluid=fluid,
        report_slots=slots,
        domain="properties" if props else "equations",
        bindings={s: (k or s) for s, k in keys.items()},
    )


def mmlupro(root: Path) -> list[Item]:
    """MMLU-Pro engineering items with numeric answers (2 % relative; options kept)."""
    path = _suite_path(root, "mmlupro", "mmlupro_eng/questions.jsonl")
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        val, unit = d["answer_value"], d.get("answer_unit")
        if isinstance(val, list):
            val, unit = val[0], (unit[0] if isinstance(unit, list) and unit else "")
        items.append(
            Item(
                problem=Problem(id=d["id"], text=d["problem"]),
                category=d.get("subset", "all"),
                expected={"answer": {"value": val, "unit": unit or ""}},
                options=d.get("options", []),
                answer_letter=d.get("answer_letter"),
                rel_tol=0.02,
                id=d["id"],
            )
        )
    return items


def scibench(root: Path) -> list[Item]:
    """SciBench items (5 % relative; an absolute tolerance for answers that are exactly 0)."""
    path = _suite_path(root, "scibench", "scibench/questions.jsonl")
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        items.append(
            Item(
                problem=Problem(id=d["id"], text=d["problem"]),
                category=d.get("subset", "all"),
                expected={
                    "answer": {
                        "value": d["answer_value"],
                        "unit": d.get("answer_unit") or "",
                        "abs_tolerance": 1e-6,
                    }
                },
                rel_tol=0.05,
                id=d["id"],
            )
        )
    return items


def problem_file(path: Path) -> list[Item]:
    """A problem file whose problems carry ``expect: {slot: [value, unit]}`` (2 % relative)."""
    try:
        entries = read_problems(path)
    except ProblemFileError:
        raise
    items = []
    for e in entries:
        if isinstance(e, BadProblem):
            items.append(Item(problem=None, category="all", error=e.error, id=e.id))
            continue
        exp = {k: {"value": v, "unit": u} for k, (v, u) in e.expect.items()}
        items.append(
            Item(problem=e, category=str(e.meta.get("category", "all")), expected=exp, id=e.id)
        )
    return items


SUITES: dict[str, Any] = {}


def register_suite(name: str, loader: Any) -> None:
    """Register a named suite loader ``loader(root, tier, mode)``; duplicates are rejected."""
    if name in SUITES:
        raise ValueError(f"a benchmark suite named {name!r} is already registered")
    SUITES[name] = loader


register_suite("thermoqa", lambda root, tier, mode: thermoqa(root, tier or 1, mode))
register_suite("mmlupro", lambda root, tier, mode: mmlupro(root))
register_suite("scibench", lambda root, tier, mode: scibench(root))


def suite_items(
    suite: str, root: Path, tier: int | None = None, mode: str = "text", limit: int | None = None
) -> list[Item]:
    """Items of a named suite (thermoqa, mmlupro, scibench) or of a problem file path."""
    loader = SUITES.get(suite.lower())
    if loader is not None:
        items = loader(root, tier, mode)
    elif Path(suite).is_file():
        items = problem_file(Path(suite))
    else:
        raise BenchmarkNotFound(suite, str(Path(suite) if re.search(r"[./]", suite) else root))
    return items[:limit] if limit else items
