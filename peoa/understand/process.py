"""Offline understanding of component and cycle problems: text -> a registered process model.

The process is recognised from the words that name it (each model's ``keywords``; a cycle also
needs a word that says it is a cycle, and a variant such as a reheat Rankine cycle needs its
family named too). Each number in the text is scored against each input of the model by
dimension, by the symbol written before it (``T₁ =``, ``η_s =``), by the words of the input's
description and cues found near it, and by the stream and position roles the sentence gives it
(inlet/exit, hot/cold, stream 1/2). Among the assignments ranked by that score, the first under
which the model runs, every number is used and the report slots name its outputs is kept.
Anything less is declined (``None``): the caller then tries the general equation engine.

>>> p = understand_process(Problem(text="Steam enters an adiabatic turbine at 6 MPa and 450 °C "
...     "and leaves at 50 kPa. The isentropic efficiency is 85 percent. Find the work output."))
>>> p.process, sorted(p.givens), p.bindings
('turbine', ['P1', 'P2', 'T1', 'eta_s'], {'w_out': 'w_out'})
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from peoa.models import Given, Problem, ReportSlot
from peoa.understand.context import (
    CONFLICTS,
    contexts,
    detect_fluid,
    fluid_mentions,
    question_text,
    ranked_assignments,
)
from peoa.understand.quantities import ExtractedQuantity, extract_quantities
from peoa.understand.slots import slot_key
from solvers.errors import SolverError
from solvers.process import (
    PROCESSES,
    Input,
    ProcessModel,
    output_unit,
    resolve_output,
    solve_once,
)
from solvers.process.registry import DELTA_T
from solvers.units import parse_unit

_MAX_SOLVES = 40  # model runs tried per candidate process
_BUDGET_S = 2.0
_NO_PLACE = -2.5  # scores at or below this mean the words contradict the assignment
_CYCLE_WORDS = re.compile(
    r"\b(cycles?|power plants?|plants?|refrigerators?|refrigeration|heat pumps?|"
    r"air[- ]conditioners?)\b",
    re.I,
)
_STOP = {
    "a", "an", "the", "of", "at", "is", "are", "and", "with", "to", "in", "on", "by", "for",
    "as", "it", "its", "from", "that", "which", "be", "was", "has", "have", "this", "per",
    "temperature", "pressure", "unit", "mass", "constant", "model", "operates", "given",
}  # fmt: skip
_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_GREEK = {"η": "eta", "ε": "epsilon", "ϵ": "epsilon", "ṁ": "m_dot", "ρ": "rho", "γ": "gamma"}
_DOTTED = {"Ẇ": "W_dot", "Q̇": "Q_dot", "Ṡ": "S_dot", "Ẋ": "X_dot", "ṁ": "m_dot"}
# definitions the text states but that are not inputs: a reference state's values, for one
_DEFINITION = re.compile(r"\breference (state|values?)\b|\bfor saturated liquid at\b", re.I)
_REFERENCES = ("IIR", "ASHRAE", "NBP")


def symbol_name(sym: str) -> str:
    """A written symbol in the engine's spelling: ``T₁`` -> ``T1``, ``η_s`` -> ``eta_s``.

    >>> symbol_name("T₁"), symbol_name("η_comp"), symbol_name("ṁ_air"), symbol_name("Ẇ_net")
    ('T1', 'eta_comp', 'm_dot_air', 'W_dot_net')
    """
    s = sym.strip().translate(_SUBSCRIPT)
    for k, v in {**_DOTTED, **_GREEK}.items():
        s = s.replace(k, v + ("_" if len(s) > len(k) and not s[len(k) :].startswith("_") else ""))
    s = s.replace("\u0307", "_dot")  # a combining over-dot left on any other letter
    return re.sub(r"[\s,\-·.]+", "_", s).strip("_")


def detect_processes(text: str) -> list[ProcessModel]:
    """The process models ``text`` names, most specific first.

    >>> [m.name for m in detect_processes("An ideal reheat Rankine cycle ...")][:2]
    ['rankine_reheat', 'rankine']
    >>> [m.name for m in detect_processes("Air enters an adiabatic gas turbine at 1100 K")]
    ['turbine']
    """
    low = text.lower()
    cyclic = bool(_CYCLE_WORDS.search(low))
    found: list[tuple[tuple[int, int, int], ProcessModel]] = []
    for m in PROCESSES.values():
        pos = [p for kw in m.keywords if (p := _find(low, kw)) is not None]
        if not pos or (m.kind == "cycle" and not cyclic):
            continue
        family = [p for kw in m.requires if (p := _find(low, kw)) is not None]
        if m.requires and not family:
            continue
        score = len(pos) + len(family)
        found.append(((0 if m.kind == "cycle" else 1, -score, min(pos)), m))
    found.sort(key=lambda t: t[0])
    return [m for _, m in found]


def _find(low: str, word: str) -> int | None:
    m = re.search(rf"(?<![\w-]){re.escape(word.lower())}", low)
    return m.start() if m else None


# -- scoring numbers against inputs ------------------------------------------------------------
def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z\-]*", text.lower()) if w not in _STOP]


def _stem(w: str) -> str:
    return w[:5]


def _input_roles(inp: Input) -> set[str]:
    d = f" {inp.description.lower()} "
    roles = set()
    if " inlet" in d:
        roles.add("inlet")
    if " exit" in d or " outlet" in d:
        roles.add("outlet")
    for r in ("hot", "cold"):
        if f" {r}" in d:
            roles.add(r)
    for k in ("1", "2", "3"):
        if f"stream {k}" in d:
            roles.add(k)
    return roles


def _conflicts(a: str, b: str) -> bool:
    return (a, b) in CONFLICTS or (b, a) in CONFLICTS


def _dimension_fits(q: ExtractedQuantity, inp: Input) -> bool:
    if inp.unit == DELTA_T:
        return q.is_delta or (q.unit in {"K", "°R", "degR"} and False) or _is_temperature(q)
    try:
        want = parse_unit(inp.unit or "dimensionless").dimensionality
    except SolverError:
        return False
    if q.dimensionality != want:
        return False
    return not (_is_temperature(q) and q.is_delta)


def _is_temperature(q: ExtractedQuantity) -> bool:
    return q.dimensionality == parse_unit("K").dimensionality


@dataclass
class _Reading:
    """One number of the text with the words and roles around it."""

    q: ExtractedQuantity
    before: list[str]
    after: list[str]
    roles: set[str]
    ordinal: int  # how many earlier numbers have the same dimension


def _readings(text: str, qs: list[ExtractedQuantity]) -> list[_Reading]:
    around = contexts(text, qs)
    out: list[_Reading] = []
    seen: list[object] = []
    prev_end, prev_words = 0, list[str]()
    for i, (q, (_, roles)) in enumerate(zip(qs, around, strict=True)):
        start = max(prev_end, q.start - 70)
        seg = re.sub(r"\([^()]*\)", " ", text[start : q.start])  # asides and restated values
        cut = max(seg.rfind(". "), seg.rfind("\n"))
        fresh = _words(seg[cut + 1 :] if cut >= 0 else seg)
        # "Compressor inlet: 290 K, 104 kPa": a number with no words of its own shares the
        # words that introduced the one before it
        before = fresh if fresh or cut >= 0 else prev_words
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(text)
        tail = re.split(r"[,;.(]|\band\b|\bwith\b|\bwhile\b", text[q.end : min(nxt, q.end + 40)])[0]
        if text[q.start : q.end].endswith("."):  # "a ratio of 8. Air enters": sentence ended
            tail = ""
        ordinal = sum(1 for d in seen if d == q.dimensionality)
        seen.append(q.dimensionality)
        out.append(_Reading(q, before, _words(tail), set(roles), ordinal))
        prev_end, prev_words = q.end, before
    return out


def _score(r: _Reading, inp: Input, model: ProcessModel) -> float | None:
    if not _dimension_fits(r.q, inp):
        return None
    score = 0.0
    named = bool(r.q.symbol) and model.input_for(symbol_name(r.q.symbol or "")) is inp
    if named:
        score += 8.0
    elif r.q.symbol and model.input_for(symbol_name(r.q.symbol)) is not None:
        return None  # the text names another input
    desc = {_stem(w) for w in _words(inp.description)}
    near = " ".join(r.before[-6:] + r.after)
    score += 2.0 * len(desc & {_stem(w) for w in r.before[-6:]})
    score += 1.0 * len(desc & {_stem(w) for w in r.after})
    if inp.cues:
        hit = any(c in near or c in " ".join(r.before) for c in inp.cues)
        score += 3.0 if hit else (0.0 if named else -4.0)
    roles = _input_roles(inp)
    for role in roles:
        if role in r.roles:
            score += 2.0
        elif any(_conflicts(role, o) for o in r.roles):
            score -= 3.0
    if ("inlet" in roles and r.ordinal == 0) or ("outlet" in roles and r.ordinal >= 1):
        score += 1.0
    index = {"1": 0, "2": 1, "3": 2}
    for role in roles & set(index):
        if index[role] == r.ordinal:
            score += 1.0
    return score


# -- fluids of a two-stream device ---------------------------------------------------------------
def stream_fluids(text: str) -> tuple[str | None, str | None]:
    """(hot, cold) fluids of a two-stream exchanger: the fluid called hot (or that cools the
    other) and the one called cold (or heated); one fluid named serves both.

    >>> stream_fluids("Hot water at 60 °C heats liquid R-134a entering at 12 °C")
    ('Water', 'R134a')
    >>> stream_fluids("Oil is cooled by water in a heat exchanger")
    ('Water', 'Water')
    """
    mentions = fluid_mentions(text)
    names = list(dict.fromkeys(n for _, n in mentions))
    if not names:
        return None, None
    if len(names) == 1:
        return names[0], names[0]
    low = text.lower()
    hot = cold = None
    for pos, name in mentions:
        before, after = low[max(0, pos - 12) : pos], low[pos : pos + 40]
        if re.search(r"\bhot\b", before) or re.search(r"\bhot (side|stream)\b|\bcools\b", after):
            hot = hot or name
        if re.search(r"\b(cold|heats|warms)\b", before) or re.search(
            r"\bcold (side|stream)\b|\bis (heated|warmed)\b", after
        ):
            cold = cold or name
    hot = hot or next((n for n in names if n != cold), names[0])
    cold = cold or next((n for n in names if n != hot), names[-1])
    return hot, cold


# -- options -------------------------------------------------------------------------------------
def _options(text: str, model: ProcessModel, fluid: str | None) -> dict[str, Any]:
    low = text.lower()
    opts: dict[str, Any] = {"fluid": fluid or model.default_fluid}
    if re.search(r"variable specific heats?|temperature-dependent|variable c_?p", low):
        opts["cp_model"] = "variable"
    elif re.search(r"constant specific heats?|cold[- ]air[- ]standard|constant c_?p", low):
        opts["cp_model"] = "constant"
    for ref in _REFERENCES:
        if re.search(rf"\b{ref}\b", text):
            opts["reference"] = ref
    if model.name == "heat_exchanger":
        hot, cold = stream_fluids(text)
        opts["hot_fluid"], opts["cold_fluid"] = hot or fluid, cold or fluid
    if model.name == "combined_cycle":
        opts["fluid"] = "Air"
    return opts


# -- report slots --------------------------------------------------------------------------------
# what engineers ask for, in words -> the outputs that answer it (first present wins)
OUTPUT_TERMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"net power|power output|power produced|power generated", ("W_dot_net",)),
    (r"net work", ("w_net",)),
    (r"work output|work produced|turbine work|work done by", ("w_out", "w_turb")),
    (
        r"work input|compressor work|pump work|work required|power input|work of compression",
        ("w_in", "w_comp", "w_pump"),
    ),
    (r"heat input|heat added|heat supplied|heat transfer to the (steam|water)", ("q_in",)),
    (r"heat rejected|heat rejection", ("q_out", "q_H")),
    (r"(rate of )?heat transfer( rate)?", ("Q_dot", "q_in")),
    (r"thermal efficiency", ("eta_th",)),
    (r"second[- ]law efficiency|exergy efficiency|exergetic efficiency", ("eta_II",)),
    (r"(rate of )?entropy generat\w*( rate)?", ("s_gen", "s_gen_total", "S_gen_dot")),
    (r"exergy destr\w*|irreversibility|exergy destroyed", ("x_dest", "x_dest_total", "X_dest_dot")),
    (r"(exit|outlet|discharge) velocity|velocity at the (exit|outlet)", ("V2",)),
    (
        r"(exit|outlet|final|mixture|discharge) temperature|temperature (at the exit|of the mixture)",
        ("T3", "T2", "T_c_out", "T_h_out", "T_out"),
    ),
    (r"coefficient of performance|\bcop\b", ("COP_R", "COP_HP")),
    (r"back[- ]work ratio", ("bwr",)),
    (r"cooling (capacity|effect|load)|refrigeration (capacity|effect)", ("Q_dot_L", "q_L")),
)


def _asked(question: str, values: dict[str, float], givens: set[str]) -> list[ReportSlot]:
    low = question.lower()
    hits: list[tuple[int, str]] = []
    for pattern, outputs in OUTPUT_TERMS:
        m = re.search(pattern, low)
        if not m:
            continue
        key = next((o for o in outputs if o in values and o not in givens), None)
        if key and key not in {k for _, k in hits}:
            hits.append((m.start(), key))
    return [ReportSlot(name=k) for _, k in sorted(hits)]


def bind_output(slot: ReportSlot, values: dict[str, float]) -> str | None:
    """The model output a report slot names (``h₂s`` -> ``h2s``, ``Ẇ_net`` -> ``W_dot_net``),
    checked against the slot's unit."""
    key = resolve_output(slot.name, values) or resolve_output(symbol_name(slot.name), values)
    if key is None:
        want = slot_key(slot.name)
        key = next((k for k in values if slot_key(k) == want), None)
    if key is None or not slot.unit:
        return key
    try:
        fits = (
            parse_unit(slot.unit).dimensionality
            == parse_unit(output_unit(key) or "dimensionless").dimensionality
        )
    except SolverError:
        return None
    return key if fits else None


