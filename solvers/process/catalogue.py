"""The registered process models: components and cycles with their inputs and keywords.

Input aliases are the names engineers write for the same quantity (``eta_t``, ``eta_turbine``
for a turbine's isentropic efficiency); keywords are the words that name the process in text.
"""

from __future__ import annotations

from typing import Any

from solvers import components as comp
from solvers import cycles
from solvers.components.base import ComponentResult
from solvers.errors import UnderdeterminedError
from solvers.media.base import Medium, Point
from solvers.process.registry import (
    DELTA_T,
    Input,
    ProcessModel,
    dead_state,
    make_medium,
    register_process,
)

_CENGEL = "Çengel & Boles, Thermodynamics: An Engineering Approach, 9th ed."
_SOURCE_CUES = (
    "source",
    "furnace",
    "combustion gas",
    "flame",
    "hot reservoir",
    "high-temperature reservoir",
    "supplied by",
)

# -- shared inputs -------------------------------------------------------------------------------
_DEAD_CUES = ("dead state", "dead-state", "environment", "ambient", "surroundings")
DEAD = (
    Input(
        "T0",
        "K",
        "dead-state temperature",
        ("T_0", "T_dead", "T_env", "T_ambient"),
        cues=_DEAD_CUES,
    ),
    Input(
        "P0", "Pa", "dead-state pressure", ("P_0", "P_dead", "P_env", "P_ambient"), cues=_DEAD_CUES
    ),
)
GAS = (
    Input(
        "cp",
        "J/(kg*K)",
        "constant-pressure specific heat (constant-cp model)",
        ("c_p",),
        cues=("specific heat", "c_p", "cp"),
    ),
    Input(
        "k",
        "",
        "specific-heat ratio (constant-cp model)",
        ("gamma",),
        cues=("specific heat ratio", "specific-heat ratio", "ratio of specific heats"),
    ),
    Input("R", "J/(kg*K)", "gas constant (constant-cp model)", ("R_gas",), cues=("gas constant",)),
)


def _state_inputs(tag: str, what: str) -> tuple[Input, ...]:
    return (
        Input(f"T{tag}", "K", f"{what} temperature", (f"T_{tag}",)),
        Input(f"P{tag}", "Pa", f"{what} pressure", (f"P_{tag}",)),
        Input(f"x{tag}", "", f"{what} quality", (f"x_{tag}",)),
        Input(f"h{tag}", "J/kg", f"{what} specific enthalpy", (f"h_{tag}",)),
        Input(f"s{tag}", "J/(kg*K)", f"{what} specific entropy", (f"s_{tag}",)),
    )


def _state(medium: Medium, inputs: dict[str, float], tag: str, P: float | None = None) -> Point:
    """A state from any two of T, P, x, h, s tagged ``tag`` (P may come from elsewhere)."""
    have = {k: inputs[f"{k}{tag}"] for k in ("P", "T", "x", "h", "s") if f"{k}{tag}" in inputs}
    if "P" not in have and P is not None:
        have = {"P": P, **have}
    if len(have) < 2:
        raise UnderdeterminedError([f"state {tag}"], [f"{k}{tag}" for k in ("T", "P", "x")])
    if "x" in have:  # quality with P or T fixes a saturated state
        pair = {"x": have["x"], **({"P": have["P"]} if "P" in have else {"T": have["T"]})}
    else:
        keys = list(have)[:2]
        pair = {k: have[k] for k in keys}
    return medium.state(**pair)


def _setup(inputs: dict[str, float], options: dict[str, Any]) -> tuple[Medium, Any]:
    dead = dead_state(inputs)
    return make_medium(options.get("fluid"), options, inputs, dead), dead


def _need(inputs: dict[str, float], *names: str, model: str) -> None:
    missing = [n for n in names if n not in inputs]
    if missing:
        raise UnderdeterminedError([model], missing)


