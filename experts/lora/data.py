"""Teacher–student data: the calculation engine writes and verifies every training pair.

A skill is data (:class:`SkillSpec`): the engine variables it reads, how a text may state each
of them (phrasings and units, US customary included) and how a question asks for its targets.
:func:`make_pairs` draws values, writes a problem text, and keeps the pair only when the engine
solves the structured problem; the pair's ``answers`` are the engine's values [SI].

The student's output is a structured problem on one line: each clause of the text that states a
given, copied as written and followed by the variable it is; then each question, copied and
followed by its target::

    Its density is 850 kg/m^3 = rho ; it flows at 1.2 m/s = V ; … => Find the Reynolds number. = Re

Copying the clause first makes naming a local decision on words the student has just written.
Named from the text alone, a small model had to find the clause of each value again, and two
adapters that each learned that search broke each other once composed (PSEC): with copied
clauses, and a base that already names some skills' quantities (:data:`BASE_SKILLS`), two
composed adapters solve half of a held-out two-skill task that each alone never solves
(docs/BENCHMARKS.md). The parser also takes bare ``value unit = name`` and the usual
``name = value unit`` (a teacher LLM's lines), and bare target names.
:func:`check_output` parses such a line, solves it with the engine and compares with the
teacher's answers, so accuracy is judged by the engine, never by string match.

>>> pairs = make_pairs(["fluid_flow"], 2, seed=0)
>>> pairs[0].target.endswith(" = Re")
True
>>> pairs[0].target.split(" ; ")[0].rpartition(" = ")[2] in {"rho", "V", "D", "mu"}
True
>>> check_output(pairs[0].target, pairs[0])
True
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from experts.errors import UnknownSkillError
from solvers.equations.catalogue import EQUATIONS, VARIABLES
from solvers.equations.structural import solve_structural
from solvers.errors import SolverError
from solvers.units import quantity, to_unit

PROMPT_END = "\n### "
PLACEHOLDER = "q"  # the base model's name for any quantity (its pre-training task)

_VARS = {v.name: v for v in VARIABLES}


@dataclass(frozen=True)
class GivenSpec:
    """How a text may state one engine variable.

    ``units`` are ``(unit, low, high)`` ranges the value is drawn from [that unit];
    ``phrases`` hold ``{q}`` where the value and unit go.
    """

    var: str
    units: tuple[tuple[str, float, float], ...]
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class SkillSpec:
    """A skill: a description (embedded for routing), openers, givens, and target questions."""

    name: str
    description: str
    openers: tuple[str, ...]
    givens: tuple[GivenSpec, ...]
    questions: dict[str, tuple[str, ...]]
    order: tuple[tuple[str, str], ...] = field(default=())  # (a, b): value of a < value of b
    tag: str = ""  # the planner's skill tag for this skill (default: the name with spaces)

    @property
    def planner_tag(self) -> str:
        """The skill tag the agent's planner matches (e.g. ``turbomachinery`` for pumps)."""
        return self.tag or self.name.replace("_", " ")

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(self.questions)


SKILLS: dict[str, SkillSpec] = {}


def register_skill(spec: SkillSpec) -> None:
    """Add a skill; rejects a duplicate name or a variable the engine does not know."""
    if spec.name in SKILLS:
        raise ValueError(f"a skill named {spec.name!r} is already registered")
    unknown = [g.var for g in spec.givens if g.var not in _VARS] + [
        t for t in spec.targets if t not in _VARS
    ]
    if unknown:
        raise ValueError(f"skill {spec.name!r} names unknown engine variables {unknown}")
    SKILLS[spec.name] = spec


def get_skill(name: str) -> SkillSpec:
    """The skill called ``name``; raises :class:`UnknownSkillError` listing the known ones."""
    try:
        return SKILLS[name]
    except KeyError:
        raise UnknownSkillError(name, list(SKILLS)) from None


