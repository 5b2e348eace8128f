"""LLM backends: the OpenAI-compatible one against a real HTTP server started here, the local
HF one on a tiny model built from a config, structured output with validation and retries."""

from __future__ import annotations

import socket
import time

import pytest
from pydantic import BaseModel

from peoa.errors import BackendError, ConfigError, LLMOutputError
from peoa.llm import HFBackend, Message, NoLLM, OpenAIBackend, open_llm, structured
from tests.support.openai_server import ScriptedOpenAIServer

USER = [Message(role="user", content="Water at 2 kg/s is heated by 10 K. Duty?")]


class Duty(BaseModel):
    Q_dot: float
    unit: str


def test_openai_backend_speaks_the_protocol():
    with ScriptedOpenAIServer(["83.6 kW"]) as srv:
        llm = OpenAIBackend(srv.base_url, "tiny", retries=0)
        assert llm.complete(USER, max_tokens=20) == "83.6 kW"
        req = srv.requests[0]
        assert req["model"] == "tiny" and req["max_tokens"] == 20
        assert req["messages"] == [{"role": "user", "content": USER[0].content}]


def test_structured_output_uses_json_schema_and_validates():
    with ScriptedOpenAIServer(['{"Q_dot": 83.6, "unit": "kW"}']) as srv:
        out = structured(OpenAIBackend(srv.base_url, "tiny"), USER, Duty)
        assert out == Duty(Q_dot=83.6, unit="kW")
        fmt = srv.requests[0]["response_format"]
        assert fmt["type"] == "json_schema"
        assert set(fmt["json_schema"]["schema"]["properties"]) == {"Q_dot", "unit"}


def test_invalid_output_is_retried_with_the_error_then_fails_clearly():
    bad = ["no json here", '{"Q_dot": "lots"}', '{"Q_dot": 1.0, "unit": "kW"}']
    with ScriptedOpenAIServer(bad) as srv:
        assert structured(OpenAIBackend(srv.base_url, "tiny"), USER, Duty, retries=2).Q_dot == 1.0
        # the retry carries the validation error back to the model
        assert "invalid" in srv.requests[1]["messages"][-1]["content"]
    with ScriptedOpenAIServer(["nope", "still nope"]) as srv:
        with pytest.raises(LLMOutputError, match="invalid after 2 attempts") as e:
            structured(OpenAIBackend(srv.base_url, "tiny"), USER, Duty, retries=1)
        assert e.value.output == "still nope"


def test_server_without_structured_output_is_asked_in_the_prompt():
    with ScriptedOpenAIServer(
        [
            {"reject_response_format": True, "content": '{"Q_dot": 2, "unit": "W"}'},
            '{"Q_dot": 3, "unit": "W"}',
        ]
    ) as srv:
        llm = OpenAIBackend(srv.base_url, "tiny", retries=0)
        assert structured(llm, USER, Duty).Q_dot == 2
        assert structured(llm, USER, Duty).Q_dot == 3  # remembered: no second rejection
        assert ["response_format" in r for r in srv.requests] == [True, False, False]


def test_retries_with_backoff_on_server_errors():
    with ScriptedOpenAIServer([{"status": 503}, {"status": 500}, "ok"]) as srv:
        t = time.perf_counter()
        assert OpenAIBackend(srv.base_url, "tiny", retries=2, backoff=0.05).complete(USER) == "ok"
        assert time.perf_counter() - t >= 0.05 + 0.1  # waited 0.05 then 0.1
        assert len(srv.requests) == 3
    with (
        ScriptedOpenAIServer([{"status": 503}] * 3) as srv,
        pytest.raises(BackendError, match="failed after 2 attempts"),
    ):
        OpenAIBackend(srv.base_url, "tiny", retries=1, backoff=0.0).complete(USER)


def test_client_errors_are_not_retried():
    with ScriptedOpenAIServer([{"status": 404}, "never"]) as srv:
        with pytest.raises(BackendError, match="no model 'tiny'"):
            OpenAIBackend(srv.base_url, "tiny", retries=3, backoff=0.0).complete(USER)
        assert len(srv.requests) == 1


def test_timeout_and_unreachable_server_give_clear_errors():
    with (
        ScriptedOpenAIServer([{"sleep": 1.0, "content": "late"}]) as srv,
        pytest.raises(BackendError, match="timed out after 1 attempts"),
    ):
        OpenAIBackend(srv.base_url, "tiny", timeout=0.2, retries=0).complete(USER)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BackendError, match=f"127.0.0.1:{port}/v1 failed after 2 attempts"):
        OpenAIBackend(f"http://127.0.0.1:{port}/v1", "m", retries=1, backoff=0.0).complete(USER)


def test_bad_backend_specs():
    with pytest.raises(BackendError, match="must start with http"):
        OpenAIBackend("localhost:8000", "m")
    with pytest.raises(ConfigError, match="unknown backend 'gpt'"):
        open_llm("gpt:4")
    with pytest.raises(BackendError, match="no LLM is configured"):
        NoLLM().complete(USER)


def test_hf_backend_generates_from_a_local_model_and_names_missing_ones(tmp_path):
    from experts.lora.tiny import TinyConfig, build_model, save_model, train_tokenizer

    tok = train_tokenizer(["user: a pump moves water\nassistant: 3 kW"] * 4, vocab_size=300)
    save_model(
        build_model(tok, TinyConfig(hidden_size=32, intermediate_size=64)), tok, tmp_path / "m"
    )
    llm = open_llm(f"hf:{tmp_path / 'm'}")
    assert isinstance(llm, HFBackend) and llm.model is None  # no I/O before the first call
    out = llm.complete(USER, max_tokens=5)
    assert isinstance(out, str) and llm.model is not None
    with pytest.raises(BackendError, match=r"config\.json missing"):
        HFBackend(tmp_path / "nowhere").complete(USER)
    with pytest.raises(BackendError, match=r"adapter_config\.json missing"):
        HFBackend(tmp_path / "m", adapter=tmp_path).complete(USER)
