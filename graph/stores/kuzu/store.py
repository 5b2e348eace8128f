"""The Kùzu embedded store (kuzu 0.11.3: vector and full-text indexes built in, offline)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kuzu

from graph.errors import QueryError, StoreUnavailable
from graph.protocols import Neighbor
from graph.schema import (
    NODE_LABELS,
    NODES,
    TEXT_INDEX,
    VECTOR_INDEX,
    kuzu_ddl,
)
from graph.stores.base import CypherStore, check_rels
from graph.stores.common import entity_rows, node_rows
from graph.stores.kuzu import queries as Q

_WORD = re.compile(r"[a-z]+")
SAMPLE = 2000  # entities sampled for term document frequencies
COMMON = 0.3  # a term in more than this share of entities is left out of a full-text query


def _root(word: str) -> str:
    """A crude stem, enough to tell "units" and "logged" apart from rare words."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


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
        # planned read statements by query text: planning is most of a primary-key look-up's
        # cost (0.7 ms of it); cleared whenever the schema or an index changes
        self._plans: dict[str, Any] = {}
        self._common: frozenset[str] | None = None  # see _common_roots; None after a write

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
    def _exec(
        self, name: str, query: str, params: dict[str, Any] | None = None, *, plan: bool = False
    ) -> list[list[Any]]:
        if self._conn is None:
            raise StoreUnavailable(self.uri, "not open; call open() first")
        try:
            with self._lock:
                if not plan:
                    self._plans.clear()  # a write or DDL may change what a plan refers to
                    statement: Any = query
                elif (statement := self._plans.get(query)) is None:
                    statement = kuzu.PreparedStatement(self._conn, query)
                    if not statement.is_success():
                        raise RuntimeError(statement.get_error_message())
                    self._plans[query] = statement
                res = self._conn.execute(statement, params or {})
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
            self._common = None
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
    def get_nodes(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{id: {label, name, text}}`` of existing searchable nodes (primary-key look-ups)."""
        out: dict[str, dict[str, Any]] = {}
        for i in dict.fromkeys(str(i) for i in ids):
            for r in self._exec("get_entity", Q.GET_ENTITY, {"id": i}, plan=True):
                out[r[0]] = {"label": r[1], "name": r[2], "text": r[3]}
        return out

    def expand(
        self,
        ids: Sequence[str],
        hops: int = 1,
        rels: Sequence[str] | None = None,
        seed_labels: Mapping[str, str] | None = None,
    ) -> list[Neighbor]:
        """Nodes within ``hops`` typed relations of ``ids`` (either direction).

        A seed whose label is known (``seed_labels``, or its entity record) expands from that
        label by primary key (milliseconds at 100k nodes); any other id goes through the
        label-free pattern, which scans every table.
        """
        check_rels(rels)
        typed = tuple(rels or ())
        seeds = list(dict.fromkeys(str(i) for i in ids))
        given = seed_labels or {}
        known = {i: given[i] for i in seeds if given.get(i) in NODES}
        if missing := [i for i in seeds if i not in known]:
            known |= {i: info["label"] for i, info in self.get_nodes(missing).items()}
        out: list[Neighbor] = []
        for i, label in known.items():
            query = Q.expand_from(label, hops, typed)
            rows = self._exec("expand", query, {"id": i}, plan=True)
            out += [Neighbor(id=r[0], label=r[1], seed=r[2], rels=list(r[3])) for r in rows]
        rest = [i for i in seeds if i not in known]
        return out + (CypherStore.expand(self, rest, hops, rels) if rest else [])

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
            rows = self._exec("query_vector", Q.QUERY_VECTOR, params, plan=True)
        except QueryError as e:
            if _missing_index(e):
                return []  # no index yet (an empty graph)
            raise
        return [(r[0], r[1], 1.0 - float(r[2])) for r in rows][:k]

    def _common_roots(self) -> frozenset[str]:
        """Word roots found in more than ``COMMON`` of a sample of the entities.

        Kùzu's BM25 walks the whole posting list of every query term, so a term in nearly every
        passage ("unit" in 93k maintenance logs) costs ~55 ms at 100k nodes while its IDF, and so
        its weight in the score, is near zero (log 1.1 at 90 %). Such terms are dropped from the
        query, as Lucene's common-terms query does.
        """
        if self._common is None:
            n = int(self._exec("count_entities", Q.COUNT_ENTITIES, plan=True)[0][0])
            rows = self._exec(
                "sample_texts", Q.SAMPLE_TEXTS, {"every": max(1, n // SAMPLE)}, plan=True
            )
            df: dict[str, int] = {}
            for name, text in rows:
                for w in {_root(w) for w in _WORD.findall(f"{name} {text}".lower())}:
                    df[w] = df.get(w, 0) + 1
            self._common = frozenset(w for w, c in df.items() if c > COMMON * max(1, len(rows)))
        return self._common

    def _without_common_terms(self, query: str) -> str:
        common = self._common_roots()
        words = query.split()
        kept = [w for w in words if not common & {_root(x) for x in _WORD.findall(w.lower())}]
        return " ".join(kept) if kept else query

    def text_search(
        self, query: str, k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """BM25 matches over entity names and texts (over-fetched when filtering)."""
        if not query.strip():
            return []
        top = k if not labels else k * 8
        query = self._without_common_terms(query)
        params = {"query": query, "top": top, "k": k, "labels": list(labels or NODE_LABELS)}
        with self._lock:
            if self._fts_stale and not self._in_tx:
                self._exec("create_text_index", Q.CREATE_TEXT_INDEX)
                self._fts_stale = False
        try:
            rows = self._exec("query_text", Q.QUERY_TEXT, params, plan=True)
        except QueryError as e:
            if _missing_index(e):
                return []
            raise
        return [(r[0], r[1], float(r[2])) for r in rows]