register_skill(
    SkillSpec(
        "fluid_flow",
        "pipe flow: Reynolds number from density, velocity, pipe diameter and viscosity",
        (
            "A liquid flows in a pipe.",
            "Oil is pumped through a tube.",
            "Water moves through a duct.",
        ),
        (
            GivenSpec(
                "rho",
                (("kg/m^3", 600, 1300), ("lbm/ft^3", 40, 80), ("g/cm^3", 0.6, 1.3)),
                (
                    "its density is {q}",
                    "the density is {q}",
                    "density {q}",
                    "with a density of {q}",
                ),
            ),
            GivenSpec(
                "V",
                (("m/s", 0.2, 6), ("ft/s", 1, 18), ("cm/s", 20, 300)),
                ("the mean velocity is {q}", "it flows at {q}", "velocity {q}", "moving at {q}"),
            ),
            GivenSpec(
                "D",
                (("m", 0.02, 0.6), ("mm", 10, 400), ("in", 0.5, 20), ("cm", 2, 50)),
                ("the pipe diameter is {q}", "inner diameter {q}", "the tube is {q} across"),
            ),
            GivenSpec(
                "mu",
                (("Pa*s", 0.0005, 0.2), ("cP", 0.5, 150), ("mPa*s", 0.5, 150)),
                ("the viscosity is {q}", "dynamic viscosity {q}", "with a viscosity of {q}"),
            ),
        ),
        {
            "Re": (
                "Find the Reynolds number.",
                "What is the Reynolds number?",
                "Determine the Reynolds number of the flow.",
            )
        },
    )
)

register_skill(
    SkillSpec(
        "heat_transfer",
        "sensible heating of a stream: heat duty from mass flow, specific heat and temperatures",
        (
            "A stream is heated in a heater.",
            "Glycol is warmed by steam.",
            "A process fluid gains heat.",
        ),
        (
            GivenSpec(
                "m_dot",
                (("kg/s", 0.1, 12), ("kg/h", 400, 40000), ("lbm/h", 900, 90000)),
                ("the mass flow rate is {q}", "mass flow {q}", "it is fed at {q}"),
            ),
            GivenSpec(
                "cp",
                (("kJ/(kg*K)", 1.5, 4.3), ("J/(kg*K)", 1500, 4300), ("Btu/(lbm*degF)", 0.35, 1.0)),
                ("the specific heat is {q}", "heat capacity {q}", "with a specific heat of {q}"),
            ),
            GivenSpec(
                "T_in",
                (("degC", 5, 60), ("degF", 40, 140), ("K", 280, 330)),
                ("it enters at {q}", "the inlet temperature is {q}", "inlet at {q}"),
            ),
            GivenSpec(
                "T_out",
                (("degC", 70, 150), ("degF", 160, 300), ("K", 345, 420)),
                ("it leaves at {q}", "the outlet temperature is {q}", "outlet at {q}"),
            ),
        ),
        {
            "Q_dot": (
                "Find the heat duty.",
                "What is the rate of heat transfer?",
                "Determine the heat added per unit time.",
            )
        },
        order=(("T_in", "T_out"),),
    )
)

register_skill(
    SkillSpec(
        "pumps",
        "pump sizing: shaft power from volumetric flow, pressure rise and pump efficiency",
        ("A pump moves water.", "A centrifugal pump serves a line.", "A feed pump is installed."),
        (
            GivenSpec(
                "V_dot",
                (("m^3/s", 0.005, 0.5), ("L/s", 5, 300), ("gpm", 50, 3000)),
                ("it delivers {q}", "the volumetric flow is {q}", "flow {q}"),
            ),
            GivenSpec(
                "dP",
                (("kPa", 50, 900), ("psi", 10, 120), ("bar", 0.5, 9)),
                ("the pressure rise is {q}", "it raises the pressure by {q}", "pressure rise {q}"),
            ),
            GivenSpec(
                "eta",
                (("%", 45, 92),),
                ("the pump efficiency is {q}", "efficiency {q}", "it runs at {q} efficiency"),
            ),
        ),
        {
            "W_shaft": (
                "Find the shaft power.",
                "What shaft power does the pump need?",
                "Determine the pump's shaft power.",
            )
        },
        tag="turbomachinery",
    )
)


