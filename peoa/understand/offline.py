"""Offline understanding: text -> structured problem, with no LLM.

Quantities are extracted with their units and context; each is assigned to an engine variable by
dimension, symbol, cue words and stream/position roles; among the assignments ranked by that score,
the first under which the structural solver can reach every target is kept (planning by structural
analysis). Fluid-property problems bind their slots to properties of a CoolProp state.

>>> p = understand(Problem(text="Water (ρ = 998 kg/m³, μ = 0.001 Pa·s) flows at 2 m/s in a pipe "
...     "of 5 cm diameter.\\nReport your answers as:\\nRe = ___"))
>>> p.domain, p.bindings["Re"], sorted(p.givens)
('equations', 'Re', ['D', 'V', 'mu', 'rho'])
"""

from __future__ import annotations

import re
import time

from peoa.models import Given, Problem, ReportSlot
from peoa.understand.context import (
    CONFLICTS,
    contexts,
    detect_fluid,
    question_text,
    ranked_assignments,
)
from peoa.understand.process import understand_process
from peoa.understand.quantities import ExtractedQuantity, extract_quantities
from peoa.understand.slots import property_key, slot_key
from solvers.equations import EQUATIONS, VARIABLES_BY_NAME, Variable, solve_structural
from solvers.equations.structural import applicable
from solvers.errors import SolverError
from solvers.units import parse_unit

_DIFFERENCE_VARS = {"LMTD", "dT1", "dT2"}
# knowns that words imply
_IMPLIED: tuple[tuple[str, dict[str, float]], ...] = (
    (r"\bhorizontal\b", {"z1": 0.0, "z2": 0.0}),
    (r"\bsame (?:elevation|height|level)\b", {"z1": 0.0, "z2": 0.0}),
)
_MAX_SOLVE_ATTEMPTS = 60  # structural solves tried per problem
_SEARCH_BUDGET_S = 1.5


def _score(
    var: Variable, q: ExtractedQuantity, ctx: str, roles: set[str], ordinal: int
) -> float | None:
    """How well quantity ``q`` fits variable ``var``; None when the dimensions differ."""
    if q.dimensionality != var.dimensionality:
        return None
    if var.dimensionality == parse_unit("K").dimensionality and (
        q.is_delta != (var.name in _DIFFERENCE_VARS)
    ):
        return None
    score = 0.0
    low = ctx.lower()
    if q.symbol and slot_key(q.symbol) in {slot_key(a) for a in var.aliases}:
        score += 6.0
    for cue in var.cues:
        if cue in low:
            score += 2.0 if " " in cue else 1.0
    for r in var.roles:
        if r in roles:
            score += 2.0
        elif any((r, o) in CONFLICTS or (o, r) in CONFLICTS for o in roles):
            score -= 3.0
    if var.roles and not roles:
        score -= 0.5
    # numbered streams with no other cue: the k-th number of a dimension is stream k
    index = {"1": 0, "2": 1, "3": 2}
    for r in var.roles & set(index):
        if index[r] == ordinal:
            score += 1.0
    return score


def _bind_slot(slot: ReportSlot, variables: list[Variable], question: str) -> str | None:
    """The engine variable a report slot names: by alias, then by words, checked by unit."""
    key = slot_key(slot.name)
    dim = None
    if slot.unit:
        try:
            dim = parse_unit(slot.unit).dimensionality
        except SolverError:
            dim = None
    fits = [v for v in variables if dim is None or v.dimensionality == dim]
    exact = [v for v in fits if v.name == slot.name]  # slot keys fold "V_dot" into "V"
    if exact:
        return exact[0].name
    by_alias = [v for v in fits if key in {slot_key(a) for a in (*v.aliases, v.name)}]
    if by_alias:
        return by_alias[0].name
    words = set(re.findall(r"[a-z]+", slot.name.lower().replace("_", " ")))
    best, best_score = None, 0.0
    for v in fits:
        desc = set(re.findall(r"[a-z]+", v.description.lower()))
        s = len(words & desc) + 0.5 * sum(1 for c in v.cues if c in question.lower())
        if s > best_score:
            best, best_score = v, s
    return best.name if best else None


def _targets_from_question(question: str, candidates: list[Variable]) -> list[ReportSlot]:
    """Slots inferred from the question when the problem gives no report block."""
    low = question.lower()
    scored = []
    for v in candidates:
        desc = v.description.lower()
        phrase_hits = [c for c in v.cues if len(c) > 3 and c in low]
        if desc.split(" (")[0] in low:
            phrase_hits.append(desc)
        if phrase_hits:
            scored.append((max(len(h) for h in phrase_hits), v))
    if not scored:
        return []
    scored.sort(key=lambda t: -t[0])
    return [ReportSlot(name=scored[0][1].name, unit="")]


