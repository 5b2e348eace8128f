"""Every Cypher statement of the Kùzu store, as named constants with ``$`` parameters.

Labels and relation names come only from :mod:`graph.schema` (never from user text): the shared
builders in :mod:`graph.stores.cypher` assert it. Values, user text included, go in parameters.
"""

from __future__ import annotations

from graph.schema import ENTITY, TEXT_INDEX, VECTOR_INDEX
from graph.stores import cypher
from graph.stores.cypher import count_edges, count_nodes, delete_nodes

LOAD_FTS = "LOAD fts"
INSTALL_FTS = "INSTALL fts"
LOAD_VECTOR = "LOAD vector"
INSTALL_VECTOR = "INSTALL vector"
BEGIN = "BEGIN TRANSACTION"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"
SHOW_INDEXES = "CALL SHOW_INDEXES() RETURN *"

# entities carry the indexes; an indexed vector cannot be SET, so an upsert deletes then creates
DELETE_ENTITIES = f"UNWIND $ids AS i MATCH (e:{ENTITY} {{id: i}}) DELETE e"
CREATE_ENTITIES = (
    f"UNWIND $rows AS r CREATE (e:{ENTITY} {{id: r.id, label: r.label, name: r.name, "
    "text: r.text, embedding: r.embedding})"
)
# Kùzu looks a `{id: $id}` pattern up in the primary-key index but answers `id IN $ids` (and an
# UNWIND join) by scanning the table: 12 ms at 100k entities against ~0.7 ms per id looked up
GET_ENTITY = f"MATCH (e:{ENTITY} {{id: $id}}) RETURN e.id, e.label, e.name, e.text"
COUNT_ENTITIES = f"MATCH (e:{ENTITY}) RETURN count(e)"
ENTITY_VECTORS = (
    f"MATCH (e:{ENTITY}) RETURN e.id, e.embedding ORDER BY e.id SKIP $skip LIMIT $limit"
)
ENTITY_NAMES = f"MATCH (e:{ENTITY}) WHERE e.label IN $labels RETURN e.id, e.label, e.name, e.text"

CREATE_VECTOR_INDEX = (
    f"CALL CREATE_VECTOR_INDEX('{ENTITY}', '{VECTOR_INDEX}', 'embedding', metric := 'cosine', "
    "efc := 100)"
)
DROP_VECTOR_INDEX = f"CALL DROP_VECTOR_INDEX('{ENTITY}', '{VECTOR_INDEX}')"
QUERY_VECTOR = (
    f"CALL QUERY_VECTOR_INDEX('{ENTITY}', '{VECTOR_INDEX}', $vector, $k, efs := 200) "
    "WITH node, distance WHERE node.label IN $labels "
    "RETURN node.id, node.label, distance ORDER BY distance LIMIT $k"
)
# every n-th entity by storage offset: a sample of the corpus for term document frequencies
SAMPLE_TEXTS = f"MATCH (e:{ENTITY}) WHERE offset(id(e)) % $every = 0 RETURN e.name, e.text"
CREATE_TEXT_INDEX = f"CALL CREATE_FTS_INDEX('{ENTITY}', '{TEXT_INDEX}', ['name', 'text'])"
DROP_TEXT_INDEX = f"CALL DROP_FTS_INDEX('{ENTITY}', '{TEXT_INDEX}')"
QUERY_TEXT = (
    f"CALL QUERY_FTS_INDEX('{ENTITY}', '{TEXT_INDEX}', $query, top := $top) "
    "WITH node, score WHERE node.label IN $labels "
    "RETURN node.id, node.label, score ORDER BY score DESC LIMIT $k"
)

# one hop is a plain pattern (several times faster in Kùzu than a recursive one)
EXPAND_ONE = (
    "MATCH (a)-[r]-(b) WHERE a.id IN $ids AND b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, [label(r)]"
)
EXPAND_ONE_TYPED = (
    "MATCH (a)-[r:{rels}]-(b) WHERE a.id IN $ids AND b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, [label(r)]"
)
EXPAND = (
    "MATCH (a)-[r*1..{hops}]-(b) WHERE a.id IN $ids AND b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, list_transform(rels(r), x -> label(x))"
)
EXPAND_TYPED = (
    "MATCH (a)-[r:{rels}*1..{hops}]-(b) WHERE a.id IN $ids AND b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, list_transform(rels(r), x -> label(x))"
)

# expansion from one seed of a known label, found by its primary key (see GET_ENTITY)
EXPAND_FROM_ONE = (
    "MATCH (a:{label} {{id: $id}})-[r{typed}]-(b) WHERE b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, [label(r)]"
)
EXPAND_FROM = (
    "MATCH (a:{label} {{id: $id}})-[r{typed}*1..{hops}]-(b) WHERE b.id <> a.id "
    "RETURN DISTINCT b.id, label(b), a.id, list_transform(rels(r), x -> label(x))"
)


def _value(name: str, kind: str) -> str:
    # Kùzu infers a parameter struct's field types from the values; an all-null column comes in
    # as STRING, so typed columns are cast explicitly.
    return f"r.{name}" if kind == "STRING" else f"CAST(r.{name}, '{kind}')"


def upsert_nodes(label: str) -> str:
    """MERGE nodes of ``label`` by id from ``$rows`` and set every schema column (typed)."""
    return cypher.upsert_nodes(label, _value)


def upsert_edges(rel: str, src: str, dst: str) -> str:
    """MERGE ``rel`` edges between existing nodes from ``$rows`` (properties typed)."""
    return cypher.upsert_edges(rel, src, dst, _value)


def expand(hops: int, rels: tuple[str, ...] = ()) -> str:
    """Variable-length expansion from ``$ids`` up to ``hops`` (1-3), over ``rels`` when given."""
    cypher.check_hops(hops)
    typed = "|".join(cypher.rel(r) for r in rels)
    if hops == 1:
        return EXPAND_ONE_TYPED.format(rels=typed) if rels else EXPAND_ONE
    if rels:
        return EXPAND_TYPED.format(rels=typed, hops=hops)
    return EXPAND.format(hops=hops)


def expand_from(label: str, hops: int, rels: tuple[str, ...] = ()) -> str:
    """Expansion from the one ``label`` node whose id is ``$id``, up to ``hops`` (1-3)."""
    cypher.check_hops(hops)
    typed = (":" + "|".join(cypher.rel(r) for r in rels)) if rels else ""
    if hops == 1:
        return EXPAND_FROM_ONE.format(label=cypher.label(label), typed=typed)
    return EXPAND_FROM.format(label=cypher.label(label), typed=typed, hops=hops)


__all__ = ["count_edges", "count_nodes", "delete_nodes", "expand", "upsert_edges", "upsert_nodes"]
