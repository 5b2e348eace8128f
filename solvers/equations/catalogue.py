"""The closed-form relations PEOA solves exactly, with their sources.

Each variable is in SI. Cues and roles feed the understanding step; requires/excludes say when an
equation applies; validity ranges are data that the agent and the abduction can read.
"""

from __future__ import annotations

from solvers.equations.model import Equation, Variable

R_U = 8.314462618  # J/(mol K), CODATA 2018
G0 = 9.80665  # m/s², standard gravity

_IN = frozenset({"inlet"})
_OUT = frozenset({"outlet"})


def _v(name: str, unit: str, description: str, *, aliases: tuple[str, ...] = (),
       cues: tuple[str, ...] = (), roles: frozenset[str] = frozenset(),
       lower: float | None = None, upper: float | None = None) -> Variable:
    return Variable(name, unit, description, aliases, cues, roles, lower, upper)


POS = 0.0  # lower bound for strictly physical magnitudes

VARIABLES: tuple[Variable, ...] = (
    # fluid flow
    _v("rho", "kg/m**3", "density of the fluid", aliases=("rho", "ρ", "density"),
       cues=("density", "dense"), lower=POS),
    _v("mu", "Pa*s", "dynamic (absolute) viscosity of the fluid", aliases=("mu", "μ", "viscosity"),
       cues=("viscosity", "viscous"), lower=POS),
    _v("nu", "m**2/s", "kinematic viscosity of the fluid", aliases=("nu", "ν"),
       cues=("kinematic viscosity", "kinematic"), lower=POS),
    _v("V", "m/s", "mean flow velocity in the pipe", aliases=("V", "u", "v_avg", "velocity"),
       cues=("velocity", "speed", "flows at", "moving at"), lower=POS),
    _v("D", "m", "pipe or tube inside diameter", aliases=("D", "d", "diameter", "ID"),
       cues=("diameter", "bore", "pipe", "tube", "i.d."), lower=POS),
    _v("Re", "dimensionless", "Reynolds number of the flow", aliases=("Re", "Re_D", "Reynolds"),
       cues=("reynolds",), lower=POS),
    _v("V_dot", "m**3/s", "volumetric flow rate", aliases=("V_dot", "Q_v", "Qv", "volumetric_flow"),
       cues=("volumetric flow", "flow rate", "discharge", "delivers", "pumped", "flow of"),
       lower=POS),
    _v("m_dot", "kg/s", "mass flow rate of the stream", aliases=("m_dot", "mdot", "ṁ", "m"),
       cues=("mass flow", "flow rate", "flows", "rate of"), lower=POS),
    _v("A_cs", "m**2", "flow cross-sectional area", aliases=("A_cs", "A_flow"),
       cues=("cross-section", "cross section", "flow area"), lower=POS),
    # ideal gas
    _v("P", "Pa", "absolute pressure of the gas", aliases=("P", "p", "pressure"),
       cues=("pressure", "at", "pressurized"), lower=POS),
    _v("T", "K", "absolute temperature of the gas", aliases=("T", "temperature"),
       cues=("temperature", "at"), lower=POS),
    _v("Vol", "m**3", "volume of the gas or vessel", aliases=("V", "Vol", "volume"),
       cues=("volume", "tank", "vessel", "container", "cylinder", "occupies"), lower=POS),
    _v("n", "mol", "amount of substance", aliases=("n", "moles", "N"),
       cues=("mol", "moles", "amount"), lower=POS),
    _v("m", "kg", "mass of the gas", aliases=("m", "mass"), cues=("mass", "contains", "of"),
       lower=POS),
    _v("M", "kg/mol", "molar mass", aliases=("M", "MW", "molar_mass"),
       cues=("molar mass", "molecular weight"), lower=POS),
    # sensible heat
    _v("Q_dot", "W", "heat duty (rate of heat transfer)",
       aliases=("Q", "Q_dot", "Q̇", "q", "duty", "heat_duty", "heat_rate"),
       cues=("heat duty", "heat transfer rate", "duty", "heat load", "heat rate", "heat is"),
       lower=POS),
    _v("cp", "J/(kg*K)", "specific heat capacity at constant pressure",
       aliases=("cp", "c_p", "Cp", "c"), cues=("specific heat", "heat capacity", "cp"), lower=POS),
    _v("T_in", "K", "stream inlet temperature", aliases=("T_in", "T1", "T_1"),
       cues=("enters", "inlet", "from", "initially", "entering", "supplied"), roles=_IN, lower=POS),
    _v("T_out", "K", "stream outlet temperature", aliases=("T_out", "T2", "T_2"),
       cues=("leaves", "outlet", "exit", "to", "leaving", "heated to", "cooled to"), roles=_OUT,
       lower=POS),
    # heat exchangers
    _v("U", "W/(m**2*K)", "overall heat transfer coefficient", aliases=("U", "U_o"),
       cues=("overall", "coefficient", "u ="), lower=POS),
    _v("A", "m**2", "heat transfer area", aliases=("A", "area", "A_ht"),
       cues=("area", "surface"), lower=POS),
    _v("LMTD", "K", "log-mean temperature difference", aliases=("LMTD", "ΔT_lm", "dT_lm", "DT_lm"),
       cues=("log mean", "log-mean", "lmtd"), lower=POS),
    _v("dT1", "K", "terminal temperature difference at end 1", aliases=("dT1", "ΔT1", "ΔT_1")),
    _v("dT2", "K", "terminal temperature difference at end 2", aliases=("dT2", "ΔT2", "ΔT_2")),
    _v("Th_in", "K", "hot stream inlet temperature", aliases=("Th_in", "T_h_in", "T_hi"),
       cues=("hot", "enters", "inlet"), roles=frozenset({"hot", "inlet"}), lower=POS),
    _v("Th_out", "K", "hot stream outlet temperature", aliases=("Th_out", "T_h_out", "T_ho"),
       cues=("hot", "leaves", "outlet"), roles=frozenset({"hot", "outlet"}), lower=POS),
    _v("Tc_in", "K", "cold stream inlet temperature", aliases=("Tc_in", "T_c_in", "T_ci"),
       cues=("cold", "enters", "inlet"), roles=frozenset({"cold", "inlet"}), lower=POS),
    _v("Tc_out", "K", "cold stream outlet temperature", aliases=("Tc_out", "T_c_out", "T_co"),
       cues=("cold", "leaves", "outlet"), roles=frozenset({"cold", "outlet"}), lower=POS),
    # pumps
    _v("dP", "Pa", "pressure rise across the pump (or pressure drop)",
       aliases=("dP", "ΔP", "delta_P", "DP"),
       cues=("pressure rise", "pressure difference", "pressure drop", "raises", "differential",
             "against", "head of"), lower=POS),
    _v("H", "m", "pump head", aliases=("H", "head"), cues=("head",), lower=POS),
    _v("eta", "dimensionless", "efficiency (pump, fan or device)",
       aliases=("eta", "η", "efficiency", "eta_p"), cues=("efficiency", "efficient"),
       lower=0.0, upper=1.0),
    _v("W_shaft", "W", "shaft (brake) power required", aliases=("W_shaft", "P_shaft", "W", "Ẇ",
       "W_dot", "P_s", "BHP", "power"), cues=("shaft power", "brake power", "power"), lower=POS),
    _v("W_fluid", "W", "hydraulic (fluid) power delivered", aliases=("W_fluid", "W_hyd", "P_h"),
       cues=("hydraulic power", "fluid power", "water power"), lower=POS),
    # conduction and convection
    _v("k_th", "W/(m*K)", "thermal conductivity", aliases=("k", "k_th", "lambda"),
       cues=("conductivity",), lower=POS),
    _v("L", "m", "wall thickness (conduction path length)", aliases=("L", "thickness", "t", "Δx"),
       cues=("thick", "thickness", "wall"), lower=POS),
    _v("T_hot", "K", "temperature of the hot (inner) face", aliases=("T_hot", "T1", "T_1", "T_s1"),
       cues=("inner", "inside", "hot", "one side", "face"), roles=frozenset({"hot"}), lower=POS),
    _v("T_cold", "K", "temperature of the cold (outer) face",
       aliases=("T_cold", "T2", "T_2", "T_s2"), cues=("outer", "outside", "cold", "other"),
       roles=frozenset({"cold"}), lower=POS),
    _v("q_flux", "W/m**2", "heat flux", aliases=("q", "q_flux", "q''", "flux"),
       cues=("flux", "per unit area", "per square"), lower=POS),
    _v("h", "W/(m**2*K)", "convective heat transfer coefficient", aliases=("h", "h_conv"),
       cues=("convection", "convective", "film", "heat transfer coefficient"), lower=POS),
    _v("T_s", "K", "surface temperature", aliases=("T_s", "Ts", "T_surface"),
       cues=("surface", "wall", "plate", "skin"), roles=frozenset({"hot"}), lower=POS),
    _v("T_inf", "K", "free-stream (ambient) fluid temperature",
       aliases=("T_inf", "T_∞", "T_amb", "T_air"),
       cues=("ambient", "surrounding", "air", "free stream", "bulk", "room"),
       roles=frozenset({"cold"}), lower=POS),
    # kinetics and reactors
    _v("k_r", "1/s", "first-order rate constant", aliases=("k", "k_r", "rate_constant"),
       cues=("rate constant", "first-order", "first order", "k ="), lower=POS),
    _v("tau", "s", "space time (residence time)", aliases=("tau", "τ", "residence_time"),
       cues=("residence", "space time", "space-time", "holding time"), lower=POS),
    _v("X", "dimensionless", "fractional conversion of the reactant",
       aliases=("X", "X_A", "conversion", "x_A"), cues=("conversion", "converted"),
       lower=0.0, upper=1.0),
    _v("V_r", "m**3", "reactor volume", aliases=("V", "V_r", "V_R", "volume"),
       cues=("reactor", "volume", "vessel"), lower=POS),
    _v("A_pre", "1/s", "Arrhenius pre-exponential factor",
       aliases=("A", "k0", "k_0", "A_pre", "frequency_factor"),
       cues=("pre-exponential", "frequency factor", "preexponential"), lower=POS),
    _v("Ea", "J/mol", "activation energy", aliases=("Ea", "E_a", "E"),
       cues=("activation energy", "activation"), lower=POS),
    _v("k_1", "1/s", "rate constant at the first temperature", aliases=("k1", "k_1"),
       cues=("rate constant", "k ="), roles=frozenset({"1"}), lower=POS),
    _v("k_2", "1/s", "rate constant at the second temperature", aliases=("k2", "k_2"),
       cues=("rate constant",), roles=frozenset({"2"}), lower=POS),
    _v("T_1", "K", "first temperature", aliases=("T1", "T_1"), cues=("at",),
       roles=frozenset({"1"}), lower=POS),
    _v("T_2", "K", "second temperature", aliases=("T2", "T_2"), cues=("at", "raised", "to"),
       roles=frozenset({"2"}), lower=POS),
    # Bernoulli
    _v("P1", "Pa", "pressure at point 1 (upstream)", aliases=("P1", "P_1"),
       cues=("pressure", "inlet", "upstream"), roles=frozenset({"1", "inlet"}), lower=POS),
    _v("P2", "Pa", "pressure at point 2 (downstream)", aliases=("P2", "P_2"),
       cues=("pressure", "outlet", "downstream", "exit"), roles=frozenset({"2", "outlet"}),
       lower=POS),
    _v("V1", "m/s", "velocity at point 1 (upstream)", aliases=("V1", "V_1", "v1"),
       cues=("velocity", "inlet", "upstream"), roles=frozenset({"1", "inlet"}), lower=POS),
    _v("V2", "m/s", "velocity at point 2 (downstream)", aliases=("V2", "V_2", "v2"),
       cues=("velocity", "outlet", "exit", "downstream"), roles=frozenset({"2", "outlet"}),
       lower=POS),
    _v("z1", "m", "elevation of point 1", aliases=("z1", "z_1"),
       cues=("elevation", "height", "above"), roles=frozenset({"1", "inlet"})),
    _v("z2", "m", "elevation of point 2", aliases=("z2", "z_2"),
       cues=("elevation", "height", "above"), roles=frozenset({"2", "outlet"})),
    _v("D1", "m", "diameter at point 1", aliases=("D1", "D_1"), cues=("diameter",),
       roles=frozenset({"1", "inlet"}), lower=POS),
    _v("D2", "m", "diameter at point 2", aliases=("D2", "D_2"), cues=("diameter",),
       roles=frozenset({"2", "outlet"}), lower=POS),
    # mixing of two streams of one fluid
    _v("m1", "kg/s", "mass flow of stream 1", aliases=("m1", "m_1", "ṁ_1", "ṁ1"),
       cues=("flow", "stream"), roles=frozenset({"1"}), lower=POS),
    _v("m2", "kg/s", "mass flow of stream 2", aliases=("m2", "m_2", "ṁ_2", "ṁ2"),
       cues=("flow", "stream"), roles=frozenset({"2"}), lower=POS),
    _v("m3", "kg/s", "mass flow of the mixed stream", aliases=("m3", "m_3", "ṁ_3", "ṁ3", "m_mix"),
       cues=("mixed", "combined", "exit", "leaves"), roles=frozenset({"3", "outlet"}), lower=POS),
    _v("Tm1", "K", "temperature of stream 1", aliases=("T1", "T_1"), cues=("stream",),
       roles=frozenset({"1"}), lower=POS),
    _v("Tm2", "K", "temperature of stream 2", aliases=("T2", "T_2"), cues=("stream",),
       roles=frozenset({"2"}), lower=POS),
    _v("Tm3", "K", "temperature of the mixed stream",
       aliases=("T3", "T_3", "T_mix", "T_mixed", "T_exit", "T_out", "T_e", "T_final"),
       cues=("mixed", "mixture", "exit", "leaves", "final", "resulting"),
       roles=frozenset({"3", "outlet"}), lower=POS),
)