register_skill(
    SkillSpec(
        "ideal_gas",
        "ideal gas: volume of a gas from its pressure, temperature and amount",
        (
            "A tank holds an ideal gas.",
            "Nitrogen gas fills a vessel.",
            "Air is stored in a cylinder.",
        ),
        (
            GivenSpec(
                "P",
                (("kPa", 100, 900), ("bar", 1, 9), ("psi", 15, 130)),
                ("the gas pressure is {q}", "it is kept at {q}", "at a pressure of {q}"),
            ),
            GivenSpec(
                "T",
                (("degC", 10, 200), ("K", 290, 470), ("degF", 50, 390)),
                ("the gas temperature is {q}", "its temperature is {q}", "it sits at {q}"),
            ),
            GivenSpec(
                "n",
                (("mol", 1, 90), ("kmol", 0.01, 0.9)),
                ("it holds {q} of gas", "the amount of gas is {q}", "{q} of gas are present"),
            ),
        ),
        {
            "Vol": (
                "Find the volume.",
                "What volume does the gas take?",
                "Determine the tank volume.",
            )
        },
        tag="properties",
    )
)

register_skill(
    SkillSpec(
        "cstr",
        "first-order reaction in a CSTR: conversion from the rate constant and space time",
        (
            "A first-order reaction runs in a CSTR.",
            "A stirred tank reactor converts a feed.",
            "A reaction takes place in a mixed-flow reactor.",
        ),
        (
            GivenSpec(
                "k_r",
                (("1/s", 0.001, 0.5), ("1/min", 0.05, 20), ("1/h", 1, 500)),
                ("the rate constant is {q}", "with k of {q}", "the first-order constant is {q}"),
            ),
            GivenSpec(
                "tau",
                (("s", 10, 900), ("min", 0.5, 30), ("h", 0.05, 2)),
                (
                    "the CSTR space time is {q}",
                    "the stirred tank residence time is {q}",
                    "space time in the CSTR {q}",
                ),
            ),
        ),
        {
            "X": (
                "Find the conversion.",
                "What conversion is reached?",
                "Determine the fractional conversion.",
            )
        },
        tag="kinetics",
    )
)

# Skills a tiny base learns to name in its pre-training, as a pretrained model comes with some
# general naming ability: adapters then need only their own names, and two of them add up
# (docs/BENCHMARKS.md). Adapters are trained for the other skills.
BASE_SKILLS = ("ideal_gas", "cstr")


class Pair(BaseModel):
    """One teacher–student pair: problem text → structured problem (``target``).

    ``answers`` are the engine's values of the targets [SI unit of each variable].
    """

    text: str
    target: str
    skills: tuple[str, ...]
    answers: dict[str, float] = Field(default_factory=dict)

    def prompt(self) -> str:
        """The text the student sees before its answer."""
        return self.text + PROMPT_END

    def placeholder_target(self, keep: tuple[str, ...] = ()) -> str:
        """The base model's pre-training target: the same copied clauses and questions, each
        named ``q``, except the variables of the skills in ``keep``, which keep their names."""
        names = {
            v for s in keep for v in (*(g.var for g in get_skill(s).givens), *get_skill(s).targets)
        }
        halves = []
        for half in self.target.split(" => "):
            parts = []
            for part in half.split(" ; "):
                clause, _, name = part.rpartition(" = ")
                parts.append(f"{clause} = {name if name in names else PLACEHOLDER}")
            halves.append(" ; ".join(parts))
        return " => ".join(halves)


def target_words() -> list[str]:
    """The words of structured lines that a tokenizer should keep whole: every registered
    skill's variable names and the placeholder ``q``."""
    names = [n for s in SKILLS.values() for n in (*(g.var for g in s.givens), *s.targets)]
    return list(dict.fromkeys([*names, PLACEHOLDER]))


def _fmt(x: float) -> str:
    """Plain decimal with 3 significant figures (no exponent: students copy digits)."""
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:.{digits}f}"


def _draw(rng: random.Random, spec: SkillSpec) -> list[tuple[GivenSpec, str, str]] | None:
    values = []
    for g in spec.givens:
        unit, lo, hi = rng.choice(g.units)
        values.append((g, _fmt(rng.uniform(lo, hi)), unit))
    si = {g.var: to_unit(quantity(float(v), u), _VARS[g.var].unit).magnitude for g, v, u in values}
    if any(si[a] >= si[b] for a, b in spec.order):
        return None
    return values


