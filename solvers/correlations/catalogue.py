"""The correlations PEOA uses, each calling ``fluids`` or ``ht`` with its authors' name.

>>> round(CORRELATIONS_BY_NAME["colebrook"].evaluate({"Re": 1e5, "rel_rough": 1e-4}), 4)
0.0185
>>> CORRELATIONS_BY_NAME["dittus_boelter_heating"].evaluate({"Re": 5e3, "Pr": 0.7})
Traceback (most recent call last):
...
solvers.correlations.model.OutOfRange: dittus_boelter_heating: Re=5000 outside its validity range [10000, 1e+99]
"""

from __future__ import annotations

from fluids.fittings import Darby3K
from fluids.friction import Churchill_1977, Colebrook, Haaland
from ht.conv_external import Nu_cylinder_Churchill_Bernstein
from ht.conv_internal import (
    turbulent_Dittus_Boelter,
    turbulent_Gnielinski,
    turbulent_Sieder_Tate,
)
from ht.hx import F_LMTD_Fakheri, NTU_from_effectiveness, effectiveness_from_NTU

from solvers.correlations.model import Correlation

INF = 1e99
FLUIDS = "Caleb Bell, fluids: Fluid dynamics component of Chemical Engineering Design Library"
HT = "Caleb Bell, ht: Heat transfer component of Chemical Engineering Design Library"
_HEAT = ("heated", "heating", "heats", "warm")
_COOL = ("cooled", "cooling", "cools")
_COUNTER = ("counterflow", "counter-flow", "counter flow", "countercurrent", "counter-current")
_PARALLEL = ("parallel-flow", "parallel flow", "co-current", "cocurrent", "concurrent")
_FITTINGS = {
    "elbow": "Elbow, 90°, threaded, standard, (r/D = 1)",
    "gate valve": "Valve, Gate valve, standard, β = 1",
    "globe valve": "Valve, Globe valve, standard, β = 1",
    "ball valve": "Valve, Ball valve, standard, β = 1",
}


def _fitting(key: str) -> Correlation:
    name = _FITTINGS[key]
    return Correlation(
        f"K_{key.replace(' ', '_')}",
        "K_L",
        ("Re", "D"),
        lambda Re, D: Darby3K(Re=Re, name=name, Di=D * 39.37007874015748),  # Di in inches
        f"loss coefficient of a {name} (3-K method)",
        "Darby",
        "Darby, R. (2001), Correlate pressure drops through fittings, Chem. Eng. 108(4); " + FLUIDS,
        ("fluid flow",),
        {"Re": (1.0, INF)},
        requires=((key,),),
    )


