"""``peoa``: solve, chat, batch, eval, graph, experts, bench, doctor."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from peoa.cli.experts import experts_app
from peoa.errors import PeoaError
from peoa.models import Answer, TraceEvent
from solvers.errors import SolverError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="PEOA: engineering problems solved with values, units and a trace.",
)
graph_app = typer.Typer(no_args_is_help=True, help="The knowledge graph.")
app.add_typer(graph_app, name="graph")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks for docs/BENCHMARKS.md.")
app.add_typer(bench_app, name="bench")
app.add_typer(experts_app, name="experts")


@bench_app.command("engine")
def bench_engine(
    repeat: int = typer.Option(30, help="runs per model (median reported)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Median time of State resolution and of each component/cycle model [ms]."""
    from peoa.bench.engine import run

    out = run(repeat=repeat)
    if as_json:
        typer.echo(json.dumps(out))
        return
    for section in ("state_ms", "model_ms"):
        for k, v in out[section].items():
            typer.echo(f"{section[:-3]:6} {k:22} {v:8.3f} ms")


@bench_app.command("lora")
def bench_lora(
    ks: str = typer.Option("2,3,4,5,6,7,8", help="numbers of adapters to compose"),
    rank: int = typer.Option(16, min=1),
    hidden: int = typer.Option(896, min=8, help="model width (896 x 26 layers: 0.53 B parameters)"),
    layers: int = typer.Option(26, min=1),
    new_tokens: int = typer.Option(16, min=1),
    repeat: int = typer.Option(3, min=1),
) -> None:
    """LoRA composition time [s] for k adapters and tokens/s, composed vs single (JSON)."""
    from peoa.bench.lora import run

    out = run(
        tuple(int(k) for k in ks.split(",")),
        rank=rank,
        hidden=hidden,
        layers=layers,
        intermediate=hidden * 5 + hidden // 2 if hidden != 896 else 4864,
        new_tokens=new_tokens,
        repeat=repeat,
    )
    typer.echo(json.dumps(out))


