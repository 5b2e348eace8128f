"""``peoa graph eval``: recall@5, MRR and latency of hybrid retrieval on a labelled query set,
optionally on a graph grown to N nodes with generated distractor passages, with the exact
numpy brute-force cosine search timed in the same run as the baseline.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from graph.embeddings import Embedder
from graph.errors import GraphError
from graph.protocols import GraphStore
from graph.retrieval import HybridRetriever

DEFAULT_QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "retrieval_queries.jsonl"

_SUBJECTS = (
    "the feed pump",
    "a shell-and-tube cooler",
    "the reboiler",
    "a packed column",
    "the compressor train",
    "a steam header",
    "the flare line",
    "an air cooler",
    "the reactor jacket",
    "a storage tank",
    "the condensate drum",
    "a cooling tower",
    "the fired heater",
    "a centrifuge",
    "the dryer",
)
_EVENTS = (
    "was inspected during the turnaround",
    "showed fouling on the tube side",
    "ran at reduced throughput",
    "had its seals replaced",
    "tripped on high vibration",
    "was recalibrated by the instrument team",
    "operated near its design margin",
    "was cleaned with a chemical wash",
    "needed a new gasket",
    "was logged in the maintenance system",
    "had a minor leak at a flange",
    "passed the pressure test",
)
_DETAILS = (
    "operators noted the change in the shift log",
    "the work order was closed the next day",
    "spare parts were ordered from the vendor",
    "the procedure was reviewed for safety",
    "readings were trended for a week",
    "a follow-up inspection was planned",
    "the contractor completed the job on time",
    "the area was barricaded during the work",
)


def load_queries(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The labelled set: JSON lines ``{"query": str, "expected": [node ids]}``."""
    p = Path(path) if path else DEFAULT_QUERIES
    try:
        rows = [
            json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    except (OSError, ValueError) as e:
        raise GraphError(f"cannot read retrieval queries {str(p)!r}: {e}") from e
    for r in rows:
        if not isinstance(r.get("query"), str) or not r.get("expected"):
            raise GraphError(f"bad retrieval query in {str(p)!r}: {r!r}")
    return rows


def add_distractors(
    store: GraphStore,
    embedder: Embedder,
    n: int,
    *,
    seed: int = 0,
    say: Callable[[str], None] | None = None,
) -> int:
    """Add ``n`` generated maintenance-log passages (Chunk nodes in Documents) as distractors."""
    rng = random.Random(seed)
    say = say or (lambda _m: None)
    docs = max(1, n // 50)
    store.upsert_nodes(
        "Document",
        [
            {
                "id": f"gen:doc{d}",
                "name": f"generated log {d}",
                "description": "generated distractor",
                "kind": "generated",
            }
            for d in range(docs)
        ],
    )
    batch = 5000
    for start in range(0, n, batch):
        texts = [
            f"Entry {i}: {rng.choice(_SUBJECTS)} {rng.choice(_EVENTS)}; {rng.choice(_DETAILS)} "
            f"(unit {rng.randint(100, 999)}, shift {rng.choice('ABCD')})."
            for i in range(start, min(n, start + batch))
        ]
        vecs = embedder.encode(texts)
        rows = [
            {
                "id": f"gen:{start + j}",
                "name": f"log entry {start + j}",
                "description": t[:120],
                "document": f"gen:doc{(start + j) % docs}",
                "ordinal": start + j,
                "text": t,
                "embedding": vecs[j],
            }
            for j, t in enumerate(texts)
        ]
        store.upsert_nodes("Chunk", rows)
        store.upsert_edges(
            "PART_OF",
            [
                {
                    "src": r["id"],
                    "dst": r["document"],
                    "src_label": "Chunk",
                    "dst_label": "Document",
                }
                for r in rows
            ],
        )
        say(f"{min(n, start + batch)}/{n} distractors")
    return n


def _rank(hit_ids: Sequence[str], expected: set[str]) -> int | None:
    for i, h in enumerate(hit_ids):
        if h in expected:
            return i + 1
    return None


def evaluate(
    store: GraphStore, embedder: Embedder, queries: Sequence[dict[str, Any]], *, k: int = 5
) -> dict[str, Any]:
    """Recall@k (a query counts when an expected node is in the top k), MRR, latency [ms]."""
    retriever = HybridRetriever(store, embedder)
    retriever.search("warm-up query", k)
    ranks: list[int | None] = []
    times: list[float] = []
    for q in queries:
        t = time.perf_counter()
        hits = retriever.search(q["query"], k)
        times.append(time.perf_counter() - t)
        ranks.append(_rank([h.id for h in hits], set(q["expected"])))
    retriever.close()
    # the exact baseline: every entity vector in memory, one matrix product per query
    ids: list[str] = []
    mats = []
    for batch_ids, mat in store.entity_vectors():
        ids.extend(batch_ids)
        mats.append(mat)
    matrix = np.vstack(mats) if mats else np.zeros((0, 384), dtype=np.float32)
    base_times: list[float] = []
    base_ranks: list[int | None] = []
    for q in queries:
        t = time.perf_counter()
        v = embedder.encode([q["query"]])[0]
        scores = matrix @ v
        top = (
            np.argpartition(-scores, min(k, len(scores) - 1))[:k]
            if len(scores) > k
            else np.arange(len(scores))
        )
        top = top[np.argsort(-scores[top])]
        base_times.append(time.perf_counter() - t)
        base_ranks.append(_rank([ids[i] for i in top], set(q["expected"])))
    n = len(queries)
    return {
        "recall_at_5": sum(r is not None for r in ranks) / n,
        "mrr": sum(1.0 / r for r in ranks if r) / n,
        "p50_ms": float(np.percentile(times, 50) * 1e3),
        "p95_ms": float(np.percentile(times, 95) * 1e3),
        "nodes": store.count(),
        "baseline_p95_ms": float(np.percentile(base_times, 95) * 1e3),
        "baseline_p50_ms": float(np.percentile(base_times, 50) * 1e3),
        "baseline_recall_at_5": sum(r is not None for r in base_ranks) / n,
        "queries": n,
        "missed": [q["query"] for q, r in zip(queries, ranks, strict=True) if r is None],
    }