CORRELATIONS: tuple[Correlation, ...] = (
    Correlation(
        "colebrook",
        "f",
        ("Re", "rel_rough"),
        Colebrook,
        "Darcy friction factor of turbulent pipe flow (implicit Colebrook–White equation)",
        "Colebrook",
        "Colebrook, C. F. (1939), J. Inst. Civil Eng. 11(4), 133-156; " + FLUIDS,
        ("fluid flow",),
        {"Re": (4000.0, 1e8), "rel_rough": (0.0, 0.05)},
        excludes=("laminar",),
    ),
    Correlation(
        "haaland",
        "f",
        ("Re", "rel_rough"),
        Haaland,
        "Darcy friction factor, explicit approximation to Colebrook",
        "Haaland",
        "Haaland, S. E. (1983), J. Fluids Eng. 105(1), 89-90; " + FLUIDS,
        ("fluid flow",),
        {"Re": (4000.0, 1e8), "rel_rough": (0.0, 0.05)},
        requires=(("haaland",),),
    ),
    Correlation(
        "churchill_1977",
        "f",
        ("Re", "rel_rough"),
        Churchill_1977,
        "Darcy friction factor for laminar, transition and turbulent flow",
        "Churchill",
        "Churchill, S. W. (1977), Chem. Eng. 84(24), 91-92; " + FLUIDS,
        ("fluid flow",),
        {"Re": (1.0, 1e9), "rel_rough": (0.0, 0.05)},
        requires=(("transition", "transitional", "churchill"),),
    ),
    Correlation(
        "dittus_boelter_heating",
        "Nu",
        ("Re", "Pr"),
        lambda Re, Pr: turbulent_Dittus_Boelter(Re, Pr, heating=True),
        "Nusselt number, fully developed turbulent pipe flow, fluid heated (n = 0.4)",
        "Dittus & Boelter",
        "Dittus, F. W., Boelter, L. M. K. (1930), Univ. Calif. Publ. Eng. 2, 443; " + HT,
        ("heat transfer",),
        {"Re": (1e4, INF), "Pr": (0.6, 160.0)},
        excludes=(*_COOL, "sieder", "gnielinski", "laminar"),
    ),
    Correlation(
        "dittus_boelter_cooling",
        "Nu",
        ("Re", "Pr"),
        lambda Re, Pr: turbulent_Dittus_Boelter(Re, Pr, heating=False),
        "Nusselt number, fully developed turbulent pipe flow, fluid cooled (n = 0.3)",
        "Dittus & Boelter",
        "Dittus, F. W., Boelter, L. M. K. (1930), Univ. Calif. Publ. Eng. 2, 443; " + HT,
        ("heat transfer",),
        {"Re": (1e4, INF), "Pr": (0.6, 160.0)},
        requires=(_COOL,),
        excludes=("sieder", "gnielinski", "laminar"),
    ),
    Correlation(
        "gnielinski",
        "Nu",
        ("Re", "Pr", "f"),
        turbulent_Gnielinski,
        "Nusselt number, transition and turbulent pipe flow, with the Darcy friction factor",
        "Gnielinski",
        "Gnielinski, V. (1976), Int. Chem. Eng. 16(2), 359-368; " + HT,
        ("heat transfer",),
        {"Re": (2300.0, 5e6), "Pr": (0.5, 2000.0)},
        requires=(("gnielinski",),),
    ),
    Correlation(
        "sieder_tate",
        "Nu",
        ("Re", "Pr", "mu", "mu_w"),
        turbulent_Sieder_Tate,
        "Nusselt number, turbulent pipe flow with wall-viscosity correction",
        "Sieder & Tate",
        "Sieder, E. N., Tate, G. E. (1936), Ind. Eng. Chem. 28(12), 1429-1435; " + HT,
        ("heat transfer",),
        {"Re": (1e4, INF), "Pr": (0.7, 16700.0)},
        requires=(("sieder", "wall viscosity", "viscosity at the wall"),),
    ),
    Correlation(
        "churchill_bernstein",
        "Nu",
        ("Re", "Pr"),
        Nu_cylinder_Churchill_Bernstein,
        "Nusselt number, cylinder in cross flow",
        "Churchill & Bernstein",
        "Churchill, S. W., Bernstein, M. (1977), J. Heat Transfer 99(2), 300-306; " + HT,
        ("heat transfer",),
        {"Re": (0.0, 1e7), "Pr": (0.0, INF)},
        requires=(("cross flow", "crossflow", "cross-flow", "across a", "over a"),),
        excludes=("exchanger", "pipe flow", "inside"),
    ),
    Correlation(
        "lmtd_F_fakheri",
        "F",
        ("Th_in", "Th_out", "Tc_in", "Tc_out"),
        lambda a, b, c, d: F_LMTD_Fakheri(Thi=a, Tho=b, Tci=c, Tco=d, shells=1),
        "LMTD correction factor of a shell-and-tube exchanger with one shell pass",
        "Fakheri",
        "Fakheri, A. (2003), J. Heat Transfer 125(3), 527-530; " + HT,
        ("heat transfer",),
        requires=(("shell",),),
    ),
    Correlation(
        "eff_ntu_counterflow",
        "eff",
        ("NTU", "Cr"),
        lambda NTU, Cr: effectiveness_from_NTU(NTU, Cr, subtype="counterflow"),
        "heat-exchanger effectiveness from NTU, counterflow",
        "Kays & London",
        "Kays, W. M., London, A. L., Compact Heat Exchangers, 3rd ed. (1984); " + HT,
        ("heat transfer",),
        {"Cr": (0.0, 1.0), "NTU": (0.0, INF)},
        requires=(_COUNTER, ("ntu", "effectiveness")),
    ),
    Correlation(
        "eff_ntu_parallel",
        "eff",
        ("NTU", "Cr"),
        lambda NTU, Cr: effectiveness_from_NTU(NTU, Cr, subtype="parallel"),
        "heat-exchanger effectiveness from NTU, parallel flow",
        "Kays & London",
        "Kays, W. M., London, A. L., Compact Heat Exchangers, 3rd ed. (1984); " + HT,
        ("heat transfer",),
        {"Cr": (0.0, 1.0), "NTU": (0.0, INF)},
        requires=(_PARALLEL, ("ntu", "effectiveness")),
    ),
    Correlation(
        "ntu_from_eff_counterflow",
        "NTU",
        ("eff", "Cr"),
        lambda eff, Cr: NTU_from_effectiveness(eff, Cr, subtype="counterflow"),
        "NTU needed for an effectiveness, counterflow",
        "Kays & London",
        "Kays, W. M., London, A. L., Compact Heat Exchangers, 3rd ed. (1984); " + HT,
        ("heat transfer",),
        {"Cr": (0.0, 1.0), "eff": (0.0, 1.0)},
        requires=(_COUNTER, ("ntu", "effectiveness")),
    ),
    Correlation(
        "C_min",
        "C_min",
        ("C_h", "C_c"),
        min,
        "smaller heat-capacity rate of the two streams",
        "",
        "Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed., §11.4",
        ("heat transfer",),
    ),
    Correlation(
        "C_max",
        "C_max",
        ("C_h", "C_c"),
        max,
        "larger heat-capacity rate of the two streams",
        "",
        "Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed., §11.4",
        ("heat transfer",),
    ),
    *(_fitting(k) for k in _FITTINGS),
)

CORRELATIONS_BY_NAME: dict[str, Correlation] = {c.name: c for c in CORRELATIONS}
