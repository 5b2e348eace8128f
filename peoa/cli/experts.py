"""``peoa experts``: the skill library (list, add, remove, make-data, build-base, train, eval,
train-router, route, compose, experiment)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from experts.errors import ExpertError
from peoa.errors import PeoaError

experts_app = typer.Typer(no_args_is_help=True, help="The skill library: LoRA experts and tools.")
_err = Console(stderr=True)

LibOpt = typer.Option(
    None, "--library", help="skill library folder (default: PEOA_SKILLS or home/skills)"
)
BaseOpt = typer.Option(
    None, "--base", help="base model folder (default: PEOA_BASE_MODEL or home/base)"
)


def _paths(library: Path | None, base: Path | None = None) -> tuple[Any, Path]:
    from experts.lora.library import SkillLibrary
    from peoa.config import load_settings

    s = load_settings(skills=library, base_model=base)
    return SkillLibrary(s.skills_dir), s.base_dir


@contextmanager
def _errors() -> Iterator[None]:
    """Library and input errors end the command with their message and exit code 2."""
    try:
        yield
    except (ExpertError, PeoaError, ValueError, FileNotFoundError) as e:
        _err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Any]:
    if quiet:
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"),
        TimeElapsedColumn(),
        console=_err,
    ) as bar:
        task = bar.add_task(label, total=None, loss=float("nan"))

        def update(step: int, total: int, loss: float) -> None:
            bar.update(task, completed=step, total=total, loss=loss)

        yield update


def _embed() -> Any:
    from graph.embeddings import shared_embedder
    from peoa.config import load_settings

    return shared_embedder(load_settings().embedding_model).encode


@experts_app.command("list")
def list_(library: Path | None = LibOpt, as_json: bool = typer.Option(False, "--json")) -> None:
    """Tool experts and the library's LoRA skills."""
    from experts.registry import default_registry

    lib, _ = _paths(library)
    with _errors():
        tools = default_registry()
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "tools": [
                            {"name": n, "skills": list(tools.get(n).skills)} for n in tools.names()
                        ],
                        "lora": json.loads(_manifests(lib)),
                    }
                )
            )
            return
        table = Table("expert", "kind", "skills / description", "rank", "metrics")
        for n in tools.names():
            table.add_row(n, "tool", ", ".join(tools.get(n).skills), "", "")
        for m in lib.manifests():
            metrics = ", ".join(f"{k}={v:.3g}" for k, v in m.metrics.items())
            table.add_row(m.skill, "lora", m.description, str(m.rank), metrics)
        Console().print(table)


def _manifests(lib: Any) -> str:
    from experts.lora.service import manifests_json

    return manifests_json(lib)


@experts_app.command("add")
def add(
    path: Path = typer.Argument(
        ..., help="a PEFT adapter folder (with manifest.json, or give --skill)"
    ),
    skill: str | None = typer.Option(None, help="skill name when the folder has no manifest"),
    description: str = typer.Option("", help="what the skill does (embedded for routing)"),
    overwrite: bool = typer.Option(False, help="replace a skill of the same name"),
    library: Path | None = LibOpt,
    base: Path | None = BaseOpt,
) -> None:
    """Add an adapter to the library (checked against the base model)."""
    from experts.lora.manifest import Manifest, base_fingerprint, check_adapter_files

    lib, base_dir = _paths(library, base)
    with _errors():
        check_adapter_files(path)
        if (path / "manifest.json").exists():
            manifest = Manifest.load(path)
        else:
            if not skill:
                raise ValueError(f"{path} has no manifest.json: give --skill (and --description)")
            cfg = json.loads((path / "adapter_config.json").read_text())
            targets = cfg.get("target_modules") or []
            manifest = Manifest(
                skill=skill,
                description=description or skill,
                base_model=str(base_dir),
                base_fingerprint=base_fingerprint(base_dir),
                rank=int(cfg["r"]),
                alpha=float(cfg.get("lora_alpha", cfg["r"])),
                target_modules=sorted(targets) if isinstance(targets, list) else [str(targets)],
            )
        dest = lib.add(path, manifest, overwrite=overwrite)
        typer.echo(f"added {manifest.skill} -> {dest}")


