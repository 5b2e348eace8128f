import math

import pytest

from solvers.equations import EQUATIONS, solve_structural
from solvers.errors import InconsistentError, UnderdeterminedError


def test_chain_of_equations():
    # velocity from volumetric flow and diameter, then Reynolds number
    vals, steps = solve_structural(
        {"V_dot": 0.01, "D": 0.1, "rho": 1000.0, "mu": 1e-3},
        ["Re"],
        EQUATIONS,
        text="water in a pipe",
    )
    v = 0.01 / (math.pi * 0.1**2 / 4)
    assert vals["Re"] == pytest.approx(1000 * v * 0.1 / 1e-3)
    assert [s.equation for s in steps][-1] == "reynolds"


def test_underdetermined_names_what_is_missing():
    with pytest.raises(UnderdeterminedError) as e:
        solve_structural({"rho": 1000.0, "V": 2.0}, ["Re"], EQUATIONS, text="pipe")
    assert "D" in e.value.missing and "mu" in e.value.missing


def test_inconsistent_givens_are_named():
    with pytest.raises(InconsistentError) as e:
        solve_structural(
            {"rho": 1000.0, "V": 2.0, "D": 0.1, "mu": 1e-3, "Re": 5.0},
            ["Re"],
            EQUATIONS,
            text="pipe",
        )
    assert "Re" in e.value.conflicting


def test_applicability_cues_pick_the_reactor():
    k, tau = 0.1, 10.0
    cstr, _ = solve_structural({"k_r": k, "tau": tau}, ["X"], EQUATIONS, text="a CSTR")
    pfr, _ = solve_structural({"k_r": k, "tau": tau}, ["X"], EQUATIONS, text="a plug flow reactor")
    assert cstr["X"] == pytest.approx(k * tau / (1 + k * tau))
    assert pfr["X"] == pytest.approx(1 - math.exp(-k * tau))


def test_transcendental_inverse():
    # LMTD given, one terminal difference wanted
    vals, _ = solve_structural({"LMTD": 40.0, "dT1": 60.0}, ["dT2"], EQUATIONS, text="exchanger")
    d2 = vals["dT2"]
    assert (60 - d2) / math.log(60 / d2) == pytest.approx(40.0)
