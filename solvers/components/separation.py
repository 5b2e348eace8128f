"""Flash separator and a well-mixed reactor energy balance.

Flash: ideal (Raoult) isothermal flash of a feed F [mol/s] at T [K] and P [Pa]; vapour V and
liquid L split by Rachford–Rice (Seader, Henley & Roper, *Separation Process Principles*, ch. 4).
Reactor: steady energy balance with reaction,
Q_in = F_cp (T_out − T_in) + F_A0 X ΔH_rxn (ΔH_rxn at T_in; Fogler, *Elements of Chemical
Reaction Engineering*, ch. 11), and entropy generation
S_gen = F_cp ln(T_out/T_in) + F_A0 X ΔS_rxn − Q_in/T_b.

>>> r = reactor(F_A0=10.0, X=0.8, dH_rxn=-50e3, F_cp=2000.0, T_in=300.0)
>>> round(r["T_out"], 1)  # adiabatic temperature rise 10*0.8*50e3/2000 = 200 K
500.0
"""

from __future__ import annotations

import math

from solvers.components.base import ComponentResult, component
from solvers.errors import SolverError
from solvers.media.base import DeadState
from solvers.media.mixtures import flash_TP


@component("flash_separator")
def flash_separator(
    names: list[str], z: list[float], F: float, T: float, P: float
) -> ComponentResult:
    """Isothermal flash drum: feed ``z`` (mole fractions) at F [mol/s], T [K], P [Pa].

    values: V, L [mol/s], beta = V/F [-], x_<i>, y_<i>, K_<i> [-] for each compound index i
    """
    if F <= 0:
        raise SolverError(f"feed rate F={F!r} must be > 0")
    r = flash_TP(names, z, T, P)
    res = ComponentResult("flash_separator")
    beta = res.record("beta", r.beta, "Rachford–Rice, Raoult K = Psat/P")
    res.record("V", beta * F, "V = beta F")
    res.record("L", (1.0 - beta) * F, "L = F - V")
    for i, _ in enumerate(names, start=1):
        res.record(f"x_{i}", r.x[i - 1], "liquid mole fraction")
        res.record(f"y_{i}", r.y[i - 1], "vapour mole fraction")
        res.record(f"K_{i}", r.K[i - 1], "K = Psat(T)/P")
    return res


@component("reactor")
def reactor(
    F_A0: float,
    X: float,
    dH_rxn: float,
    F_cp: float,
    T_in: float,
    Q_in: float = 0.0,
    dS_rxn: float = 0.0,
    T_boundary: float | None = None,
    dead: DeadState | None = None,
) -> ComponentResult:
    """Steady well-mixed reactor energy balance.

    Parameters
    ----------
    F_A0 : float  Molar feed rate of the limiting reactant [mol/s]
    X : float  Conversion of the limiting reactant [-]
    dH_rxn : float  Heat of reaction per mol of limiting reactant [J/mol] (< 0 exothermic)
    F_cp : float  Σ F_i cp_i of the stream [W/K]
    T_in : float  Feed temperature [K]
    Q_in : float  Heat added [W] (0 for adiabatic)
    dS_rxn : float  Entropy of reaction [J/(mol K)], for the entropy balance
    T_boundary : float  Temperature where Q crosses the boundary [K]

    values: T_out [K], Q_in [W], S_gen_dot [W/K], X_dest_dot [W]
    """
    if not 0.0 <= X <= 1.0:
        raise SolverError(f"conversion X={X!r} must lie in [0, 1]")
    if F_cp <= 0 or F_A0 < 0 or T_in <= 0:
        raise SolverError(f"need F_cp > 0, F_A0 >= 0, T_in > 0 (got {F_cp}, {F_A0}, {T_in})")
    dead = dead or DeadState()
    res = ComponentResult("reactor")
    T_out = res.record(
        "T_out", T_in + (Q_in - F_A0 * X * dH_rxn) / F_cp, "T_out = T_in + (Q - F_A0 X ΔH)/ΣFcp"
    )
    if T_out <= 0:
        raise SolverError(f"energy balance gives T_out={T_out:.1f} K: check ΔH_rxn and Q")
    res.record("Q_in", Q_in, "given")
    res.record("dT_ad", -F_A0 * X * dH_rxn / F_cp, "adiabatic temperature rise")
    if Q_in and T_boundary is None:
        return res
    S = F_cp * math.log(T_out / T_in) + F_A0 * X * dS_rxn - (Q_in / T_boundary if Q_in else 0.0)  # type: ignore[operator]
    res.record("S_gen_dot", S, "S_gen = ΣFcp ln(T_out/T_in) + F_A0 X ΔS_rxn - Q/T_b")
    res.record("X_dest_dot", dead.T0 * S, "X_dest = T0 S_gen")
    return res
