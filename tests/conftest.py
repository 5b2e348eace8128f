"""Shared fixtures: an offline assistant and the benchmark folder (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def benchmarks() -> Path:
    root = Path(os.environ.get("PEOA_BENCHMARKS", REPO.parent / "shared" / "benchmarks"))
    if not (root / "thermoqa").exists():
        pytest.skip(f"benchmarks not found at {root}; set PEOA_BENCHMARKS (see docs/BENCHMARKS.md)")
    return root


@pytest.fixture(scope="session")
def assistant():
    from peoa import Assistant

    return Assistant(llm="none", use_graph=False)


@pytest.fixture()
def peoa_env(tmp_path, monkeypatch):
    """An isolated PEOA_HOME for CLI runs."""
    monkeypatch.setenv("PEOA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PEOA_LLM", "none")
    return tmp_path
