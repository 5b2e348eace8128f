import pytest

from peoa.evaluation.scoring import match_slot, nearest_option, score_keys, score_single
from peoa.models import SlotValue


def exp(v, unit, pct=2.0, abs_tol=0.5):
    return {"value": v, "unit": unit, "tolerance_pct": pct, "abs_tolerance": abs_tol}


def test_unit_conversion_before_comparing():
    s = score_keys({"T_sat": SlotValue(value=453.03, unit="K")}, {"T_sat_C": exp(179.88, "C")}, {})
    assert s.score == 1.0
    s = score_keys(
        {"h": SlotValue(value=1290.0, unit="Btu/lbm")}, {"h_kJ_kg": exp(3000.6, "kJ/kg")}, {}
    )
    assert s.score == 1.0  # 1290 Btu/lbm = 3000.5 kJ/kg


def test_tolerances_percent_or_absolute():
    e = {"x": exp(0.90, "dimensionless", 2.0, 0.02)}
    assert score_keys({"x": SlotValue(value=0.915)}, e, {}).score == 1.0
    assert score_keys({"x": SlotValue(value=0.95)}, e, {}).score == 0.0
    e = {"h": exp(1000.0, "kJ/kg", 2.0, 0.5)}
    assert score_keys({"h": SlotValue(value=1025.0, unit="kJ/kg")}, e, {}).score == 0.0


def test_weighted_steps_and_counts():
    expected = {"h1": exp(100.0, "kJ/kg"), "w_net": exp(50.0, "kJ/kg"), "eta_th": exp(0.3, "-")}
    weights = {"h1": 1, "w_net": 5, "eta_th": 4}
    answers = {
        "h₁": SlotValue(value=100.0, unit="kJ/kg"),
        "w_net": SlotValue(value=80.0, unit="kJ/kg"),
    }
    s = score_keys(answers, expected, weights)
    assert s.score == pytest.approx(1 / 10)
    assert (s.answered, s.wrong) == (2, 1)


def test_slot_matching_normalises_names():
    answers = {
        "Ẇ_net": SlotValue(value=1.0),
        "s_gen,pump": SlotValue(value=2.0),
        "Phase": SlotValue(value="superheated_vapor"),
    }
    assert match_slot("W_dot_net", answers).value == 1.0
    assert match_slot("s_gen_pump", answers).value == 2.0
    assert match_slot("phase_name", answers).value == "superheated_vapor"
    assert match_slot("h_kJ_kg", answers) is None


def test_phase_aliases():
    e = {
        "phase_name": {
            "value": "superheated_vapor",
            "type": "exact_match",
            "acceptable_aliases": ["superheated", "steam"],
        }
    }
    assert score_keys({"phase": SlotValue(value="superheated_vapor")}, e, {}).score == 1.0
    assert score_keys({"phase": SlotValue(value="two_phase")}, e, {}).score == 0.0


def test_single_answers_and_multiple_choice():
    ok, v = score_single({"a": SlotValue(value=1.02, unit="kJ/K")}, 1.0, "kJ/K", 0.02)
    assert ok and v == pytest.approx(1.02)
    ok, _ = score_single({"a": SlotValue(value=1.05, unit="kJ/K")}, 1.0, "kJ/K", 0.02)
    assert ok is False
    assert score_single({}, 1.0, "kJ/K", 0.02) == (None, None)
    assert nearest_option(1.6, ["2.50 kJ/°K", "1.57 kJ/°K", "0.75 kJ/°K"]) == 1
    ok, _ = score_single({"a": SlotValue(value=1e-9)}, 0.0, "", 0.05, 1e-6)
    assert ok
