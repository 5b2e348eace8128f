import pytest

from experts.errors import DuplicateExpertError, UnknownExpertError
from experts.registry import ExpertRegistry, default_registry
from peoa.errors import ProblemError
from peoa.models import Given, Problem, parse_report_slots


def test_report_slots_with_units_and_colons():
    body, slots = parse_report_slots(
        "Find things.\n\nPresent your final answers in the following format:\n"
        "h₁ = ___ kJ/kg\nη_th = ___\nPhase: ___"
    )
    assert body == "Find things."
    assert [(s.name, s.unit) for s in slots] == [("h₁", "kJ/kg"), ("η_th", ""), ("Phase", "")]


def test_bad_slot_unit_is_named():
    with pytest.raises(ValueError, match="blorps"):
        Problem(text="x\nReport your answers as:\nQ = ___ blorps")


def test_given_parse_error_names_value():
    with pytest.raises(ProblemError, match="12 blorps/s"):
        Given.parse("v", "12 blorps/s")


def test_problem_needs_text_or_givens():
    with pytest.raises(ValueError, match="text"):
        Problem(id="empty")


def test_registry_rejects_duplicates_and_unknowns():
    reg = default_registry()
    assert {"properties", "equations", "units"} <= set(reg.names())
    with pytest.raises(DuplicateExpertError):
        reg.register(reg.get("units"))
    with pytest.raises(UnknownExpertError, match="nope"):
        ExpertRegistry().get("nope")
    assert {e.name for e in reg.for_skills(["properties"])} == {"properties", "equations"}
