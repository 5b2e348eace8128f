"""Every Cypher statement of the Neo4j store, as named constants with ``$`` parameters.

Labels and relation names come only from :mod:`graph.schema`; user text only travels in
parameters. Full-text queries are Lucene syntax, so user text is escaped (:func:`lucene_escape`)
before it becomes the ``$query`` parameter.
"""

from __future__ import annotations

import re

from graph.schema import ENTITY, TEXT_INDEX, VECTOR_INDEX
from graph.stores import cypher
from graph.stores.cypher import count_edges, count_nodes, delete_nodes, upsert_edges, upsert_nodes

SET_ENTITIES = (
    f"UNWIND $rows AS r MATCH (n {{id: r.id}}) WHERE $label IN labels(n) "
    f"SET n:{ENTITY}, n.label = r.label, n.text = r.text, n.embedding = r.embedding"
)
GET_ENTITIES = f"MATCH (e:{ENTITY}) WHERE e.id IN $ids RETURN e.id, e.label, e.name, e.text"
COUNT_ENTITIES = f"MATCH (e:{ENTITY}) RETURN count(e)"
ENTITY_NAMES = f"MATCH (e:{ENTITY}) WHERE e.label IN $labels RETURN e.id, e.label, e.name, e.text"
ENTITY_VECTORS = (
    f"MATCH (e:{ENTITY}) RETURN e.id, e.embedding ORDER BY e.id SKIP $skip LIMIT $limit"
)
QUERY_VECTOR = (
    f"CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $vector) YIELD node, score "
    "WHERE node.label IN $labels "
    "RETURN node.id, node.label, score ORDER BY score DESC LIMIT $k"
)
QUERY_TEXT = (
    f"CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $query, {{limit: $top}}) "
    "YIELD node, score WHERE node.label IN $labels "
    "RETURN node.id, node.label, score ORDER BY score DESC LIMIT $k"
)
EXPAND = (
    "MATCH (a) WHERE a.id IN $ids MATCH p = (a)-[{rels}*1..{hops}]-(b) WHERE b.id <> a.id "
    f"RETURN DISTINCT b.id, [l IN labels(b) WHERE l <> '{ENTITY}'][0], a.id, "
    "[r IN relationships(p) | type(r)]"
)
DROP_VECTOR_INDEX = f"DROP INDEX {VECTOR_INDEX} IF EXISTS"
DROP_TEXT_INDEX = f"DROP INDEX {TEXT_INDEX} IF EXISTS"
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

_LUCENE = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


def lucene_escape(text: str) -> str:
    r"""Escape Lucene's operators so user text is searched as words.

    >>> lucene_escape('a "quoted" {brace} OR (x)')
    'a \\"quoted\\" \\{brace\\} OR \\(x\\)'
    """
    return _LUCENE.sub(r"\\\1", text)


def expand(hops: int, rels: tuple[str, ...] = ()) -> str:
    """Variable-length expansion from ``$ids`` up to ``hops`` (1-3), over ``rels`` when given."""
    cypher.check_hops(hops)
    typed = (":" + "|".join(cypher.rel(r) for r in rels)) if rels else ""
    return EXPAND.format(rels=typed, hops=hops)


__all__ = [
    "count_edges",
    "count_nodes",
    "delete_nodes",
    "expand",
    "lucene_escape",
    "upsert_edges",
    "upsert_nodes",
]
