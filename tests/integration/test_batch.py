"""The batch contract: result lines, bad problems, duplicate ids, resume, and SIGKILL + resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peoa.batch import done_ids, run_batch
from peoa.errors import ProblemFileError

GOOD = "Convert {p} psig to kPa.\nReport your answers as:\nP = ___ kPa"


def write_jsonl(path: Path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def lines(path: Path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_result_lines_and_bad_problems(tmp_path, assistant):
    inp = tmp_path / "in.jsonl"
    write_jsonl(
        inp,
        [
            {"id": "ok", "text": GOOD.format(p=10)},
            {"text": "no id here"},
            {"id": "badunit", "givens": {"rho": "12 blorps"}, "targets": ["Re"]},
            {"id": "unsolvable", "text": "Find Re.\nReport your answers as:\nRe = ___"},
        ],
    )
    out = tmp_path / "out.jsonl"
    run_batch(inp, out, assistant)
    rows = {r["id"]: r for r in lines(out)}
    assert set(rows) == {"ok", "#2", "badunit", "unsolvable"}
    for r in rows.values():
        assert set(r) == {"id", "status", "answers", "error", "trace", "elapsed_s"}
    assert rows["ok"]["status"] == "solved"
    assert rows["ok"]["answers"]["P"]["unit"] == "kPa"
    assert rows["ok"]["answers"]["P"]["value"] == pytest.approx(10 * 6.894757 + 101.325, 1e-5)
    assert rows["#2"]["status"] == "failed" and "no 'id'" in rows["#2"]["error"]
    assert rows["badunit"]["status"] == "failed" and "blorps" in rows["badunit"]["error"]
    assert rows["unsolvable"]["status"] == "failed" and rows["unsolvable"]["error"]


def test_duplicate_ids_are_named(tmp_path, assistant):
    inp = tmp_path / "dup.yaml"
    inp.write_text("problems:\n  - {id: a, text: x}\n  - {id: b, text: y}\n  - {id: a, text: z}\n")
    with pytest.raises(ProblemFileError, match="duplicate problem ids: a"):
        run_batch(inp, tmp_path / "o.jsonl", assistant)


def test_unreadable_file(tmp_path, assistant):
    with pytest.raises(ProblemFileError, match="cannot read"):
        run_batch(tmp_path / "missing.yaml", tmp_path / "o.jsonl", assistant)


def test_resume_skips_done_and_drops_torn_line(tmp_path, assistant):
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [{"id": f"p{i}", "text": GOOD.format(p=i)} for i in range(5)])
    out = tmp_path / "out.jsonl"
    out.write_text(
        json.dumps(
            {
                "id": "p0",
                "status": "solved",
                "answers": {},
                "error": None,
                "trace": [],
                "elapsed_s": 0,
            }
        )
        + "\n"
        + '{"id": "p1", "sta'
    )
    assert done_ids(out) == {"p0"}
    run_batch(inp, out, assistant, resume=True, workers=2)
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == [f"p{i}" for i in range(5)]


def test_sigkill_then_resume_gives_every_id_once(tmp_path):
    n = 60
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [{"id": f"k{i}", "text": GOOD.format(p=i)} for i in range(n)])
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PEOA_HOME": str(tmp_path / "home"), "PEOA_LLM": "none"}
    cmd = [sys.executable, "-m", "peoa.cli.main", "batch", str(inp), "--out", str(out)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until it has written some lines, then kill it hard
        if out.exists() and len(out.read_bytes().splitlines()) >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = len(done_ids(out))
    assert 0 < before < n, "the batch must be killed mid-run"
    done = subprocess.run([*cmd, "--resume"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == sorted(f"k{i}" for i in range(n))
    assert len(ids) == len(set(ids)) == n
