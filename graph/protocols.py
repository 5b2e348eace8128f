"""Typed seams of the knowledge graph: what the agent needs from a store and a retriever."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class Hit(BaseModel):
    """A retrieved node: id, label, score and how it was reached (provenance path)."""

    id: str
    label: str
    text: str = ""
    score: float = 0.0
    path: list[str] = Field(default_factory=list)


@runtime_checkable
class Retriever(Protocol):
    """Finds graph nodes relevant to a query."""

    def search(self, query: str, k: int = 5, labels: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` best nodes for ``query``, optionally of the given labels only."""
        ...


@runtime_checkable
class GraphStore(Protocol):
    """A property-graph store (Kùzu embedded or Neo4j)."""

    def open(self) -> None:
        """Connect (constructors do no I/O)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    def upsert_nodes(self, label: str, rows: Sequence[dict[str, Any]]) -> int:
        """Insert or update nodes by ``id``; returns how many rows were written."""
        ...

    def upsert_edges(self, rel: str, rows: Sequence[dict[str, Any]]) -> int:
        """Insert relations between existing nodes (``src``, ``dst``, properties)."""
        ...

    def count(self, label: str | None = None) -> int:
        """Number of nodes (of one label)."""
        ...

    def search(self, query: str, k: int = 5, labels: Sequence[str] | None = None) -> list[Hit]:
        """Text search over node names and descriptions."""
        ...
