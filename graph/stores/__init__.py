"""Graph stores behind the :class:`graph.protocols.GraphStore` protocol, opened from a URI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import StoreUnavailable
from graph.protocols import GraphStore
from graph.stores.kuzu import KuzuStore
from graph.stores.neo4j import Neo4jStore

if TYPE_CHECKING:
    from peoa.config import Settings

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "bolt://", "bolt+s://")


def open_store(
    uri: str,
    read_only: bool = False,
    *,
    auth: tuple[str, str] | None = None,
    database: str = "neo4j",
) -> GraphStore:
    """Open the store a URI names: ``kuzu:<path>`` or ``neo4j://host:port`` (bolt:// too)."""
    store: GraphStore
    if uri.startswith("kuzu:"):
        store = KuzuStore(Path(uri[len("kuzu:") :]).expanduser(), read_only=read_only)
    elif uri.startswith(NEO4J_SCHEMES):
        store = Neo4jStore(uri, auth=auth, database=database)
    else:
        raise StoreUnavailable(uri, "expected kuzu:<path> or neo4j://host:port")
    store.open()
    return store


def open_configured(settings: Settings, read_only: bool = False) -> GraphStore:
    """The store the settings name, with the Neo4j credentials they hold."""
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    return open_store(
        settings.graph_uri, read_only=read_only, auth=auth, database=settings.neo4j_database
    )


def open_store_if_exists(settings: Settings) -> GraphStore | None:
    """The configured store when it has been initialised (``peoa graph init``), else None."""
    uri = settings.graph_uri
    if uri.startswith("kuzu:") and not Path(uri[len("kuzu:") :]).expanduser().exists():
        return None
    try:
        return open_configured(settings, read_only=True)
    except StoreUnavailable:
        return None
