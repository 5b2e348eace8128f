"""Timing of the calculation engine alone: State resolution and process models.

Medians over repeated runs (this machine is noisy); each model runs on fixed textbook inputs.
"""

from __future__ import annotations

import random
import time
from statistics import median
from typing import Any

from solvers.process import get_process
from solvers.properties import State

# one representative problem per cycle/component model [SI]
CASES: dict[str, tuple[str, dict[str, float], dict[str, Any]]] = {
    "turbine": (
        "turbine",
        {"T1": 773.15, "P1": 8e6, "P2": 20e3, "eta_s": 0.88},
        {"fluid": "Water"},
    ),
    "rankine": (
        "rankine",
        {
            "P_cond": 10e3,
            "P_boiler": 8e6,
            "T3": 773.15,
            "eta_pump": 0.85,
            "eta_turb": 0.87,
            "m_dot": 50.0,
            "T_source": 1200.0,
            "T_sink": 300.0,
        },
        {"fluid": "Water"},
    ),
    "rankine_reheat": (
        "rankine_reheat",
        {
            "P_cond": 10e3,
            "P_boiler": 15e6,
            "P_reheat": 4e6,
            "T3": 873.15,
            "T5": 873.15,
            "eta_pump": 0.85,
            "eta_HPT": 0.87,
            "eta_LPT": 0.87,
            "T_source": 1200.0,
            "T_sink": 300.0,
        },
        {"fluid": "Water"},
    ),
    "brayton_variable_cp": (
        "brayton",
        {
            "T1": 300.0,
            "P1": 100e3,
            "r_p": 10.0,
            "T3": 1400.0,
            "eta_comp": 0.85,
            "eta_turb": 0.88,
            "T_source": 1600.0,
            "T_sink": 300.0,
        },
        {"fluid": "Air", "cp_model": "variable"},
    ),
    "vapor_compression": (
        "vapor_compression",
        {
            "T_evap": 263.15,
            "T_cond": 313.15,
            "eta_comp": 0.85,
            "m_dot": 0.1,
            "T_L": 270.0,
            "T_H": 300.0,
        },
        {"fluid": "R134a"},
    ),
    "combined_cycle": (
        "combined_cycle",
        {
            "T1": 300.0,
            "P1": 100e3,
            "r_p": 12.0,
            "T3": 1400.0,
            "T5": 420.0,
            "P_cond": 10e3,
            "P_steam": 8e6,
            "superheat": 50.0,
            "eta_comp": 0.85,
            "eta_gas_turb": 0.88,
            "eta_pump": 0.9,
            "eta_steam_turb": 0.85,
            "m_dot_air": 100.0,
            "T_source": 1600.0,
            "T_sink": 300.0,
        },
        {"fluid": "Air", "cp_model": "variable"},
    ),
}


def _median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return round(median(times), 4)


def state_resolution_ms(n: int = 300, seed: int = 0) -> dict[str, float]:
    """Median time [ms] to resolve a water State from (T, P), (P, h) and (P, s)."""
    rng = random.Random(seed)
    pts = [(rng.uniform(300.0, 900.0), rng.uniform(1e4, 2e7)) for _ in range(n)]
    refs = [State("Water", T=T, P=P) for T, P in pts]
    out = {}
    for pair in (("T", "P"), ("P", "h"), ("P", "s")):
        times = []
        for r in refs:
            kw = {k: r.get(k) for k in pair}
            t = time.perf_counter()
            State("Water", backend="HEOS", reference=None, **kw)
            times.append((time.perf_counter() - t) * 1e3)
        out["".join(pair)] = round(median(times), 4)
    return out


def run(repeat: int = 30) -> dict[str, Any]:
    """``{"state_ms": {...}, "model_ms": {case: median ms}}``."""
    models = {}
    for case, (name, inputs, options) in CASES.items():
        model = get_process(name)
        full = {**{i.name: i.default for i in model.inputs if i.default is not None}, **inputs}
        model.run(full, options)  # warm caches
        models[case] = _median_ms(lambda m=model, f=full, o=options: m.run(f, o), repeat)
    return {"state_ms": state_resolution_ms(), "model_ms": models, "repeat": repeat}
