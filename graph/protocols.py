"""Typed seams of the knowledge graph: what the agent needs from a store and a retriever."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class Hit(BaseModel):
    """A retrieved node: id, label, fused score and provenance.

    ``path`` is how it was reached: ``[id]`` for a direct hit, ``[seed, REL, id]`` for a node
    found by expanding from a seed; ``sources`` says which searches found it (vector, fulltext,
    graph).
    """

    id: str
    label: str
    text: str = ""
    score: float = 0.0
    path: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Neighbor(BaseModel):
    """A node reached by expansion: its id and label, the seed and the relations walked."""

    id: str
    label: str
    seed: str
    rels: list[str]


@runtime_checkable
class Retriever(Protocol):
    """Finds graph nodes relevant to a query."""

    def search(self, query: str, k: int = 5, labels: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` best nodes for ``query``, optionally of the given labels only."""
        ...


@runtime_checkable
class GraphStore(Protocol):
    """A property-graph store (Kùzu embedded or Neo4j). Labels and relations come from
    :mod:`graph.schema`; values always travel as query parameters."""

    def open(self) -> None:
        """Connect and create the schema (constructors do no I/O)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together, or none does (the block raised)."""
        ...

    def upsert_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """Insert or update nodes by ``id``; ``embedding`` (and optional ``text``) make the
        node searchable. Returns how many rows were written."""
        ...

    def upsert_edges(self, rel: str, rows: Sequence[dict[str, Any]]) -> int:
        """MERGE relations between existing nodes: rows hold ``src``, ``dst`` and, when the
        relation joins several label pairs, ``src_label``/``dst_label``; plus properties."""
        ...

    def delete_nodes(self, label: str, ids: Sequence[str]) -> int:
        """Delete nodes (and their relations and entity records) by id."""
        ...

    def get_nodes(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{id: {label, name, text}}`` for the ids that exist."""
        ...

    def count(self, label: str | None = None) -> int:
        """Number of nodes (of one label)."""
        ...

    def stats(self) -> dict[str, int]:
        """Node counts per label and relation counts per type."""
        ...

    def vector_search(
        self, vector: Sequence[float], k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """``(id, label, cosine similarity)`` of the nearest entities (HNSW)."""
        ...

    def text_search(
        self, query: str, k: int, labels: Sequence[str] | None = None
    ) -> list[tuple[str, str, float]]:
        """``(id, label, BM25 score)`` of the best full-text matches."""
        ...

    def expand(
        self,
        ids: Sequence[str],
        hops: int = 1,
        rels: Sequence[str] | None = None,
        seed_labels: Mapping[str, str] | None = None,
    ) -> list[Neighbor]:
        """Nodes within ``hops`` relations of ``ids`` (over ``rels``, every type by default);
        ``seed_labels`` (id → label, when the caller knows them) lets a store skip a look-up."""
        ...

    def build_indexes(self) -> None:
        """Create (or rebuild) the vector and full-text indexes."""
        ...

    def entity_vectors(self) -> Iterator[tuple[list[str], Any]]:
        """Batches of (ids, float32 array) of every entity embedding (for exact baselines)."""
        ...
