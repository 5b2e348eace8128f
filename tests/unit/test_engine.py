"""The calculation engine: states, media, components, cycles, correlations, structural solver."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solvers.components import (
    boiler,
    compressor,
    flash_separator,
    heat_exchanger,
    mixing_chamber,
    nozzle,
    reactor,
    splitter,
    throttle,
    turbine,
)
from solvers.correlations import CORRELATIONS, CORRELATIONS_BY_NAME, OutOfRange
from solvers.cycles import (
    brayton,
    brayton_regenerative,
    combined_cycle,
    rankine_reheat,
    vapor_compression,
)
from solvers.equations import EQUATIONS, Equation, solve_structural
from solvers.equations.dimensions import check_dimensions
from solvers.errors import DimensionError, PropertyError, SolverError, UnderdeterminedError
from solvers.media import (
    DeadState,
    IdealGas,
    RealFluid,
    bubble_point_T,
    dew_point_T,
    flash_TP,
    psychrometrics,
)
from solvers.process import PROCESSES, Input, ProcessModel, get_process, register_process
from solvers.properties import State, saturation
from solvers.units import quantity

WATER = RealFluid("Water")
AIR_CP = IdealGas("air", cp=1005.0, k=1.4)
AIR_VAR = RealFluid("Air", reference="AIR-TABLE")


# -- states -------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    T=st.floats(min_value=280.0, max_value=1000.0),
    P=st.floats(min_value=5e3, max_value=30e6),
    pair=st.sampled_from([("P", "h"), ("P", "s"), ("T", "P"), ("h", "s"), ("P", "u")]),
)
def test_state_from_any_pair_of_its_properties_is_the_same_state(T, P, pair):
    ref = State("Water", T=T, P=P)
    # stay clear of the saturation line, where (T, P) do not fix the state
    tsat = saturation("Water", P=min(P, 22.0e6))["T"] if P < 22.0e6 else None
    assume(tsat is None or abs(T - tsat) > 0.5)
    again = State("Water", **{k: ref.get(k) for k in pair})
    for k in ("T", "P", "h", "s", "v"):
        assert again.get(k) == pytest.approx(ref.get(k), rel=1e-6, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(P=st.floats(min_value=1e4, max_value=20e6), x=st.floats(min_value=0.0, max_value=1.0))
def test_two_phase_state_round_trips_through_h_and_P(P, x):
    ref = State("Water", P=P, x=x)
    again = State("Water", P=P, h=ref.h)
    assert again.x == pytest.approx(x, abs=1e-6)
    assert again.T == pytest.approx(ref.T, rel=1e-9)


def test_if97_agrees_with_heos_and_rejects_other_fluids():
    a = State("Water", T=773.15, P=10e6)
    b = State("Water", backend="IF97", T=773.15, P=10e6)
    assert b.h == pytest.approx(a.h, rel=1e-3)
    with pytest.raises(PropertyError, match="IF97"):
        State("R134a", backend="IF97", T=300.0, P=1e6)


def test_reference_states_of_r134a():
    iir = State("R134a", reference="IIR", T=273.15, x=0.0)
    assert (iir.h, iir.s) == (pytest.approx(200e3, abs=1e-3), pytest.approx(1e3, abs=1e-6))
    ashrae = State("R134a", reference="ASHRAE", T=233.15, x=0.0)
    assert ashrae.h == pytest.approx(0.0, abs=1e-3)
    # the same physical state: differences do not depend on the reference
    d_iir = State("R134a", reference="IIR", T=300.0, P=1e5).h - iir.h
    d_ash = (
        State("R134a", reference="ASHRAE", T=300.0, P=1e5).h
        - State("R134a", reference="ASHRAE", T=273.15, x=0.0).h
    )
    assert d_iir == pytest.approx(d_ash, rel=1e-9)
    with pytest.raises(PropertyError, match="XYZ"):
        State("R134a", reference="XYZ", T=300.0, P=1e5)


def test_out_of_range_state_names_the_state():
    with pytest.raises(PropertyError, match=r"Water\(T=5000"):
        State("Water", T=5000.0, P=1e5)


@settings(max_examples=40, deadline=None)
@given(T1=st.floats(200.0, 1500.0), r=st.floats(1.1, 40.0))
def test_ideal_gas_isentrope_matches_the_closed_form(T1, r):
    p1 = AIR_CP.state(T=T1, P=1e5)
    p2 = AIR_CP.state(P=r * 1e5, s=p1.s)
    assert p2.T == pytest.approx(T1 * r ** (0.4 / 1.4), rel=1e-9)
    assert AIR_CP.state(h=p2.h, s=p2.s).P == pytest.approx(r * 1e5, rel=1e-9)


def test_psychrometrics_and_bad_humidity():
    st_ = psychrometrics(P=101325.0, Tdb=298.15, RH=0.6)
    again = psychrometrics(P=101325.0, Tdb=298.15, W=st_["W"])
    assert again["RH"] == pytest.approx(0.6, rel=1e-6)
    assert st_["Tdp"] < st_["Twb"] < st_["Tdb"]
    with pytest.raises(PropertyError, match=r"RH=1\.5"):
        psychrometrics(P=101325.0, Tdb=298.15, RH=1.5)


def test_raoult_bubble_dew_and_flash_balance():
    names, z, P = ["benzene", "toluene"], [0.4, 0.6], 101325.0
    tb, td = bubble_point_T(names, z, P), dew_point_T(names, z, P)
    assert tb < td
    r = flash_TP(names, z, 0.5 * (tb + td), P)
    assert 0 < r.beta < 1
    for i in range(2):  # component balance z = beta y + (1 - beta) x
        assert r.beta * r.y[i] + (1 - r.beta) * r.x[i] == pytest.approx(z[i], abs=1e-9)
    with pytest.raises(PropertyError, match="sum to 1"):
        flash_TP(names, [0.5, 0.6], 370.0, P)


# -- components ---------------------------------------------------------------------------------
def test_turbine_and_compressor_balances():
    inlet = WATER.state(T=673.15, P=3e6)
    t = turbine(WATER, inlet, 50e3, eta_s=0.85)
    assert t["w_out"] == pytest.approx(0.85 * (t["h1"] - t["h2s"]), rel=1e-12)
    assert t["s_gen"] > 0 and 0 < t["eta_II"] < 1
    assert t["x_dest"] == pytest.approx(DeadState().T0 * t["s_gen"])
    c = compressor(AIR_CP, AIR_CP.state(T=300.0, P=100e3), 800e3, eta_s=0.8)
    assert c["w_in"] == pytest.approx(1005.0 * (543.4 - 300.0) / 0.8, rel=1e-3)
    with pytest.raises(SolverError, match="eta_s=85"):
        turbine(WATER, inlet, 50e3, eta_s=85)
    with pytest.raises(SolverError, match="below inlet"):
        turbine(WATER, inlet, 5e6)


def test_nozzle_throttle_boiler_hx_mixing_splitter():
    n = nozzle(AIR_CP, AIR_CP.state(T=600.0, P=800e3), 300e3, eta_N=0.95, V1=50.0)
    assert n["V2"] ** 2 / 2 - 50.0**2 / 2 == pytest.approx(n["h1"] - n["h2"], rel=1e-9)
    th = throttle(RealFluid("R134a"), RealFluid("R134a").state(P=0.8e6, x=0.0), 0.14e6)
    assert th["h2"] == th["h1"] and th["s_gen"] > 0 and 0 < th["x2"] < 1
    b = boiler(WATER, WATER.state(T=320.0, P=5e6), T_out=773.15, T_source=1200.0)
    assert b["q_in"] > 0 and b["s_gen"] > 0 and 0 < b["eta_II"] < 1
    hx = heat_exchanger(
        WATER, WATER, WATER.state(T=360.0, P=3e5), WATER.state(T=290.0, P=3e5), 2.0, 3.0, 320.0
    )
    assert hx["Q_dot"] == pytest.approx(3.0 * (hx["h_c_out"] - hx["h_c_in"]), rel=1e-9)
    assert hx["S_gen_dot"] > 0
    m = mixing_chamber(
        WATER, [(WATER.state(T=350.0, P=2e5), 1.0), (WATER.state(T=290.0, P=2e5), 3.0)]
    )
    assert m["m3"] == 4.0 and 290.0 < m["T3"] < 350.0 and m["S_gen_dot"] > 0
    sp = splitter(WATER.state(T=300.0, P=1e5), 10.0, [0.3, 0.7])
    assert (sp["m1"], sp["m2"]) == (pytest.approx(3.0), pytest.approx(7.0))
    with pytest.raises(SolverError, match="sum to 1"):
        splitter(WATER.state(T=300.0, P=1e5), 10.0, [0.3, 0.3])


def test_flash_separator_and_reactor():
    f = flash_separator(["benzene", "toluene"], [0.5, 0.5], 100.0, 368.15, 101325.0)
    assert f["V"] + f["L"] == pytest.approx(100.0)
    r = reactor(F_A0=10.0, X=0.8, dH_rxn=-50e3, F_cp=2000.0, T_in=300.0)
    assert r["T_out"] == pytest.approx(500.0) and r["S_gen_dot"] > 0
    with pytest.raises(SolverError, match=r"X=1\.5"):
        reactor(F_A0=10.0, X=1.5, dH_rxn=-50e3, F_cp=2000.0, T_in=300.0)


# -- cycles (Çengel & Boles worked examples) ----------------------------------------------------
def test_rankine_reheat_example_10_4():
    r = rankine_reheat(WATER, P_cond=10e3, P_boiler=15e6, P_reheat=4e6, T3=873.15, T5=873.15)
    assert r["eta_th"] == pytest.approx(0.450, abs=0.002)
    assert r["x6"] == pytest.approx(0.896, abs=0.002)


def test_brayton_examples_9_5_and_9_6_variable_cp():
    ideal = brayton(AIR_VAR, T1=300.0, P1=100e3, r_p=8.0, T3=1300.0)
    assert ideal["bwr"] == pytest.approx(0.403, abs=0.005)
    assert ideal["eta_th"] == pytest.approx(0.426, abs=0.005)
    actual = brayton(AIR_VAR, T1=300.0, P1=100e3, r_p=8.0, T3=1300.0, eta_comp=0.8, eta_turb=0.85)
    assert actual["bwr"] == pytest.approx(0.592, abs=0.01)
    assert actual["eta_th"] == pytest.approx(0.266, abs=0.005)


@settings(max_examples=15, deadline=None)
@given(eta=st.floats(0.6, 1.0), eps=st.floats(0.0, 1.0), T_src=st.floats(1400.0, 2000.0))
def test_second_law_holds_for_any_regenerative_brayton(eta, eps, T_src):
    r = brayton_regenerative(
        AIR_CP, 300.0, 100e3, 5.0, 1300.0, eps, eta, eta, 1.0, T_src, 300.0, DeadState()
    )
    for k, v in r.values.items():
        if k.startswith("s_gen"):
            assert v >= -1e-9, k
    assert r["energy_balance_error"] < 1e-9


def test_refrigeration_and_combined_cycle_closure():
    v = vapor_compression(
        RealFluid("R134a"), T_evap=263.15, T_cond=313.15, eta_comp=0.8, T_L=270.0, T_H=300.0
    )
    assert v["COP_R"] < v["COP_Carnot"] and 0 < v["eta_II"] < 1
    assert v["x_dest_total"] == pytest.approx(
        sum(v[f"x_dest_{c}"] for c in ("comp", "cond", "throttle", "evap"))
    )
    c = combined_cycle(
        AIR_VAR,
        WATER,
        300.0,
        100e3,
        12.0,
        1400.0,
        420.0,
        10e3,
        8e6,
        superheat=50.0,
        eta_comp=0.85,
        eta_gas_turb=0.88,
        eta_pump=0.9,
        eta_steam_turb=0.85,
        m_dot_air=100.0,
        T_source=1600.0,
        T_sink=300.0,
    )
    assert c["eta_th"] > c["eta_th_gas"]
    assert c["energy_balance_error_gas"] < 1e-9 and c["energy_balance_error_steam"] < 1e-9
    assert c["m_dot_steam"] * (c["h8"] - c["h7"]) == pytest.approx(100.0 * (c["h4"] - c["h5"]))


# -- process registry ---------------------------------------------------------------------------
def test_process_models_bind_units_aliases_and_deltas():
    model = get_process("rankine")
    # Example 10-1 in US customary units: 10.878 psia, 435.1 psia, 662 °F
    res = model.solve(
        {
            "P_condenser": quantity(10.878, "psia"),
            "P_high": quantity(435.1, "psia"),
            "T3": quantity(662.0, "degF"),
        }
    )
    assert res["eta_th"] == pytest.approx(0.26, abs=0.003)
    vcr = get_process("vapor_compression").solve(
        {
            "T_evap": quantity(-10, "degC"),
            "T_cond": quantity(40, "degC"),
            "superheat": quantity(9, "delta_degF"),
        },
        {"fluid": "R134a"},
    )
    assert vcr["T1"] - vcr.points["4"].T == pytest.approx(5.0, abs=1e-6)


def test_process_registry_errors_name_the_input():
    with pytest.raises(SolverError, match=r"P_cond=3\.0 kg"):
        get_process("rankine").solve({"P_cond": quantity(3, "kg"), "P_boiler": quantity(3, "MPa")})
    with pytest.raises(UnderdeterminedError, match="P_boiler"):
        get_process("rankine").solve({"P_cond": quantity(10, "kPa")})
    with pytest.raises(ValueError, match="already registered"):
        register_process(PROCESSES["rankine"])
    with pytest.raises(SolverError, match="unknown process model"):
        get_process("stirling")
    with pytest.raises(ValueError, match="names two inputs"):
        ProcessModel(
            "x",
            "component",
            "",
            (Input("a", "Pa", "", ("p",)), Input("b", "Pa", "", ("p",))),
            lambda i, o: turbine(WATER, WATER.state(T=700.0, P=1e6), 1e5),
        )


# -- correlations and the structural solver -----------------------------------------------------
def test_friction_factor_correlations_agree_and_guard_their_range():
    cole = CORRELATIONS_BY_NAME["colebrook"].evaluate({"Re": 2e5, "rel_rough": 2e-4})
    haal = CORRELATIONS_BY_NAME["haaland"].evaluate({"Re": 2e5, "rel_rough": 2e-4})
    assert haal == pytest.approx(cole, rel=0.02)
    with pytest.raises(OutOfRange) as e:
        CORRELATIONS_BY_NAME["colebrook"].evaluate({"Re": 1000.0, "rel_rough": 1e-4})
    assert e.value.variable == "Re" and e.value.value == 1000.0


def test_solver_records_validity_warnings_on_correlation_steps():
    _vals, steps = solve_structural(
        {"Re": 5000.0, "Pr": 7.0}, ["Nu"], CORRELATIONS, text="water is heated in a tube"
    )
    step = next(s for s in steps if s.output == "Nu")
    assert step.equation == "dittus_boelter_heating"
    assert any("Re=5000" in w for w in step.warnings)


def test_solver_solves_simultaneous_blocks():
    vals, steps = solve_structural(
        {"m3": 3.0, "Tm1": 300.0, "Tm2": 360.0, "Tm3": 340.0},
        ["m1", "m2"],
        EQUATIONS,
        text="two streams mix",
    )
    assert (vals["m1"], vals["m2"]) == (pytest.approx(1.0), pytest.approx(2.0))
    assert "+" in steps[-1].equation


def test_every_catalogue_equation_is_dimensionally_consistent():
    for eq in EQUATIONS:
        check_dimensions(eq)
    bad = Equation("bad", "Q_dot", "m_dot*cp", "missing a temperature difference", (), "")
    with pytest.raises(DimensionError, match="bad"):
        check_dimensions(bad)


def test_correlations_cite_their_authors():
    for c in CORRELATIONS:
        assert c.reference and (c.authors or c.name.startswith("C_"))


def test_pipe_friction_pressure_drop_end_to_end():
    vals, _ = solve_structural(
        {"rho": 998.0, "V": 2.0, "D": 0.05, "mu": 1e-3, "eps_rough": 4.5e-5, "L": 100.0},
        ["dP_f"],
        (*EQUATIONS, *CORRELATIONS),
        text="water in a commercial steel pipe; pressure drop due to friction",
    )
    # Colebrook at Re = 99 800, ε/D = 9e-4 gives f ≈ 0.0218
    assert vals["f"] == pytest.approx(0.0218, abs=5e-4)
    assert vals["dP_f"] == pytest.approx(vals["f"] * 100 / 0.05 * 998.0 * 4.0 / 2, rel=1e-9)
    assert math.isfinite(vals["Re"])


def test_matching_decomposition_finds_the_closed_square_block():
    from solvers.equations.catalogue import EQUATIONS_BY_NAME
    from solvers.equations.structural import _matched_blocks

    eqs = [EQUATIONS_BY_NAME[n] for n in ("mixing_mass", "mixing_energy", "reynolds")]
    known = {"m3": 3.0, "Tm1": 300.0, "Tm2": 360.0, "Tm3": 340.0}
    blocks = _matched_blocks(eqs, known)
    # the mixer's two balances in m1, m2 close; Reynolds (four unknowns) belongs to no block
    assert [sorted(e.name for e in b) for b in blocks] == [["mixing_energy", "mixing_mass"]]