def make_pairs(skills: Sequence[str], n: int, seed: int = 0) -> list[Pair]:
    """``n`` verified pairs of a task needing all of ``skills`` together.

    One skill gives its single-skill task; several give a problem whose text states every
    skill's givens (shuffled together) and asks for all their targets.
    """
    specs = [get_skill(s) for s in skills]
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = random.Random(seed)
    pairs: list[Pair] = []
    tries = 0
    while len(pairs) < n:
        tries += 1
        if tries > 50 * n + 100:
            raise RuntimeError(f"the engine rejected too many drawn problems for {list(skills)}")
        drawn = [_draw(rng, s) for s in specs]
        if any(d is None for d in drawn):
            continue
        givens = [
            (g.var, rng.choice(g.phrases).format(q=f"{v} {u}")) for d in drawn if d for g, v, u in d
        ]
        rng.shuffle(givens)
        first, clause = givens[0]
        givens[0] = (first, clause[:1].upper() + clause[1:])  # the text's first clause
        opener = rng.choice(specs[0].openers)
        questions = [(t, rng.choice(s.questions[t])) for s in specs for t in s.targets]
        text = f"{opener} {'; '.join(c for _, c in givens)}. " + " ".join(q for _, q in questions)
        target = " ; ".join(f"{c} = {name}" for name, c in givens)
        target += " => " + " ; ".join(f"{q} = {t}" for t, q in questions)
        answers = solve_target(target, text)
        if answers is None:
            continue
        pairs.append(Pair(text=text, target=target, skills=tuple(skills), answers=answers))
    return pairs


def parse_output(line: str) -> tuple[dict[str, float], list[str]]:
    """Givens [SI] and targets from a structured line; raises ValueError naming the bad part.

    Each given is a clause holding ``value unit``, then ``= name`` (the student's lines), or
    ``name = value unit``; the quantity is the first number in the clause followed by a unit of
    the variable's dimension. Each target is ``question = name`` or a bare name (targets are
    separated by ``;``, or by ``,`` between bare names).

    >>> parse_output("At 20 degC its viscosity is 2 cP = mu ; rho = 850 kg/m^3 => Re")
    ({'mu': 0.002, 'rho': 850.0}, ['Re'])
    >>> parse_output("0.5 m = D => What is the Reynolds number? = Re ; Find the power. = W_shaft")
    ({'D': 0.5}, ['Re', 'W_shaft'])
    """
    givens_text, sep, targets_text = line.strip().partition("=>")
    if not sep:
        raise ValueError(f"no '=>' before the targets in {line!r}")
    knowns: dict[str, float] = {}
    for part in givens_text.split(";"):
        left, eq, right = (x.strip() for x in part.strip().rpartition("="))
        name, clause = (right, left) if right in _VARS else (left, right)
        if not eq or name not in _VARS:
            raise ValueError(f"not a given of a known variable: {part.strip()!r}")
        knowns[name] = _clause_value(clause, name)
    targets = []
    for part in targets_text.split(";"):
        named = part.rpartition("=")[2]  # the whole part when it has no "="
        targets += [t.strip() for t in named.split(",") if t.strip()]
    if not targets or any(t not in _VARS for t in targets):
        raise ValueError(f"unknown targets in {targets_text.strip()!r}")
    return knowns, targets


def _clause_value(clause: str, name: str) -> float:
    """The value [SI] of variable ``name`` stated in ``clause``: the first number followed by a
    unit of the variable's dimension (a clause may hold other numbers, such as a temperature)."""
    words = clause.split()
    error: Exception | None = None
    for value, unit in itertools.pairwise(words):
        try:
            number = float(value)
        except ValueError:
            continue
        try:
            return float(to_unit(quantity(number, unit), _VARS[name].unit).magnitude)
        except Exception as e:  # any unit error: try the next number, report the first
            error = error or e
    raise ValueError(f"bad quantity {clause!r} for {name}: {error or 'no number and unit'}")


def solve_target(line: str, text: str) -> dict[str, float] | None:
    """The engine's values of a structured line's targets [SI], or None when it cannot solve."""
    try:
        knowns, targets = parse_output(line)
        values, _ = solve_structural(knowns, targets, EQUATIONS, text=text)
    except (ValueError, SolverError):
        return None
    out = {t: float(values[t]) for t in targets}
    if not all(math.isfinite(v) and _VARS[t].in_bounds(v) for t, v in out.items()):
        return None
    return out


def check_output(line: str, pair: Pair, rtol: float = 1e-3) -> bool:
    """True when the engine, solving the student's line, reproduces every teacher answer."""
    got = solve_target(line, pair.text)
    if got is None or set(got) != set(pair.answers):
        return False
    return all(math.isclose(got[t], v, rel_tol=rtol) for t, v in pair.answers.items())
