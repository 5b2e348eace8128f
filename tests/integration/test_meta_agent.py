"""The LLM-driven meta-agent: the action generator plans each step, the code writer computes in
the sandbox, faulty steps are sent back to their expert with the error, bad LLM output ends in a
clear status, and chats remember the previous problem.

LLMs are what users bring from outside, so they are a real OpenAI-compatible HTTP server replaying
scripted replies, and a tiny local transformers model distilled from those replies.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from experts.code import CodeExpert
from experts.registry import ExpertRegistry
from peoa.llm.base import Message
from peoa.llm.openai_compat import OpenAIBackend
from peoa.models import Answer, TraceEvent
from peoa.sdk import Assistant
from solvers.properties import State
from tests.support.openai_server import ScriptedOpenAIServer

TANK = (
    "A spherical storage tank with an inner diameter of 3 m is filled to 75 % of its volume "
    "with liquid water at 20 °C and atmospheric pressure.\nReport your answers as:\nm = ___ kg"
)
TANK_MASS = math.pi / 6 * 3**3 * 0.75 * State("Water", T=293.15, P=101325.0).rho
PUMP = (
    "A pump hands 2 kW of hydraulic power to the liquid while its shaft takes 2.6 kW.\n"
    "Report your answers as:\neta = ___ %"
)


def plan(*subtasks: tuple[list[str], list[str]], complete: bool = False) -> str:
    return json.dumps(
        {
            "complete": complete,
            "subtasks": [
                {"description": "compute", "targets": t, "experts": e} for t, e in subtasks
            ],
        }
    )


DONE = plan(complete=True)


def code(body: str) -> str:
    return f"Here is the program.\n```python\n{body.strip()}\n```\n"


GOOD_TANK = code(
    """
