"""Normalising slot names and binding them to engine variables or fluid properties."""

from __future__ import annotations

import re
import unicodedata

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_GREEK = {
    "η": "eta",
    "ρ": "rho",
    "μ": "mu",
    "ν": "nu",
    "τ": "tau",
    "Δ": "delta",
    "δ": "delta",
    "ε": "eps",
    "λ": "lambda",
    "α": "alpha",
    "β": "beta",
    "θ": "theta",
    "ω": "omega",
}


def slot_key(name: str) -> str:
    """A comparison key for slot names: subscripts, Greek letters and over-dots normalised.

    Capital W, Q, S, X (rates and totals) stay distinct from lower-case w, q, s, x (per unit
    mass): ``W_net`` is not ``w_net``.

    >>> slot_key("Ẇ_net"), slot_key("h₂s"), slot_key("η_th"), slot_key("s_gen,pump")
    ('Wnet', 'h2s', 'etath', 'sgenpump')
    >>> slot_key("W_dot_net") == slot_key("Ẇ_net") != slot_key("w_net")
    True
    """
    t = name.translate(_SUBSCRIPTS)
    for g, latin in _GREEK.items():
        t = t.replace(g, latin)
    t = unicodedata.normalize("NFD", t)
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn")
    t = re.sub(r"_?dot(?=_|$)", "", t)
    key = re.sub(r"[^a-z0-9]", "", t.lower())
    if re.match(r"[WQSX](?![a-z])", t.strip()) and key:
        key = key[0].upper() + key[1:]
    return key


# fluid-property slot names -> property keys (see experts.tools.properties.PROPERTY_UNITS)
_PROPERTY_WORDS = {
    "h": "h",
    "enthalpy": "h",
    "s": "s",
    "entropy": "s",
    "v": "v",
    "specificvolume": "v",
    "u": "u",
    "internalenergy": "u",
    "rho": "rho",
    "density": "rho",
    "t": "T",
    "temperature": "T",
    "p": "P",
    "pressure": "P",
    "x": "x",
    "quality": "x",
    "phase": "phase",
    "phasename": "phase",
    "tsat": "T_sat",
    "psat": "P_sat",
    "cp": "cp",
    "cv": "cv",
    "z": "Z",
    "pr": "Pr",
}
for _p in ("h", "s", "v", "u", "rho"):
    for _suf in ("f", "g"):
        _PROPERTY_WORDS[f"{_p}{_suf}"] = f"{_p}_{_suf}"
_PROPERTY_WORDS["hfg"] = "h_fg"
_PROPERTY_WORDS["sfg"] = "s_fg"


def property_key(slot: str) -> str | None:
    """The fluid property a slot names, if any.

    >>> property_key("h_f"), property_key("ρ"), property_key("Phase"), property_key("w_out")
    ('h_f', 'rho', 'phase', None)
    """
    return _PROPERTY_WORDS.get(slot_key(slot))