_CSTR = ("cstr", "stirred", "mixed flow", "mixed-flow", "backmix", "back-mix")
_PFR = ("pfr", "plug flow", "plug-flow", "tubular")
_HX = ("exchanger", "counterflow", "counter-flow", "counter flow", "countercurrent",
       "parallel", "co-current", "cocurrent", "lmtd", "log mean", "log-mean")
_COUNTER = ("counterflow", "counter-flow", "counter flow", "countercurrent", "counter-current")
_PARALLEL = ("parallel-flow", "parallel flow", "co-current", "cocurrent", "concurrent")
_PUMP = ("pump", "fan", "blower")
_WALL = ("wall", "slab", "plate", "conduct", "insulation", "brick", "sheet", "panel")
_CONV = ("convection", "convective", "heat transfer coefficient", "film coefficient")
_MIX = ("mix", "mixing", "combined", "combine", "merge", "blend", "join")
_ARR = ("activation", "arrhenius", "pre-exponential", "frequency factor")
_BERN = ("bernoulli", "nozzle", "contraction", "venturi", "reducer", "frictionless",
         "inviscid", "upstream", "downstream", "section 1", "point 1")
_GAS = ("gas", "ideal", "air", "nitrogen", "oxygen", "helium", "argon", "hydrogen", "methane",
        "co2", "carbon dioxide")

