"""Teacher–student data: the calculation engine writes and verifies every training pair.

A skill is data (:class:`SkillSpec`): the engine variables it reads, how a text may state each
of them (phrasings and units, US customary included) and how a question asks for its targets.
:func:`make_pairs` draws values, writes a problem text, and keeps the pair only when the engine
solves the structured problem; the pair's ``answers`` are the engine's values [SI].

The student's output is a structured problem on one line, givens in text order (each value, its
unit, then the variable it is), then targets::

    850 kg/m^3 = rho ; 1.2 m/s = V ; 10 cm = D ; 0.02 Pa*s = mu => Re

The value comes first because a small model names a quantity from the words just before it in
the text, and it can only look there once it has found (copied) the value: written name-first,
a 2-layer model named by unit dimension alone and could not tell ``T_in`` from ``T_out``. The
parser also takes the usual ``name = value unit`` order (a teacher LLM's lines).
:func:`check_output` parses such a line, solves it with the engine and compares with the
teacher's answers, so accuracy is judged by the engine, never by string match.

>>> pairs = make_pairs(["fluid_flow"], 2, seed=0)
>>> pairs[0].target.endswith("=> Re")
True
>>> pairs[0].target.split(" ; ")[0].split(" = ")[1] in {"rho", "V", "D", "mu"}
True
>>> check_output(pairs[0].target, pairs[0])
True
"""

from __future__ import annotations

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
        """The base model's pre-training target: same givens, names ``q`` and targets ``?``,
        except those of the skills in ``keep``, which keep their names."""
        names = {
            v for s in keep for v in (*(g.var for g in get_skill(s).givens), *get_skill(s).targets)
        }
        givens, _, targets = self.target.partition(" => ")
        parts = []
        for g in givens.split(" ; "):
            value, _, name = g.rpartition(" = ")
            parts.append(f"{value} = {name if name in names else PLACEHOLDER}")
        tail = [t if t in names else "?" for t in targets.split(" , ")]
        return " ; ".join(parts) + " => " + " , ".join(tail)


def target_words() -> list[str]:
    """The words of structured lines that a tokenizer should keep whole: every registered
    skill's variable names, the placeholder ``q`` and the unknown target ``?``."""
    names = [n for s in SKILLS.values() for n in (*(g.var for g in s.givens), *s.targets)]
    return list(dict.fromkeys([*names, PLACEHOLDER, "?"]))


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
        clauses = [(g, v, u, rng.choice(g.phrases)) for d in drawn if d for g, v, u in d]
        rng.shuffle(clauses)
        opener = rng.choice(specs[0].openers)
        body = "; ".join(p.format(q=f"{v} {u}") for _, v, u, p in clauses)
        questions = [(t, rng.choice(s.questions[t])) for s in specs for t in s.targets]
        text = f"{opener} {body[0].upper()}{body[1:]}. " + " ".join(q for _, q in questions)
        target = " ; ".join(f"{v} {u} = {g.var}" for g, v, u, _ in clauses)
        target += " => " + " , ".join(t for t, _ in questions)
        answers = solve_target(target, text)
        if answers is None:
            continue
        pairs.append(Pair(text=text, target=target, skills=tuple(skills), answers=answers))
    return pairs


def parse_output(line: str) -> tuple[dict[str, float], list[str]]:
    """Givens [SI] and targets from a structured line; raises ValueError naming the bad part.

    Each given is ``value unit = name`` (the student's order) or ``name = value unit``.

    >>> parse_output("2 cP = mu ; rho = 850 kg/m^3 => Re")
    ({'mu': 0.002, 'rho': 850.0}, ['Re'])
    """
    givens_text, sep, targets_text = line.strip().partition("=>")
    if not sep:
        raise ValueError(f"no '=>' before the targets in {line!r}")
    knowns: dict[str, float] = {}
    for part in givens_text.split(";"):
        left, eq, right = (x.strip() for x in part.strip().partition("="))
        name, rest = (right, left) if right in _VARS else (left, right)
        if not eq or name not in _VARS:
            raise ValueError(f"not a given of a known variable: {part.strip()!r}")
        value, _, unit = rest.strip().partition(" ")
        try:
            knowns[name] = float(
                to_unit(quantity(float(value), unit.strip()), _VARS[name].unit).magnitude
            )
        except Exception as e:  # any unit or number error: the student wrote nonsense
            raise ValueError(f"bad quantity {rest.strip()!r} for {name}: {e}") from e
    targets = [t.strip() for t in targets_text.split(",") if t.strip()]
    if not targets or any(t not in _VARS for t in targets):
        raise ValueError(f"unknown targets in {targets_text.strip()!r}")
    return knowns, targets


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
