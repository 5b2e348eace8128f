"""Every Cypher statement of the Kùzu store, as named constants with ``$`` parameters.

Labels come only from :mod:`graph.schema` (never from user text); values always go in parameters.
"""

from __future__ import annotations

LOAD_FTS = "LOAD fts"
INSTALL_FTS = "INSTALL fts"


def upsert_node(label: str, props: tuple[str, ...]) -> str:
    """MERGE a node of ``label`` by id and set ``props`` from parameters."""
    sets = ", ".join(f"n.{p} = ${p}" for p in props)
    return f"MERGE (n:{label} {{id: $id}}) SET {sets}"


def upsert_edge(rel: str, src: str, dst: str) -> str:
    """MERGE a relation between two existing nodes."""
    return f"MATCH (a:{src} {{id: $src}}), (b:{dst} {{id: $dst}}) MERGE (a)-[:{rel}]->(b)"


def count_nodes(label: str) -> str:
    """Count the nodes of one label."""
    return f"MATCH (n:{label}) RETURN count(n)"


def create_fts(label: str, fields: tuple[str, ...]) -> str:
    """Create the full-text index of a label."""
    cols = ", ".join(f"'{f}'" for f in fields)
    return f"CALL CREATE_FTS_INDEX('{label}', '{label.lower()}_fts', [{cols}])"


def drop_fts(label: str) -> str:
    """Drop the full-text index of a label."""
    return f"CALL DROP_FTS_INDEX('{label}', '{label.lower()}_fts')"


def query_fts(label: str) -> str:
    """BM25 search over one label's full-text index."""
    return (
        f"CALL QUERY_FTS_INDEX('{label}', '{label.lower()}_fts', $q) "
        "RETURN node.id, node.name, node.description, score ORDER BY score DESC LIMIT $k"
    )


SHOW_INDEXES = "CALL SHOW_INDEXES() RETURN *"