ASME = "Çengel & Boles, Thermodynamics: An Engineering Approach, 9th ed."
INCROPERA = "Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed."
FOX = "Fox & McDonald, Introduction to Fluid Mechanics, 8th ed."
LEVENSPIEL = "Levenspiel, Chemical Reaction Engineering, 3rd ed."
FOGLER = "Fogler, Elements of Chemical Reaction Engineering, 5th ed."

EQUATIONS: tuple[Equation, ...] = (
    Equation("reynolds", "Re", "rho*V*D/mu", "Reynolds number from density, velocity, diameter "
             "and dynamic viscosity", ("fluid flow",), FOX),
    Equation("reynolds_kinematic", "Re", "V*D/nu", "Reynolds number from kinematic viscosity",
             ("fluid flow",), FOX),
    Equation("kinematic_viscosity", "nu", "mu/rho", "kinematic viscosity definition",
             ("fluid flow",), FOX),
    Equation("pipe_area", "A_cs", "pi*D**2/4", "circular flow area", ("fluid flow",), FOX),
    Equation("volumetric_flow", "V_dot", "V*A_cs", "volumetric flow = velocity x area",
             ("fluid flow",), FOX),
    Equation("mass_flow", "m_dot", "rho*V_dot", "mass flow = density x volumetric flow",
             ("fluid flow", "balances"), FOX),
    Equation("ideal_gas", "P*Vol", "n*R_u*T", "ideal gas law", ("properties",), ASME,
             requires=(_GAS,), constants={"R_u": R_U},
             validity={"P": (0.0, 1.0e7)}),
    Equation("moles_mass", "m", "n*M", "mass from moles and molar mass", ("balances",), ASME),
    Equation("sensible_heat", "Q_dot", "m_dot*cp*(T_out - T_in)",
             "sensible heat duty of a stream heated without phase change", ("heat transfer",),
             INCROPERA, excludes=("cooled", "cooling", "chilled", "removed")),
    Equation("sensible_cooling", "Q_dot", "m_dot*cp*(T_in - T_out)",
             "sensible heat removed from a stream cooled without phase change",
             ("heat transfer",), INCROPERA, requires=(("cooled", "cooling", "chilled",
                                                       "removed"),)),
    Equation("hx_rate", "Q_dot", "U*A*LMTD", "heat exchanger rate equation", ("heat transfer",),
             INCROPERA, requires=(_HX,)),
    Equation("lmtd", "LMTD", "(dT1 - dT2)/log(dT1/dT2)", "log-mean temperature difference",
             ("heat transfer",), INCROPERA, requires=(_HX,)),
    Equation("counterflow_dT1", "dT1", "Th_in - Tc_out", "counter-flow terminal difference, end 1",
             ("heat transfer",), INCROPERA, requires=(_COUNTER,)),
    Equation("counterflow_dT2", "dT2", "Th_out - Tc_in", "counter-flow terminal difference, end 2",
             ("heat transfer",), INCROPERA, requires=(_COUNTER,)),
    Equation("parallel_dT1", "dT1", "Th_in - Tc_in", "parallel-flow terminal difference, end 1",
             ("heat transfer",), INCROPERA, requires=(_PARALLEL,), excludes=_COUNTER),
    Equation("parallel_dT2", "dT2", "Th_out - Tc_out", "parallel-flow terminal difference, end 2",
             ("heat transfer",), INCROPERA, requires=(_PARALLEL,), excludes=_COUNTER),
    Equation("pump_hydraulic_power", "W_fluid", "V_dot*dP", "hydraulic power of a pump",
             ("fluid flow", "turbomachinery"), FOX, requires=(_PUMP,)),
    Equation("pump_shaft_power", "W_shaft", "W_fluid/eta", "shaft power = hydraulic / efficiency",
             ("fluid flow", "turbomachinery"), FOX, requires=(_PUMP,)),
    Equation("pump_head", "dP", "rho*g*H", "pressure rise from pump head", ("fluid flow",), FOX,
             requires=(_PUMP,), constants={"g": G0}),
    Equation("fourier_wall", "Q_dot", "k_th*A*(T_hot - T_cold)/L",
             "Fourier's law, steady 1-D conduction through a plane wall", ("heat transfer",),
             INCROPERA, requires=(_WALL,)),
    Equation("heat_flux", "q_flux", "Q_dot/A", "heat flux = rate / area", ("heat transfer",),
             INCROPERA),
    Equation("newton_cooling", "Q_dot", "h*A*(T_s - T_inf)", "Newton's law of cooling",
             ("heat transfer",), INCROPERA, requires=(_CONV,)),
    Equation("cstr_first_order", "X", "k_r*tau/(1 + k_r*tau)",
             "first-order irreversible reaction in an ideal CSTR", ("kinetics",), LEVENSPIEL,
             requires=(_CSTR,)),
    Equation("pfr_first_order", "X", "1 - exp(-k_r*tau)",
             "first-order irreversible reaction in an ideal PFR", ("kinetics",), LEVENSPIEL,
             requires=(_PFR,)),
    Equation("space_time", "tau", "V_r/V_dot", "space time = reactor volume / feed flow",
             ("kinetics",), LEVENSPIEL, requires=(_CSTR + _PFR,)),
    Equation("arrhenius", "k_r", "A_pre*exp(-Ea/(R_u*T))", "Arrhenius law", ("kinetics",),
             FOGLER, requires=(_ARR,), constants={"R_u": R_U}),
    Equation("arrhenius_two_point", "log(k_2/k_1)", "Ea/R_u*(1/T_1 - 1/T_2)",
             "Arrhenius law between two temperatures", ("kinetics",), FOGLER,
             requires=(_ARR,), constants={"R_u": R_U}),
    Equation("bernoulli", "P1/rho + V1**2/2 + g*z1", "P2/rho + V2**2/2 + g*z2",
             "Bernoulli equation along a streamline (steady, incompressible, frictionless)",
             ("fluid flow",), FOX, requires=(_BERN,), constants={"g": G0}),
    Equation("continuity", "V1*D1**2", "V2*D2**2", "continuity for incompressible flow in "
             "circular sections", ("fluid flow", "balances"), FOX, requires=(_BERN,)),
    Equation("mixing_mass", "m3", "m1 + m2", "steady mass balance of a mixer", ("balances",),
             ASME, requires=(_MIX,)),
    Equation("mixing_energy", "m3*Tm3", "m1*Tm1 + m2*Tm2",
             "steady energy balance of an adiabatic mixer (one fluid, constant cp)",
             ("balances",), ASME, requires=(_MIX,)),
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
