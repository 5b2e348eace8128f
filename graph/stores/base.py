"""What both stores do the same way over their own Cypher dialect: batching, edge upserts,
entity reads, counts, expansion and the exact-vector dump. A store supplies ``Q`` (its queries
module), ``_exec`` and ``transaction``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

import numpy as np

from graph.errors import QueryError
from graph.protocols import Neighbor
from graph.schema import ENTITY, NODE_LABELS, NODES, REL_TYPES, RELS
from graph.stores.common import edge_groups

BATCH = 1000


def check_rels(rels: Sequence[str] | None) -> None:
    """Raise :class:`QueryError` naming a relation the schema does not have."""
    for r in rels or ():
        if r not in RELS:
            raise QueryError("expand", f"unknown relation {r!r}")


class CypherStore:
    """Shared half of :class:`KuzuStore` and :class:`Neo4jStore`."""

    Q: ModuleType

    def _exec(self, name: str, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _batched(self, name: str, query: str, key: str, items: Sequence[Any], **extra: Any) -> None:
        for i in range(0, len(items), BATCH):
            self._exec(name, query, {key: list(items[i : i + BATCH]), **extra})

    def upsert_edges(self, rel: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE relations; ``src_label``/``dst_label`` pick the pair when there are several."""
        groups = edge_groups(rel, rows)
        with self.transaction():
            for (src, dst), items in groups.items():
                self._batched("upsert_edges", self.Q.upsert_edges(rel, src, dst), "rows", items)
        return sum(len(v) for v in groups.values())

    def get_nodes(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{id: {label, name, text}}`` of existing searchable nodes."""
        rows = self._exec("get_entities", self.Q.GET_ENTITIES, {"ids": [str(i) for i in ids]})
        return {r[0]: {"label": r[1], "name": r[2], "text": r[3]} for r in rows}

    def entity_names(self, labels: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """(id, label, name, text) of every entity of ``labels`` (for entity linking)."""
        rows = self._exec("entity_names", self.Q.ENTITY_NAMES, {"labels": list(labels)})
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def count(self, label: str | None = None) -> int:
        """Number of nodes of ``label`` (all labels when None)."""
        labels = [label] if label else list(NODE_LABELS)
        total = 0
        for lb in labels:
            if lb not in NODES:
                raise QueryError("count_nodes", f"unknown label {lb!r}; known: {NODE_LABELS}")
            total += int(self._exec("count_nodes", self.Q.count_nodes(lb))[0][0])
        return total

    def stats(self) -> dict[str, int]:
        """Node counts per label, entity count and relation counts per type."""
        out = {lb: self.count(lb) for lb in NODE_LABELS}
        out[ENTITY] = int(self._exec("count_entities", self.Q.COUNT_ENTITIES)[0][0])
        for r in REL_TYPES:
            out[r.name] = int(self._exec("count_edges", self.Q.count_edges(r.name))[0][0])
        return out

    def expand(
        self,
        ids: Sequence[str],
        hops: int = 1,
        rels: Sequence[str] | None = None,
        seed_labels: Mapping[str, str] | None = None,
    ) -> list[Neighbor]:
        """Nodes within ``hops`` typed relations of ``ids`` (either direction).

        ``seed_labels`` is a hint a store may use to find the seeds faster; Neo4j's id index
        needs none.
        """
        check_rels(rels)
        rows = self._exec("expand", self.Q.expand(hops, tuple(rels or ())), {"ids": list(ids)})
        return [Neighbor(id=r[0], label=r[1], seed=r[2], rels=list(r[3])) for r in rows]

    def entity_vectors(self) -> Iterator[tuple[list[str], Any]]:
        """Batches of (ids, float32 matrix) of every entity embedding."""
        skip = 0
        while True:
            rows = self._exec(
                "entity_vectors", self.Q.ENTITY_VECTORS, {"skip": skip, "limit": 5000}
            )
            if not rows:
                return
            yield [r[0] for r in rows], np.asarray([r[1] for r in rows], dtype=np.float32)
            skip += len(rows)
