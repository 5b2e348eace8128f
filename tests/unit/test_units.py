import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solvers.errors import UnitParseError
from solvers.units import convert, parse_quantity, parse_unit, to_unit

UNITS = [
    "kPa",
    "psia",
    "bar",
    "atm",
    "kJ/(kg·K)",
    "Btu/lbm-°F",
    "m³/kg",
    "ft3/lbm",
    "W/m2K",
    "Btu/hr-ft²-°F",
    "min⁻¹",
    "1/s",
    "lbf",
    "N",
    "kmol/h",
    "lbmol/hr",
    "cP",
    "Pa·s",
    "gpm",
    "m^3/s",
    "hp",
    "kW",
]


@pytest.mark.parametrize("unit", UNITS)
def test_textbook_units_parse(unit):
    parse_unit(unit)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from(
        [
            ("kPa", "psi"),
            ("kJ/(kg·K)", "Btu/lbm-°F"),
            ("m³/kg", "ft3/lbm"),
            ("W/m2K", "Btu/hr-ft²-°F"),
            ("kg/s", "lbm/hr"),
            ("°C", "°F"),
            ("K", "°R"),
            ("°F", "K"),
        ]
    ),
)
def test_round_trip(value, pair):
    a, b = pair
    back = convert(convert(value, a, b), b, a)
    assert math.isclose(back, value, rel_tol=1e-9, abs_tol=1e-9)


def test_gauge_is_absolute_minus_one_atm():
    assert convert(0, "psig", "kPa") == pytest.approx(101.325)
    assert to_unit(parse_quantity("2 barg"), "bar").magnitude == pytest.approx(3.01325)
    assert to_unit(parse_quantity("300 kPa"), "kPa(g)").magnitude == pytest.approx(198.675)


def test_offset_vs_difference():
    assert convert(100, "°C", "°F") == pytest.approx(212)
    # in a compound unit a temperature is a difference: 1 W/(m²·°C) == 1 W/(m²·K)
    assert convert(1, "W/(m²·°C)", "W/(m²·K)") == pytest.approx(1)
    assert convert(1, "Btu/lbm-°F", "kJ/(kg·K)") == pytest.approx(4.1868, rel=1e-4)


def test_percent_and_ppm():
    assert parse_quantity("85 %").to("dimensionless").magnitude == pytest.approx(0.85)
    assert parse_quantity("250 ppm").to("dimensionless").magnitude == pytest.approx(2.5e-4)


def test_errors_name_the_string():
    with pytest.raises(UnitParseError, match="furlongz"):
        parse_unit("furlongz")
    with pytest.raises(UnitParseError, match="abc kPa"):
        parse_quantity("abc kPa")