@experts_app.command("remove")
def remove(skill: str, library: Path | None = LibOpt) -> None:
    """Remove a skill from the library."""
    lib, _ = _paths(library)
    with _errors():
        lib.remove(skill)
        typer.echo(f"removed {skill}")


@experts_app.command("make-data")
def make_data(
    skill: str = typer.Argument(..., help="a skill, or skills joined by + for a multi-skill task"),
    n: int = typer.Option(500, min=1, help="pairs to generate"),
    seed: int = typer.Option(0),
    out: Path = typer.Option(Path("pairs.jsonl"), help="JSONL output"),
    teacher: str | None = typer.Option(
        None, help="openai:<url>#<model> teacher; kept only when verified"
    ),
) -> None:
    """Teacher–student pairs from the engine (every target verified by the engine)."""
    from experts.lora.data import make_pairs
    from experts.lora.service import teacher_pairs, write_pairs

    with _errors():
        pairs = make_pairs(skill.split("+"), n, seed=seed)
        rejected = 0
        if teacher:
            from peoa.llm import open_llm

            pairs, rejected = teacher_pairs(pairs, open_llm(teacher))
        write_pairs(pairs, out)
        typer.echo(
            json.dumps({"written": len(pairs), "rejected_by_engine": rejected, "out": str(out)})
        )


@experts_app.command("build-base")
def build_base_cmd(
    base: Path | None = BaseOpt,
    steps: int = typer.Option(1000, min=1),
    quiet: bool = typer.Option(False, "--quiet"),
) -> None:
    """Build and pre-train a tiny local base model (tests, CPU experiments)."""
    from experts.lora.service import build_base

    _, base_dir = _paths(None, base)
    with _errors(), _progress("base", quiet) as bar:
        out = build_base(base_dir, steps=steps, progress=bar)
    typer.echo(f"base model in {out}")


@experts_app.command("train")
def train_cmd(
    skill: str,
    data: Path | None = typer.Option(None, help="JSONL pairs (default: generated by the engine)"),
    steps: int = typer.Option(500, min=1),
    lr: float = typer.Option(1e-2, min=0.0),
    rank: int = typer.Option(8, min=1),
    anchor: float = typer.Option(
        1.0, min=0.0, help="base-logit anchor of the loss (0: plain cross-entropy)"
    ),
    fresh: bool = typer.Option(False, "--fresh", help="ignore checkpoints of an earlier run"),
    quiet: bool = typer.Option(False, "--quiet"),
    library: Path | None = LibOpt,
    base: Path | None = BaseOpt,
) -> None:
    """Train a skill's LoRA adapter (resumable) and add it to the library."""
    from experts.lora.service import read_pairs, train_skill
    from experts.lora.training import LoraSettings, TrainConfig

    lib, base_dir = _paths(library, base)
    with _errors(), _progress(skill, quiet) as bar:
        pairs = read_pairs(data) if data else None
        m = train_skill(
            lib,
            base_dir,
            skill,
            pairs,
            config=TrainConfig(steps=steps, lr=lr, anchor=anchor),
            lora=LoraSettings(rank=rank, alpha=2 * rank),
            resume=not fresh,
            progress=bar,
        )
    typer.echo(json.dumps({"skill": m.skill, **m.metrics}))


@experts_app.command("eval")
def eval_cmd(
    skill: str,
    n: int = typer.Option(100, min=1),
    library: Path | None = LibOpt,
    base: Path | None = BaseOpt,
) -> None:
    """Engine-judged accuracy of the base and of the skill's adapter on fresh problems (JSON)."""
    from experts.lora.service import eval_skill

    lib, base_dir = _paths(library, base)
    with _errors():
        typer.echo(json.dumps({"skill": skill, **eval_skill(lib, base_dir, skill, n)}))


