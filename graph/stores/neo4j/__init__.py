"""The Neo4j 5 store (server; vector and full-text indexes)."""

from graph.stores.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
