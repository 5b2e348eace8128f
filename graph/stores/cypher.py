"""Cypher builders both store families share. Labels and relation names come only from
:mod:`graph.schema` (asserted); every value travels as a parameter. A store family passes its
own ``value`` expression where it must type a parameter (Kùzu casts, Neo4j does not).
"""

from __future__ import annotations

from collections.abc import Callable

from graph.schema import NODES, RELS

Value = Callable[[str, str], str]


def plain(name: str, kind: str) -> str:
    """The row field as it is: ``r.<name>``."""
    return f"r.{name}"


def label(name: str) -> str:
    """A schema node label (never user text)."""
    assert name in NODES, name
    return name


def rel(name: str) -> str:
    """A schema relation name (never user text)."""
    assert name in RELS, name
    return name


def upsert_nodes(lb: str, value: Value = plain) -> str:
    """MERGE nodes of ``lb`` by id from ``$rows`` and set every schema column."""
    cols = NODES[label(lb)].columns[1:]
    sets = ", ".join(f"n.{p.name} = {value(p.name, p.type)}" for p in cols)
    return f"UNWIND $rows AS r MERGE (n:{lb} {{id: r.id}}) SET {sets}"


def delete_nodes(lb: str) -> str:
    """DETACH DELETE nodes of ``lb`` whose id is in ``$ids``."""
    return f"UNWIND $ids AS i MATCH (n:{label(lb)} {{id: i}}) DETACH DELETE n"


def upsert_edges(name: str, src: str, dst: str, value: Value = plain) -> str:
    """MERGE ``name`` edges between existing nodes from ``$rows`` (src, dst, properties)."""
    props = RELS[rel(name)].properties
    sets = ", ".join(f"e.{p.name} = {value(p.name, p.type)}" for p in props)
    return (
        f"UNWIND $rows AS r MATCH (a:{label(src)} {{id: r.src}}), (b:{label(dst)} {{id: r.dst}}) "
        f"MERGE (a)-[e:{name}]->(b)" + (f" SET {sets}" if props else "")
    )


def count_nodes(lb: str) -> str:
    """Count the nodes of one label."""
    return f"MATCH (n:{label(lb)}) RETURN count(n)"


def count_edges(name: str) -> str:
    """Count the edges of one relation type."""
    return f"MATCH ()-[e:{rel(name)}]->() RETURN count(e)"


def check_hops(hops: int) -> None:
    """Expansion depth is 1, 2 or 3."""
    if not 1 <= hops <= 3:
        raise ValueError(f"hops must be 1, 2 or 3, got {hops}")
