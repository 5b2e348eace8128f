"""The Kùzu embedded store (kuzu 0.11.3: vector and full-text indexes built in, offline)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kuzu

from graph.errors import QueryError, StoreUnavailable
from graph.schema import (
    NODE_LABELS,
    TEXT_INDEX,
    VECTOR_INDEX,
    kuzu_ddl,
)
from graph.stores.base import CypherStore
from graph.stores.common import entity_rows, node_rows
from graph.stores.kuzu import queries as Q


def _missing_index(e: Exception) -> bool:
    msg = str(e)
    return any(m in msg for m in ("does not exist", "doesn't exist", "doesn't have an index"))


class KuzuStore(CypherStore):
    """A property graph in an embedded Kùzu database at ``path``.

    The constructor does no I/O; call :meth:`open` (or use it as a context manager). One
    connection serves every thread, behind a lock; writes outside :meth:`transaction` commit
    per call.
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.Q = Q
        self._db: Any = None
        self._conn: Any = None
        self._lock = threading.RLock()
        self._in_tx = False
        # kuzu 0.11.3 crashes (segfault) deleting rows under a full-text index, so every write
        # transaction drops that index first and it is rebuilt on the next text search or close
        self._fts_stale = False

    @property
    def uri(self) -> str:
        """``kuzu:<path>``."""
        return f"kuzu:{self.path}"

    def open(self) -> None:
        """Open (creating when missing) the database and its schema."""
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = kuzu.Database(str(self.path), read_only=self.read_only)
            self._conn = kuzu.Connection(self._db)
            for load, install in ((Q.LOAD_FTS, Q.INSTALL_FTS), (Q.LOAD_VECTOR, Q.INSTALL_VECTOR)):
                try:
                    self._conn.execute(load)
                except RuntimeError:
                    self._conn.execute(install)
                    self._conn.execute(load)
            if not self.read_only:
                for ddl in kuzu_ddl():
                    self._conn.execute(ddl)
        except RuntimeError as e:
            raise StoreUnavailable(self.uri, str(e)) from e

    def close(self) -> None:
        """Rebuild a full-text index dropped by writes, then close the database."""
        if self._conn is not None and self._fts_stale:
            self._exec("create_text_index", Q.CREATE_TEXT_INDEX)
            self._fts_stale = False
        self._conn = None
        if self._db is not None:
            self._db.close()
        self._db = None

    def __enter__(self) -> KuzuStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- execution -------------------------------------------------------------------------------
    def _exec(self, name: str, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        if self._conn is None:
            raise StoreUnavailable(self.uri, "not open; call open() first")
        try:
            with self._lock:
                res = self._conn.execute(query, params or {})
                rows = []
                while res.has_next():
                    rows.append(res.get_next())
                return rows
        except RuntimeError as e:
            raise QueryError(name, str(e)) from e

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around the block: commit on success, roll back on any exception."""
        with self._lock:
            if self._in_tx:  # nested: the outer transaction decides
                yield
                return
            if not self.read_only and not self._fts_stale and self._has_index(TEXT_INDEX):
                self._exec("drop_text_index", Q.DROP_TEXT_INDEX)
                self._fts_stale = True
            self._exec("BEGIN", Q.BEGIN)
            self._in_tx = True
            try:
                yield
            except BaseException:
                self._in_tx = False
                try:
                    self._exec("ROLLBACK", Q.ROLLBACK)
                except QueryError as e:
                    # a failed statement makes Kùzu roll the transaction back by itself
                    if "No active transaction" not in str(e):
                        raise
                raise
            self._in_tx = False
            self._exec("COMMIT", Q.COMMIT)

    # -- writes ----------------------------------------------------------------------------------
    def upsert_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE nodes by id; rows with an ``embedding`` also (re)write their entity record."""
        typed = node_rows(label, rows)
        entities = entity_rows(label, rows)
        with self.transaction():
            self._batched("upsert_nodes", Q.upsert_nodes(label), "rows", typed)
            if entities:
                ids = [e["id"] for e in entities]
                self._batched("delete_entities", Q.DELETE_ENTITIES, "ids", ids)
                self._batched("create_entities", Q.CREATE_ENTITIES, "rows", entities)
        return len(typed)

    def delete_nodes(self, label: str, ids: Sequence[str]) -> int:
        """DETACH DELETE nodes of ``label`` and their entity records."""
        ids = [str(i) for i in ids]
        with self.transaction():
            self._batched("delete_nodes", Q.delete_nodes(label), "ids", ids)
            self._batched("delete_entities", Q.DELETE_ENTITIES, "ids", ids)
        return len(ids)

    def build_indexes(self) -> None:
        """Create the HNSW vector index and the BM25 full-text index over entities, once.

        Both indexes follow later inserts and deletes by themselves, so a re-seed or an
        ingestion keeps them current. (They are not dropped and rebuilt: kuzu 0.11.3 refuses to
        re-create a vector index of a name dropped in the same database.)
        """
        if not self._has_index(VECTOR_INDEX):
            self._exec("create_vector_index", Q.CREATE_VECTOR_INDEX)
        if not self._has_index(TEXT_INDEX):
            self._exec("create_text_index", Q.CREATE_TEXT_INDEX)
        self._fts_stale = False

    def _has_index(self, name: str) -> bool:
        return name in {str(r[1]) for r in self._exec("show_indexes", Q.SHOW_INDEXES)}

    # -- reads -----------------------------------------------------------------------------------
    def vector_search(
        self, vector: Sequence[float], k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """Nearest entities by cosine similarity (HNSW; over-fetched when filtering)."""
        fetch = k if not labels else k * 8
        params = {
            "vector": [float(x) for x in vector],
            "k": fetch,
            "labels": list(labels or NODE_LABELS),
        }
        try:
            rows = self._exec("query_vector", Q.QUERY_VECTOR, params)
        except QueryError as e:
            if _missing_index(e):
                return []  # no index yet (an empty graph)
            raise
        return [(r[0], r[1], 1.0 - float(r[2])) for r in rows][:k]

    def text_search(
        self, query: str, k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """BM25 matches over entity names and texts (over-fetched when filtering)."""
        if not query.strip():
            return []
        top = k if not labels else k * 8
        params = {"query": query, "top": top, "k": k, "labels": list(labels or NODE_LABELS)}
        with self._lock:
            if self._fts_stale and not self._in_tx:
                self._exec("create_text_index", Q.CREATE_TEXT_INDEX)
                self._fts_stale = False
        try:
            rows = self._exec("query_text", Q.QUERY_TEXT, params)
        except QueryError as e:
            if _missing_index(e):
                return []
            raise
        return [(r[0], r[1], float(r[2])) for r in rows]
