"""Hybrid retrieval: vector (HNSW) + full text (BM25) + k-hop expansion, fused by reciprocal rank.

Each list ranks nodes; a node's fused score is Σ 1 / (RRF_K + rank) over the lists that hold it
(Cormack, Clarke and Büttcher, SIGIR 2009). The expansion list holds the typed neighbours of the
best seeds, ranked after their seed, so a Variable or Component tied to a matching Equation can
surface with its path as provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from graph.embeddings import Embedder
from graph.errors import GraphError
from graph.protocols import GraphStore, Hit
from graph.schema import NODES
from graph.text import search_keys

RRF_K = 60


class HybridRetriever:
    """The agent's :class:`graph.protocols.Retriever` over a store and an embedder."""

    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        *,
        fetch: int = 20,
        seeds: int = 3,
        hops: int = 1,
        expand_rels: Sequence[str] | None = None,
        weights: tuple[float, float, float] = (1.0, 1.0, 0.5),
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.fetch = fetch
        self.seeds = seeds
        self.hops = hops
        self.expand_rels = expand_rels
        self.weights = weights
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="peoa-fulltext")
        return self._executor

    def close(self) -> None:
        """Stop the full-text worker thread (the store stays open: it is the caller's)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _text_lists(
        self, query: str, keys: str, fetch: int, labels: Sequence[str] | None
    ) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
        text = self.store.text_search(query, fetch, labels)
        exact = self.store.text_search(keys, fetch, labels) if keys else []
        return text, exact

    def search(self, query: str, k: int = 5, labels: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` best nodes for ``query`` (optionally of ``labels`` only), with provenance.

        >>> # HybridRetriever(store, embedder).search("pressure drop in a rough pipe", k=3)
        """
        if k < 1:
            raise GraphError(f"k must be at least 1, got {k}")
        for lb in labels or ():
            if lb not in NODES:
                raise GraphError(f"unknown label {lb!r}; known: {', '.join(NODES)}")
        if not query.strip():
            return []
        fetch = self.fetch  # depth of each direct list; expansion fills beyond it
        # the full-text searches do not need the query vector: they run while it is computed
        # (both the embedding model and the store release the GIL)
        keys = search_keys(query)  # identifiers (CAS numbers, R-134a...) match exactly
        texts = self._pool().submit(self._text_lists, query, keys, fetch, labels)
        vec = self.embedder.encode([query])[0]
        text, exact = texts.result()
        vector = self.store.vector_search(vec.tolist(), fetch, labels)
        scores: dict[str, float] = {}
        label_of: dict[str, str] = {}
        sources: dict[str, list[str]] = {}
        paths: dict[str, list[str]] = {}
        w_vec, w_text, w_graph = self.weights
        lists = (
            (w_vec, "vector", vector),
            (w_text, "fulltext", text),
            (2 * w_text, "identifier", exact),
        )
        for weight, name, hits in lists:
            for rank, (nid, lb, _) in enumerate(hits):
                scores[nid] = scores.get(nid, 0.0) + weight / (RRF_K + rank + 1)
                label_of[nid] = lb
                sources.setdefault(nid, []).append(name)
                paths.setdefault(nid, [nid])
        ranked = sorted(scores, key=lambda n: -scores[n])
        seeds = ranked[: self.seeds]
        if seeds and self.hops > 0 and w_graph > 0:
            seed_rank = {s: i for i, s in enumerate(seeds)}
            neighbours = self.store.expand(
                seeds, self.hops, self.expand_rels, seed_labels={s: label_of[s] for s in seeds}
            )
            neighbours.sort(key=lambda n: (seed_rank.get(n.seed, 99), len(n.rels)))
            seen: set[str] = set()
            for rank, nb in enumerate(neighbours):
                if nb.id in seen or (labels and nb.label not in labels):
                    continue
                seen.add(nb.id)
                scores[nb.id] = scores.get(nb.id, 0.0) + w_graph / (RRF_K + rank + 1)
                label_of.setdefault(nb.id, nb.label)
                sources.setdefault(nb.id, []).append("graph")
                paths.setdefault(nb.id, [nb.seed, *nb.rels, nb.id])
        best = sorted(scores, key=lambda n: -scores[n])[:k]
        info = self.store.get_nodes(best)
        return [
            Hit(
                id=n,
                label=label_of[n],
                text=str(info.get(n, {}).get("text", "")),
                score=scores[n],
                path=paths[n],
                sources=sources[n],
            )
            for n in best
        ]
