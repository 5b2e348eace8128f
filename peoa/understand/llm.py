"""Reading a problem with an LLM, checked against the offline reading by abduction.

With an LLM configured, the ``understand`` node asks it for the structured problem (the
:class:`ProblemReading` JSON schema, validated, retried with the error on invalid output) and
also runs the offline reader. Each given of either reading becomes a claim; a declared rule
flags a value that the text does not contain (a hallucinated number), and the abduction keeps at
most one value per given, so a hallucinated given loses to grounded ones. The merged problem is
kept only when its model runs; otherwise the offline reading stands.

>>> merged, rejected = merge_readings(
...     Problem(text="Steam enters an adiabatic turbine at 6 MPa and 450 °C and leaves at 50 kPa;"
...                  " the isentropic efficiency is 85 %. Find the work output."),
...     ProblemReading(process="turbine", fluid="steam", givens=[
...         ReadGiven(name="P1", value=6, unit="MPa"), ReadGiven(name="T1", value=500, unit="°C"),
...         ReadGiven(name="P2", value=50, unit="kPa"), ReadGiven(name="eta_s", value=0.85)],
...         slots=[ReadSlot(name="w_out", unit="kJ/kg", output="w_out")]))
>>> merged.givens["T1"].value, [r["reason"] for r in rejected]
(450.0, ['rule: any expert is wrong when ungrounded=True (value not found in the problem text)'])
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from peoa.llm.base import LLM, Message, structured
from peoa.models import Claim, Given, Problem, ReportSlot
from peoa.understand.offline import understand
from peoa.understand.process import as_process_problem, bind_output
from peoa.understand.quantities import extract_quantities
from solvers.abduction import DECLARED_RULES, Rule
from solvers.equations import VARIABLES_BY_NAME
from solvers.errors import SolverError
from solvers.process import PROCESSES, ProcessModel, get_process
from solvers.properties import canonical_fluid
from solvers.units import quantity

UNGROUNDED = Rule("*", (("ungrounded", True),), "declared", "value not found in the problem text")
_CONFIDENCE = {"offline": 0.9, "llm": 0.8}

SYSTEM = (
    "You read process-engineering problems for PEOA and return them as structured data. "
    "When the problem is about one of the listed components or cycles, set 'process' to its "
    "name and name each given by that model's input names; otherwise leave 'process' null and "
    "name givens by the listed engine variables. Every given must be a number written in the "
    "problem, with the unit written next to it. 'slots' are the quantities asked for; 'output' "
    "is the model output or variable that answers each."
)


class ReadGiven(BaseModel):
    """A given as the LLM read it: value [unit as written]."""

    name: str
    value: float
    unit: str = ""


class ReadSlot(BaseModel):
    """A quantity the problem asks for, and the output or variable that answers it."""

    name: str
    unit: str = ""
    output: str | None = None


class ProblemReading(BaseModel):
    """The LLM's structured reading of one problem."""

    process: str | None = Field(default=None, description="registered process model, or null")
    fluid: str | None = None
    givens: list[ReadGiven] = Field(default_factory=list)
    slots: list[ReadSlot] = Field(default_factory=list)


def _menu() -> str:
    lines = []
    for m in PROCESSES.values():
        inputs = ", ".join(f"{i.name} [{i.unit or '-'}] {i.description}" for i in m.inputs)
        lines.append(f"- {m.name}: {m.description}. Inputs: {inputs}")
    return "\n".join(lines)


def _check(reading: ProblemReading) -> None:
    """Names the offline engine can act on; raises ValueError with what to fix."""
    if reading.process is not None and reading.process not in PROCESSES:
        raise ValueError(f"unknown process {reading.process!r}; use one of {sorted(PROCESSES)}")
    for g in reading.givens:
        try:
            quantity(g.value, g.unit or "dimensionless")
        except SolverError as e:
            raise ValueError(f"given {g.name}: unit {g.unit!r} is not a unit: {e}") from None
        if _canonical(g.name, reading.process) is None:
            where = f"inputs of {reading.process}" if reading.process else "engine variables"
            raise ValueError(f"given {g.name!r} is not one of the {where}")


def _canonical(name: str, process: str | None) -> str | None:
    if process:
        inp = get_process(process).input_for(name)
        return inp.name if inp else None
    return name if name in VARIABLES_BY_NAME else None


def read_with_llm(llm: LLM, problem: Problem, retries: int = 2) -> ProblemReading:
    """Ask ``llm`` for the structured reading of ``problem`` (raises LLMOutputError or
    BackendError when it cannot give a valid one)."""
    messages = [
        Message(role="system", content=SYSTEM),
        Message(role="system", content="Components and cycles:\n" + _menu()),
        Message(role="user", content=problem.text or problem.statement),
    ]
    return structured(llm, messages, ProblemReading, retries=retries, check=_check)