# -- the search ----------------------------------------------------------------------------------
def _ignorable(text: str, q: ExtractedQuantity) -> bool:
    """Numbers that are labels or definitions, not data: state numbers ("1-comp in",
    "1→compressor inlet"), a reference state's values."""
    raw = text[q.start : q.end]
    if not q.unit and re.fullmatch(r"\d{1,2}", raw.strip()):
        if re.match(r"\s*(?:[-–→:]\s*[A-Za-z]|\))", text[q.end : q.end + 4]):
            return True
        before = text[max(0, q.start - 60) : q.start]
        if re.search(r"\b(states?|streams?|points?|sections?|stations?|stages?)\s*$", before, re.I):
            return True
        if re.search(r"\b(states|numbering)\b[^.]{0,40}$", before, re.I):
            return True
    sent_start = max(text.rfind(". ", 0, q.start), text.rfind("\n", 0, q.start)) + 1
    sent_end = min(
        (i for i in (text.find(". ", q.end), text.find("\n", q.end)) if i >= 0), default=len(text)
    )
    return bool(_DEFINITION.search(text[sent_start:sent_end]))


def understand_process(problem: Problem) -> Problem | None:
    """The problem as a process-model problem, or None when no model fits every number.

    Keeps the problem's report slots (each bound to a model output); without any, the slots
    come from what the question asks for in words (``OUTPUT_TERMS``).
    """
    text = problem.statement
    if not text:
        return None
    models = detect_processes(text)
    if not models:
        return None
    qs = [q for q in extract_quantities(text) if not _ignorable(text, q)]
    if not qs:
        return None
    readings = _readings(text, qs)
    fluid = problem.fluid or detect_fluid(text)
    deadline = time.perf_counter() + _BUDGET_S
    for model in models:
        found = _fit(problem, model, readings, fluid, text, deadline)
        if found is not None:
            return found
    return None


