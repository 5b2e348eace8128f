"""Component and cycle problems from free text, in our own words and units (not ThermoQA's).

Expected values are computed here from CoolProp states or closed forms, never from the engine's
process models.
"""

from __future__ import annotations

import math

import pytest

from peoa.models import Problem
from peoa.understand.offline import understand
from peoa.understand.process import detect_processes, stream_fluids
from solvers.properties import State

PSI = 6894.757293168
BTU_LBM = 2326.0


def _turbine_work(fluid, T1, P1, P2, eta):
    s1 = State(fluid, T=T1, P=P1)
    h2s = State(fluid, P=P2, s=s1.s).h
    return eta * (s1.h - h2s)


def _compressor_work(fluid, T1, P1, P2, eta):
    s1 = State(fluid, T=T1, P=P1)
    h2s = State(fluid, P=P2, s=s1.s).h
    return (h2s - s1.h) / eta


def _hx_cold_exit():
    q = 1.5 * (State("Water", T=363.15, P=101325).h - State("Water", T=323.15, P=101325).h)
    h_c2 = State("Water", T=288.15, P=101325).h + q / 2.0
    return State("Water", P=101325, h=h_c2).T - 273.15


def _mix_temperature():
    h = (2.0 * State("Water", T=353.15, P=2e5).h + 3.0 * State("Water", T=293.15, P=2e5).h) / 5.0
    return State("Water", P=2e5, h=h).T - 273.15


def _rankine_efficiency(P_low, P_high, T3):
    h1 = State("Water", P=P_low, x=0.0).h
    v1 = 1.0 / State("Water", P=P_low, x=0.0).rho
    h2 = h1 + v1 * (P_high - P_low)
    s3 = State("Water", T=T3, P=P_high)
    h4 = State("Water", P=P_low, s=s3.s).h
    return ((s3.h - h4) - (h2 - h1)) / (s3.h - h2)


def _vcr_cop(P_low, P_high):
    s1 = State("R134a", P=P_low, x=1.0)
    h2 = State("R134a", P=P_high, s=s1.s).h
    h4 = State("R134a", P=P_high, x=0.0).h
    return (s1.h - h4) / (h2 - s1.h)


CASES = [
    (
        "Superheated steam at 1000 psia and 900 °F expands through an adiabatic turbine to "
        "5 psia; the turbine's isentropic efficiency is 0.85. What is the work output?",
        "turbine",
        {"w_out": (_turbine_work("Water", (900 - 32) / 1.8 + 273.15, 1000 * PSI, 5 * PSI, 0.85),)},
    ),
    (
        "An adiabatic compressor takes in refrigerant-134a vapour at 140 kPa and -10 °C and "
        "delivers it at 800 kPa. Its isentropic efficiency is 80 per cent. Determine the work "
        "input per kilogram.",
        "compressor",
        {"w_in": (_compressor_work("R134a", 263.15, 140e3, 800e3, 0.80),)},
    ),
    (
        "Air at 500 K and 300 kPa enters a nozzle with a velocity of 30 m/s and leaves at "
        "100 kPa. The nozzle efficiency is 90 percent. Take air as an ideal gas with "
        "cp = 1.005 kJ/kg·K and k = 1.4. Find the exit velocity.",
        "nozzle",
        {
            "V2": (
                math.sqrt(30.0**2 + 2 * 0.90 * 1005.0 * 500.0 * (1 - (100 / 300) ** (0.4 / 1.4))),
            )
        },
    ),
    (
        "Hot water at 90 °C enters a counterflow heat exchanger at 1.5 kg/s and leaves at "
        "50 °C. It warms cold water that enters at 15 °C at a rate of 2 kg/s. What is the exit "
        "temperature of the cold water?\nReport your answers as:\nT_c_out = ___ °C",
        "heat_exchanger",
        {"T_c_out": (_hx_cold_exit(),)},
    ),
    (
        "A stream of water at 80 °C and 2 kg/s is mixed adiabatically with a second stream at "
        "20 °C and 3 kg/s in a chamber held at 200 kPa. Find the mixture temperature.\n"
        "Report your answers as:\nT_mix = ___ °C",
        "mixing_chamber",
        {"T_mix": (_mix_temperature(),)},
    ),
    (
        "A steam power plant runs on the simple ideal Rankine cycle between pressures of 10 kPa "
        "and 15 MPa; the turbine inlet temperature is 600 °C. Determine the thermal efficiency.",
        "rankine",
        {"eta_th": (_rankine_efficiency(10e3, 15e6, 873.15),)},
    ),
    (
        "A gas-turbine power plant operates on an ideal Brayton cycle with a pressure ratio of "
        "8. Air enters the compressor at 540 R and 14.7 psia, and the maximum cycle "
        "temperature is 2160 R. Use the cold-air-standard assumptions with k = 1.4. What is the "
        "thermal efficiency?",
        "brayton",
        {"eta_th": (1 - 8 ** (-0.4 / 1.4),)},
    ),
    (
        "A refrigerator uses R-134a in an ideal vapour-compression refrigeration cycle between "
        "0.14 MPa and 0.8 MPa. Find the coefficient of performance.",
        "vapor_compression",
        {"COP_R": (_vcr_cop(0.14e6, 0.8e6),)},
    ),
]


