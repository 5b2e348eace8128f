"""The data model that crosses every seam: problems, subtasks, claims, answers, trace events.

Quantities are stored as ``value`` + ``unit`` (so that they serialise into checkpoints and JSON)
and exposed as pint quantities through ``.q``.

>>> p = Problem.from_text("Convert 50 psig to kPa.\\nReport your answers as:\\nP = ___ kPa", id="c1")
>>> p.report_slots[0].name, p.report_slots[0].unit
('P', 'kPa')
>>> Given.parse("T", "25 °C").q.to("K").magnitude
298.15
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Literal

import pint
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from peoa.errors import ProblemError
from solvers.errors import SolverError
from solvers.units import parse_quantity, parse_unit, quantity

Status = Literal["solved", "partial", "failed"]


class Given(BaseModel):
    """A known quantity: ``value`` [``unit``]. Gauge units are stored as absolute."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float
    unit: str = ""
    source: str = "user"
    text: str = ""

    @property
    def q(self) -> pint.Quantity:
        """The value as a pint quantity [unit]."""
        return quantity(self.value, self.unit or "dimensionless")

    @classmethod
    def parse(cls, name: str, text: str | float | int, source: str = "user") -> Given:
        """Parse ``"value unit"`` (or a bare number); errors name the offending string."""
        if isinstance(text, bool):
            raise ProblemError(None, f"given {name!r}: {text!r} is not a quantity")
        if isinstance(text, int | float):
            return cls(name=name, value=float(text), unit="", source=source, text=str(text))
        try:
            q = parse_quantity(str(text))
        except SolverError as e:
            raise ProblemError(None, f"given {name!r} = {text!r}: {e}") from e
        return cls(name=name, value=float(q.magnitude), unit=str(q.units), source=source, text=text)


class ReportSlot(BaseModel):
    """A named answer the problem asks for, in the unit it asks for (``""`` for none)."""

    model_config = ConfigDict(frozen=True)

    name: str
    unit: str = ""

    @field_validator("unit")
    @classmethod
    def _unit_parses(cls, v: str) -> str:
        v = v.strip()
        if v and v not in {"-", "—"}:
            try:
                from solvers.units import is_gauge

                if not is_gauge(v):
                    parse_unit(v)
            except SolverError as e:
                raise ValueError(str(e)) from e
        return "" if v in {"-", "—"} else v


_SLOT_HEADER = re.compile(
    r"(?im)^[^\n]*(?:report|present|give|provide|express)[^\n]*(?:answers?|results?)[^\n]*"
    r"(?:as|format|following)[^\n]*:\s*$"
)
_SLOT_LINE = re.compile(r"^\s*[-*•]?\s*([^=:\n]{1,60}?)\s*[=:]\s*_{2,}\s*(.*?)\s*$")


def parse_report_slots(text: str) -> tuple[str, list[ReportSlot]]:
    """Split a problem text into its statement and its report slots.

    >>> body, slots = parse_report_slots("Find h.\\n\\nReport your answers as:\\nh = ___ kJ/kg\\nx = ___")
    >>> body, [(s.name, s.unit) for s in slots]
    ('Find h.', [('h', 'kJ/kg'), ('x', '')])
    """
    m = _SLOT_HEADER.search(text)
    lines = text[m.end() :].splitlines() if m else text.splitlines()
    slots: list[ReportSlot] = []
    for line in lines:
        sm = _SLOT_LINE.match(line)
        if sm:
            slots.append(ReportSlot(name=sm.group(1).strip(), unit=sm.group(2).strip()))
    if m:
        return text[: m.start()].strip(), slots
    if slots:  # slot lines without a header: strip them from the body
        body = "\n".join(ln for ln in text.splitlines() if not _SLOT_LINE.match(ln))
        return body.strip(), slots
    return text.strip(), []


