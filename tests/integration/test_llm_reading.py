"""With an LLM configured, the understand node also asks it to read the problem (over the real
chat-completions protocol); its reading is checked against the text and the offline reading."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peoa import Assistant
from peoa.llm.openai_compat import OpenAIBackend
from solvers.properties import State
from tests.support.openai_server import ScriptedOpenAIServer

TURBINE = (
    "Steam enters an adiabatic turbine at 6 MPa and 450 °C and leaves at 50 kPa. The isentropic "
    "efficiency is 85 %.\nReport your answers as:\nw_out = ___ kJ/kg"
)
# a stray label ("Unit 2") leaves the offline reader with a number it cannot place
LABELLED = (
    "Unit 2 of the plant: steam enters its turbine at 6 MPa and 450 °C and is exhausted at "
    "50 kPa. The isentropic efficiency is 85 %.\nReport your answers as:\nw_out = ___ kJ/kg"
)


def _w_out(T1: float) -> float:
    s1 = State("Water", T=T1, P=6e6)
    return 0.85 * (s1.h - State("Water", P=50e3, s=s1.s).h) / 1e3


def reading(T1: float = 450.0, **extra: Any) -> str:
    return json.dumps(
        {
            "process": "turbine",
            "fluid": "steam",
            "givens": [
                {"name": "P1", "value": 6, "unit": "MPa"},
                {"name": "T1", "value": T1, "unit": "°C"},
                {"name": "P2", "value": 50, "unit": "kPa"},
                {"name": "eta_s", "value": 85, "unit": "%"},
            ],
            "slots": [{"name": "w_out", "unit": "kJ/kg", "output": "w_out"}],
            **extra,
        }
    )


PLAN = json.dumps(
    {
        "complete": False,
        "subtasks": [{"description": "turbine", "targets": ["w_out"], "experts": ["process"]}],
    }
)
DONE = json.dumps({"complete": True, "subtasks": []})


def solve(script: list[Any], text: str) -> tuple[Any, ScriptedOpenAIServer]:
    with ScriptedOpenAIServer(script) as server:
        llm = OpenAIBackend(server.base_url, "tiny", retries=1, backoff=0.01)
        ans = Assistant(llm_backend=llm, use_graph=False, llm="none").solve(text)
    return ans, server


def test_a_hallucinated_given_loses_to_the_text_and_the_offline_reading() -> None:
    ans, server = solve([reading(T1=500.0), PLAN, DONE], TURBINE)
    assert ans.status == "solved", ans.error
    assert ans.answers["w_out"].value == pytest.approx(_w_out(723.15), rel=1e-6)
    first = server.requests[0]["messages"]
    assert any("turbine" in m["content"] for m in first if m["role"] == "system")
    read = next(e for e in ans.trace if e.node == "understand" and e.message.startswith("LLM"))
    assert [(r["given"], r["reader"]) for r in read.data["rejected"]] == [("T1", "llm")]
    assert "not found in the problem text" in read.data["rejected"][0]["reason"]


def test_the_llm_reads_what_the_offline_reader_declines() -> None:
    ans, _ = solve([reading(), PLAN, DONE], LABELLED)
    assert ans.status == "solved", ans.error
    assert ans.answers["w_out"].value == pytest.approx(_w_out(723.15), rel=1e-6)
    understood = [e for e in ans.trace if e.node == "understand"][-1]
    assert understood.data["domain"] == "process"
    assert set(understood.data["givens"]) == {"P1", "T1", "P2", "eta_s"}


def test_without_the_llm_the_labelled_problem_is_declined() -> None:
    ans = Assistant(llm="none", use_graph=False).solve(LABELLED)
    assert ans.status == "failed" and ans.answers == {}


def test_invalid_readings_are_retried_then_the_offline_reading_is_used() -> None:
    bad_name = reading(process="gas_kiln")
    ans, server = solve(
        ["not JSON at all", bad_name, '{"givens": [{"name": "T1"}]}', PLAN, DONE], TURBINE
    )
    assert ans.status == "solved", ans.error
    assert ans.answers["w_out"].value == pytest.approx(_w_out(723.15), rel=1e-6)
    failed = [e for e in ans.trace if e.message.startswith("LLM reading failed")]
    assert failed and "offline reading used" in failed[0].message
    retry = server.requests[2]["messages"][-1]["content"]
    assert "unknown process 'gas_kiln'" in retry
    assert len(server.requests) == 5  # three readings (the cap), then plan and completion
