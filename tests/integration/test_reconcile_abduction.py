"""The reconcile node runs the abduction on a problem's claims: equations of the engine linking
the slots reject a consistent-looking majority, declared and learned rules reject flagged claims,
and the trace says why."""

from __future__ import annotations

import math

import pytest

from experts.base import Context
from experts.registry import default_registry
from peoa import Assistant
from peoa.errors import ConfigError
from peoa.models import Claim, Subtask
from solvers.abduction import Rule, save_rules

LMTD_TEXT = (
    "A counter-flow exchanger: the hot stream enters at 150 °C and exits at 70 °C; the cold "
    "stream enters at 25 °C and exits at 60 °C.\nReport your answers as:\ndT1 = ___ K\ndT2 = ___ K\nLMTD = ___ K"
)


class Sloppy:
    """An expert that takes the arithmetic mean for the LMTD (a classic slip) with confidence.

    It presents itself as an exact tool, so the agent's economy (LLM experts are skipped where
    exact tools answer) does not spare it: reconciliation has to reject it.
    """

    exact = True

    def __init__(self, name: str, skills: tuple[str, ...], features: dict | None = None) -> None:
        self.name = name
        self.skills = skills
        self.features = features or {}

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        dT1, dT2 = 150 - 60, 70 - 25
        values = {"dT1": dT1, "dT2": dT2, "LMTD": (dT1 + dT2) / 2}
        return [
            Claim(
                slot=s,
                value=float(v),
                unit="K",
                expert=self.name,
                confidence=0.99,
                features=dict(self.features),
            )
            for s, v in values.items()
            if s in subtask.targets
        ]


def _assistant(*sloppy: Sloppy, **kw) -> Assistant:
    reg = default_registry()
    for s in sloppy:
        reg.register(s)
    return Assistant(registry=reg, use_graph=False, llm="none", **kw)


def _skills() -> tuple[str, ...]:
    return default_registry().get("equations").skills


def test_engine_equation_rejects_a_confident_majority_that_breaks_it():
    a = _assistant(Sloppy("mean_a", _skills()), Sloppy("mean_b", _skills()))
    ans = a.solve(LMTD_TEXT)
    assert ans.status == "solved", ans.error
    lmtd = (90 - 45) / math.log(90 / 45)
    assert ans.answers["LMTD"].value == pytest.approx(lmtd, rel=1e-6)
    rec = [e for e in ans.trace if e.node == "reconcile"][-1]
    reasons = [r["reason"] for r in rec.data["rejected"] if r["slot"] == "LMTD"]
    assert len(reasons) == 2 and all(r.startswith("constraint: ") for r in reasons)
    assert "dT1" in reasons[0] and "dT2" in reasons[0]
    assert rec.data["abduction"]["relations"], "the LMTD equation links the three slots"


def test_declared_rule_rejects_a_claim_outside_validity_and_learned_rules_load(tmp_path):
    flagged = Sloppy("mean_a", _skills(), {"outside_validity": True})
    ans = _assistant(flagged).solve(LMTD_TEXT)
    rec = [e for e in ans.trace if e.node == "reconcile"][-1]
    assert any(
        r["expert"] == "mean_a" and "validity range" in r["reason"] for r in rec.data["rejected"]
    )
    # a learned rule from a file: the sloppy expert is wrong on heat-transfer claims
    path = tmp_path / "rules.json"
    save_rules([Rule("mean_b", (("domain", "heat"),), "learned", "dev: 40 wrong, 1 right")], path)
    ans = _assistant(Sloppy("mean_b", _skills(), {"domain": "heat"}), abduction_rules=path).solve(
        LMTD_TEXT
    )
    rec = [e for e in ans.trace if e.node == "reconcile"][-1]
    assert any(r["reason"].startswith("rule: mean_b is wrong") for r in rec.data["rejected"])
    (tmp_path / "bad.json").write_text("[{]")
    with pytest.raises(ConfigError, match=r"bad\.json"):
        _ = _assistant(abduction_rules=tmp_path / "bad.json").agent


def test_heuristic_solver_is_selectable_and_agrees():
    sloppy = (Sloppy("mean_a", _skills()), Sloppy("mean_b", _skills()))
    ip = _assistant(*sloppy).solve(LMTD_TEXT)
    hs = _assistant(*sloppy, abduction_solver="heuristic").solve(LMTD_TEXT)
    assert {k: v.value for k, v in hs.answers.items()} == {
        k: v.value for k, v in ip.answers.items()
    }
    rec = [e for e in hs.trace if e.node == "reconcile"][-1]
    assert rec.data["abduction"]["solver"] == "heuristic"