class Problem(BaseModel):
    """One engineering problem: free text and/or structured givens, with its report slots.

    ``givens`` map a variable name to a :class:`Given`; ``targets`` name the variables wanted
    when there are no report slots; ``expect`` holds ``{slot: [value, unit]}`` for scoring.
    """

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    text: str = ""
    givens: dict[str, Given] = Field(default_factory=dict)
    fluid: str | None = None
    targets: list[str] = Field(default_factory=list)
    report_slots: list[ReportSlot] = Field(default_factory=list)
    expect: dict[str, tuple[float | str, str]] = Field(default_factory=dict)
    bindings: dict[str, str] = Field(
        default_factory=dict, description="report slot -> engine variable it names"
    )
    domain: str | None = Field(default=None, description="properties | equations | units | process")
    process: str | None = Field(
        default=None, description="registered component or cycle model (solvers.process)"
    )
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="non-numeric model choices: fluid, cp_model (constant|variable), reference, "
        "backend, hot_fluid, cold_fluid",
    )
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id_nonempty(cls, v: str) -> str:
        if not str(v).strip():
            raise ValueError("problem id must be a non-empty string")
        return str(v)

    @field_validator("givens", mode="before")
    @classmethod
    def _parse_givens(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        out: dict[str, Any] = {}
        for name, g in v.items():
            out[name] = g if isinstance(g, Given | dict) else Given.parse(name, g)
        return out

    @model_validator(mode="after")
    def _slots_from_text(self) -> Problem:
        if self.text and not self.report_slots:
            _, slots = parse_report_slots(self.text)
            self.report_slots = slots
        if not self.text and not self.givens:
            raise ValueError("a problem needs 'text' or 'givens'")
        return self

    @property
    def statement(self) -> str:
        """The text without its report-slot block."""
        return parse_report_slots(self.text)[0] if self.text else ""

    @property
    def wanted(self) -> list[str]:
        """Slot names to answer: the report slots, else the targets."""
        return [s.name for s in self.report_slots] or list(self.targets)

    def slot_unit(self, name: str) -> str:
        """The unit asked for a slot (``""`` when none is asked)."""
        for s in self.report_slots:
            if s.name == name:
                return s.unit
        return ""

    @classmethod
    def from_text(cls, text: str, id: str | None = None) -> Problem:
        """Build a problem from free text (report slots are read from it)."""
        return cls(id=id, text=text) if id else cls(text=text)


class Subtask(BaseModel):
    """A unit of work the planner hands to experts: compute ``targets`` from ``knowns``."""

    id: str
    description: str
    targets: list[str]
    skills: list[str] = Field(default_factory=list)
    experts: list[str] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list, description="graph node ids retrieved")


class Claim(BaseModel):
    """One expert's value for one slot: ``value`` [``unit``] with confidence and provenance."""

    slot: str
    value: float | str
    unit: str = ""
    expert: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    provenance: list[str] = Field(default_factory=list)
    features: dict[str, Any] = Field(default_factory=dict)

    @property
    def q(self) -> pint.Quantity:
        """The claimed value as a pint quantity [unit]; only for numeric claims."""
        if isinstance(self.value, str):
            raise TypeError(f"claim for {self.slot!r} is categorical ({self.value!r})")
        return quantity(self.value, self.unit or "dimensionless")


class SlotValue(BaseModel):
    """An answered slot: a number in the unit asked for, or a category (e.g. a phase)."""

    value: float | str
    unit: str = ""


class TraceEvent(BaseModel):
    """One step of the derivation: which node or expert did what, with its inputs and outputs."""

    node: str
    message: str
    data: dict[str, Any] = Field(default_factory=dict)


class Answer(BaseModel):
    """The result of one problem, as the result line of a batch or ``solve --json``."""

    id: str
    status: Status
    answers: dict[str, SlotValue] = Field(default_factory=dict)
    error: str | None = None
    trace: list[TraceEvent] = Field(default_factory=list)
    elapsed_s: float = 0.0

    def result_line(self) -> dict[str, Any]:
        """The JSON-able dict of the batch contract."""
        return self.model_dump(mode="json")
