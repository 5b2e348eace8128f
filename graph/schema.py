"""The graph schema as code, in one place: node labels, their properties and relations.

The Kùzu DDL is generated from it; later stores (Neo4j) generate their constraints from it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeType:
    """A node label with its string properties (``id`` is the primary key)."""

    label: str
    properties: tuple[str, ...]
    text_fields: tuple[str, ...] = ("name", "description")


@dataclass(frozen=True)
class RelType:
    """A relation between two labels."""

    name: str
    src: str
    dst: str


NODE_TYPES: tuple[NodeType, ...] = (
    NodeType("Equation", ("name", "description", "expression", "reference", "skills")),
    NodeType("Variable", ("name", "description", "unit", "aliases")),
    NodeType("Skill", ("name", "description")),
)
REL_TYPES: tuple[RelType, ...] = (
    RelType("USES", "Equation", "Variable"),
    RelType("HANDLED_BY", "Equation", "Skill"),
)
NODE_LABELS = tuple(n.label for n in NODE_TYPES)


def kuzu_ddl() -> list[str]:
    """``CREATE ... IF NOT EXISTS`` statements for every node and relation table."""
    out = []
    for n in NODE_TYPES:
        cols = ", ".join(f"{p} STRING" for p in n.properties)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {n.label}(id STRING, {cols}, PRIMARY KEY(id))")
    for r in REL_TYPES:
        out.append(f"CREATE REL TABLE IF NOT EXISTS {r.name}(FROM {r.src} TO {r.dst})")
    return out
