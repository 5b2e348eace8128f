"""Kùzu embedded store."""

from graph.stores.kuzu.store import KuzuStore

__all__ = ["KuzuStore"]
