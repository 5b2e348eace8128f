"""The Neo4j 5 store: the same :class:`graph.protocols.GraphStore` over a server.

Every node of a searchable label also carries the ``:Entity`` label with ``text`` and
``embedding``; the vector index (cosine, 384 dimensions) and the full-text index live on it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from graph.errors import QueryError, StoreUnavailable
from graph.schema import NODE_LABELS, neo4j_ddl
from graph.stores.base import CypherStore
from graph.stores.common import entity_rows, node_rows
from graph.stores.neo4j import queries as Q


class Neo4jStore(CypherStore):
    """A property graph on a Neo4j 5 server. The constructor does no I/O; call :meth:`open`."""

    def __init__(
        self, uri: str, auth: tuple[str, str] | None = None, database: str = "neo4j"
    ) -> None:
        self.uri = uri
        self.auth = auth
        self.database = database
        self.Q = Q
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
                self._exec("ddl", ddl)
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
    def _exec(self, name: str, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
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

    def delete_nodes(self, label: str, ids: Sequence[str]) -> int:
        """DETACH DELETE nodes of ``label`` by id."""
        ids = [str(i) for i in ids]
        with self.transaction():
            self._batched("delete_nodes", Q.delete_nodes(label), "ids", ids)
        return len(ids)

    def build_indexes(self) -> None:
        """Neo4j maintains its indexes on write; wait until they are online."""
        self._exec("await_indexes", Q.AWAIT_INDEXES)

    # -- reads -----------------------------------------------------------------------------------
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
        rows = self._exec("query_vector", Q.QUERY_VECTOR, params)
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
        rows = self._exec("query_text", Q.QUERY_TEXT, params)
        return [(r[0], r[1], float(r[2])) for r in rows]