@bench_app.command("abduction")
def bench_abduction(
    test_sets: int = typer.Option(16, min=1, help="shifted test sets"),
    test_claims: int = typer.Option(5000, min=10, help="claims per test set"),
    sizes: str = typer.Option("100,1000,10000,100000", help="claim counts to time"),
    time_limit: float = typer.Option(60.0, min=0.01, help="IP time limit [s]"),
    backend: str = typer.Option("cbc", help="IP backend: cbc | highs"),
    seed: int = typer.Option(0),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Abduction: F1/accuracy of IP, heuristic, best single expert, majority; solve times [s]."""
    from peoa.bench.abduction import run

    try:
        size_list = tuple(int(x) for x in sizes.split(",") if x.strip())
    except ValueError as e:
        err.print(f"[red]error:[/red] --sizes must be integers separated by commas, got {sizes!r}")
        raise typer.Exit(2) from e
    try:
        out = run(
            test_sets=test_sets,
            test_claims=test_claims,
            sizes=size_list,
            time_limit=time_limit,
            backend=backend,
            seed=seed,
        )
    except SolverError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    if as_json:
        typer.echo(json.dumps(out))
        return
    for metric in ("f1", "accuracy"):
        typer.echo(metric + ": " + ", ".join(f"{k} {v:.3f}" for k, v in out[metric].items()))
    for solver, times in out["runtime_s"].items():
        shown = ", ".join(f"{n}: {'-' if t is None else f'{t:.4f}'}" for n, t in times.items())
        typer.echo(f"runtime_s {solver}: {shown}")
    typer.echo(f"hs_gap {out['hs_gap']:.2e}  delta {out['delta']}")


console = Console()
err = Console(stderr=True)

LlmOpt = Annotated[
    str | None, typer.Option("--llm", help="none | hf:<path> | openai:<url>#<model>")
]
GraphOpt = Annotated[str | None, typer.Option("--graph", help="kuzu:<path> | neo4j://host:port")]


def _assistant(llm: str | None = None, graph: str | None = None, **kw: Any) -> Any:
    from peoa.sdk import Assistant

    try:
        return Assistant(llm=llm, graph=graph, **kw)
    except (PeoaError, ValueError) as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e


def _answer_table(ans: Answer) -> Table:
    t = Table(title=f"{ans.id}: {ans.status}", show_lines=False)
    t.add_column("slot")
    t.add_column("value", justify="right")
    t.add_column("unit")
    for slot, v in ans.answers.items():
        val = f"{v.value:.6g}" if isinstance(v.value, float) else str(v.value)
        t.add_row(slot, val, v.unit)
    return t


def _print_event(ev: TraceEvent) -> None:
    console.print(f"[dim]· {ev.node}[/dim] {ev.message}")


@app.command()
def solve(
    text: Annotated[str, typer.Argument(help="the problem text ('-' reads standard input)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the result line as JSON")] = False,
    trace: Annotated[bool, typer.Option("--trace", help="print the derivation")] = False,
    llm: LlmOpt = None,
    graph: GraphOpt = None,
) -> None:
    """Solve one problem."""
    if text == "-":
        text = sys.stdin.read()
    a = _assistant(llm, graph)
    if as_json:
        ans = a.solve(text)
        print(json.dumps(ans.result_line(), ensure_ascii=False))
    else:
        ans = None
        for item in a.stream(text):
            if isinstance(item, TraceEvent):
                _print_event(item)
            else:
                ans = item
        assert ans is not None
        console.print(_answer_table(ans))
        if ans.error:
            console.print(f"[yellow]{ans.error}[/yellow]")
        if trace:
            for ev in ans.trace:
                console.print(f"[bold]{ev.node}[/bold] {ev.message}")
                if ev.data:
                    console.print_json(json.dumps(ev.data, default=str))
    raise typer.Exit(0 if ans.status != "failed" else 1)


@app.command()
def batch(
    inp: Annotated[Path, typer.Argument(help="problem file (YAML or JSONL)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="result file (JSONL)")],
    resume: Annotated[bool, typer.Option("--resume", help="skip ids already in OUT")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64)] = 1,
    fresh: Annotated[bool, typer.Option("--fresh", help="overwrite OUT")] = False,
    llm: LlmOpt = None,
    graph: GraphOpt = None,
) -> None:
    """Solve every problem of a file; one result line per problem in OUT."""
    from peoa.batch import done_ids, run_batch
    from peoa.problems import read_problems

    try:
        total = len(read_problems(inp))
    except PeoaError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    already = len(done_ids(out)) if resume else 0
    a = _assistant(llm, graph)
    answers: list[Answer] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as prog:
        task = prog.add_task("solving", total=total, completed=already)

        def tick(ans: Answer) -> None:
            answers.append(ans)
            prog.advance(task)

        try:
            run_batch(inp, out, a, resume=resume, workers=workers, on_result=tick, fresh=fresh)
        except PeoaError as e:
            err.print(f"[red]error:[/red] {e}")
            raise typer.Exit(2) from e
    t = Table(title=f"{inp} -> {out}")
    for col in ("id", "status", "answers", "error"):
        t.add_column(col)
    for ans in answers:
        vals = ", ".join(
            f"{k}={v.value:.4g} {v.unit}".strip()
            if isinstance(v.value, float)
            else f"{k}={v.value}"
            for k, v in ans.answers.items()
        )
        t.add_row(ans.id, ans.status, vals, (ans.error or "")[:80])
    console.print(t)
    counts = {s: sum(a.status == s for a in answers) for s in ("solved", "partial", "failed")}
    console.print(
        f"{len(answers)} solved this run ({already} resumed): "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )


@app.command(name="eval")
def eval_(
    suite: Annotated[str, typer.Argument(help="thermoqa | mmlupro | scibench | a problem file")],
    tier: Annotated[int | None, typer.Option("--tier", min=1, max=3)] = None,
    mode: Annotated[str, typer.Option("--mode", help="text | structured")] = "text",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    report: Annotated[Path | None, typer.Option("--report", help="write report.md + PNG")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64)] = 1,
    llm: LlmOpt = None,
    graph: GraphOpt = None,
) -> None:
    """Score PEOA on a benchmark suite or a problem file with ``expect``."""
    from peoa.evaluation.harness import evaluate

    if mode not in {"text", "structured"}:
        err.print(f"[red]error:[/red] --mode must be text or structured, got {mode!r}")
        raise typer.Exit(2)
    a = _assistant(llm, graph)
    root = a.settings.benchmarks
    if suite.lower() == "thermoqa" and tier is None:
        tier = 1
    try:
        res = evaluate(suite, root, a, tier=tier, mode=mode, limit=limit, workers=workers)
    except PeoaError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    res.pop("_items", None)
    if report is not None:
        from peoa.evaluation.report import write_report

        path = write_report(res, report, root)
        err.print(f"report written to {path}")
    if as_json:
        print(json.dumps(res))
        return
    t = Table(title=f"{suite}" + (f" tier {tier}" if tier else "") + f" ({mode})")
    for col in ("category", "n", "score", "answered", "wrong"):
        t.add_column(col)
    for cat, c in sorted(res["by_category"].items()):
        t.add_row(cat, str(c["n"]), f"{c['score']:.3f}", str(c["answered"]), str(c["wrong"]))
    t.add_row(
        "[bold]all",
        str(res["n"]),
        f"[bold]{res['score']:.3f}",
        str(res["answered"]),
        str(res["wrong"]),
    )
    console.print(t)


@app.command()
def chat(
    llm: LlmOpt = None,
    graph: GraphOpt = None,
    thread: Annotated[str, typer.Option("--thread", help="chat thread id")] = "chat",
) -> None:
    """Interactive chat (history, multi-line input with Esc-Enter, /help, /trace, /quit)."""
    from peoa.cli.chat import run_chat

    run_chat(_assistant(llm, graph, persist=True), thread=thread, console=console)


@app.command()
def doctor(llm: LlmOpt = None, graph: GraphOpt = None) -> None:
    """Check packages, graph, embedding model and LLM backend, each with a fix hint."""
    from peoa.cli.doctor import run_checks

    ok = run_checks(llm=llm, graph=graph, console=console)
    raise typer.Exit(0 if ok else 1)


@graph_app.command("init")
def graph_init(
    graph: GraphOpt = None,
    substances: Annotated[
        int | None, typer.Option("--substances", min=0, help="cap the compound table")
    ] = None,
) -> None:
    """Create and seed the knowledge graph with embeddings (idempotent)."""
    import time

    from graph.embeddings import shared_embedder
    from graph.seed import seed
    from graph.stores import open_configured
    from peoa.config import load_settings

    s = load_settings(graph=graph)
    t0 = time.perf_counter()
    try:
        store = open_configured(s)
    except Exception as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    try:
        with err.status("seeding the graph") as status:
            counts = seed(
                store,
                shared_embedder(s.embedding_model),
                substances=substances,
                progress=lambda m: status.update(f"seeding: {m}"),
            )
        total = store.count()
    finally:
        store.close()
    console.print(
        f"graph {s.graph_uri}: {total} nodes "
        f"({', '.join(f'{k} {v}' for k, v in counts.items())}) "
        f"in {time.perf_counter() - t0:.1f} s"
    )


@contextmanager
def _open_graph(graph: str | None, read_only: bool = True) -> Iterator[Any]:
    """The configured graph (exit 2 with a hint when it cannot be opened)."""
    from graph.stores import open_configured
    from peoa.config import load_settings

    try:
        store = open_configured(load_settings(graph=graph), read_only=read_only)
    except Exception as e:
        err.print(f"[red]error:[/red] {e}; run 'peoa graph init' first")
        raise typer.Exit(2) from e
    try:
        yield store
    finally:
        store.close()


@graph_app.command("ingest")
def graph_ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (md, txt, html, pdf)")],
    graph: GraphOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ingest documents: chunks, embeddings, entity links; one transaction per document."""
    from graph.embeddings import shared_embedder
    from graph.ingest import collect_files, ingest
    from peoa.config import load_settings

    files = collect_files([str(p) for p in paths])
    with (
        _open_graph(graph, read_only=False) as store,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=as_json,
        ) as bar,
    ):
        task = bar.add_task("ingesting", total=len(files))

        def step(path: Path, outcome: str) -> None:
            bar.update(task, advance=1, description=f"{path.name}: {outcome[:60]}")

        report = ingest(
            store, shared_embedder(load_settings().embedding_model), files, on_file=step
        )
    out = {
        "written": report.written,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "chunks": report.chunks,
        "mentions": report.mentions,
        "seconds": round(report.seconds, 3),
        "chunks_per_s": round(report.chunks / report.seconds, 2) if report.seconds else 0.0,
    }
    if as_json:
        print(json.dumps(out))
    else:
        console.print(
            f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
            f"{len(report.failed)} failed; {report.chunks} chunks, {report.mentions} mentions "
            f"in {report.seconds:.1f} s"
        )
        for _name, why in report.failed.items():
            err.print(f"[red]failed:[/red] {why}")
    raise typer.Exit(1 if report.failed and not report.written and not report.unchanged else 0)


