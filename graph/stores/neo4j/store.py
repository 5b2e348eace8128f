"""The Neo4j 5 store: the same :class:`graph.protocols.GraphStore` over a server.

Every node of a searchable label also carries the ``:Entity`` label with ``text`` and
``embedding``; the vector index (cosine, 384 dimensions) and the full-text index live on it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from graph.errors import QueryError, StoreUnavailable
from graph.protocols import Neighbor
from graph.schema import ENTITY, NODE_LABELS, NODES, REL_TYPES, RELS, neo4j_ddl
from graph.stores.common import edge_groups, entity_rows, node_rows
from graph.stores.neo4j import queries as Q

BATCH = 1000


class Neo4jStore:
    """A property graph on a Neo4j 5 server. The constructor does no I/O; call :meth:`open`."""

    def __init__(
        self, uri: str, auth: tuple[str, str] | None = None, database: str = "neo4j"
    ) -> None:
        self.uri = uri
        self.auth = auth
        self.database = database
        self._driver: Any = None
        self._tx: Any = None
        self._session: Any = None
        self._lock = threading.RLock()

    def open(self) -> None:
        """Connect, verify the server and create constraints and indexes."""
        import neo4j

        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=self.auth)
            self._driver.verify_connectivity()
            for ddl in neo4j_ddl():
                self._run("ddl", ddl)
        except neo4j.exceptions.Neo4jError as e:
            raise StoreUnavailable(self.uri, str(e)) from e
        except (neo4j.exceptions.DriverError, OSError, ValueError) as e:
            raise StoreUnavailable(self.uri, str(e)) from e

    def close(self) -> None:
        """Close the driver."""
        if self._driver is not None:
            self._driver.close()
        self._driver = None

    def __enter__(self) -> Neo4jStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- execution -------------------------------------------------------------------------------
    def _run(self, name: str, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        import neo4j

        if self._driver is None:
            raise StoreUnavailable(self.uri, "not open; call open() first")
        try:
            with self._lock:
                if self._tx is not None:
                    return [list(r.values()) for r in self._tx.run(query, params or {})]
                records, _, _ = self._driver.execute_query(
                    query, params or {}, database_=self.database
                )
                return [list(r.values()) for r in records]
        except neo4j.exceptions.Neo4jError as e:
            raise QueryError(name, str(e)) from e

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One explicit transaction around the block: commit, or roll back on an exception."""
        with self._lock:
            if self._tx is not None:
                yield
                return
            if self._driver is None:
                raise StoreUnavailable(self.uri, "not open; call open() first")
            self._session = self._driver.session(database=self.database)
            self._tx = self._session.begin_transaction()
            try:
                yield
            except BaseException:
                self._tx.rollback()
                raise
            else:
                self._tx.commit()
            finally:
                self._tx = None
                self._session.close()
                self._session = None

    def _batched(self, name: str, query: str, key: str, items: Sequence[Any], **extra: Any) -> None:
        for i in range(0, len(items), BATCH):
            self._run(name, query, {key: list(items[i : i + BATCH]), **extra})

    # -- writes ----------------------------------------------------------------------------------
    def upsert_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE nodes by id; rows with an ``embedding`` also become ``:Entity``."""
        typed = node_rows(label, rows)
        entities = entity_rows(label, rows)
        with self.transaction():
            self._batched("upsert_nodes", Q.upsert_nodes(label), "rows", typed)
            if entities:
                self._batched("set_entities", Q.SET_ENTITIES, "rows", entities, label=label)
        return len(typed)

    def upsert_edges(self, rel: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE relations; ``src_label``/``dst_label`` pick the pair when there are several."""
        groups = edge_groups(rel, rows)
        with self.transaction():
            for (src, dst), items in groups.items():
                self._batched("upsert_edges", Q.upsert_edges(rel, src, dst), "rows", items)
        return sum(len(v) for v in groups.values())

    def delete_nodes(self, label: str, ids: Sequence[str]) -> int:
        """DETACH DELETE nodes of ``label`` by id."""
        ids = [str(i) for i in ids]
        with self.transaction():
            self._batched("delete_nodes", Q.delete_nodes(label), "ids", ids)
        return len(ids)

    def build_indexes(self) -> None:
        """Neo4j maintains its indexes on write; wait until they are online."""
        self._run("await_indexes", Q.AWAIT_INDEXES)

    # -- reads -----------------------------------------------------------------------------------
    def get_nodes(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{id: {label, name, text}}`` of existing searchable nodes."""
        rows = self._run("get_entities", Q.GET_ENTITIES, {"ids": [str(i) for i in ids]})
        return {r[0]: {"label": r[1], "name": r[2], "text": r[3]} for r in rows}

    def entity_names(self, labels: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """(id, label, name, text) of every entity of ``labels``."""
        rows = self._run("entity_names", Q.ENTITY_NAMES, {"labels": list(labels)})
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def count(self, label: str | None = None) -> int:
        """Number of nodes of ``label`` (all labels when None)."""
        labels = [label] if label else list(NODE_LABELS)
        total = 0
        for lb in labels:
            if lb not in NODES:
                raise QueryError("count_nodes", f"unknown label {lb!r}; known: {NODE_LABELS}")
            total += int(self._run("count_nodes", Q.count_nodes(lb))[0][0])
        return total

    def stats(self) -> dict[str, int]:
        """Node counts per label, entity count and relation counts per type."""
        out = {lb: self.count(lb) for lb in NODE_LABELS}
        out[ENTITY] = int(self._run("count_entities", Q.COUNT_ENTITIES)[0][0])
        for r in REL_TYPES:
            out[r.name] = int(self._run("count_edges", Q.count_edges(r.name))[0][0])
        return out

    def vector_search(
        self, vector: Sequence[float], k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """Nearest entities by cosine similarity (Neo4j's score is (1 + cos) / 2)."""
        fetch = k if not labels else k * 8
        params = {
            "vector": [float(x) for x in vector],
            "fetch": fetch,
            "k": k,
            "labels": list(labels or NODE_LABELS),
        }
        rows = self._run("query_vector", Q.QUERY_VECTOR, params)
        return [(r[0], r[1], 2.0 * float(r[2]) - 1.0) for r in rows]

    def text_search(
        self, query: str, k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """Lucene (BM25) matches over entity names and texts; user text is escaped."""
        if not query.strip():
            return []
        top = k if not labels else k * 8
        params = {
            "query": Q.lucene_escape(query),
            "top": top,
            "k": k,
            "labels": list(labels or NODE_LABELS),
        }
        rows = self._run("query_text", Q.QUERY_TEXT, params)
        return [(r[0], r[1], float(r[2])) for r in rows]

    def expand(
        self, ids: Sequence[str], hops: int = 1, rels: Sequence[str] | None = None
    ) -> list[Neighbor]:
        """Nodes within ``hops`` typed relations of ``ids`` (either direction)."""
        for r in rels or ():
            if r not in RELS:
                raise QueryError("expand", f"unknown relation {r!r}")
        rows = self._run("expand", Q.expand(hops, tuple(rels or ())), {"ids": list(ids)})
        return [Neighbor(id=r[0], label=r[1], seed=r[2], rels=list(r[3])) for r in rows]

    def entity_vectors(self) -> Iterator[tuple[list[str], Any]]:
        """Batches of (ids, float32 matrix) of every entity embedding."""
        skip = 0
        while True:
            rows = self._run("entity_vectors", Q.ENTITY_VECTORS, {"skip": skip, "limit": 5000})
            if not rows:
                return
            yield [r[0] for r in rows], np.asarray([r[1] for r in rows], dtype=np.float32)
            skip += len(rows)
