"""Consistency-based abduction: exactness against exhaustive search, the worked mixer example,
rule learning, the heuristic's quality, bad inputs."""

from __future__ import annotations

import math
import random
from itertools import combinations

import pytest

from solvers.abduction import (
    DECLARED_RULES,
    Prediction,
    Rule,
    abduce,
    balance,
    build_instance,
    equation,
    learn_rules,
    load_rules,
    save_rules,
    solve_heuristic,
    solve_ip,
)
from solvers.abduction.instance import Instance
from solvers.abduction.synthetic import dev_profile, generate, shifted_profiles
from solvers.errors import AbductionError

# -- exhaustive search over claim subsets (the definition the IP must match) ----------------------


def _exhaustive(inst: Instance) -> float:
    label_of = {i: lab.index for lab in inst.labels for i in lab.claims}
    usable = sorted(label_of)
    best = 0.0  # the empty set is always feasible
    for n in range(1, len(usable) + 1):
        for H in combinations(usable, n):
            chosen: dict[str, int] = {}
            ok = True
            for i in H:
                lab = inst.labels[label_of[i]]
                if chosen.setdefault(lab.slot, lab.index) != lab.index:
                    ok = False
                    break
            if not ok:
                continue
            violated = inst.violated(chosen)
            if any(inst.relations[k].relation.hard for k in violated):
                continue
            flagged = sum(1 for i in H if i in inst.flags)
            if flagged + len(violated) > inst.delta * len(H) + 1e-9:
                continue
            obj = 0.0
            for lab_i in chosen.values():
                lab = inst.labels[lab_i]
                clean = [i for i in H if label_of[i] == lab_i and i not in inst.flags]
                dirty = [i for i in H if label_of[i] == lab_i and i in inst.flags]
                if clean:
                    score = sum(inst.claims[i].confidence for i in clean)
                else:
                    score = max(inst.claims[i].confidence for i in dirty) - 1.0
                obj += 1.0 + inst.tau * score
            best = max(best, obj - inst.mu * (flagged + len(violated)))
    return best


def _random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    slots = ["a", "b", "c", "d"][: rng.randint(2, 4)]
    truth = {s: rng.choice([1.0, 2.0, 3.0]) for s in slots}
    claims = []
    for _ in range(rng.randint(4, 10)):
        s = rng.choice(slots)
        v = truth[s] if rng.random() < 0.6 else rng.choice([1.0, 2.0, 3.0, 5.0])
        claims.append(
            Prediction(
                s,
                v,
                "kg/s",
                rng.choice(["e1", "e2", "e3"]),
                round(rng.uniform(0.3, 1.0), 2),
                {"unit_system": rng.choice(["SI", "US"])},
            )
        )
    rels = []
    if len(slots) >= 3:
        rels.append(balance("bal", slots[:2], slots[2:3], tol=1e-6))
    if len(slots) == 4 and rng.random() < 0.5:
        rels.append(
            equation("twice", ["a", "d"], lambda v: (v[1], 2 * v[0]), tol=1e-6)
            if rng.random() < 0.5
            else balance("hard", ["a"], ["d"], tol=1e-6)
        )
        if rels[-1].name == "hard":
            rels[-1] = type(rels[-1])(**{**rels[-1].__dict__, "hard": True})
    rules = [Rule(rng.choice(["e1", "e2", "e3"]), (("unit_system", "US"),))]
    return build_instance(
        claims, rules=rules, relations=rels, delta=rng.choice([0.0, 0.1, 0.25, 0.5])
    )


@pytest.mark.parametrize("seed", range(40))
def test_ip_optimum_equals_exhaustive_search(seed: int) -> None:
    inst = _random_instance(seed)
    ip = solve_ip(inst)
    assert ip.status == "optimal"
    assert inst.feasible(ip.choice)
    assert ip.objective == pytest.approx(_exhaustive(inst), abs=1e-6)


@pytest.mark.parametrize("seed", range(40))
def test_heuristic_is_feasible_and_never_beats_the_ip(seed: int) -> None:
    inst = _random_instance(seed)
    hs, ip = solve_heuristic(inst), solve_ip(inst)
    assert inst.feasible(hs.choice)
    assert hs.objective <= ip.objective + 1e-9


def test_highs_backend_matches_cbc() -> None:
    data = generate(dev_profile(3), 600, seed=3)
    inst = build_instance(data.claims, relations=data.relations, rules=DECLARED_RULES, delta=0.05)
    assert solve_ip(inst, backend="highs").objective == pytest.approx(
        solve_ip(inst, backend="cbc").objective, rel=1e-9
    )


# -- the worked example: a mixer, three experts, lb/h left unconverted ----------------------------

LB_H = 0.45359237 / 3600.0  # kg/s per lb/h