import math
V = math.pi / 6 * Q(3, 'm')**3 * 0.75
water = State('Water', T=Q(20, 'degC'), P=Q(1, 'atm'))
answer('m', convert(V * water.rho, 'kg'))
"""
)


def assistant(server: ScriptedOpenAIServer, **kw: Any) -> Assistant:
    llm = OpenAIBackend(server.base_url, "tiny", retries=1, backoff=0.01)
    kw.setdefault("llm_read", False)  # these scripts drive the planner; reading is tested apart
    return Assistant(llm_backend=llm, use_graph=False, llm="none", **kw)


def events(answer: Answer, node: str) -> list[TraceEvent]:
    return [e for e in answer.trace if e.node == node]


def test_faulty_steps_are_repaired_over_http_and_every_attempt_is_traced() -> None:
    script = [
        plan((["m"], ["code"])),
        code("V = math.pi / 6 * Q(3, 'm')**3\nanswer('m', V)"),  # forgot the import
        code("import math\nanswer('m', math.pi / 6 * Q(3, 'm')**3 * 0.75)"),  # a volume
        GOOD_TANK,
        DONE,
    ]
    with ScriptedOpenAIServer(script) as server:
        ans = assistant(server).solve(TANK)
        requests = server.requests
    assert ans.status == "solved", ans.error
    assert ans.answers["m"].unit == "kg"
    assert ans.answers["m"].value == pytest.approx(TANK_MASS, rel=1e-6)
    attempts = events(ans, "expert:code")
    assert [e.data["attempt"] for e in attempts] == [1, 2, 3]
    assert "NameError: name 'math' is not defined (line 1)" in attempts[0].message
    assert "unit mismatch" in attempts[1].message and "m ** 3" in attempts[1].message
    assert attempts[2].message == "attempt 3: 1/1 usable claims"
    assert len(requests) == 5
    # the repair request shows the expert its own program and the error
    repair = "\n".join(m["content"] for m in requests[2]["messages"])
    assert "failed: NameError: name 'math' is not defined" in repair
    assert "V = math.pi / 6 * Q(3, 'm')**3" in repair
    # the action generator saw the accepted value before declaring the answer complete
    last_plan = requests[4]["messages"][-1]["content"]
    assert (
        f"Accepted so far: m = {TANK_MASS:.6g} kg (from code)" in last_plan
        and "Still missing: nothing" in last_plan
    )
    assert [e.message for e in events(ans, "plan")][-1].endswith("declares the answer complete")


def test_an_abduction_rejection_goes_back_to_the_expert() -> None:
    script = [
        plan((["eta"], ["code"])),
        code("answer('eta', Q(2.6, 'kW') / Q(2, 'kW'))"),  # inverted: 130 %
        plan((["eta"], ["code"])),
        code("answer('eta', convert(Q(2, 'kW') / Q(2.6, 'kW'), '%'))"),
        DONE,
    ]
    with ScriptedOpenAIServer(script) as server:
        ans = assistant(server, registry=ExpertRegistry()).solve(PUMP)
        second_code_request = server.requests[3]
    assert ans.status == "solved", ans.error
    assert ans.answers["eta"].value == pytest.approx(100 * 2 / 2.6)
    reconcile = events(ans, "reconcile")
    assert reconcile[0].data["rejected"][0]["reason"].startswith("bounds")
    notes = [m["content"] for m in second_code_request["messages"]]
    assert any("eta: code gave 1.3" in n and "rejected (bounds" in n for n in notes)


def test_exact_tools_make_llm_experts_unnecessary() -> None:
    text = "Convert 50 psig to kPa.\nReport your answers as:\nP = ___ kPa"
    with ScriptedOpenAIServer([plan((["P"], ["code"])), DONE]) as server:
        ans = assistant(server).solve(text)
        n_requests = len(server.requests)
    assert ans.status == "solved" and ans.answers["P"].value == pytest.approx(446.06, abs=0.01)
    assert n_requests == 2  # the plan and the completion: no code was written
    assert not events(ans, "expert:code")
    assert "skipped code" in events(ans, "dispatch")[0].message


def test_several_llm_experts_give_reconciliation_real_alternatives() -> None:
    with (
        ScriptedOpenAIServer(
            [plan((["eta"], ["code", "code-b"])), code("answer('eta', 1.3)"), DONE]
        ) as a,
        ScriptedOpenAIServer([code("answer('eta', Q(2, 'kW') / Q(2.6, 'kW'))")]) as b,
    ):
        registry = ExpertRegistry()
        registry.register(CodeExpert(OpenAIBackend(b.base_url, "other", retries=0), name="code-b"))
        ans = assistant(a, registry=registry).solve(PUMP)
    assert ans.status == "solved", ans.error
    assert ans.answers["eta"].value == pytest.approx(100 * 2 / 2.6)
    rec = events(ans, "reconcile")[0].data
    assert rec["accepted"] == {"eta": "code-b"}
    assert rec["rejected"][0]["expert"] == "code" and rec["rejected"][0]["reason"].startswith(
        "bounds"
    )


@pytest.mark.parametrize(
    ("replies", "phrase"),
    [
        (["not json at all"] * 3, "no JSON object"),
        ([json.dumps({"complete": False, "subtasks": "all of them"})] * 3, "subtasks"),
        ([plan((["m"], ["wizard"]))] * 3, "unknown expert(s) ['wizard']"),
        ([plan((["volume"], ["code"]))] * 3, "unknown slot(s) ['volume']"),
        ([{"status": 503}] * 6, "503"),
    ],
    ids=["invalid JSON", "wrong schema", "unknown expert", "unknown slot", "server down"],
)
def test_bad_llm_output_ends_in_a_clear_failed_status(replies: list[Any], phrase: str) -> None:
    with ScriptedOpenAIServer(replies) as server:
        ans = assistant(server).solve(TANK)
        n_requests = len(server.requests)
    assert ans.status == "failed"
    assert ans.error and "action generator failed" in ans.error and phrase in ans.error
    assert n_requests <= 6  # within the retry cap; no code expert called on a broken LLM


def test_a_plan_that_never_terminates_is_cut_at_max_steps() -> None:
    with ScriptedOpenAIServer([plan((["m"], ["units"]))] * 10) as server:
        ans = assistant(server, max_steps=3).solve(TANK)
        n_requests = len(server.requests)
    assert n_requests == 3
    assert ans.status == "failed"
    assert "did not declare the answer complete within 3 steps" in (ans.error or "")


def test_repairs_stop_at_the_cap() -> None:
    volume = code("answer('m', Q(3, 'm')**3)")
    with ScriptedOpenAIServer([plan((["m"], ["code"])), volume, volume]) as server:
        ans = assistant(server, max_steps=1, max_repairs=1).solve(TANK)
    assert ans.status == "failed"
    assert [e.data["attempt"] for e in events(ans, "expert:code")] == [1, 2]
    assert "unit mismatch" in (ans.error or "")


class Recorder:
    """An in-process LLM that replays replies and records each call (to distil a tiny model)."""

    name = "recorder"

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[list[Message], int, str]] = []

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        schema: dict[str, Any] | None = None,
    ) -> str:
        reply = self.replies.pop(0)
        self.calls.append((list(messages), max_tokens, reply))
        return reply


@pytest.mark.slow
def test_full_loop_with_a_tiny_local_hf_model(tmp_path: Any) -> None:
    """A tiny Llama is taught the replies of one run (teacher -> student), then drives the same
    loop on its own through the HF backend: plan, a faulty program, its repair, completion."""
    import torch

    from experts.lora.tiny import TinyConfig, build_model, save_model, train_tokenizer
    from experts.lora.training import TrainConfig, train
    from peoa.llm.hf import HFBackend, fit_prompt, render_chat

    torch.manual_seed(0)
    teacher = Recorder(
        [plan((["m"], ["code"])), code("answer('m', Q(3, 'm')**3)"), GOOD_TANK, DONE]
    )
    first = Assistant(llm_backend=teacher, use_graph=False, llm="none", llm_read=False).solve(TANK)
    assert first.status == "solved"
    config = TinyConfig(vocab_size=1000, max_position_embeddings=1024)
    corpus = [render_chat(m, None) for m, _, _ in teacher.calls] + [r for *_, r in teacher.calls]
    tok = train_tokenizer(corpus, vocab_size=config.vocab_size)
    examples = []
    for messages, max_tokens, reply in teacher.calls:
        ids, _ = fit_prompt(
            tok(render_chat(messages, tok))["input_ids"], config.max_position_embeddings, max_tokens
        )
        target = tok(reply, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
        examples.append((ids + target, len(ids)))
    model = build_model(tok, config)
    train(
        model, examples, tok.pad_token_id, TrainConfig(steps=150, batch_size=4, lr=3e-3, warmup=10)
    )
    save_model(model, tok, tmp_path / "tiny-agent")

    student = HFBackend(tmp_path / "tiny-agent", device="cpu")
    ans = Assistant(llm_backend=student, use_graph=False, llm="none", llm_read=False).solve(TANK)
    assert ans.status == "solved", ans.error
    assert ans.answers["m"].value == pytest.approx(TANK_MASS, rel=1e-6)
    attempts = events(ans, "expert:code")
    assert "unit mismatch" in attempts[0].message and attempts[1].message.endswith("usable claims")


# -- chat memory ---------------------------------------------------------------------------------

STEAM = "Superheated steam is at 6 MPa and 450 °C.\nReport your answers as:\nh = ___ kJ/kg"


def test_chat_follow_up_reuses_the_previous_problem() -> None:
    a = Assistant(llm="none", use_graph=False)
    first = next(x for x in a.chat(STEAM, thread_id="c1") if isinstance(x, Answer))
    second_items = list(a.chat("and at 8 MPa?", thread_id="c1"))
    second = next(x for x in second_items if isinstance(x, Answer))
    assert first.status == second.status == "solved"
    assert first.answers["h"].value == pytest.approx(
        State("Water", T=723.15, P=6e6).h / 1e3, rel=1e-6
    )
    assert second.answers["h"].value == pytest.approx(
        State("Water", T=723.15, P=8e6).h / 1e3, rel=1e-6
    )
    follow = next(x for x in second_items if isinstance(x, TraceEvent) and x.node == "chat")
    assert "8 MPa and 450 °C" in follow.data["problem"]
    history = a.agent.history("c1")
    assert [h["status"] for h in history] == ["solved", "solved"]
    assert a.agent.last_problem("c1") is not None and "8 MPa" in a.agent.last_problem("c1").text
    # another thread knows nothing of this chat
    other = next(x for x in a.chat("and at 8 MPa?", thread_id="c2") if isinstance(x, Answer))
    assert other.status == "failed"


def test_ambiguous_follow_up_asks_which_value() -> None:
    a = Assistant(llm="none", use_graph=False)
    text = "Steam enters a turbine at 6 MPa and 450 °C and leaves at 10 kPa.\nReport your answers as:\nh1 = ___ kJ/kg"
    list(a.chat(text, thread_id="c3"))
    ans = next(x for x in a.chat("and at 20 bar?", thread_id="c3") if isinstance(x, Answer))
    assert ans.status == "failed" and "could replace any of '6 MPa', '10 kPa'" in (ans.error or "")
    items = list(a.chat("what if it leaves at 20 kPa", thread_id="c3"))
    follow = next(x for x in items if isinstance(x, TraceEvent) and x.node == "chat")
    assert follow.data["problem"].startswith(
        "Steam enters a turbine at 6 MPa and 450 °C and leaves at 20 kPa."
    )


def test_chat_cli_follow_up_and_trace() -> None:
    from typer.testing import CliRunner

    from peoa.cli.main import app

    runner = CliRunner()
    lines = [STEAM.replace("\n", "\\n"), "and at 8 MPa?", "/trace", "/quit"]
    r = runner.invoke(app, ["chat"], input="\n".join(lines) + "\n", env={"PEOA_LLM": "none"})
    assert r.exit_code == 0, r.output
    h6 = State("Water", T=723.15, P=6e6).h / 1e3
    h8 = State("Water", T=723.15, P=8e6).h / 1e3
    assert f"{h6:.6g}" in r.output and f"{h8:.6g}" in r.output
    assert "follow-up of the previous problem" in r.output and "reconcile" in r.output
