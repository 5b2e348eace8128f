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
from peoa.understand.quantities import extract_quantities
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


# ThermoQA's component and cycle types -> the engine's process models and options. Air in the
# constant-cp variants is the cold-air standard the questions state (cp 1.005, k 1.4, R 0.287);
# every exergy question uses the dead state 25 °C, 0.1 MPa (ThermoQA TIER2/TIER3 design notes).
_THERMOQA_PROCESS: dict[str, tuple[str, dict[str, Any]]] = {
    "turbine": ("turbine", {}),
    "compressor": ("compressor", {}),
    "pump": ("pump", {}),
    "nozzle": ("nozzle", {}),
    "boiler": ("boiler", {}),
    "heat_exchanger": ("heat_exchanger", {}),
    "mixing_chamber": ("mixing_chamber", {}),
    "RNK-I": ("rankine", {}),
    "RNK-A": ("rankine", {}),
    "RNK-RH": ("rankine_reheat", {}),
    "BRY-I": ("brayton", {"cp_model": "constant"}),
    "BRY-A": ("brayton", {"cp_model": "constant"}),
    "BRY-AV": ("brayton", {"cp_model": "variable"}),
    "BRY-RG": ("brayton_regenerative", {"cp_model": "constant"}),
    "BRY-RV": ("brayton_regenerative", {"cp_model": "variable"}),
    "VCR-A": ("vapor_compression", {"reference": "IIR"}),
    "CCGT": ("combined_cycle", {"cp_model": "variable"}),
}
_COLD_AIR = {"cp": "1.005 kJ/(kg*K)", "k": "1.4", "R": "0.287 kJ/(kg*K)"}
_DEAD = {"T0": "298.15 K", "P0": "100 kPa"}


def _unit_in_text(found: list[Any], value: float, unit: str) -> str:
    """The unit the question text (its extracted quantities ``found``) writes next to
    ``value``, when it has the same dimension as the key's ``unit`` (or the key has none).
    ThermoQA's given keys sometimes carry the wrong suffix (``T1_C`` for a temperature the text
    gives in K): the text is authoritative."""
    from solvers.units import same_dimension

    for q in found:
        same = q.unit and abs(q.value - value) <= 1e-9 * max(1.0, abs(value))
        if same and (not unit or same_dimension(q.unit, unit)):
            return q.unit
    return unit


def _role_fluid(text: str, role: str) -> str | None:
    from solvers.errors import PropertyError
    from solvers.properties import canonical_fluid

    m = re.search(rf"\b{role}\s+(?:liquid\s+)?([A-Za-z][\w\-]*)", text, re.IGNORECASE)
    if not m:
        return None
    try:
        return canonical_fluid(m.group(1))
    except PropertyError:
        return None


def _structured(d: dict[str, Any]) -> Problem:
    given = dict(d.get("given", {}))
    fluid = given.pop("fluid", None) or d.get("fluid")
    text = d.get("question", "")
    kind = d.get("component") or d.get("cycle_type")
    givens: dict[str, Given] = {}
    found = extract_quantities(text) if kind else []
    for k, v in given.items():
        if not isinstance(v, int | float):
            continue
        name, unit = split_key(k)
        if kind:
            unit = _unit_in_text(found, float(v), unit)
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
    if kind in _THERMOQA_PROCESS:
        process, options = _THERMOQA_PROCESS[kind]
        options = {**options, "fluid": "Water" if fluid == "Air+Water" else fluid}
        for name, val in _DEAD.items():
            givens.setdefault(name, Given.parse(name, val))
        if options.get("cp_model") == "constant" or (kind in _COMPONENT_KINDS and fluid == "Air"):
            options["cp_model"] = "constant"
            for name, val in _COLD_AIR.items():
                givens.setdefault(name, Given.parse(name, val))
        if process == "heat_exchanger":
            options["hot_fluid"] = _role_fluid(text, "hot") or options["fluid"]
            options["cold_fluid"] = _role_fluid(text, "cold") or options["fluid"]
        return Problem(
            id=d["id"],
            givens=givens,
            fluid=options["fluid"],
            report_slots=slots,
            domain="process",
            process=process,
            options=options,
            bindings={s.name: s.name for s in slots},
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


_COMPONENT_KINDS = {"turbine", "compressor", "pump", "nozzle", "boiler", "heat_exchanger"}


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
