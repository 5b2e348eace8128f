"""Structured component and cycle problems through the whole agent loop (SDK)."""

from __future__ import annotations

import pytest

from peoa.evaluation.harness import evaluate
from peoa.models import Problem
from solvers.media import RealFluid
from solvers.process import get_process


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_structured_thermoqa_scores_at_least_099(benchmarks, assistant, tier):
    out = evaluate("thermoqa", benchmarks, assistant, tier=tier, mode="structured")
    assert out["score"] >= 0.99, out["by_category"]


def test_rankine_in_us_units_through_the_sdk(assistant):
    # Çengel & Boles Example 10-1 restated in psia and °F, answers asked in Btu/lbm
    p = Problem(
        id="rankine-us",
        process="rankine",
        givens={
            "P_cond": "10.878 psia",
            "P_boiler": "435.1 psia",
            "T3": "662 °F",
            "m_dot": "100 lbm/s",
        },
        fluid="steam",
        report_slots=[
            {"name": "eta_th", "unit": ""},
            {"name": "w_net", "unit": "Btu/lbm"},
            {"name": "W_dot_net", "unit": "MW"},
            {"name": "x4", "unit": ""},
        ],
        domain="process",
    )
    ans = assistant.solve(p)
    assert ans.status == "solved", ans.error
    ref = get_process("rankine").run(
        {"P_cond": 75e3, "P_boiler": 3e6, "T3": 623.15, "eta_pump": 1.0, "eta_turb": 1.0},
        {"fluid": "Water"},
    )
    assert ans.answers["eta_th"].value == pytest.approx(0.26, abs=0.003)
    assert ans.answers["w_net"].value == pytest.approx(ref["w_net"] / 2326.0, rel=2e-3)
    assert ans.answers["W_dot_net"].value == pytest.approx(
        ref["w_net"] * 100 * 0.45359237 / 1e6, rel=2e-3
    )
    assert ans.answers["x4"].value == pytest.approx(0.8861, abs=0.003)


def test_turbine_with_report_slot_variants(assistant):
    p = Problem(
        id="turbine-variants",
        process="turbine",
        givens={"T1": "500 °C", "P1": "8 MPa", "P2": "20 kPa", "eta_t": "0.88"},
        fluid="water",
        report_slots=[
            {"name": "w_turbine", "unit": "kJ/kg"},
            {"name": "s_gen", "unit": "kJ/(kg*K)"},
            {"name": "x_destroyed", "unit": "kJ/kg"},
        ],
        domain="process",
    )
    ans = assistant.solve(p)
    assert ans.status == "solved", ans.error
    w = RealFluid("water")
    from solvers.components import turbine

    ref = turbine(w, w.state(T=773.15, P=8e6), 20e3, eta_s=0.88)
    assert ans.answers["w_turbine"].value == pytest.approx(ref["w_out"] / 1e3, rel=1e-6)
    assert ans.answers["s_gen"].value == pytest.approx(ref["s_gen"] / 1e3, rel=1e-6)
    assert ans.answers["x_destroyed"].value == pytest.approx(ref["x_dest"] / 1e3, rel=1e-6)


def test_process_problem_with_bad_input_fails_with_a_clear_message(assistant):
    p = Problem(
        id="bad",
        process="rankine",
        givens={"P_cond": "10 kPa", "P_boiler": "5 kg"},
        report_slots=[{"name": "eta_th", "unit": ""}],
        domain="process",
    )
    ans = assistant.solve(p)
    assert ans.status == "failed"
    assert "P_boiler" in (ans.error or "")