@experts_app.command("train-router")
def train_router_cmd(n: int = typer.Option(150, min=2), library: Path | None = LibOpt) -> None:
    """Train the router on labelled subtasks of the library's skills."""
    from experts.lora.service import train_router

    lib, _ = _paths(library)
    with _errors():
        router = train_router(lib, _embed(), n=n)
        typer.echo(json.dumps({"router": router.skills}))


@experts_app.command("route")
def route_cmd(
    text: str, library: Path | None = LibOpt, as_json: bool = typer.Option(False, "--json")
) -> None:
    """Skill weights α the router gives a subtask text."""
    from experts.lora.service import route

    lib, _ = _paths(library)
    with _errors():
        out = route(lib, _embed(), text)
    if as_json:
        typer.echo(json.dumps(out))
    else:
        for s, a in out["alpha"].items():
            typer.echo(f"{s:20} α={a:.3f}  weight={out['weights'].get(s, 0.0):.3f}")


@experts_app.command("compose")
def compose_cmd(
    weights: list[str] = typer.Argument(
        ..., help="SKILL=WEIGHT pairs, e.g. fluid_flow=1 heat_transfer=0.8"
    ),
    out: Path = typer.Option(..., "--out", help="folder for the composed PEFT adapter"),
    combination: str = typer.Option("cat", help="cat (exact) | svd (needs --rank)"),
    rank: int | None = typer.Option(None, min=1, help="rank budget for svd"),
    library: Path | None = LibOpt,
    base: Path | None = BaseOpt,
) -> None:
    """Compose skills in parameter space and save the adapter (servable by vLLM)."""
    from experts.lora.compose import compose, save_adapter
    from experts.lora.service import load_base

    lib, base_dir = _paths(library, base)
    with _errors():
        parsed: dict[str, float] = {}
        for item in weights:
            name, sep, value = item.partition("=")
            try:
                parsed[name] = float(value) if sep else 1.0
            except ValueError as e:
                raise ValueError(f"bad weight {item!r}: expected SKILL=NUMBER") from e
        if combination not in ("cat", "svd"):
            raise ValueError(
                f"combination {combination!r}: use cat or svd (linear adds cross terms)"
            )
        if combination == "svd" and rank is None:
            raise ValueError("svd needs a rank budget: --rank R")
        model, _ = load_base(base_dir)
        peft_model = lib.load(model, list(parsed), base_dir)
        name = compose(peft_model, parsed, "composed", combination, rank)
        path = save_adapter(peft_model, name, out)
        typer.echo(
            json.dumps(
                {"out": str(path), "weights": parsed, "rank": int(peft_model.peft_config[name].r)}
            )
        )


@experts_app.command("experiment")
def experiment_cmd(
    workdir: Path = typer.Option(
        Path("peoa-experiment"), help="where the base, library and router go"
    ),
    quick: bool = typer.Option(
        False, "--quick", help="seconds-long smoke run (numbers not meaningful)"
    ),
    seed: int = typer.Option(0),
    combined: str = typer.Option(
        "",
        help="the held-out two-skill task, e.g. fluid_flow,heat_transfer (default: the config's)",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """PSEC experiment on CPU: base vs single adapters vs router-weighted cat vs linear merge."""
    from dataclasses import replace

    from experts.lora.experiment import ExperimentConfig, run_experiment

    cfg = replace(ExperimentConfig.quick() if quick else ExperimentConfig(), seed=seed)
    if combined:
        pair = tuple(s.strip() for s in combined.split(","))
        if len(pair) != 2 or len(set(pair)) != 2 or not set(pair) <= set(cfg.skills):
            _err.print(
                f"--combined needs two different skills of {list(cfg.skills)}, got {combined!r}"
            )
            raise typer.Exit(2)
        cfg = replace(cfg, combined=pair)
    with _errors():
        out = run_experiment(workdir, cfg, log=lambda m: _err.print(m))
    if as_json:
        typer.echo(json.dumps(out))
        return
    for k in ("base", "composed_cat", "merged_linear"):
        typer.echo(f"{k:14} {out[k]}")
    for s, r in out["single"].items():
        typer.echo(f"single {s:7} {r}")
    typer.echo(f"router_accuracy {out['router_accuracy']:.3f}")
