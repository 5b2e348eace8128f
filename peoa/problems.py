"""Reading problem files (YAML with a ``problems:`` list, or JSONL).

A bad problem does not stop the file: it comes back as a :class:`BadProblem` carrying its id (when
it has one) and the reason, and the batch writes a failed line for it. Only an unreadable file or
duplicate ids raise :class:`ProblemFileError`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from peoa.errors import ProblemFileError
from peoa.models import Given, Problem
from peoa.understand.slots import property_key


@dataclass
class BadProblem:
    """A problem entry that could not be read: its id (or a positional one) and why."""

    id: str
    error: str


def _to_problem(raw: Any, index: int) -> Problem | BadProblem:
    pos_id = f"#{index + 1}"
    if not isinstance(raw, dict):
        return BadProblem(pos_id, f"problem {pos_id} is not a mapping: {raw!r:.80}")
    pid = raw.get("id")
    if pid is None or str(pid).strip() == "":
        return BadProblem(pos_id, f"problem {pos_id} has no 'id'")
    pid = str(pid)
    data = dict(raw)
    data["id"] = pid
    try:
        givens = data.get("givens") or {}
        if not isinstance(givens, dict):
            raise ValueError(f"'givens' must map names to 'value unit' strings, got {givens!r}")
        data["givens"] = {k: Given.parse(k, v) for k, v in givens.items()}
        expect = data.get("expect") or {}
        data["expect"] = {
            k: (v[0], v[1] if len(v) > 1 else "") if isinstance(v, list | tuple) else (v, "")
            for k, v in expect.items()
        }
        targets = data.get("targets") or []
        if isinstance(targets, str):
            data["targets"] = [targets]
        if data["givens"] and "bindings" not in data:
            data["bindings"] = {t: property_key(t) or t for t in data.get("targets", [])}
            is_props = bool(data.get("fluid")) and all(
                property_key(t) for t in data.get("targets", [])
            )
            data["domain"] = data.get("domain") or ("properties" if is_props else "equations")
        return Problem.model_validate(data)
    except (ValidationError, ValueError) as e:
        msg = e.errors()[0]["msg"] if isinstance(e, ValidationError) else str(e)
        return BadProblem(pid, f"problem {pid!r}: {msg}")


def read_problems(path: str | Path) -> list[Problem | BadProblem]:
    """Problems of a YAML or JSONL file, in order; duplicate ids raise, naming them."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ProblemFileError(str(p), f"cannot read: {e.strerror or e}") from e
    raws: list[Any]
    if p.suffix.lower() in {".jsonl", ".ndjson"}:
        raws = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                raws.append(json.loads(line))
            except json.JSONDecodeError as e:
                raws.append(f"<line {n}: invalid JSON: {e.msg}>")
    else:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ProblemFileError(str(p), f"invalid YAML: {e}") from e
        if isinstance(doc, dict) and isinstance(doc.get("problems"), list):
            raws = doc["problems"]
        elif isinstance(doc, list):
            raws = doc
        else:
            raise ProblemFileError(str(p), "expected a 'problems:' list")
    items = [_to_problem(r, i) for i, r in enumerate(raws)]
    dup = sorted(k for k, n in Counter(i.id for i in items).items() if n > 1)
    if dup:
        raise ProblemFileError(str(p), f"duplicate problem ids: {', '.join(dup)}")
    return items
