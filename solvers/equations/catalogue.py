"""The closed-form relations PEOA solves exactly, with their sources.

Each variable is in SI. Cues and roles feed the understanding step; requires/excludes say when an
equation applies; validity ranges are data that the agent and the abduction can read.
"""

from __future__ import annotations

from solvers.equations.extended import EQUATIONS_EXT, VARIABLES_EXT
from solvers.equations.model import Equation, Variable
from solvers.equations.variables import VARIABLES as _BASE_VARIABLES

VARIABLES = (*_BASE_VARIABLES, *VARIABLES_EXT)

R_U = 8.314462618  # J/(mol K), CODATA 2018
G0 = 9.80665  # m/s², standard gravity

_CSTR = ("cstr", "stirred", "mixed flow", "mixed-flow", "backmix", "back-mix")
_PFR = ("pfr", "plug flow", "plug-flow", "tubular")
_HX = (
    "exchanger",
    "counterflow",
    "counter-flow",
    "counter flow",
    "countercurrent",
    "parallel",
    "co-current",
    "cocurrent",
    "lmtd",
    "log mean",
    "log-mean",
)
_COUNTER = ("counterflow", "counter-flow", "counter flow", "countercurrent", "counter-current")
_PARALLEL = ("parallel-flow", "parallel flow", "co-current", "cocurrent", "concurrent")
_PUMP = ("pump", "fan", "blower")
_WALL = ("wall", "slab", "plate", "conduct", "insulation", "brick", "sheet", "panel")
_CONV = ("convection", "convective", "heat transfer coefficient", "film coefficient")
_MIX = ("mix", "mixing", "combined", "combine", "merge", "blend", "join")
_ARR = ("activation", "arrhenius", "pre-exponential", "frequency factor")
_BERN = (
    "bernoulli",
    "nozzle",
    "contraction",
    "venturi",
    "reducer",
    "frictionless",
    "inviscid",
    "upstream",
    "downstream",
    "section 1",
    "point 1",
)
_GAS = (
    "gas",
    "ideal",
    "air",
    "nitrogen",
    "oxygen",
    "helium",
    "argon",
    "hydrogen",
    "methane",
    "co2",
    "carbon dioxide",
)

ASME = "Çengel & Boles, Thermodynamics: An Engineering Approach, 9th ed."
INCROPERA = "Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed."
FOX = "Fox & McDonald, Introduction to Fluid Mechanics, 8th ed."
LEVENSPIEL = "Levenspiel, Chemical Reaction Engineering, 3rd ed."
FOGLER = "Fogler, Elements of Chemical Reaction Engineering, 5th ed."