@graph_app.command("search")
def graph_search(
    query: str,
    k: Annotated[int, typer.Option("-k", min=1, max=100)] = 5,
    label: Annotated[
        list[str] | None, typer.Option("--label", help="only these node labels")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    graph: GraphOpt = None,
) -> None:
    """Hybrid search (vector + full text + graph expansion) with provenance."""
    from graph.embeddings import shared_embedder
    from graph.errors import GraphError
    from graph.retrieval import HybridRetriever
    from peoa.config import load_settings

    with _open_graph(graph) as store:
        try:
            hits = HybridRetriever(store, shared_embedder(load_settings().embedding_model)).search(
                query, k=k, labels=label or None
            )
        except GraphError as e:
            err.print(f"[red]error:[/red] {e}")
            raise typer.Exit(2) from e
    if as_json:
        print(json.dumps([h.model_dump() for h in hits]))
        return
    t = Table(title=f"graph search: {query}")
    for col in ("id", "label", "score", "via", "text"):
        t.add_column(col)
    for h in hits:
        t.add_row(h.id, h.label, f"{h.score:.4f}", " → ".join(h.path), h.text[:70])
    console.print(t)


@graph_app.command("stats")
def graph_stats(
    graph: GraphOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Node counts per label and relation counts per type."""
    with _open_graph(graph) as store:
        stats = store.stats()
    if as_json:
        print(json.dumps(stats))
        return
    for name, n in stats.items():
        console.print(f"{name}: {n}")


@graph_app.command("eval")
def graph_eval(
    nodes: Annotated[
        int | None, typer.Option("--nodes", min=1, help="grow the graph to N nodes")
    ] = None,
    queries: Annotated[Path | None, typer.Option("--queries", help="JSON lines query set")] = None,
    substances: Annotated[int | None, typer.Option("--substances", min=0)] = None,
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph", help="evaluate this existing graph (read-only) instead of a fresh one"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recall@5, MRR and latency of hybrid retrieval on a fresh seeded graph (temporary), or on
    an existing graph given by ``--graph``."""
    import tempfile
    import time

    from graph.embeddings import shared_embedder
    from graph.errors import GraphError
    from graph.evaluation import add_distractors, evaluate, load_queries
    from graph.seed import seed
    from graph.stores import open_store
    from peoa.config import load_settings

    if graph and (nodes or substances is not None):
        err.print("[red]error:[/red] --graph evaluates a graph as it is; drop --nodes/--substances")
        raise typer.Exit(2)
    try:
        qs = load_queries(queries)
    except GraphError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    embedder = shared_embedder(load_settings().embedding_model)
    if graph:
        with _open_graph(graph) as store:
            out = evaluate(store, embedder, qs)
    else:
        with tempfile.TemporaryDirectory(prefix="peoa-graph-eval-") as tmp:
            store = open_store(f"kuzu:{tmp}/eval.kuzu")
            try:
                t0 = time.perf_counter()
                with err.status("building the evaluation graph") as status:
                    seed(
                        store,
                        embedder,
                        substances=substances,
                        indexes=False,
                        progress=lambda m: status.update(f"seeding: {m}"),
                    )
                    seeded = time.perf_counter() - t0
                    extra = max(0, (nodes or 0) - store.count())
                    if extra:
                        add_distractors(store, embedder, extra, say=lambda m: status.update(m))
                    status.update("building indexes")
                    store.build_indexes()
                built = time.perf_counter() - t0
                out = evaluate(store, embedder, qs)
            finally:
                store.close()
        out["seed_s"] = round(seeded, 1)
        out["build_s"] = round(built, 1)
    if as_json:
        print(json.dumps(out))
        return
    for key, v in out.items():
        console.print(f"{key}: {v}")


if __name__ == "__main__":  # pragma: no cover
    app()