_PROPERTY_QUESTION = {
    "enthalpy": "h",
    "entropy": "s",
    "specific volume": "v",
    "internal energy": "u",
    "density": "rho",
    "quality": "x",
    "phase": "phase",
    "saturation temperature": "T_sat",
    "saturation pressure": "P_sat",
    "temperature": "T",
}


def _property_givens(qs: list[ExtractedQuantity], text: str) -> dict[str, Given]:
    givens: dict[str, Given] = {}
    dims = {
        k: parse_unit(u).dimensionality
        for k, u in (
            ("T", "K"),
            ("P", "Pa"),
            ("h", "J/kg"),
            ("s", "J/(kg*K)"),
            ("v", "m**3/kg"),
            ("rho", "kg/m**3"),
            ("x", "dimensionless"),
        )
    }
    for q in qs:
        d = q.dimensionality
        ctx = (q.before[-40:] + " " + q.after[:10]).lower()
        sym = slot_key(q.symbol) if q.symbol else ""
        key = None
        if d == dims["T"] and not q.is_delta:
            key = "T"
        elif d == dims["P"]:
            key = "P"
        elif d == dims["h"]:
            key = "u" if sym == "u" or "internal energy" in ctx else "h"
        elif d == dims["s"]:
            key = "s"
        elif d == dims["v"]:
            key = "v"
        elif d == dims["rho"]:
            key = "rho"
        elif d == dims["x"] and (sym == "x" or "quality" in ctx or "dryness" in ctx):
            key = "x"
        if key and key not in givens:
            si = {
                "T": "K",
                "P": "Pa",
                "h": "J/kg",
                "u": "J/kg",
                "s": "J/(kg*K)",
                "v": "m**3/kg",
                "rho": "kg/m**3",
                "x": "dimensionless",
            }[key]
            givens[key] = Given(
                name=key,
                value=float(q.q.to(si).magnitude),
                unit=si,
                source="text",
                text=text[q.start : q.end],
            )
    low = text.lower()
    if "x" not in givens and len({"T", "P"} & set(givens)) == 1 and len(givens) == 1:
        if re.search(r"saturated (liquid|water)(?! vapou?r)", low):
            givens["x"] = Given(
                name="x",
                value=0.0,
                unit="dimensionless",
                source="inferred",
                text="saturated liquid",
            )
        elif re.search(r"saturated (vapou?r|steam|water vapou?r)|dry saturated", low):
            givens["x"] = Given(
                name="x",
                value=1.0,
                unit="dimensionless",
                source="inferred",
                text="saturated vapour",
            )
    return givens