def _grounded(g: Given, found: list[Any]) -> bool:
    """Whether the text writes this value (in any unit)."""
    try:
        si = g.q.to_base_units().magnitude
    except Exception:
        return False
    for q in found:
        try:
            other = q.q.to_base_units().magnitude
        except Exception:
            continue
        if abs(other - si) <= 1e-6 * max(abs(si), 1e-12) or abs(q.value - g.value) <= 1e-9:
            return True
    return False


def _claims(givens: dict[str, Given], reader: str, found: list[Any]) -> list[Claim]:
    out = []
    for name, g in givens.items():
        grounded = g.source != "text" or _grounded(g, found)
        q = g.q.to_base_units()
        out.append(
            Claim(
                slot=name,
                value=float(q.magnitude),
                unit="" if str(q.units) == "dimensionless" else str(q.units),
                expert=reader,
                confidence=_CONFIDENCE[reader],
                provenance=[f"{reader} reading: {g.text or g.value}"],
                features={"ungrounded": not grounded},
            )
        )
    return out


def merge_readings(
    problem: Problem, reading: ProblemReading, offline: Problem | None = None
) -> tuple[Problem, list[dict[str, Any]]]:
    """The problem both readings support, and the rejected given values with their reasons.

    Keeps the offline reading when the LLM's names another process than a process the offline
    reader could run, or when the merged problem's model does not run.
    """
    from peoa.agent.reconcile import reconcile_claims

    offline = offline or understand(problem)
    text = problem.statement
    found = extract_quantities(text)
    process = offline.process or reading.process
    if offline.process and reading.process and reading.process != offline.process:
        return offline, []
    llm_givens: dict[str, Given] = {}
    for g in reading.givens:
        name = _canonical(g.name, process)
        if name is not None and name not in llm_givens:
            llm_givens[name] = Given(name=name, value=g.value, unit=g.unit, source="text")
    base = offline.givens if (offline.process == process or not process) else {}
    claims = _claims(dict(base), "offline", found) + _claims(llm_givens, "llm", found)
    res = reconcile_claims(claims, None, rules=(*DECLARED_RULES, UNGROUNDED), solver="heuristic")
    pool = {("offline", k): g for k, g in base.items()} | {
        ("llm", k): g for k, g in llm_givens.items()
    }
    givens = {slot: pool[(c.expert, slot)] for slot, c in res.accepted.items()}
    rejected = [
        {"given": r["slot"], "reader": r["expert"], "value": r["value"], "unit": r["unit"],
         "reason": r["reason"]}
        for r in res.rejected
    ]  # fmt: skip
    if process is None:
        return _merge_equations(problem, offline, reading, givens), rejected
    merged = _merge_process(problem, offline, reading, get_process(process), givens)
    return (merged, rejected) if merged is not None else (offline, rejected)


def _fluid(reading: ProblemReading, offline: Problem) -> str | None:
    if offline.fluid:
        return offline.fluid
    try:
        return canonical_fluid(reading.fluid) if reading.fluid else None
    except SolverError:
        return None


def _merge_process(
    problem: Problem,
    offline: Problem,
    reading: ProblemReading,
    model: ProcessModel,
    givens: dict[str, Given],
) -> Problem | None:
    fluid = _fluid(reading, offline)
    options = dict(offline.options) if offline.process else {}
    options.setdefault("fluid", fluid or model.default_fluid)
    try:
        res = model.solve({k: g.q for k, g in givens.items()}, dict(options))
    except (SolverError, ValueError, ZeroDivisionError, OverflowError):
        return None
    slots = list(problem.report_slots) or [ReportSlot(name=s.name) for s in reading.slots]
    by_name = {s.name: s.output for s in reading.slots}
    bindings = dict(offline.bindings) if offline.process else {}
    for s in slots:
        if s.name in bindings:
            continue
        key = bind_output(s, res.values)
        out = by_name.get(s.name)
        if key is None and out:
            key = bind_output(ReportSlot(name=out, unit=s.unit), res.values)
        if key is not None:
            bindings[s.name] = key
    if not bindings:
        return None
    return as_process_problem(problem, model, givens, options, slots, bindings)


def _merge_equations(
    problem: Problem, offline: Problem, reading: ProblemReading, givens: dict[str, Given]
) -> Problem:
    if offline.domain == "properties":  # a state look-up: the offline reading is exact
        return offline
    slots = list(offline.report_slots) or [
        ReportSlot(name=s.name, unit=s.unit) for s in reading.slots
    ]
    bindings = dict(offline.bindings)
    for s in reading.slots:
        if s.name not in bindings and s.output in VARIABLES_BY_NAME:
            bindings[s.name] = s.output
    return offline.model_copy(
        update={
            "givens": givens or offline.givens,
            "report_slots": slots,
            "bindings": bindings,
            "fluid": _fluid(reading, offline),
        }
    )
