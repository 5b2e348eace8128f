"""Synthetic multi-expert instances with ground truth, for rule learning and the benchmark.

Each problem is a mixer in one engineering domain, stated in SI or US units: two inlet flows, the
outlet flow (the mass balance links the three) and the outlet temperature. Five experts answer
with domain-dependent error and coverage rates; some leave US units unconverted (the same wrong
number from several experts, which fools a majority vote); a tool can fail and fall back; an
expert's outlet flow usually follows from its own inlet flows, right or wrong. A dev profile has
rules learned on it; shifted profiles change the domain mix, the error rates (and which domains
are weak), the share of US problems and the tool-failure rate.

>>> data = generate(dev_profile(0), n_claims=200, seed=1)
>>> len(data.claims) >= 200, len(data.relations) == len(data.truth) // 4
(True, True)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from solvers.abduction.constraints import Relation, balance
from solvers.abduction.instance import Prediction

DOMAINS = ("cycles", "heat_transfer", "fluid_flow", "balances", "kinetics", "vle")
EXPERTS = ("tool", "lora_cycles", "lora_transport", "code_writer", "generalist")
LB = 0.45359237  # kg per lb


@dataclass
class Profile:
    """Error and coverage rates per expert and domain, and the mix of problems."""

    error: dict[str, dict[str, float]]
    coverage: dict[str, dict[str, float]]
    us_error: dict[str, float]
    domain_mix: dict[str, float]
    us_share: float
    tool_failure: float


@dataclass
class Synthetic:
    """Claims, the true value of every slot [SI], the balances and the temperature bounds."""

    claims: list[Prediction]
    truth: dict[str, float]
    relations: list[Relation]
    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def dev_profile(seed: int = 0) -> Profile:
    """The profile the rules are learned on: each expert strong in some domains, weak in others."""
    rng = random.Random(seed)
    error, coverage = {}, {}
    for e in EXPERTS:
        rates = [0.03, 0.05, 0.12, 0.25, 0.4, 0.5]
        rng.shuffle(rates)
        error[e] = dict(zip(DOMAINS, rates, strict=True))
        cov = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6]
        rng.shuffle(cov)
        coverage[e] = dict(zip(DOMAINS, cov, strict=True))
    careless = set(rng.sample(EXPERTS, 2))
    us_error = {e: 0.5 if e in careless else 0.03 for e in EXPERTS}
    return Profile(error, coverage, us_error, {d: 1 / len(DOMAINS) for d in DOMAINS}, 0.3, 0.04)


def shifted_profiles(base: Profile, n: int = 16, seed: int = 1) -> list[Profile]:
    """``n`` test profiles shifted from ``base`` (domain mix, rates, weak domains, US share)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        error = {
            e: {d: min(0.7, max(0.01, r * rng.uniform(0.6, 1.5))) for d, r in rates.items()}
            for e, rates in base.error.items()
        }
        if rng.random() < 0.5:  # one expert's weak and strong domains trade places
            e = rng.choice(EXPERTS)
            a, b = rng.sample(DOMAINS, 2)
            error[e][a], error[e][b] = error[e][b], error[e][a]
        coverage = {
            e: {d: min(1.0, max(0.3, c + rng.uniform(-0.1, 0.1))) for d, c in cov.items()}
            for e, cov in base.coverage.items()
        }
        weights = [rng.gammavariate(1.0, 1.0) for _ in DOMAINS]
        mix = {d: w / sum(weights) for d, w in zip(DOMAINS, weights, strict=True)}
        us_error = {
            e: min(0.8, max(0.0, r + rng.uniform(-0.1, 0.1))) for e, r in base.us_error.items()
        }
        out.append(
            Profile(error, coverage, us_error, mix, rng.uniform(0.1, 0.6), rng.uniform(0.02, 0.1))
        )
    return out


def _slip(rng: random.Random, truth: float) -> float:
    return truth * (1.0 + rng.choice((-1, 1)) * rng.uniform(0.03, 0.4))


def generate(profile: Profile, n_claims: int, seed: int = 0) -> Synthetic:
    """At least ``n_claims`` claims from whole mixer problems drawn from ``profile``."""
    rng = random.Random(seed)
    claims: list[Prediction] = []
    truth: dict[str, float] = {}
    relations: list[Relation] = []
    bounds: dict[str, tuple[float | None, float | None]] = {}
    domains, mix = list(profile.domain_mix), list(profile.domain_mix.values())
    p = 0
    while len(claims) < n_claims:
        d = rng.choices(domains, mix)[0]
        us = rng.random() < profile.us_share
        m1, m2 = (math.exp(rng.uniform(math.log(0.1), math.log(100.0))) for _ in range(2))
        T = rng.uniform(280.0, 900.0)
        names = [f"p{p}.m_in1", f"p{p}.m_in2", f"p{p}.m_out", f"p{p}.T_out"]
        truth.update(zip(names, (m1, m2, m1 + m2, T), strict=True))
        relations.append(balance(f"p{p}.mass", names[:2], names[2:3]))
        bounds[names[3]] = (0.0, None)
        common = rng.choice((0.85, 1.15, 1.3))  # a shared wrong property, same for every expert
        feats = {"domain": d, "unit_system": "US" if us else "SI"}
        for e in EXPERTS:
            err = profile.error[e][d]
            flows: list[float] = []
            for true in (m1, m2):
                if us and rng.random() < profile.us_error[e]:
                    flows.append(true / LB)  # lb/s reported as kg/s
                elif rng.random() < err:
                    flows.append(true * common if rng.random() < 0.5 else _slip(rng, true))
                else:
                    flows.append(true)
            if rng.random() < 0.7:
                out = flows[0] + flows[1]
            else:
                out = _slip(rng, m1 + m2) if rng.random() < err else m1 + m2
            r = rng.random()
            t_val = T if r >= err else (T - 273.15 if r < err / 2 else _slip(rng, T))
            if rng.random() < 0.02:
                t_val = -t_val  # a sign slip that only the bounds catch
            for slot, value, skill in zip(
                names, (*flows, out, t_val), ("balances",) * 3 + ("properties",), strict=True
            ):
                if rng.random() > profile.coverage[e][d]:
                    continue
                f: dict[str, str | bool] = dict(feats, skill=skill)
                if rng.random() < profile.tool_failure:
                    f["tool_failure"] = True
                    if rng.random() < 0.8:
                        value = _slip(rng, value)
                ok = math.isclose(value, truth[slot], rel_tol=1e-9)
                conf = rng.uniform(0.55, 0.95) if ok else rng.uniform(0.45, 0.9)
                unit = "K" if skill == "properties" else ("kg/h" if e == "code_writer" else "kg/s")
                shown = value * 3600.0 if unit == "kg/h" else value
                claims.append(Prediction(slot, shown, unit, e, round(conf, 3), f))
        p += 1
    return Synthetic(claims, truth, relations, bounds)
