"""CLI commands, the SDK and the evaluation harness, run for real."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from peoa import Answer, Assistant, Problem, TraceEvent
from peoa.cli.main import app

runner = CliRunner()
TEXT = "Convert 14.7 psia to kPa.\nReport your answers as:\nP = ___ kPa"


def test_solve_json(peoa_env):
    r = runner.invoke(app, ["solve", TEXT, "--json"])
    assert r.exit_code == 0, r.output
    line = json.loads(r.stdout.strip().splitlines()[-1])
    assert line["status"] == "solved"
    assert line["answers"]["P"]["value"] == pytest.approx(101.35, rel=1e-3)
    assert set(line) == {"id", "status", "answers", "error", "trace", "elapsed_s"}


def test_solve_streams_nodes_and_fails_cleanly(peoa_env):
    r = runner.invoke(app, ["solve", TEXT])
    assert r.exit_code == 0
    for node in ("understand", "plan", "reconcile", "answer"):
        assert node in r.stdout
    r = runner.invoke(app, ["solve", "Find Re.\nReport your answers as:\nRe = ___"])
    assert r.exit_code == 1


def test_batch_and_eval_file(peoa_env, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(
        "problems:\n"
        "  - id: a\n    text: |\n      Convert 2 atm to kPa.\n"
        "      Report your answers as:\n      P = ___ kPa\n"
        "    expect: {P: [202.65, kPa]}\n"
        "  - id: b\n    givens: {rho: '1000 kg/m^3', V: '1 m/s', D: '0.1 m',"
        " mu: '0.001 Pa*s'}\n    targets: [Re]\n    expect: {Re: [100000, '']}\n"
    )
    out = tmp_path / "o.jsonl"
    r = runner.invoke(app, ["batch", str(f), "--out", str(out), "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert {json.loads(x)["id"] for x in out.read_text().splitlines()} == {"a", "b"}
    r = runner.invoke(app, ["eval", str(f), "--json"])
    res = json.loads(r.stdout)
    assert (res["n"], res["score"], res["answered"], res["wrong"]) == (2, 1.0, 2, 0)
    r = runner.invoke(app, ["batch", str(tmp_path / "nope.yaml"), "--out", str(out)])
    assert r.exit_code == 2 and "nope.yaml" in r.output


def test_graph_init_search_doctor(peoa_env):
    r = runner.invoke(app, ["graph", "init", "--substances", "100"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["graph", "search", "log mean temperature difference", "--json"])
    hits = json.loads(r.stdout)
    assert any(h["id"] == "eq:lmtd" for h in hits)
    r = runner.invoke(
        app, ["graph", "search", 'it\'s "quoted" {braces} MATCH (n) DETACH DELETE n', "--json"]
    )
    assert r.exit_code == 0
    r = runner.invoke(app, ["graph", "stats"])
    assert "Equation" in r.stdout
    r = runner.invoke(app, ["doctor"])
    assert "knowledge graph" in r.stdout and r.exit_code == 0


def test_chat_scripted(peoa_env):
    script = f"/help\n{TEXT.replace(chr(10), chr(92) + 'n')}\n/trace\n/quit\n"
    r = subprocess.run(
        [sys.executable, "-m", "peoa.cli.main", "chat"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "/trace" in r.stdout and "P = 101.3" in r.stdout and "reconcile" in r.stdout


def test_sdk_solve_many_and_stream(tmp_path):
    a = Assistant(llm="none", use_graph=False, persist=True, home=tmp_path)
    answers = a.solve_many([TEXT, Problem(id="x", text=TEXT)], workers=2)
    assert [x.status for x in answers] == ["solved", "solved"]
    items = list(a.stream(TEXT, thread_id="t1"))
    assert isinstance(items[-1], Answer) and all(isinstance(i, TraceEvent) for i in items[:-1])
    # the thread was checkpointed to SQLite and can be read back
    state = a.agent.graph.get_state({"configurable": {"thread_id": "t1"}})
    assert state.values["answer"].status == "solved"
    assert (tmp_path / "checkpoints.sqlite").exists()


def test_settings_precedence(tmp_path, monkeypatch):
    from peoa.config import Settings
    from peoa.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "peoa.toml").write_text('llm = "openai:http://127.0.0.1:9/v1#m"\nmax_rounds = 3\n')
    assert Settings().llm.startswith("openai:")
    monkeypatch.setenv("PEOA_LLM", "none")
    assert Settings().llm == "none" and Settings().max_rounds == 3
    assert Settings(llm="hf:/models/x").llm_backend() == ("hf", "/models/x")
    with pytest.raises((ConfigError, ValueError), match="PEOA_LLM"):
        Settings(llm="gpt")


def test_thermoqa_tier1(benchmarks, assistant):
    from peoa.evaluation.harness import evaluate

    text = evaluate("thermoqa", benchmarks, assistant, tier=1, mode="text", limit=30)
    assert text["n"] == 30 and 0.0 <= text["score"] <= 1.0
    assert text["score"] >= 0.9 and text["wrong"] <= 1
    structured = evaluate("thermoqa", benchmarks, assistant, tier=1, mode="structured", limit=30)
    assert structured["score"] == 1.0


def test_eval_cli_json_and_report(benchmarks, peoa_env, tmp_path):
    r = runner.invoke(
        app,
        [
            "eval",
            "thermoqa",
            "--tier",
            "1",
            "--limit",
            "5",
            "--json",
            "--report",
            str(tmp_path / "rep"),
        ],
        env={"PEOA_BENCHMARKS": str(benchmarks)},
    )
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(res) >= {"suite", "tier", "mode", "n", "score", "answered", "wrong", "by_category"}
    assert (tmp_path / "rep" / "report.md").exists()
    assert (tmp_path / "rep" / "scores.png").stat().st_size > 1000
    r = runner.invoke(app, ["eval", "thermoqa", "--json"], env={"PEOA_BENCHMARKS": "/nowhere"})
    assert r.exit_code == 2 and "PEOA_BENCHMARKS" in r.output
