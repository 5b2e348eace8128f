"""Graph stores behind the :class:`graph.protocols.GraphStore` protocol."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import StoreUnavailable
from graph.stores.kuzu import KuzuStore

if TYPE_CHECKING:
    from peoa.config import Settings


def open_store(uri: str, read_only: bool = False) -> KuzuStore:
    """Open the store a URI names (``kuzu:<path>``)."""
    if uri.startswith("kuzu:"):
        store = KuzuStore(Path(uri[len("kuzu:") :]).expanduser(), read_only=read_only)
        store.open()
        return store
    raise StoreUnavailable(
        uri,
        "only kuzu:<path> is supported by this build; the Neo4j store is "
        "tracked in the knowledge-graph issue",
    )


def open_store_if_exists(settings: Settings) -> KuzuStore | None:
    """The configured store when it has been initialised (``peoa graph init``), else None."""
    uri = settings.graph_uri
    if uri.startswith("kuzu:") and not Path(uri[len("kuzu:") :]).expanduser().exists():
        return None
    try:
        return open_store(uri, read_only=True)
    except StoreUnavailable:
        return None
