"""The batch runner: one result line per problem, flushed and fsynced; resumable.

Each line is written whole with a single ``write`` followed by ``fsync``, so a batch killed at any
moment leaves complete lines and at most one torn last line, which ``--resume`` drops before
appending. Ids already in the output are skipped, so every id ends up exactly once.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from peoa.models import Answer, Problem
from peoa.problems import BadProblem, read_problems
from peoa.sdk import Assistant


def done_ids(out: Path) -> set[str]:
    """Ids with a complete line in ``out``; a torn last line is truncated away."""
    if not out.exists():
        return set()
    ids: set[str] = set()
    good_bytes = 0
    with out.open("rb") as f:
        for raw in f:
            try:
                if not raw.endswith(b"\n"):
                    raise ValueError("torn line")
                ids.add(str(json.loads(raw)["id"]))
            except (ValueError, KeyError):
                break
            good_bytes += len(raw)
    if good_bytes != out.stat().st_size:
        with out.open("rb+") as f:
            f.truncate(good_bytes)
            os.fsync(f.fileno())
    return ids


class ResultWriter:
    """Appends result lines; thread-safe; each line flushed and fsynced."""

    def __init__(self, out: Path, fresh: bool = False) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        self._f = out.open("w" if fresh else "a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, line: dict[str, Any]) -> None:
        data = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock:
            self._f.write(data)
            self._f.flush()
            os.fsync(self._f.fileno())

    def close(self) -> None:
        self._f.close()


def run_batch(
    inp: Path,
    out: Path,
    assistant: Assistant,
    resume: bool = False,
    workers: int = 1,
    on_result: Callable[[Answer], None] | None = None,
    fresh: bool = False,
) -> list[Answer]:
    """Solve every problem of ``inp`` into ``out``; returns the answers written in this run.

    Raises :class:`peoa.errors.ProblemFileError` only when ``inp`` is unreadable or has duplicate
    ids; a bad problem yields a failed line and the batch goes on.
    """
    items = read_problems(inp)
    skip = done_ids(out) if resume else set()
    if not resume and not fresh and out.exists() and out.stat().st_size > 0:
        fresh = True  # a new run replaces an old output rather than mixing with it
    todo = [i for i in items if i.id not in skip]
    writer = ResultWriter(out, fresh=fresh and not resume)
    results: list[Answer] = []

    def one(item: Problem | BadProblem) -> Answer:
        if isinstance(item, BadProblem):
            ans = Answer(id=item.id, status="failed", error=item.error)
        else:
            ans = assistant.solve(item)
        writer.write(_line(ans))
        if on_result is not None:
            on_result(ans)
        return ans

    try:
        if workers <= 1:
            results = [one(i) for i in todo]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(one, todo))
    finally:
        writer.close()
    return results


def _line(ans: Answer) -> dict[str, Any]:
    d = ans.result_line()
    return {
        "id": d["id"],
        "status": d["status"],
        "answers": d["answers"],
        "error": d["error"],
        "trace": d["trace"],
        "elapsed_s": d["elapsed_s"],
    }


def iter_results(out: Path) -> Iterator[dict[str, Any]]:
    """The result lines of an output file."""
    with out.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
