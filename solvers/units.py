"""One shared pint registry and parsers for units as textbooks write them.

Handles unicode (``m³/kg``, ``kJ/(kg·K)``, ``min⁻¹``), US customary (``lbm``, ``lbf``, ``psia``,
``Btu/hr-ft²-°F``), gauge pressures (``psig``, ``barg``, ``kPa(g)``: gauge = absolute - 1 atm) and
temperatures with offset vs difference handled: ``°C`` alone is a temperature, inside a compound unit
(``W/(m²·°C)``) it is a difference.

>>> q = parse_quantity("50 psig")
>>> round(to_unit(q, "kPa").magnitude, 2)
446.06
>>> round(convert(100, "°C", "°F"), 2)
212.0
>>> round(convert(1, "Btu/hr-ft²-°F", "W/(m²·K)"), 4)
5.6783
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pint

from solvers.errors import DimensionError, UnitParseError

ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity

# Units textbooks use that pint does not define (or defines otherwise).
for _definition in (
    "lbm = pound",
    "psia = psi",
    "ppm = 1e-6 = parts_per_million",
    "ppb = 1e-9",
    "cfs = foot ** 3 / second",
    "gpm = gallon / minute",
    "scf = foot ** 3",
    "lbmol = 453.59237 * mol = lb_mol",
):
    try:
        ureg.define(_definition)
    except pint.errors.RedefinitionError:  # pragma: no cover - pint already has it
        pass

ATM = Q_(101.325, "kPa")
GAUGE_SUFFIX = "_gauge"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_TEMPERATURE_WORDS = {"degC": "delta_degC", "degF": "delta_degF"}


def _gauge_split(text: str) -> tuple[str, bool]:
    """Strip a gauge marker: ``psig``, ``barg``, ``kPa(g)``, ``kPa gauge``, ``kPag``."""
    t = text.strip()
    m = re.fullmatch(r"(.*?)\s*(?:\(\s*g(?:auge)?\s*\)|\s+gauge|\s+g)", t, flags=re.I)
    if m:
        return m.group(1), True
    if t.lower() in {"psig", "barg", "kpag", "mpag"}:
        return t[:-1], True
    return t, False


@lru_cache(maxsize=4096)
def normalize_unit(text: str) -> str:
    """Rewrite a textbook unit string into pint syntax.

    >>> normalize_unit("kJ/(kg·K)")
    'kJ/(kg*K)'
    >>> normalize_unit("m³/kg")
    'm**3/kg'
    >>> normalize_unit("Btu/hr-ft²-°F")
    'Btu/(hour*ft**2*delta_degF)'
    """
    t = text.strip()
    if t in {"", "-", "—", "dimensionless", "unitless", "none"}:
        return "dimensionless"
    t = t.replace("·", "*").replace("⋅", "*").replace("×", "*").replace("∙", "*")
    t = t.replace("Ω", "ohm").replace("µ", "u").replace("μ", "u")
    t = re.sub(r"°\s*([CFRK])", r"deg\1", t)
    t = t.replace("℃", "degC").replace("℉", "degF")
    t = re.sub(r"\bdegK\b", "K", t)
    t = re.sub(r"\bdegR\b", "degR", t)
    # superscripts: m³ -> m**3, min⁻¹ -> min**-1
    t = re.sub(r"([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)", lambda m: "**" + m.group(1).translate(_SUPERSCRIPTS), t)
    t = t.replace("^", "**")
    # m2K (as in W/m2K): an exponent glued to the next unit
    t = re.sub(r"(?<![\w*])([a-z]{1,3})([1-4])([A-Z])", r"\1**\2*\3", t)
    # m3, ft2, s-1 written without an exponent sign
    t = re.sub(r"(?<![\w*])([A-Za-z]{1,3})(-?[1-4])(?![\w.])", r"\1**\2", t)
    t = re.sub(r"\bhr\b", "hour", t)
    t = re.sub(r"\bmols?\b", "mol", t)
    t = re.sub(r"\blb-?mol\b", "lbmol", t, flags=re.I)
    t = re.sub(r"\bkmol\b", "kilomol", t)
    t = re.sub(r"\bgmol\b", "mol", t)
    t = re.sub(r"\blbm\b", "lb", t)
    t = re.sub(r"\blbf\b", "lbf", t)
    t = t.replace("%", "percent")
    # "Btu/hr-ft²-°F": hyphens joining units after a slash multiply in the denominator
    if "/" in t and "-" in t.split("/", 1)[1] and "(" not in t:
        num, den = t.split("/", 1)
        parts = [p for p in re.split(r"(?<=[A-Za-z\d)])-(?=[A-Za-z(])", den) if p]
        if len(parts) > 1:
            den = "(" + "*".join(parts) + ")"
        t = f"{num}/{den}"
    t = re.sub(r"(?<=[A-Za-z\d)])\s*-\s*(?=[A-Za-z(])", "*", t)
    t = re.sub(r"(?<=[A-Za-z\d)])\s+(?=[A-Za-z(])", "*", t)
    # a temperature inside a compound unit is a difference
    if re.search(r"[*/]", t):
        for absolute, delta in _TEMPERATURE_WORDS.items():
            t = re.sub(rf"(?<!delta_)\b{absolute}\b", delta, t)
    t = re.sub(r"\s+", "", t)
    t = re.sub(r"(?<=\w)/(?=[\w(].*\*)", "/", t)
    # pint reads a/b*c as (a/b)*c; textbooks mean a/(b*c)
    m = re.fullmatch(r"([^/]+)/([^/()]+\*[^/()]+)", t)
    if m:
        t = f"{m.group(1)}/({m.group(2)})"
    return t


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string; a failure names the offending string.

    >>> parse_unit("kJ/(kg·K)") == parse_unit("kJ/kg/K")
    True
    >>> parse_unit("furlongz")
    Traceback (most recent call last):
    solvers.errors.UnitParseError: cannot parse unit or quantity 'furlongz': ...
    """
    base, gauge = _gauge_split(text)
    if gauge:
        raise UnitParseError(
            text, "a gauge unit is not a plain unit; use parse_quantity or to_unit"
        )
    try:
        unit = ureg.parse_units(normalize_unit(base))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as e:
        raise UnitParseError(text, str(e)) from e
    except Exception as e:  # pint raises assorted errors on malformed strings
        raise UnitParseError(text, type(e).__name__) from e
    return unit


