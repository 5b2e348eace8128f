"""The Kùzu embedded store (kuzu 0.11.3; full-text search built in, works offline)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import kuzu

from graph.errors import QueryError, StoreUnavailable
from graph.protocols import Hit
from graph.schema import NODE_LABELS, NODE_TYPES, REL_TYPES, kuzu_ddl
from graph.stores.kuzu import queries as Q

_TYPES = {n.label: n for n in NODE_TYPES}
_RELS = {r.name: r for r in REL_TYPES}


class KuzuStore:
    """A property graph in an embedded Kùzu database at ``path``.

    The constructor does no I/O; call :meth:`open` (or use it as a context manager).
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._db: Any = None
        self._conn: Any = None
        self._lock = threading.Lock()

    def open(self) -> None:
        """Open (creating when missing) the database and its schema."""
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = kuzu.Database(str(self.path), read_only=self.read_only)
            self._conn = kuzu.Connection(self._db)
            try:
                self._conn.execute(Q.LOAD_FTS)
            except RuntimeError:
                self._conn.execute(Q.INSTALL_FTS)
                self._conn.execute(Q.LOAD_FTS)
            if not self.read_only:
                for ddl in kuzu_ddl():
                    self._conn.execute(ddl)
        except RuntimeError as e:
            raise StoreUnavailable(f"kuzu:{self.path}", str(e)) from e

    def close(self) -> None:
        """Close the connection and the database."""
        self._conn = None
        if self._db is not None:
            self._db.close()
        self._db = None

    def __enter__(self) -> KuzuStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _exec(self, name: str, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        if self._conn is None:
            raise StoreUnavailable(f"kuzu:{self.path}", "not open; call open() first")
        try:
            with self._lock:
                res = self._conn.execute(query, params or {})
                rows = []
                while res.has_next():
                    rows.append(res.get_next())
                return rows
        except RuntimeError as e:
            raise QueryError(name, str(e)) from e

    def upsert_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE nodes by id in one transaction; unknown labels are rejected."""
        nt = _TYPES.get(label)
        if nt is None:
            raise QueryError("upsert_node", f"unknown label {label!r}; known: {NODE_LABELS}")
        q = Q.upsert_node(label, nt.properties)
        self._exec("BEGIN", "BEGIN TRANSACTION")
        try:
            for r in rows:
                params = {"id": str(r["id"]), **{p: str(r.get(p, "")) for p in nt.properties}}
                self._exec("upsert_node", q, params)
            self._exec("COMMIT", "COMMIT")
        except Exception:
            self._exec("ROLLBACK", "ROLLBACK")
            raise
        return len(rows)

    def upsert_edges(self, rel: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE relations ``src -> dst`` in one transaction."""
        rt = _RELS.get(rel)
        if rt is None:
            raise QueryError("upsert_edge", f"unknown relation {rel!r}")
        q = Q.upsert_edge(rt.name, rt.src, rt.dst)
        self._exec("BEGIN", "BEGIN TRANSACTION")
        try:
            for r in rows:
                self._exec("upsert_edge", q, {"src": str(r["src"]), "dst": str(r["dst"])})
            self._exec("COMMIT", "COMMIT")
        except Exception:
            self._exec("ROLLBACK", "ROLLBACK")
            raise
        return len(rows)

    def count(self, label: str | None = None) -> int:
        """Number of nodes of ``label`` (all labels when None)."""
        labels = [label] if label else list(NODE_LABELS)
        total = 0
        for lb in labels:
            if lb not in _TYPES:
                raise QueryError("count_nodes", f"unknown label {lb!r}")
            total += int(self._exec("count_nodes", Q.count_nodes(lb))[0][0])
        return total

    def build_text_indexes(self) -> None:
        """(Re)build the full-text index of every label."""
        existing = {str(r[1]) for r in self._exec("show_indexes", Q.SHOW_INDEXES)}
        for nt in NODE_TYPES:
            if f"{nt.label.lower()}_fts" in existing:
                self._exec("drop_fts", Q.drop_fts(nt.label))
            self._exec("create_fts", Q.create_fts(nt.label, nt.text_fields))

    def search(self, query: str, k: int = 5, labels: Sequence[str] | None = None) -> list[Hit]:
        """BM25 full-text search over names and descriptions; best ``k`` across labels."""
        hits: list[Hit] = []
        for lb in labels or NODE_LABELS:
            if lb not in _TYPES:
                raise QueryError("query_fts", f"unknown label {lb!r}")
            try:
                rows = self._exec("query_fts", Q.query_fts(lb), {"q": query, "k": k})
            except QueryError:
                continue  # no index yet for this label
            hits.extend(
                Hit(id=r[0], label=lb, text=f"{r[1]}: {r[2]}", score=float(r[3]), path=[r[0]])
                for r in rows
            )
        hits.sort(key=lambda h: -h.score)
        return hits[:k]
