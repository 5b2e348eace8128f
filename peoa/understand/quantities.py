"""Extract quantities with units from engineering text.

>>> [(q.value, q.unit) for q in extract_quantities("Steam at 6 MPa and 450 °C flows at 2.5 kg/s.")]
[(6.0, 'MPa'), (450.0, '°C'), (2.5, 'kg/s')]
>>> [(q.symbol, q.value, q.unit) for q in extract_quantities("quality x = 0.11, h = 1479.2 kJ/kg")]
[('x', 0.11, ''), ('h', 1479.2, 'kJ/kg')]
>>> extract_quantities("a rise of 20 °C")[0].is_delta
True
>>> [(q.value, q.unit) for q in extract_quantities("k = 0.01 1/s at 25 °C")]
[(0.01, '1/s'), (25.0, '°C')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pint

from solvers.errors import SolverError
from solvers.units import is_gauge, parse_number, parse_unit, quantity

_NUM = r"(?:\d[\d,]*\.?\d*|\.\d+)(?:\s*[eE][-+−]?\d+|\s*[×x]\s*10\s*\^?\s*[-+−]?\d+|\s*×\s*10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w\-−.₀₁₂₃₄₅₆₇₈₉])(?P<sign>[-−–](?=\d))?(?P<num>{_NUM})(?![\w.]*[A-Za-z]\d)"
)
_SPACED_MINUS = re.compile(r"(?:\b(?:be|is|of|at|was)|[=:])\s+[-−–]\s$")
_SYMBOL_RE = re.compile(r"(?P<sym>[A-Za-zηρμνΔτεϵγṁẆQ̇][\w,′'̇]{0,12})\s*=\s*$")
_UNIT_CHARS = re.compile(r"[\w°%µμΩ³²¹⁰⁴⁵⁶⁷⁸⁹⁻·⋅*/^()\-.'\"]+")
# English words that pint would read as units
_NOT_UNITS = {
    "a",
    "at",
    "and",
    "or",
    "of",
    "the",
    "to",
    "is",
    "in",
    "for",
    "by",
    "with",
    "from",
    "on",
    "as",
    "it",
    "be",
    "are",
    "an",
    "if",
    "per",
    "t",
    "x",
    "each",
    "times",
    "c",
    "k",
    "b",
    "d",
    "e",
    "f",
    "p",
    "r",
    "v",
    "u",
    "degree",
    "degrees",
    "percent",
    "ft.",
    "into",
}
_DELTA_WORDS = (
    "rise",
    "difference",
    "change",
    "increase",
    "drop",
    "decrease",
    "approach",
    "δt",
    "Δt",
    "delta",
    "gradient",
    "raised by",
    "lowered by",
    "differential",
    "superheat",
    "superheated by",
    "subcooled by",
    "subcooling",
)
_PERCENT_WORDS = ("percent", "per cent", "pct")
_WORD_UNITS = {
    "degrees celsius": "degC",
    "degrees fahrenheit": "degF",
    "degrees c": "degC",
    "degrees f": "degF",
    "kelvin": "K",
    "percent": "%",
    "per cent": "%",
    "degree celsius": "degC",
    "deg c": "degC",
    "deg f": "degF",
    "celsius": "degC",
    "fahrenheit": "degF",
}


@dataclass
class ExtractedQuantity:
    """A number found in text, with its unit and surroundings."""

    value: float
    unit: str
    start: int
    end: int
    before: str = ""
    after: str = ""
    symbol: str | None = None
    is_delta: bool = False

    @property
    def q(self) -> pint.Quantity:
        """The quantity [unit] (gauge pressures made absolute; deltas as differences)."""
        if self.is_delta and self.unit in {"°C", "°F", "degC", "degF"}:
            return quantity(self.value, "delta_degC" if "C" in self.unit else "delta_degF")
        return quantity(self.value, self.unit or "dimensionless")

    @property
    def dimensionality(self) -> object:
        """pint dimensionality of the quantity."""
        return self.q.dimensionality


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """The longest unit string starting at ``pos`` (after spaces), and where it ends."""
    m = re.match(r"[ \t]*-?(?=[A-Za-z°%µμ])|[ \t]*(?=1/)|[ \t]*", text[pos:])
    start = pos + (m.end() if m else 0)
    low = text[start : start + 24].lower()
    for words, unit in _WORD_UNITS.items():
        if low.startswith(words):
            return unit, start + len(words)
    um = _UNIT_CHARS.match(text, start)
    if not um:
        return "", pos
    tokens = [um.group(0)]
    # allow "kJ/kg K", "Btu/hr ft2 F" (a unit continued after a space)
    rest = text[um.end() : um.end() + 20]
    nxt = re.match(r" ([°A-Za-z][\w°²³·/^()\-]*)", rest)
    if nxt and "/" in tokens[0] and nxt.group(1).lower() not in _NOT_UNITS:
        tokens.append(tokens[0] + " " + nxt.group(1))
    for cand in sorted(tokens, key=len, reverse=True):
        c = cand
        while c:
            c = c.rstrip(".,;:")
            while c.endswith(")") and c.count(")") > c.count("("):
                c = c[:-1].rstrip(".,;:")
            if c == "in" and _INCH_NEXT.match(text, start + 2):
                return "inch", start + 2
            if not re.match(r"[A-Za-z°%µμΩ(]|1/", c) or _is_word(c):
                break
            try:
                if is_gauge(c):
                    return c, start + len(c)
                parse_unit(c)
                end = start + len(c)
                gm = re.match(r"\s*(?:\(g\)|\(gauge\)|gauge\b)", text[end:])
                if gm and parse_unit(c).dimensionality == parse_unit("Pa").dimensionality:
                    return c + " gauge", end + gm.end()
                return c, end
            except SolverError:
                # drop the last character group and try again ("kg/s." -> "kg/s")
                cut = re.match(r"(.*[^\w])\w+$|(.*)\W$", c)
                c = (cut.group(1) or cut.group(2) or "") if cut else ""
                c = c.rstrip("-/*· ")
    if low.startswith("%"):
        return "%", start + 1
    return "", pos


_INCH_NEXT = re.compile(
    r"\s*(?:[.,;:)\n]|$|(?:diameter|pipe|tube|thick|long|wide|high|i\.?d|o\.?d|"
    r"schedule|sch|nominal)\b)",
    re.I,
)


def _is_word(c: str) -> bool:
    """An English word pint would read as a unit (case kept for single letters: C, F, K)."""
    return c in _NOT_UNITS or (len(c) > 1 and c.lower() in _NOT_UNITS)


def _restates(prev: ExtractedQuantity, q: ExtractedQuantity, text: str) -> bool:
    """``25 °C (298.15 K)``: a value in parentheses that repeats the one before in other
    units is the same quantity, not a second one."""
    if not re.fullmatch(r"\s*\(\s*(?:=|≈|~|or|i\.e\.,?)?\s*", text[prev.end : q.start]):
        return False
    try:
        a, b = prev.q.to_base_units(), q.q.to_base_units()
    except (pint.errors.PintError, SolverError):
        return False
    if a.dimensionality != b.dimensionality:
        return False
    return bool(abs(a.magnitude - b.magnitude) <= 0.01 * max(abs(a.magnitude), 1e-12))


def extract_quantities(text: str) -> list[ExtractedQuantity]:
    """Every number in ``text`` with its unit (``""`` when dimensionless) and context.

    Numbers inside identifiers (``R-134a``, ``h_1``, ``T₁``) and in report-slot templates are
    skipped.
    """
    out: list[ExtractedQuantity] = []
    for m in _NUMBER_RE.finditer(text):
        if out and m.start() < out[-1].end:  # the "1" of a unit such as "1/s"
            continue
        raw = m.group("num")
        try:
            value = parse_number(raw)
        except SolverError:
            continue
        if m.group("sign") or _SPACED_MINUS.search(text[max(0, m.start() - 8) : m.start()]):
            value = -value  # "-60 °C", and "to be - 60 °C" where a stray space split the sign
        s = m.start()
        # years, list markers "(a)", "1." at line start are not quantities
        if re.search(r"(?:^|\n)\s*\(?$", text[max(0, s - 3) : s]) and re.match(
            r"[.)]\s", text[m.end() : m.end() + 2]
        ):
            continue
        if re.search(r"(?i)\b(?:schedule|sch\.?)\s*$", text[max(0, s - 12) : s]):
            continue  # a pipe schedule is a designation, not a quantity
        unit, end = _unit_after(text, m.end())
        line_start = text.rfind("\n", 0, s) + 1
        before = text[max(line_start, s - 80) : s]
        sym_m = _SYMBOL_RE.search(before)
        after = text[end : end + 40]
        if unit.lower() in _PERCENT_WORDS:
            unit = "%"
        q = ExtractedQuantity(
            value=value,
            unit=unit,
            start=s,
            end=end,
            before=before,
            after=after,
            symbol=sym_m.group("sym") if sym_m else None,
        )
        ctx = (before[-30:] + " " + after[:15]).lower()
        if unit in {"°C", "°F", "degC", "degF", "C", "F"} and any(
            re.search(rf"(?<!\w){re.escape(w)}(?!\w)", ctx) for w in _DELTA_WORDS
        ):
            q.is_delta = True
        if unit in {"°C", "°F", "degC", "degF", "C", "F", "K"} and re.match(
            r"\s*(?:above|below|of superheat|of subcooling)\b", after
        ):
            q.is_delta = True  # "45 °C above saturation"
        if unit in {"C", "F"}:  # a bare C/F after a number is a temperature
            q.unit = "°" + unit
        if unit == "R" and not sym_m:  # "540 R": degrees Rankine, not roentgen
            q.unit = "degR"
        try:
            q.q  # noqa: B018 - validates the unit
        except SolverError:
            continue
        if out and _restates(out[-1], q, text):
            continue
        out.append(q)
    return out