def is_gauge(unit_text: str) -> bool:
    """True when a unit string denotes gauge pressure (``psig``, ``barg``, ``kPa(g)``)."""
    return _gauge_split(unit_text)[1]


def quantity(value: float, unit_text: str) -> pint.Quantity:
    """Build a quantity; gauge pressures become absolute (gauge + 1 atm).

    >>> round(quantity(0, "barg").to("kPa").magnitude, 3)
    101.325
    """
    base, gauge = _gauge_split(unit_text)
    if gauge:
        q = Q_(float(value), parse_unit(base))
        if not q.check("[pressure]"):
            raise UnitParseError(unit_text, "only pressures can be gauge")
        return (q + ATM).to(q.units)
    return Q_(float(value), parse_unit(unit_text))


_NUMBER = r"[-+−–]?(?:\d[\d,]*\.?\d*|\.\d+)(?:\s*[eE][-+−]?\d+|\s*[×x*]\s*10\s*(?:\^|\*\*)?\s*[-+−]?\d+|\s*×\s*10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)?"


def parse_number(text: str) -> float:
    """Parse a number as engineers write it (``1,200``, ``3.5×10⁻³``, ``−4``, ``2e5``).

    >>> parse_number("3.5×10⁻³")
    0.0035
    >>> parse_number("1,200.5")
    1200.5
    """
    t = text.strip().replace("−", "-").replace("–", "-").replace(",", "")
    t = t.translate(_SUPERSCRIPTS)
    m = re.fullmatch(r"([-+]?(?:\d+\.?\d*|\.\d+))\s*(?:[×x*]\s*10\s*(?:\^|\*\*)?\s*([-+]?\d+))", t)
    if m:
        return float(m.group(1)) * 10.0 ** int(m.group(2))
    try:
        return float(t.replace(" ", ""))
    except ValueError as e:
        raise UnitParseError(text, "not a number") from e


def parse_quantity(text: str) -> pint.Quantity:
    """Parse ``"<number> <unit>"``; a bare number is dimensionless.

    >>> parse_quantity("25 °C").to("K").magnitude
    298.15
    >>> round(parse_quantity("3 m³/kg").to("L/g").magnitude, 9)
    3.0
    >>> parse_quantity("12 %").to("dimensionless").magnitude
    0.12
    """
    if not isinstance(text, str):
        raise UnitParseError(repr(text), "expected a string like '25 degC'")
    m = re.match(rf"\s*({_NUMBER})\s*(.*?)\s*$", text)
    if not m:
        raise UnitParseError(text, "expected '<number> <unit>'")
    value = parse_number(m.group(1))
    unit = m.group(2) or "dimensionless"
    return quantity(value, unit)


def to_unit(q: pint.Quantity, unit_text: str) -> pint.Quantity:
    """Convert to a unit string; a gauge target subtracts 1 atm.

    >>> round(to_unit(Q_(200, "kPa"), "kPa(g)").magnitude, 3)
    98.675
    """
    base, gauge = _gauge_split(unit_text)
    try:
        if gauge:
            return (q - ATM).to(parse_unit(base))
        return q.to(parse_unit(unit_text))
    except pint.errors.DimensionalityError as e:
        raise DimensionError(f"{q:~P}", unit_text) from e


def convert(value: float, from_unit: str, to: str) -> float:
    """Convert a magnitude between two unit strings.

    Parameters
    ----------
    value : float  Magnitude in ``from_unit`` [from_unit]
    from_unit, to : unit strings

    >>> round(convert(1, "lbm", "kg"), 6)
    0.453592
    """
    return float(to_unit(quantity(value, from_unit), to).magnitude)


def dimensionality(unit_text: str) -> str:
    """Dimensionality of a unit string as pint writes it (``'[length] / [time]'``)."""
    base, _ = _gauge_split(unit_text)
    return str(parse_unit(base).dimensionality)


def same_dimension(a: Any, b: Any) -> bool:
    """True when two quantities or unit strings share a dimension."""

    def dim(x: Any) -> Any:
        if isinstance(x, str):
            return parse_unit(_gauge_split(x)[0]).dimensionality
        return x.dimensionality

    return bool(dim(a) == dim(b))


def format_unit(unit_text: str) -> str:
    """Canonical display form of a unit string (used in answers)."""
    return unit_text.strip()