def _mixer_claims(m1_lbh: float, m2: float, *, us_feature: bool = True) -> list[Prediction]:
    """Stream 1 is given in lb/h, stream 2 in kg/s; find both flows and the outlet."""
    m1 = m1_lbh * LB_H
    us = {"unit_system": "US"} if us_feature else {}
    return [
        # the engine's tool expert converts correctly but reports with low confidence
        Prediction("m1", m1, "kg/s", "tool", 0.6, {"unit_system": "US"}),
        Prediction("m2", m2, "kg/s", "tool", 0.6),
        # a LoRA expert slips on the outlet
        Prediction("m2", m2, "kg/s", "lora", 0.7),
        Prediction("m3", m1 + m2, "kg/s", "lora", 0.55),
        # the code writer leaves lb/h unconverted (reads it as kg/h) and adds up its own numbers
        Prediction("m1", m1_lbh, "kg/h", "code_writer", 0.9, us),
        Prediction("m2", m2, "kg/s", "code_writer", 0.9),
        Prediction("m3", m1_lbh / 3600.0 + m2, "kg/s", "code_writer", 0.9),
    ]


def test_mixer_worked_example_balance_and_unit_rule_reject_the_unconverted_expert() -> None:
    # dev set: on US problems the code writer leaves lb/h unconverted, on SI problems it is right
    dev, truth = [], {}
    rng = random.Random(0)
    for k in range(30):
        m1_lbh, m2 = rng.uniform(1000, 9000), rng.uniform(0.5, 3.0)
        for c in _mixer_claims(m1_lbh, m2, us_feature=k % 2 == 0):
            dev.append(
                Prediction(f"{k}.{c.slot}", c.value, c.unit, c.expert, c.confidence, c.features)
            )
        truth.update({f"{k}.m1": m1_lbh * LB_H, f"{k}.m2": m2, f"{k}.m3": m1_lbh * LB_H + m2})
        if k % 2:  # SI problem: the code writer was right
            dev[-3] = Prediction(f"{k}.m1", m1_lbh * LB_H, "kg/s", "code_writer", 0.9)
            dev[-1] = Prediction(f"{k}.m3", m1_lbh * LB_H + m2, "kg/s", "code_writer", 0.9)
    rules = learn_rules(dev, truth, eps=0.05)
    assert any(r.expert == "code_writer" and ("unit_system", "US") in r.when for r in rules)

    claims = _mixer_claims(7200.0, 1.5)
    # a per-slot confidence vote would take the code writer's m1 and m3: both wrong
    assert (
        max((c for c in claims if c.slot == "m3"), key=lambda c: c.confidence).expert
        == "code_writer"
    )
    res = abduce(claims, rules=rules, relations=[balance("mixer", ["m1", "m2"], ["m3"])], delta=0.0)
    got = {s: claims[i] for s, i in res.accepted.items()}
    assert got["m1"].expert == "tool" and got["m1"].value == pytest.approx(0.9072, rel=1e-4)
    assert got["m3"].expert == "lora" and got["m3"].value == pytest.approx(2.4072, rel=1e-4)
    reasons = {(claims[r.claim].expert, claims[r.claim].slot): r.reason for r in res.rejected}
    assert reasons[("code_writer", "m1")].startswith("rule: code_writer is wrong when")
    assert "unit_system=US" in reasons[("code_writer", "m1")]
    assert reasons[("code_writer", "m3")].startswith("constraint: mixer (m1 + m2 = m3)")
    assert res.violated == [] and res.rate == 0.0 and res.uncovered == []


# -- rules --------------------------------------------------------------------------------------


def test_learned_rules_respect_the_epsilon_budget_on_dev() -> None:
    data = generate(dev_profile(1), 4000, seed=1)
    eps = 0.05
    rules = learn_rules(data.claims, data.truth, eps=eps)
    assert rules, "the dev set has learnable error patterns"
    inst = build_instance(data.claims, rules=rules, delta=0.0)
    for expert in {c.expert for c in data.claims}:
        right = [
            i
            for i, c in enumerate(data.claims)
            if c.expert == expert
            and i not in inst.excluded
            and math.isclose(inst.si[i], data.truth[c.slot], rel_tol=1e-3)  # type: ignore[arg-type]
        ]
        flagged_right = [i for i in right if i in inst.flags]
        assert len(flagged_right) <= eps * len(right)


def test_rules_round_trip_and_bad_rules_file(tmp_path) -> None:
    rules = [
        Rule("a", (("unit_system", "US"), ("magnitude", 3)), "learned", "dev: 5 wrong, 0 right")
    ]
    save_rules(rules, tmp_path / "r.json")
    assert load_rules(tmp_path / "r.json") == rules
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(AbductionError, match=r"bad\.json"):
        load_rules(tmp_path / "bad.json")