def _cycle(fn: Any, *required: str) -> Any:
    """A runner that passes every bound input whose name is a parameter of ``fn`` (the cycle
    functions use the input names), with the medium and dead state from the options."""
    import inspect

    params = [p for p in inspect.signature(fn).parameters if p not in {"medium", "dead"}]

    def run(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
        medium, dead = _setup(inputs, options)
        _need(inputs, *required, model=fn.__name__)
        return fn(medium, dead=dead, **{k: inputs[k] for k in params if k in inputs})

    return run


# -- components ----------------------------------------------------------------------------------
def _work_device(kind: str) -> Any:
    fn = {"turbine": comp.turbine, "compressor": comp.compressor, "pump": comp.pump}[kind]

    def run(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
        medium, dead = _setup(inputs, options)
        _need(inputs, "P2", model=kind)
        return fn(medium, _state(medium, inputs, "1"), inputs["P2"], inputs["eta_s"], dead)

    return run


def _eta(*aliases: str) -> Input:
    return Input("eta_s", "", "isentropic efficiency", aliases, default=1.0)


_WORK = {
    "turbine": (
        ("eta_t", "eta_turb", "eta_turbine", "eta_T", "eta"),
        ("turbine", "expander", "expands"),
        ("turbomachinery",),
    ),
    "compressor": (
        ("eta_c", "eta_comp", "eta_compressor", "eta_C", "eta"),
        ("compressor", "compressed", "compresses"),
        ("turbomachinery",),
    ),
    "pump": (
        ("eta_p", "eta_pump", "eta_P", "eta"),
        ("pump", "pumped", "pumps"),
        ("turbomachinery", "fluid flow"),
    ),
}
for _kind, (_aliases, _kw, _skills) in _WORK.items():
    register_process(
        ProcessModel(
            name=_kind,
            kind="component",
            description=f"adiabatic {_kind}: inlet state, exit pressure, isentropic efficiency",
            inputs=(
                *_state_inputs("1", "inlet"),
                Input("P2", "Pa", "exit pressure", ("P_2", "P_out", "P_exit")),
                _eta(*_aliases),
                *DEAD,
                *GAS,
            ),
            run=_work_device(_kind),
            skills=_skills,
            keywords=_kw,
            reference=_CENGEL + " §5-4, §7-12",
        )
    )


def _nozzle(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    medium, dead = _setup(inputs, options)
    _need(inputs, "P2", model="nozzle")
    return comp.nozzle(
        medium, _state(medium, inputs, "1"), inputs["P2"], inputs["eta_N"], inputs["V1"], dead
    )


register_process(
    ProcessModel(
        name="nozzle",
        kind="component",
        description="adiabatic nozzle: inlet state and velocity, exit pressure, efficiency",
        inputs=(
            *_state_inputs("1", "inlet"),
            Input("P2", "Pa", "exit pressure", ("P_2", "P_out", "P_exit")),
            Input("V1", "m/s", "inlet velocity", ("V_1", "V_in"), default=0.0),
            Input("eta_N", "", "nozzle efficiency", ("eta_nozzle", "eta_n", "eta_s", "eta"), 1.0),
            *DEAD,
            *GAS,
        ),
        run=_nozzle,
        skills=("fluid flow", "turbomachinery"),
        keywords=("nozzle",),
        reference=_CENGEL + " §5-4",
    )
)


def _diffuser(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    medium, dead = _setup(inputs, options)
    _need(inputs, "V1", "V2", "P2", model="diffuser")
    return comp.diffuser(
        medium, _state(medium, inputs, "1"), inputs["V1"], inputs["V2"], inputs["P2"], dead
    )


register_process(
    ProcessModel(
        name="diffuser",
        kind="component",
        description="adiabatic diffuser: inlet state and velocity, exit velocity and pressure",
        inputs=(
            *_state_inputs("1", "inlet"),
            Input("P2", "Pa", "exit pressure", ("P_out",)),
            Input("V1", "m/s", "inlet velocity", ("V_in",)),
            Input("V2", "m/s", "exit velocity", ("V_out",)),
            *DEAD,
            *GAS,
        ),
        run=_diffuser,
        skills=("fluid flow",),
        keywords=("diffuser",),
        reference=_CENGEL + " §5-4",
    )
)


def _throttle(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    medium, dead = _setup(inputs, options)
    _need(inputs, "P2", model="throttle")
    return comp.throttle(medium, _state(medium, inputs, "1"), inputs["P2"], dead)


register_process(
    ProcessModel(
        name="throttle",
        kind="component",
        description="throttling valve (isenthalpic expansion)",
        inputs=(
            *_state_inputs("1", "inlet"),
            Input("P2", "Pa", "exit pressure", ("P_out",)),
            *DEAD,
        ),
        run=_throttle,
        skills=("balances",),
        keywords=("throttle", "throttled", "throttling", "expansion valve", "valve"),
        reference=_CENGEL + " §5-4",
    )
)


def _boiler(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    medium, dead = _setup(inputs, options)
    inlet = _state(medium, inputs, "_in", P=inputs.get("P"))
    return comp.boiler(
        medium, inlet, inputs.get("T_out"), inputs.get("x_out"), inputs.get("T_source"), dead
    )


register_process(
    ProcessModel(
        name="boiler",
        kind="component",
        description="constant-pressure boiler heated by a source at T_source",
        inputs=(
            Input("P", "Pa", "boiler pressure", ("P_boiler", "P_in")),
            Input("T_in", "K", "inlet temperature", ("T1",)),
            Input("x_in", "", "inlet quality", ("x1",)),
            Input("T_out", "K", "exit temperature", ("T2",)),
            Input("x_out", "", "exit quality", ("x2",)),
            Input(
                "T_source",
                "K",
                "heat-source temperature",
                ("T_H", "T_gas", "T_s"),
                cues=_SOURCE_CUES,
            ),
            *DEAD,
        ),
        run=_boiler,
        skills=("balances", "heat transfer"),
        keywords=("boiler", "steam generator"),
        reference=_CENGEL + " §7-13, §8-8",
    )
)


def _hx(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    dead = dead_state(inputs)
    fluid = options.get("fluid")
    hot = make_medium(options.get("hot_fluid") or fluid, options, inputs, dead)
    cold = make_medium(options.get("cold_fluid") or fluid, options, inputs, dead)
    _need(inputs, "T_h_in", "T_c_in", "m_h", "m_c", model="heat_exchanger")
    P_h = inputs.get("P_h", 101325.0)
    P_c = inputs.get("P_c", 101325.0)
    return comp.heat_exchanger(
        hot,
        cold,
        hot.state(T=inputs["T_h_in"], P=P_h),
        cold.state(T=inputs["T_c_in"], P=P_c),
        inputs["m_h"],
        inputs["m_c"],
        inputs.get("T_h_out"),
        inputs.get("T_c_out"),
        dead,
    )


register_process(
    ProcessModel(
        name="heat_exchanger",
        kind="component",
        description="adiabatic two-stream heat exchanger (energy, entropy and exergy balances)",
        inputs=(
            Input("T_h_in", "K", "hot inlet temperature", ("T_hot_in", "Th_in", "T_h1")),
            Input("T_h_out", "K", "hot exit temperature", ("T_hot_out", "Th_out", "T_h2")),
            Input("T_c_in", "K", "cold inlet temperature", ("T_cold_in", "Tc_in", "T_c1")),
            Input("T_c_out", "K", "cold exit temperature", ("T_cold_out", "Tc_out", "T_c2")),
            Input("P_h", "Pa", "hot-stream pressure", ("P_hot",)),
            Input("P_c", "Pa", "cold-stream pressure", ("P_cold",)),
            Input("m_h", "kg/s", "hot mass flow rate", ("m_hot", "m_dot_h", "m_dot_hot")),
            Input("m_c", "kg/s", "cold mass flow rate", ("m_cold", "m_dot_c", "m_dot_cold")),
            *DEAD,
        ),
        run=_hx,
        skills=("heat transfer", "balances"),
        keywords=(
            "heat exchanger",
            "counter-flow",
            "counterflow",
            "parallel-flow",
            "heats",
            "heated by",
            "cooled by",
            "cools",
        ),
        reference=_CENGEL + " §5-4, §7-13",
    )
)


def _mixing(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    medium, dead = _setup(inputs, options)
    P = inputs.get("P")
    streams = []
    for i in (1, 2, 3):
        if f"m{i}" in inputs:
            streams.append((_state(medium, inputs, str(i), P=P), inputs[f"m{i}"]))
    return comp.mixing_chamber(medium, streams, P, dead)


register_process(
    ProcessModel(
        name="mixing_chamber",
        kind="component",
        description="adiabatic mixing chamber (mass, energy, entropy, exergy balances)",
        inputs=(
            Input("P", "Pa", "chamber pressure", ("P_mix",)),
            *_state_inputs("1", "stream 1"),
            *_state_inputs("2", "stream 2"),
            Input("m1", "kg/s", "stream 1 mass flow rate", ("m_1", "m_dot_1", "m_dot1")),
            Input("m2", "kg/s", "stream 2 mass flow rate", ("m_2", "m_dot_2", "m_dot2")),
            *DEAD,
        ),
        run=_mixing,
        skills=("balances",),
        keywords=("mixing chamber", "mix", "mixed", "feedwater heater"),
        reference=_CENGEL + " §5-4",
    )
)


# -- cycles --------------------------------------------------------------------------------------
SOURCE_SINK = (
    Input(
        "T_source",
        "K",
        "heat-source temperature",
        ("T_H_source", "T_hot_reservoir"),
        cues=_SOURCE_CUES,
    ),
    Input(
        "T_sink",
        "K",
        "heat-sink temperature",
        ("T_L_sink", "T_cold_reservoir"),
        cues=("sink", "rejected to", "cold reservoir", "low-temperature reservoir"),
    ),
)
M_DOT = Input("m_dot", "kg/s", "mass flow rate", ("m", "mdot", "m_dot_kgs"))
RANKINE_P = (
    Input("P_cond", "Pa", "condenser pressure", ("P_condenser", "P_low")),
    Input("P_boiler", "Pa", "boiler pressure", ("P_high", "P_steam")),
)


ETA_PUMP = Input("eta_pump", "", "pump isentropic efficiency", ("eta_p", "eta_P"), 1.0)
ETA_TURB = Input("eta_turb", "", "turbine isentropic efficiency", ("eta_t", "eta_T"), 1.0)

register_process(
    ProcessModel(
        name="rankine",
        kind="cycle",
        description="simple Rankine steam cycle (ideal when efficiencies are 1)",
        inputs=(
            *RANKINE_P,
            Input(
                "T3",
                "K",
                "turbine inlet (maximum cycle) temperature",
                ("T_turbine_in", "T_max", "T_boiler"),
            ),
            ETA_PUMP,
            ETA_TURB,
            M_DOT,
            *SOURCE_SINK,
            *DEAD,
        ),
        run=_cycle(cycles.rankine, "P_cond", "P_boiler"),
        skills=("cycles", "properties", "turbomachinery"),
        keywords=("rankine", "steam power plant", "steam power cycle"),
        reference=_CENGEL + " §10-2, §10-3",
        default_fluid="Water",
    )
)


register_process(
    ProcessModel(
        name="rankine_reheat",
        kind="cycle",
        description="reheat Rankine steam cycle (high- and low-pressure turbines)",
        inputs=(
            *RANKINE_P,
            Input("P_reheat", "Pa", "reheat pressure", ("P_rh", "P4", "P5")),
            Input("T3", "K", "high-pressure turbine inlet temperature", ("T_max",)),
            Input("T5", "K", "reheat temperature", ("T_reheat", "T_rh")),
            ETA_PUMP,
            Input("eta_HPT", "", "HP turbine efficiency", ("eta_turb", "eta_t", "eta_hp"), 1.0),
            Input("eta_LPT", "", "LP turbine efficiency", ("eta_lp",), 1.0),
            M_DOT,
            *SOURCE_SINK,
            *DEAD,
        ),
        run=_cycle(cycles.rankine_reheat, "P_cond", "P_boiler", "P_reheat"),
        skills=("cycles", "properties", "turbomachinery"),
        keywords=("reheat", "reheated", "reheater"),
        requires=("rankine", "steam"),
        reference=_CENGEL + " §10-6",
        default_fluid="Water",
    )
)


register_process(
    ProcessModel(
        name="rankine_regenerative",
        kind="cycle",
        description="regenerative Rankine cycle with one open feedwater heater",
        inputs=(
            *RANKINE_P,
            Input("P_fwh", "Pa", "feedwater-heater (bleed) pressure", ("P_bleed", "P_extract")),
            Input("T5", "K", "turbine inlet temperature", ("T3", "T_max")),
            ETA_PUMP,
            ETA_TURB,
            M_DOT,
            *SOURCE_SINK,
            *DEAD,
        ),
        run=_cycle(cycles.rankine_regenerative, "P_cond", "P_boiler", "P_fwh"),
        skills=("cycles", "properties", "turbomachinery"),
        keywords=("regenerative", "feedwater heater", "open feedwater"),
        requires=("rankine", "steam"),
        reference=_CENGEL + " §10-7",
        default_fluid="Water",
    )
)

BRAYTON = (
    Input("T1", "K", "compressor inlet temperature", ("T_1", "T_in", "T_min")),
    Input("P1", "Pa", "compressor inlet pressure", ("P_1", "P_in")),
    Input("r_p", "", "pressure ratio", ("rp", "PR", "pressure_ratio", "r")),
    Input("eta_comp", "", "compressor isentropic efficiency", ("eta_c", "eta_C"), 1.0),
    Input("eta_turb", "", "turbine isentropic efficiency", ("eta_t", "eta_T"), 1.0),
    M_DOT,
    *SOURCE_SINK,
    *DEAD,
    *GAS,
)


register_process(
    ProcessModel(
        name="brayton",
        kind="cycle",
        description="simple Brayton gas-turbine cycle (constant or variable specific heats)",
        inputs=(
            *BRAYTON,
            Input("T3", "K", "turbine inlet (maximum cycle) temperature", ("T_max", "TIT")),
        ),
        run=_cycle(cycles.brayton, "T1", "P1", "r_p", "T3"),
        skills=("cycles", "turbomachinery"),
        keywords=("brayton", "gas turbine", "gas-turbine"),
        reference=_CENGEL + " §9-8, §9-9",
        default_fluid="Air",
    )
)


register_process(
    ProcessModel(
        name="brayton_regenerative",
        kind="cycle",
        description="Brayton cycle with a regenerator of given effectiveness",
        inputs=(
            *BRAYTON,
            Input("T4", "K", "turbine inlet (maximum cycle) temperature", ("T_max", "TIT")),
            Input("epsilon", "", "regenerator effectiveness", ("epsilon_regen", "eps", "e")),
        ),
        run=_cycle(cycles.brayton_regenerative, "T1", "P1", "r_p", "T4", "epsilon"),
        skills=("cycles", "turbomachinery", "heat transfer"),
        keywords=("regenerator", "regenerative", "regeneration"),
        requires=("brayton", "gas turbine", "gas-turbine", "gas power"),
        reference=_CENGEL + " §9-10",
        default_fluid="Air",
    )
)


register_process(
    ProcessModel(
        name="vapor_compression",
        kind="cycle",
        description="vapour-compression refrigeration or heat-pump cycle",
        inputs=(
            Input("T_evap", "K", "evaporating temperature", ("T_evaporator", "T_e")),
            Input("T_cond", "K", "condensing temperature", ("T_condenser", "T_c")),
            Input("P_evap", "Pa", "evaporator pressure", ("P_evaporator", "P_low", "P1")),
            Input("P_cond", "Pa", "condenser pressure", ("P_condenser", "P_high", "P2")),
            Input("eta_comp", "", "compressor isentropic efficiency", ("eta_c", "eta_s"), 1.0),
            M_DOT,
            Input(
                "T_L",
                "K",
                "cooled-space temperature",
                ("T_space", "T_cold"),
                cues=("cooled space", "refrigerated space", "cold space", "cold region"),
            ),
            Input(
                "T_H",
                "K",
                "environment temperature",
                ("T_surroundings", "T_hot"),
                cues=("environment", "surroundings", "ambient", "heat sink", "outdoor"),
            ),
            Input("superheat", DELTA_T, "superheat at evaporator exit", ("dT_superheat",)),
            Input("subcool", DELTA_T, "subcooling at condenser exit", ("dT_subcool",)),
            *DEAD,
        ),
        run=_cycle(cycles.vapor_compression),
        skills=("cycles", "properties"),
        keywords=("refrigeration", "refrigerator", "heat pump", "vapor-compression", "vcr"),
        reference=_CENGEL + " §11-3, §11-4",
        default_fluid="R134a",
    )
)


def _combined(inputs: dict[str, float], options: dict[str, Any]) -> ComponentResult:
    dead = dead_state(inputs)
    gas_opts = {**options, "cp_model": options.get("gas_cp_model", options.get("cp_model"))}
    gas = make_medium(options.get("gas_fluid", "Air"), gas_opts, inputs, dead)
    steam = make_medium(options.get("steam_fluid", "Water"), {"cp_model": "real"}, {}, dead)
    _need(inputs, "T1", "P1", "r_p", "T3", "T5", "P_cond", "P_steam", model="combined_cycle")
    return cycles.combined_cycle(
        gas,
        steam,
        inputs["T1"],
        inputs["P1"],
        inputs["r_p"],
        inputs["T3"],
        inputs["T5"],
        inputs["P_cond"],
        inputs["P_steam"],
        inputs.get("T8"),
        inputs.get("superheat"),
        inputs["eta_comp"],
        inputs["eta_gas_turb"],
        inputs["eta_pump"],
        inputs["eta_steam_turb"],
        inputs.get("m_dot_air", 1.0),
        inputs.get("T_source"),
        inputs.get("T_sink"),
        dead,
    )


register_process(
    ProcessModel(
        name="combined_cycle",
        kind="cycle",
        description="combined gas-steam cycle coupled through a heat-recovery steam generator",
        inputs=(
            Input("T1", "K", "compressor inlet temperature", ("T_1",)),
            Input("P1", "Pa", "compressor inlet pressure", ("P_1",)),
            Input("r_p", "", "gas-turbine pressure ratio", ("rp", "pressure_ratio")),
            Input("T3", "K", "gas-turbine inlet temperature", ("TIT",)),
            Input("T5", "K", "stack temperature", ("T_stack", "T5_stack")),
            Input("P_cond", "Pa", "condenser pressure", ("P_condenser",)),
            Input("P_steam", "Pa", "steam pressure", ("P_boiler", "P_HRSG")),
            Input("T8", "K", "steam-turbine inlet temperature", ("T_steam",)),
            Input("superheat", DELTA_T, "superheat above saturation", ("T8_superheat",)),
            Input("eta_comp", "", "compressor efficiency", ("eta_c",), 1.0),
            Input("eta_gas_turb", "", "gas-turbine efficiency", ("eta_gt",), 1.0),
            Input("eta_pump", "", "pump efficiency", ("eta_p",), 1.0),
            Input("eta_steam_turb", "", "steam-turbine efficiency", ("eta_st",), 1.0),
            Input("m_dot_air", "kg/s", "air mass flow rate", ("m_air", "m_dot_gas"), 1.0),
            *SOURCE_SINK,
            *DEAD,
            *GAS,
        ),
        run=_combined,
        skills=("cycles", "turbomachinery", "heat transfer"),
        keywords=("combined cycle", "combined-cycle", "hrsg", "ccgt"),
        reference=_CENGEL + " §10-10",
        default_fluid="Air",
    )
)
