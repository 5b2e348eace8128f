"""Errors of the knowledge graph."""

from __future__ import annotations


class GraphError(Exception):
    """Root of every error raised by :mod:`graph`."""


class StoreUnavailable(GraphError):
    """The configured store cannot be opened; names the URI."""

    def __init__(self, uri: str, reason: str) -> None:
        self.uri = uri
        super().__init__(f"graph store {uri!r} unavailable: {reason}")


class QueryError(GraphError):
    """A graph query failed; names the query constant."""

    def __init__(self, query_name: str, reason: str) -> None:
        self.query_name = query_name
        super().__init__(f"graph query {query_name} failed: {reason}")
