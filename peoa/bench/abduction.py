"""``peoa bench abduction``: IP vs heuristic vs best single expert vs majority vote.

Rules are learned on a dev set; δ is chosen on the dev set; every method is then scored on
shifted test sets (see :mod:`solvers.abduction.synthetic`). Runtimes are medians of the solve
alone (the instance preparation they share is reported apart); an IP that does not prove
optimality within its time limit reports null for that size.
"""

from __future__ import annotations

import time
from statistics import mean, median
from typing import Any

from solvers.abduction import DECLARED_RULES, build_instance, learn_rules, solve_heuristic, solve_ip
from solvers.abduction.baselines import majority, score, single_experts
from solvers.abduction.instance import Instance
from solvers.abduction.synthetic import Synthetic, dev_profile, generate, shifted_profiles

DELTAS = (0.0, 0.02, 0.05, 0.1, 0.2)
SIZES = (100, 1000, 10000, 100000)


def _instance(data: Synthetic, rules: list[Any], delta: float) -> Instance:
    return build_instance(
        data.claims, rules=rules, relations=data.relations, bounds=data.bounds, delta=delta
    )


def _baseline_instance(data: Synthetic) -> Instance:
    return build_instance(data.claims, bounds={s: (None, None) for s in data.truth}, delta=0.0)


def _pred(inst: Instance, choice: dict[str, int]) -> dict[str, float | str]:
    return {s: inst.labels[i].value for s, i in choice.items()}


def run(
    *,
    test_sets: int = 16,
    dev_claims: int = 20000,
    test_claims: int = 5000,
    sizes: tuple[int, ...] = SIZES,
    time_limit: float = 60.0,
    repeat: int = 3,
    eps: float = 0.05,
    seed: int = 0,
    backend: str = "cbc",
) -> dict[str, Any]:
    """Run the benchmark; returns the JSON document ``peoa bench abduction --json`` prints."""
    base = dev_profile(seed)
    dev = generate(base, dev_claims, seed=seed)
    rules = learn_rules(dev.claims, dev.truth, eps=eps) + list(DECLARED_RULES)
    dev_f1 = {}
    for d in DELTAS:
        inst = _instance(dev, rules, d)
        dev_f1[d] = score(_pred(inst, solve_heuristic(inst).choice), dev.truth)[0]
    delta = max(DELTAS, key=lambda d: (dev_f1[d], -d))

    rows: list[dict[str, Any]] = []
    for t, prof in enumerate(shifted_profiles(base, test_sets, seed=seed + 1)):
        data = generate(prof, test_claims, seed=seed + 100 + t)
        inst = _instance(data, rules, delta)
        ip = solve_ip(inst, time_limit=time_limit, backend=backend)
        hs = solve_heuristic(inst)
        plain = _baseline_instance(data)
        singles = {e: score(p, data.truth) for e, p in single_experts(plain).items()}
        best = max(singles.values())
        rows.append(
            {
                "ip": score(_pred(inst, ip.choice), data.truth),
                "hs": score(_pred(inst, hs.choice), data.truth),
                "best_single": best,
                "majority": score(majority(plain), data.truth),
                "gap": (ip.objective - hs.objective) / ip.objective if ip.objective else 0.0,
                "ip_status": ip.status,
            }
        )
    # the gap where the rate constraint binds (δ > 0 couples every slot), on four test sets
    gap_at: dict[str, float] = {}
    for d in (x for x in DELTAS if x > 0):
        gaps = []
        for t, prof in enumerate(shifted_profiles(base, min(4, test_sets), seed=seed + 1)):
            inst = _instance(generate(prof, test_claims, seed=seed + 100 + t), rules, d)
            ip_obj = solve_ip(inst, time_limit=time_limit, backend=backend).objective
            gaps.append((ip_obj - solve_heuristic(inst).objective) / ip_obj if ip_obj else 0.0)
        gap_at[str(d)] = mean(gaps)
    keys = ("ip", "hs", "best_single", "majority")
    f1 = {k: mean(r[k][0] for r in rows) for k in keys}
    acc = {k: mean(r[k][1] for r in rows) for k in keys}

    runtime: dict[str, dict[str, float | None]] = {"ip": {}, "hs": {}}
    prepare: dict[str, float] = {}
    statuses: dict[str, str] = {}
    for n in sizes:
        data = generate(shifted_profiles(base, 1, seed=seed + 7)[0], n, seed=seed + 7)
        t0 = time.perf_counter()
        inst = _instance(data, rules, delta)
        prepare[str(n)] = time.perf_counter() - t0
        reps = repeat if n <= 10000 else 1
        ip_times, hs_times = [], []
        status = "optimal"
        for _ in range(reps):
            sel = solve_ip(inst, time_limit=time_limit, backend=backend)
            ip_times.append(sel.runtime_s)
            if sel.status != "optimal":
                status = sel.status
            hs_times.append(solve_heuristic(inst).runtime_s)
        statuses[str(n)] = status
        runtime["ip"][str(n)] = median(ip_times) if status == "optimal" else None
        runtime["hs"][str(n)] = median(hs_times)
    ip10k, hs10k = runtime["ip"].get("10000"), runtime["hs"].get("10000")
    return {
        "f1": f1,
        "accuracy": acc,
        "runtime_s": runtime,
        "hs_gap": mean(r["gap"] for r in rows),
        "hs_gap_max": max(r["gap"] for r in rows),
        "hs_gap_at_delta": gap_at,
        "f1_gain_ip_vs_best_single": f1["ip"] / f1["best_single"] - 1.0,
        "f1_gain_per_set": [r["ip"][0] / r["best_single"][0] - 1.0 for r in rows],
        "speedup_hs_vs_ip_10000": (ip10k / hs10k) if ip10k and hs10k else None,
        "prepare_s": prepare,
        "ip_status": statuses,
        "delta": delta,
        "rules": {"learned": len(rules) - len(DECLARED_RULES), "declared": len(DECLARED_RULES)},
        "test_sets": len(rows),
        "claims_per_test_set": test_claims,
        "time_limit_s": time_limit,
        "backend": backend,
    }