def _fit(
    problem: Problem,
    model: ProcessModel,
    readings: list[_Reading],
    fluid: str | None,
    text: str,
    deadline: float,
) -> Problem | None:
    options_per_number: list[list[tuple[float, str | None]]] = []
    for r in readings:
        # a number whose best place contradicts its words (a cue-requiring input with no cue, a
        # role conflict) has no place in this model
        opts: list[tuple[float, str | None]] = [
            (s, inp.name)
            for inp in model.inputs
            if (s := _score(r, inp, model)) is not None and s > _NO_PLACE
        ]
        if not opts:
            return None  # a number this model has no place for: it is not this model's problem
        opts.sort(key=lambda t: -t[0])
        options_per_number.append(opts)
    options = _options(text, model, fluid)
    question = question_text(text)
    for attempt, (_, names) in enumerate(ranked_assignments(options_per_number)):
        if attempt >= _MAX_SOLVES or time.perf_counter() > deadline:
            return None
        givens = {
            n: Given(
                name=n,
                value=float(r.q.q.magnitude),
                unit=str(r.q.q.units),
                source="text",
                text=text[r.q.start : r.q.end],
            )
            for n, r in zip(names, readings, strict=True)
            if n is not None
        }
        try:
            res = solve_once(model.name, {k: g.q for k, g in givens.items()}, options)
        except (SolverError, ValueError, ZeroDivisionError, OverflowError):
            continue
        slots = list(problem.report_slots) or _asked(question, res.values, set(givens))
        bindings = {s.name: k for s in slots if (k := bind_output(s, res.values))}
        if not slots or len(bindings) * 2 < len(slots):
            continue
        return as_process_problem(problem, model, givens, options, slots, bindings)
    return None


def as_process_problem(
    problem: Problem,
    model: ProcessModel,
    givens: dict[str, Given],
    options: dict[str, Any],
    slots: list[ReportSlot],
    bindings: dict[str, str],
) -> Problem:
    """``problem`` read as a run of ``model``: its givens, options, slots and their outputs
    (the problem's own options win over the reader's)."""
    return problem.model_copy(
        update={
            "fluid": options["fluid"],
            "givens": givens,
            "report_slots": slots,
            "domain": "process",
            "process": model.name,
            "options": {**options, **problem.options},
            "bindings": bindings,
        }
    )