@pytest.mark.parametrize(("text", "process", "expected"), CASES, ids=[c[1] for c in CASES])
def test_process_problem_from_text(assistant, text, process, expected):
    problem = understand(Problem(text=text))
    assert problem.process == process
    ans = assistant.solve(text)
    assert ans.status == "solved", ans.error
    for slot, (value,) in expected.items():
        got = ans.answers[slot]
        unit = got.unit if got.unit not in {"degC", "°C"} else None
        if unit is None:
            assert got.value == pytest.approx(value, rel=2e-3)
        else:
            from solvers.units import quantity

            si = quantity(got.value, got.unit).to_base_units().magnitude
            assert si == pytest.approx(value, rel=2e-3)


def test_us_customary_answer_unit_from_report_block(assistant):
    text = (
        "Steam at 800 psia and 1000 °F is expanded adiabatically in a turbine to 2 psia with an "
        "isentropic efficiency of 88 %.\nReport your answers as:\nw_out = ___ Btu/lbm"
    )
    ans = assistant.solve(text)
    assert ans.status == "solved", ans.error
    want = _turbine_work("Water", (1000 - 32) / 1.8 + 273.15, 800 * PSI, 2 * PSI, 0.88)
    assert ans.answers["w_out"].unit == "Btu/lbm"
    assert ans.answers["w_out"].value == pytest.approx(want / BTU_LBM, rel=2e-3)


def test_a_number_the_model_cannot_take_declines_the_process_reading():
    # heat lost from the casing is not in the adiabatic turbine model: answering without it
    # would be wrong, so the process reading declines
    text = (
        "Steam enters a turbine at 6 MPa and 450 °C and leaves at 50 kPa; 30 kW of heat is "
        "lost from the casing. Find the work output."
    )
    assert understand(Problem(text=text)).process is None


def test_variants_and_components_are_told_apart():
    names = lambda t: [m.name for m in detect_processes(t)]  # noqa: E731
    assert names("A regenerative gas-turbine cycle with a regenerator of 80 % effectiveness")[
        0
    ] == ("brayton_regenerative")
    assert names("An ideal reheat Rankine cycle")[0] == "rankine_reheat"
    assert names("steam leaves the boiler and expands in a turbine")[0] == "turbine"
    assert "brayton" not in names("Air enters an adiabatic gas turbine at 1200 K")
    assert names("A heat pump cycle with R-134a")[0] == "vapor_compression"


def test_stream_fluids_follow_the_words_not_the_order():
    assert stream_fluids("Cold water at 15 °C is heated by hot air leaving at 300 °C") == (
        "Air",
        "Water",
    )
    assert stream_fluids("Liquid R-134a enters the cold side; water is the hot stream") == (
        "Water",
        "R134a",
    )


def test_state_labels_and_restated_values_are_not_numbers():
    text = (
        "An ideal Brayton cycle with air (k = 1.4, cp = 1.005 kJ/kg·K). States: 1-compressor "
        "inlet, 2-compressor exit, 3-turbine inlet, 4-turbine exit. T₁ = 300 K, P₁ = 100 kPa, "
        "r_p = 10, T₃ = 1400 K. The dead state is 25 °C (298.15 K) and 100 kPa.\n"
        "Report your answers as:\nη_th = ___"
    )
    p = understand(Problem(text=text))
    assert p.process == "brayton"
    assert {"T1", "P1", "r_p", "T3", "T0", "P0", "k", "cp"} == set(p.givens)
    assert p.bindings == {"η_th": "eta_th"}


def test_cycle_plan_is_a_dag_run_stage_by_stage(assistant):
    text = (
        "A simple ideal Rankine cycle: condenser at 10 kPa, boiler at 8 MPa, turbine inlet "
        "500 °C.\nReport your answers as:\nh_1 = ___ kJ/kg\nh_3 = ___ kJ/kg\nw_pump = ___ kJ/kg\n"
        "w_turb = ___ kJ/kg\nη_th = ___"
    )
    ans = assistant.solve(text)
    assert ans.status == "solved", ans.error
    plan = next(e for e in ans.trace if e.node == "plan").data["subtasks"]
    assert [s["targets"] for s in plan] == [["h_1", "h_3"], ["w_pump", "w_turb"], ["η_th"]]
    assert [s["depends_on"] for s in plan] == [[], [plan[0]["id"]], [plan[1]["id"]]]
    assert "properties" in plan[0]["skills"] and "cycles" in plan[2]["skills"]
    # each stage runs after the one it depends on: one expert pass, reconcile and verify each
    nodes = [e.node for e in ans.trace]
    assert nodes.count("reconcile") == 3 and nodes.index("answer") == len(nodes) - 1
    covered = [e.data["missing"] for e in ans.trace if e.node == "verify"]
    assert covered == [["w_pump", "w_turb", "η_th"], ["η_th"], []]
    want = _rankine_efficiency(10e3, 8e6, 773.15)
    assert ans.answers["η_th"].value == pytest.approx(want, rel=2e-3)
