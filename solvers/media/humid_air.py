"""Psychrometrics of humid air through CoolProp's HAPropsSI (Hyland–Wexler / ASHRAE RP-1485).

Inputs and outputs are SI: Tdb, Twb, Tdp [K], P [Pa], RH [-], W [kg water/kg dry air],
h [J/kg dry air], v [m³/kg dry air].

>>> st = psychrometrics(P=101325.0, Tdb=303.15, RH=0.5)
>>> round(st["W"], 4), round(st["Twb"] - 273.15, 1)
(0.0134, 22.0)
"""

from __future__ import annotations

import CoolProp.CoolProp as CP

from solvers.errors import PropertyError

# our name -> CoolProp HAPropsSI name
_KEYS = {
    "Tdb": "T",
    "Twb": "Twb",
    "Tdp": "Tdp",
    "RH": "R",
    "W": "W",
    "h": "Hda",
    "v": "Vda",
}
OUTPUTS = tuple(_KEYS)
# CoolProp's humid-air model holds from -143 °C to 350 °C and up to 10 MPa
T_RANGE = (130.0, 623.15)


def psychrometrics(P: float = 101325.0, **props: float) -> dict[str, float]:
    """All psychrometric properties from the total pressure P [Pa] and two others.

    Parameters
    ----------
    P : float  Total pressure [Pa]
    **props : two of Tdb, Twb, Tdp [K], RH [-], W [kg/kg dry air], h [J/kg dry air],
        v [m³/kg dry air]

    Raises
    ------
    PropertyError  naming the state when it is outside the model's range or inconsistent
    """
    if len(props) != 2:
        raise PropertyError(f"humid air{props}", "give exactly two properties besides P")
    bad = [k for k in props if k not in _KEYS]
    if bad:
        raise PropertyError(f"humid air{props}", f"unknown properties {bad}; use {OUTPUTS}")
    if "RH" in props and not 0.0 <= props["RH"] <= 1.0:
        raise PropertyError(f"humid air(RH={props['RH']})", "relative humidity must be in [0, 1]")
    for k in ("Tdb", "Twb", "Tdp"):
        if k in props and not T_RANGE[0] <= props[k] <= T_RANGE[1]:
            raise PropertyError(
                f"humid air({k}={props[k]:g} K)", f"outside the model's range {T_RANGE} K"
            )
    (k1, v1), (k2, v2) = props.items()
    out: dict[str, float] = {"P": P, **props}
    try:
        for name, cp_name in _KEYS.items():
            if name not in out:
                out[name] = float(CP.HAPropsSI(cp_name, "P", P, _KEYS[k1], v1, _KEYS[k2], v2))
    except ValueError as e:
        raise PropertyError(f"humid air(P={P:g} Pa, {props})", str(e)) from e
    return out
