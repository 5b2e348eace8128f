"""Chat follow-ups: "and at 8 MPa?" reuses the previous problem with one quantity changed.

A follow-up is a short message, or one opening with a cue ("and", "what if", "now"...), that
brings quantities but no report slots of its own. Each new quantity replaces the previous
problem's quantity of the same dimension; when several qualify, the words before them decide
("the exit pressure is 20 kPa" replaces the pressure said to be at the exit); when nothing
decides, :class:`FollowUpError` names the candidates so that the chat can ask.

>>> prev = Problem.from_text("Steam at 6 MPa and 450 °C expands to 10 kPa.\\nReport your answers as:\\nw = ___ kJ/kg")
>>> new = resolve_followup("and at 550 °C?", prev)
>>> new.statement
'Steam at 6 MPa and 550 °C expands to 10 kPa.'
>>> resolve_followup("what if it leaves at 20 kPa", prev).statement
'Steam at 6 MPa and 450 °C expands to 20 kPa.'
"""

from __future__ import annotations

import re

from peoa.errors import ProblemError
from peoa.models import Given, Problem, parse_report_slots
from peoa.understand.quantities import ExtractedQuantity, extract_quantities

_CUES = re.compile(
    r"^\s*(?:and|what if|what about|how about|now|same|repeat|instead|then|but|try|redo|again)\b",
    re.I,
)
_WORD = re.compile(r"[a-zA-Z]{3,}")
_STOP = {
    "and",
    "the",
    "what",
    "if",
    "about",
    "how",
    "now",
    "same",
    "with",
    "instead",
    "then",
    "but",
    "try",
    "redo",
    "again",
    "is",
    "are",
    "was",
    "its",
    "it",
    "at",
    "for",
    "of",
    "to",
}


# Words that point at the same state of a process, reduced to one key.
_SAME = {
    **dict.fromkeys(
        [
            "enter",
            "enters",
            "entering",
            "inlet",
            "entrance",
            "supply",
            "supplied",
            "initial",
            "initially",
            "start",
            "inflow",
            "upstream",
            "feed",
        ],
        "inlet",
    ),
    **dict.fromkeys(
        [
            "leave",
            "leaves",
            "leaving",
            "exit",
            "exits",
            "exiting",
            "outlet",
            "discharge",
            "discharged",
            "discharges",
            "expands",
            "expanded",
            "expanding",
            "final",
            "finally",
            "outflow",
            "downstream",
            "product",
        ],
        "exit",
    ),
    **dict.fromkeys(["hot", "hotter", "heating"], "hot"),
    **dict.fromkeys(["cold", "colder", "cooling", "coolant"], "cold"),
}


class FollowUpError(ProblemError):
    """A follow-up cannot be applied unambiguously; the message names the candidates."""


def is_followup(text: str) -> bool:
    """True when ``text`` reads as a change to the previous problem rather than a new one.

    >>> is_followup("and at 8 MPa?"), is_followup("Water at 2 bar boils. Find T.\\nReport your answers as:\\nT = ___ K")
    (True, False)
    """
    body, slots = parse_report_slots(text)
    if slots or not extract_quantities(body):
        return False
    return bool(_CUES.match(body)) or len(body) <= 80


def _words(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(text)} - _STOP
    return {_SAME.get(w, w) for w in words}


def _near(q: ExtractedQuantity) -> str:
    """The words around ``q`` up to the neighbouring numbers (they describe other quantities)."""
    before = re.split(r"\d", q.before[-50:])[-1]
    after = re.split(r"\d", q.after[:30])[0]
    return before + " " + after


def _same_kind(a: ExtractedQuantity, b: ExtractedQuantity) -> bool:
    return a.dimensionality == b.dimensionality and a.is_delta == b.is_delta


def _pick(new: ExtractedQuantity, old: list[ExtractedQuantity], text: str) -> ExtractedQuantity:
    candidates = [q for q in old if _same_kind(new, q)]
    if not candidates:
        raise FollowUpError(
            None, f"the follow-up's {new.value:g} {new.unit} matches no quantity of the problem"
        )
    if len(candidates) == 1:
        return candidates[0]
    cue = _words(_near(new))
    scored = sorted(
        ((len(cue & _words(_near(q))), i) for i, q in enumerate(candidates)), reverse=True
    )
    if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return candidates[scored[0][1]]
    names = ", ".join(f"{text[q.start : q.end]!r}" for q in candidates)
    raise FollowUpError(
        None,
        f"{new.value:g} {new.unit} could replace any of {names}; say which, "
        "e.g. 'inlet pressure 8 MPa'",
    )


def resolve_followup(text: str, previous: Problem) -> Problem:
    """The previous problem with the follow-up's quantities substituted (same report slots)."""
    new_qs = extract_quantities(parse_report_slots(text)[0])
    if not new_qs:
        raise FollowUpError(None, f"the follow-up {text!r} names no quantity to change")
    if not previous.text:  # a structured problem: replace the given of the same dimension
        givens = dict(previous.givens)
        for q in new_qs:
            match = [k for k, g in givens.items() if g.q.dimensionality == q.dimensionality]
            if len(match) != 1:
                raise FollowUpError(
                    None, f"{q.value:g} {q.unit} could replace any of {match or 'no given'}"
                )
            givens[match[0]] = Given(name=match[0], value=q.value, unit=q.unit, text=q.unit)
        return Problem(
            givens=givens,
            fluid=previous.fluid,
            targets=previous.targets,
            report_slots=previous.report_slots,
            options=previous.options,
        )
    statement = previous.statement
    old = extract_quantities(statement)
    edits: dict[int, tuple[int, str]] = {}
    for q in new_qs:
        target = _pick(q, old, statement)
        edits[target.start] = (target.end, text[q.start : q.end])
    for start in sorted(edits, reverse=True):  # right to left keeps earlier offsets valid
        end, repl = edits[start]
        statement = statement[:start] + repl + statement[end:]
    if previous.report_slots:
        lines = [f"{s.name} = ___ {s.unit}".rstrip() for s in previous.report_slots]
        statement += "\n\nReport your answers as:\n" + "\n".join(lines)
    return Problem(text=statement, fluid=previous.fluid, options=previous.options)