def understand(problem: Problem) -> Problem:
    """Fill givens, fluid, report slots and their bindings from the problem text (no LLM).

    A problem that already has givens and bindings is returned unchanged.
    """
    if problem.bindings and problem.domain:
        return problem
    text = problem.statement
    fluid = problem.fluid or detect_fluid(text)
    slots = list(problem.report_slots)
    qs = extract_quantities(text) if text else []

    # fluid-property problems
    if fluid and not problem.givens:
        inferred = not slots
        prop_slots = slots
        if not slots:
            q_low = question_text(text).lower()
            keys = []
            for phrase, key in _PROPERTY_QUESTION.items():
                if (
                    phrase in q_low
                    and key not in keys
                    and not any(
                        phrase in other and phrase != other
                        for other in _PROPERTY_QUESTION
                        if other in q_low
                    )
                ):
                    keys.append(key)
            prop_slots = [ReportSlot(name=k) for k in keys]
        prop_keys = {s.name: property_key(s.name) for s in prop_slots}
        if prop_slots and all(prop_keys.values()):
            prop_givens = _property_givens(qs, text)
            used = sum(1 for g in prop_givens.values() if g.source == "text")
            echoed = inferred and any(k in prop_givens for k in prop_keys.values())
            # a state look-up uses every number of the text; more numbers, or a wanted
            # property that the text gives, mean a different problem
            if prop_givens and used == len(qs) and not echoed:
                return problem.model_copy(
                    update={
                        "fluid": fluid,
                        "givens": prop_givens,
                        "report_slots": prop_slots,
                        "domain": "properties",
                        "bindings": {s: k for s, k in prop_keys.items() if k},
                    }
                )

    # a named component or cycle whose model takes every number of the text
    as_process = understand_process(problem.model_copy(update={"fluid": fluid}))
    if as_process is not None:
        return as_process

    # closed-form relations
    eqs = applicable(EQUATIONS, text)
    variables = [VARIABLES_BY_NAME[n] for n in dict.fromkeys(v for e in eqs for v in e.variables)]
    question = question_text(text)
    inferred_targets = not slots
    if not slots:
        slots = _targets_from_question(question, variables)
    bindings: dict[str, str] = {}
    for s in slots:
        b = _bind_slot(s, variables, question)
        if b:
            bindings[s.name] = b
    givens: dict[str, Given] = dict(problem.givens)
    if not problem.givens and qs:
        around = contexts(text, qs)
        target_set = {bindings[s.name] for s in slots if s.name in bindings}
        options: list[list[tuple[float, str | None]]] = []
        seen_dims: list[object] = []
        for q, (ctx, roles) in zip(qs, around, strict=True):
            ordinal = sum(1 for d in seen_dims if d == q.dimensionality)
            seen_dims.append(q.dimensionality)
            opts: list[tuple[float, str | None]] = []
            for v in variables:
                if v.name in target_set:
                    continue
                sc = _score(v, q, ctx, roles, ordinal)
                if sc is not None:
                    opts.append((sc, v.name))
            opts.sort(key=lambda t: -t[0])
            opts.append((-2.0, None))  # the number may be irrelevant
            options.append(opts)
        targets = [bindings[s.name] for s in slots if s.name in bindings]
        implied = {
            k: v
            for pat, kv in _IMPLIED
            if re.search(pat, text, re.I)
            for k, v in kv.items()
            if k in VARIABLES_BY_NAME
        }
        chosen: list[str | None] | None = None
        solved = False
        deadline = time.perf_counter() + _SEARCH_BUDGET_S
        for attempt, (_, names) in enumerate(ranked_assignments(options)):
            if attempt >= _MAX_SOLVE_ATTEMPTS or time.perf_counter() > deadline:
                break
            if chosen is None:
                chosen = names  # best-scored, kept if nothing solves
            knowns = dict(implied)
            knowns.update(
                {
                    n: float(q.q.to(VARIABLES_BY_NAME[n].unit).magnitude)
                    for n, q in zip(names, qs, strict=True)
                    if n is not None
                }
            )
            if any(t in knowns for t in targets):
                continue
            try:
                # propagation only: a guessed assignment that needs a numeric block to close
                # is too weak evidence to answer on
                solve_structural(knowns, targets, eqs, max_block=1)
            except (SolverError, ValueError, ZeroDivisionError, OverflowError):
                continue
            chosen = names
            solved = True
            break
        for i, (q, name) in enumerate(zip(qs, chosen or [None] * len(qs), strict=True)):
            src = text[q.start : q.end]
            if name is None:
                givens[f"q{i + 1}"] = Given(
                    name=f"q{i + 1}",
                    value=float(q.q.magnitude),
                    unit=str(q.q.units),
                    source="text",
                    text=src,
                )
                continue
            unit = VARIABLES_BY_NAME[name].unit
            givens[name] = Given(
                name=name, value=float(q.q.to(unit).magnitude), unit=unit, source="text", text=src
            )
        if inferred_targets and (not solved or any(n is None for n in chosen or [])):
            # we guessed the target from the question and could not use every number: a
            # declined answer is better than a wrong one
            bindings, slots = {}, []
        for name, val in implied.items():
            if name not in givens and any(name in e.variables for e in eqs):
                givens[name] = Given(
                    name=name,
                    value=val,
                    unit=VARIABLES_BY_NAME[name].unit,
                    source="inferred",
                    text="implied by the wording",
                )
    # slots nothing computes but a given answers, when the text asks for a conversion
    asks_conversion = re.search(r"(?i)\b(convert|express|equivalent|in units of)\b", text)
    for s in slots if asks_conversion else []:
        if s.name in bindings and bindings[s.name] not in givens:
            continue
        if s.name in bindings:
            continue
        if s.unit:
            dim = parse_unit(s.unit).dimensionality
            same = [k for k, g in givens.items() if g.q.dimensionality == dim]
            if len(same) == 1:
                bindings[s.name] = same[0]
    return problem.model_copy(
        update={
            "fluid": fluid,
            "givens": givens,
            "report_slots": slots,
            "domain": "equations",
            "bindings": bindings,
        }
    )