EQUATIONS: tuple[Equation, ...] = (
    Equation(
        "reynolds",
        "Re",
        "rho*V*D/mu",
        "Reynolds number from density, velocity, diameter and dynamic viscosity",
        ("fluid flow",),
        FOX,
    ),
    Equation(
        "reynolds_kinematic",
        "Re",
        "V*D/nu",
        "Reynolds number from kinematic viscosity",
        ("fluid flow",),
        FOX,
    ),
    Equation(
        "kinematic_viscosity",
        "nu",
        "mu/rho",
        "kinematic viscosity definition",
        ("fluid flow",),
        FOX,
    ),
    Equation("pipe_area", "A_cs", "pi*D**2/4", "circular flow area", ("fluid flow",), FOX),
    Equation(
        "volumetric_flow",
        "V_dot",
        "V*A_cs",
        "volumetric flow = velocity x area",
        ("fluid flow",),
        FOX,
    ),
    Equation(
        "mass_flow",
        "m_dot",
        "rho*V_dot",
        "mass flow = density x volumetric flow",
        ("fluid flow", "balances"),
        FOX,
    ),
    Equation(
        "ideal_gas",
        "P*Vol",
        "n*R_u*T",
        "ideal gas law",
        ("properties",),
        ASME,
        requires=(_GAS,),
        constants={"R_u": R_U},
        validity={"P": (0.0, 1.0e7)},
    ),
    Equation("moles_mass", "m", "n*M", "mass from moles and molar mass", ("balances",), ASME),
    Equation(
        "sensible_heat",
        "Q_dot",
        "m_dot*cp*(T_out - T_in)",
        "sensible heat duty of a stream heated without phase change",
        ("heat transfer",),
        INCROPERA,
        excludes=("cooled", "cooling", "chilled", "removed"),
    ),
    Equation(
        "sensible_cooling",
        "Q_dot",
        "m_dot*cp*(T_in - T_out)",
        "sensible heat removed from a stream cooled without phase change",
        ("heat transfer",),
        INCROPERA,
        requires=(("cooled", "cooling", "chilled", "removed"),),
    ),
    Equation(
        "hx_rate",
        "Q_dot",
        "U*A*LMTD",
        "heat exchanger rate equation",
        ("heat transfer",),
        INCROPERA,
        requires=(_HX,),
    ),
    Equation(
        "lmtd",
        "LMTD",
        "(dT1 - dT2)/log(dT1/dT2)",
        "log-mean temperature difference",
        ("heat transfer",),
        INCROPERA,
        requires=(_HX,),
    ),
    Equation(
        "counterflow_dT1",
        "dT1",
        "Th_in - Tc_out",
        "counter-flow terminal difference, end 1",
        ("heat transfer",),
        INCROPERA,
        requires=(_COUNTER,),
    ),
    Equation(
        "counterflow_dT2",
        "dT2",
        "Th_out - Tc_in",
        "counter-flow terminal difference, end 2",
        ("heat transfer",),
        INCROPERA,
        requires=(_COUNTER,),
    ),
    Equation(
        "parallel_dT1",
        "dT1",
        "Th_in - Tc_in",
        "parallel-flow terminal difference, end 1",
        ("heat transfer",),
        INCROPERA,
        requires=(_PARALLEL,),
        excludes=_COUNTER,
    ),
    Equation(
        "parallel_dT2",
        "dT2",
        "Th_out - Tc_out",
        "parallel-flow terminal difference, end 2",
        ("heat transfer",),
        INCROPERA,
        requires=(_PARALLEL,),
        excludes=_COUNTER,
    ),
    Equation(
        "pump_hydraulic_power",
        "W_fluid",
        "V_dot*dP",
        "hydraulic power of a pump",
        ("fluid flow", "turbomachinery"),
        FOX,
        requires=(_PUMP,),
    ),
    Equation(
        "pump_shaft_power",
        "W_shaft",
        "W_fluid/eta",
        "shaft power = hydraulic / efficiency",
        ("fluid flow", "turbomachinery"),
        FOX,
        requires=(_PUMP,),
    ),
    Equation(
        "pump_head",
        "dP",
        "rho*g*H",
        "pressure rise from pump head",
        ("fluid flow",),
        FOX,
        requires=(_PUMP,),
        constants={"g": G0},
    ),
    Equation(
        "fourier_wall",
        "Q_dot",
        "k_th*A*(T_hot - T_cold)/L",
        "Fourier's law, steady 1-D conduction through a plane wall",
        ("heat transfer",),
        INCROPERA,
        requires=(_WALL,),
    ),
    Equation(
        "heat_flux", "q_flux", "Q_dot/A", "heat flux = rate / area", ("heat transfer",), INCROPERA
    ),
    Equation(
        "newton_cooling",
        "Q_dot",
        "h*A*(T_s - T_inf)",
        "Newton's law of cooling",
        ("heat transfer",),
        INCROPERA,
        requires=(_CONV,),
    ),
    Equation(
        "cstr_first_order",
        "X",
        "k_r*tau/(1 + k_r*tau)",
        "first-order irreversible reaction in an ideal CSTR",
        ("kinetics",),
        LEVENSPIEL,
        requires=(_CSTR,),
    ),
    Equation(
        "pfr_first_order",
        "X",
        "1 - exp(-k_r*tau)",
        "first-order irreversible reaction in an ideal PFR",
        ("kinetics",),
        LEVENSPIEL,
        requires=(_PFR,),
    ),
    Equation(
        "space_time",
        "tau",
        "V_r/V_dot",
        "space time = reactor volume / feed flow",
        ("kinetics",),
        LEVENSPIEL,
        requires=(_CSTR + _PFR,),
    ),
    Equation(
        "arrhenius",
        "k_r",
        "A_pre*exp(-Ea/(R_u*T))",
        "Arrhenius law",
        ("kinetics",),
        FOGLER,
        requires=(_ARR,),
        constants={"R_u": R_U},
    ),
    Equation(
        "arrhenius_two_point",
        "log(k_2/k_1)",
        "Ea/R_u*(1/T_1 - 1/T_2)",
        "Arrhenius law between two temperatures",
        ("kinetics",),
        FOGLER,
        requires=(_ARR,),
        constants={"R_u": R_U},
    ),
    Equation(
        "bernoulli",
        "P1/rho + V1**2/2 + g*z1",
        "P2/rho + V2**2/2 + g*z2",
        "Bernoulli equation along a streamline (steady, incompressible, frictionless)",
        ("fluid flow",),
        FOX,
        requires=(_BERN,),
        constants={"g": G0},
    ),
    Equation(
        "continuity",
        "V1*D1**2",
        "V2*D2**2",
        "continuity for incompressible flow in circular sections",
        ("fluid flow", "balances"),
        FOX,
        requires=(_BERN,),
    ),
    Equation(
        "mixing_mass",
        "m3",
        "m1 + m2",
        "steady mass balance of a mixer",
        ("balances",),
        ASME,
        requires=(_MIX,),
    ),
    Equation(
        "mixing_energy",
        "m3*Tm3",
        "m1*Tm1 + m2*Tm2",
        "steady energy balance of an adiabatic mixer (one fluid, constant cp)",
        ("balances",),
        ASME,
        requires=(_MIX,),
    ),
    *EQUATIONS_EXT,
)

VARIABLES_BY_NAME: dict[str, Variable] = {v.name: v for v in VARIABLES}
EQUATIONS_BY_NAME: dict[str, Equation] = {e.name: e for e in EQUATIONS}


def _check_catalogue() -> None:
    """Every equation variable is declared; names are unique."""
    if len(VARIABLES_BY_NAME) != len(VARIABLES):
        raise RuntimeError("duplicate variable names in the catalogue")
    if len(EQUATIONS_BY_NAME) != len(EQUATIONS):
        raise RuntimeError("duplicate equation names in the catalogue")
    for e in EQUATIONS:
        for n in e.variables:
            if n not in VARIABLES_BY_NAME:
                raise RuntimeError(f"equation {e.name!r} uses undeclared variable {n!r}")


_check_catalogue()