def test_declared_rule_rejects_a_correlation_outside_its_range() -> None:
    claims = [
        Prediction("h", 120.0, "W/(m^2*K)", "tool", 0.95, {"outside_validity": True}),
        Prediction("h", 95.0, "W/(m^2*K)", "lora", 0.6),
    ]
    res = abduce(claims, rules=DECLARED_RULES, delta=0.0)
    assert claims[res.accepted["h"]].expert == "lora"
    assert "validity range" in res.rejected[0].reason


# -- bounds, dimensions, categories ---------------------------------------------------------------


def test_bounds_and_declared_dimensions_exclude_impossible_claims() -> None:
    claims = [
        Prediction("T", -20.0, "K", "a", 0.99),
        Prediction("T", 300.0, "K", "b", 0.5),
        Prediction("x", 1.3, "", "a", 0.9),
        Prediction("x", 0.8, "", "b", 0.5),
        Prediction("P", 5.0, "kg", "c", 0.9),
        Prediction("P", 1.0, "bar", "b", 0.4),
    ]
    res = abduce(claims, bounds={"x": (0.0, 1.0)}, dimensions={"P": "kPa"})
    assert {s: claims[i].expert for s, i in res.accepted.items()} == {"T": "b", "x": "b", "P": "b"}
    why = {claims[r.claim].slot: r.reason for r in res.rejected}
    assert why["T"].startswith("bounds") and why["x"].startswith("bounds")
    assert why["P"].startswith("dimension")


def test_categorical_claims_vote_and_unit_conversion_merges_labels() -> None:
    claims = [
        Prediction("phase", "Superheated vapor", "", "a", 0.6),
        Prediction("phase", "superheated vapor", "", "b", 0.5),
        Prediction("phase", "saturated mixture", "", "c", 0.9),
        Prediction("Q", 3412.14, "Btu/h", "a", 0.5),
        Prediction("Q", 1.0, "kW", "b", 0.5),
    ]
    res = abduce(claims)
    assert claims[res.accepted["phase"]].value.lower() == "superheated vapor"
    inst = build_instance(claims)
    assert len(inst.slots["Q"]) == 1  # 3412.14 Btu/h is 1 kW


# -- bad inputs ---------------------------------------------------------------------------------


def test_bad_inputs_give_clear_errors() -> None:
    with pytest.raises(AbductionError, match="no claims"):
        abduce([])
    mixed = [Prediction("T", 300.0, "K", "a"), Prediction("T", 2.0, "kg/s", "b")]
    with pytest.raises(AbductionError, match=r"slot 'T'.*incompatible units.*kg/s"):
        abduce(mixed)
    one = [Prediction("T", 300.0, "K", "a")]
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(AbductionError, match="δ"):
            abduce(one, delta=bad)
    with pytest.raises(AbductionError, match="unknown solver"):
        abduce(one, solver="magic")
    with pytest.raises(AbductionError, match="unknown IP backend"):
        abduce(one, backend="gurobi")
    with pytest.raises(AbductionError, match="time_limit"):
        abduce(one, time_limit=0)
    with pytest.raises(AbductionError, match="at least two slots"):
        balance("lonely", ["a"], [])


def test_a_short_time_limit_returns_a_feasible_choice_not_a_hang() -> None:
    base = dev_profile(0)
    data = generate(shifted_profiles(base, 1)[0], 10000, seed=5)
    inst = build_instance(
        data.claims, rules=DECLARED_RULES, relations=data.relations, bounds=data.bounds, delta=0.05
    )
    sel = solve_ip(inst, time_limit=0.05)
    assert sel.status in {"optimal", "time_limit", "no_solution"}
    assert inst.feasible(sel.choice) and sel.choice


def test_bench_cli_prints_the_contract_and_null_for_an_unfinished_ip() -> None:
    import json

    from typer.testing import CliRunner

    from peoa.cli.main import app

    args = ["bench", "abduction", "--json", "--test-sets", "1", "--test-claims", "300"]
    res = CliRunner().invoke(app, [*args, "--sizes", "100,10000", "--time-limit", "0.02"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out["f1"]) == set(out["accuracy"]) == {"ip", "hs", "best_single", "majority"}
    assert set(out["runtime_s"]["ip"]) == set(out["runtime_s"]["hs"]) == {"100", "10000"}
    assert out["runtime_s"]["ip"]["10000"] is None  # 20 ms is too short to prove optimality
    assert out["runtime_s"]["hs"]["10000"] > 0 and isinstance(out["hs_gap"], float)
    bad = CliRunner().invoke(app, [*args, "--sizes", "ten"])
    assert bad.exit_code == 2 and "--sizes" in bad.output
