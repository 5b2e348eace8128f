"""The graph schema as code, in one place: node types, relations, and the DDL both stores run.

Every node has ``id`` (globally unique, prefixed by kind: ``eq:``, ``sub:``...), ``name`` and
``description`` plus its typed properties. Every node is also searchable: it has an *entity*
record (label, name, search text, embedding) that carries the vector and full-text indexes. In
Kùzu that is the ``Entity`` node table (Kùzu has one label per node); in Neo4j it is a second
label ``:Entity`` on the node itself.

>>> ddl = kuzu_ddl()
>>> any(s.startswith("CREATE NODE TABLE IF NOT EXISTS Substance(") for s in ddl)
True
>>> [s for s in neo4j_ddl() if "VECTOR" in s][0].split(" IF")[0]
'CREATE VECTOR INDEX entity_embedding'
"""

from __future__ import annotations

from dataclasses import dataclass

EMBEDDING_DIM = 384  # all-MiniLM-L6-v2
ENTITY = "Entity"
VECTOR_INDEX = "entity_embedding"
TEXT_INDEX = "entity_text"


@dataclass(frozen=True)
class Prop:
    """A typed property: STRING, DOUBLE or INT64."""

    name: str
    type: str = "STRING"


@dataclass(frozen=True)
class NodeType:
    """A node label with its typed properties (besides ``id``, ``name``, ``description``)."""

    label: str
    properties: tuple[Prop, ...] = ()
    doc: str = ""

    @property
    def columns(self) -> tuple[Prop, ...]:
        """All columns, ``id`` first."""
        return (Prop("id"), Prop("name"), Prop("description"), *self.properties)


@dataclass(frozen=True)
class RelType:
    """A relation with the (source, target) label pairs it may join and its properties."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: tuple[Prop, ...] = ()
    doc: str = ""


_S = Prop
_D = lambda n: Prop(n, "DOUBLE")  # noqa: E731

NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Equation", (_S("expression"), _S("reference"), _S("skills")), "a relation of variables"
    ),
    NodeType(
        "Correlation",
        (_S("expression"), _S("reference"), _S("authors"), _S("skills")),
        "an empirical correlation with a validity range",
    ),
    NodeType("Variable", (_S("unit"), _S("aliases")), "an engine variable in SI units"),
    NodeType("Dimension", (_S("dimensionality"),), "a physical dimension"),
    NodeType("Component", (_S("kind"), _S("reference")), "a unit operation or device model"),
    NodeType("Process", (_S("reference"), _S("skills")), "a cycle or process model"),
    NodeType(
        "Substance",
        (_S("cas"), _S("formula"), _S("synonyms"), _D("mw"), _D("tc"), _D("pc"), _D("omega")),
        "a chemical compound (molar mass g/mol, Tc K, Pc Pa)",
    ),
    NodeType("Fluid", (_S("aliases"), _S("cas"), _S("backend")), "a CoolProp working fluid"),
    NodeType("PropertyModel", (_S("library"),), "a property method (HEOS, IF97, ideal gas...)"),
    NodeType("Concept", (), "a process-engineering concept"),
    NodeType(
        "Document",
        (_S("path"), _S("sha256"), _S("kind"), Prop("chunks", "INT64")),
        "an ingested file",
    ),
    NodeType("Chunk", (_S("document"), Prop("ordinal", "INT64"), _S("text")), "a passage"),
    NodeType("Skill", (), "a skill of the expert library"),
)

_KNOWLEDGE = ("Equation", "Correlation", "Component", "Process", "Concept")
_LINKABLE = (
    "Substance",
    "Fluid",
    "Equation",
    "Correlation",
    "Component",
    "Process",
    "Variable",
    "Concept",
)

REL_TYPES: tuple[RelType, ...] = (
    RelType(
        "USES", (("Equation", "Variable"), ("Correlation", "Variable"), ("Component", "Variable"))
    ),
    RelType(
        "SOLVES_FOR",
        (("Equation", "Variable"), ("Correlation", "Variable"), ("Process", "Variable")),
    ),
    RelType(
        "APPLIES_TO",
        (
            ("Equation", "Component"),
            ("Correlation", "Component"),
            ("Equation", "Concept"),
            ("Correlation", "Concept"),
            ("PropertyModel", "Fluid"),
        ),
    ),
    RelType(
        "VALID_FOR", (("Correlation", "Variable"),), (_D("lo"), _D("hi")), "validity range [SI]"
    ),
    RelType(
        "HAS_PROPERTY",
        (("Variable", "Dimension"), ("Fluid", "PropertyModel"), ("Substance", "PropertyModel")),
    ),
    RelType("PART_OF", (("Chunk", "Document"), ("Component", "Process"))),
    RelType("MENTIONS", tuple(("Chunk", t) for t in _LINKABLE), (_S("method"), _D("score"))),
    RelType("CITES", (("Chunk", "Document"), ("Document", "Document"))),
    RelType("HANDLED_BY", tuple((t, "Skill") for t in _KNOWLEDGE)),
    RelType(
        "SIMILAR_TO", (("Fluid", "Substance"), ("Substance", "Substance"), ("Concept", "Concept"))
    ),
)

NODE_LABELS = tuple(n.label for n in NODE_TYPES)
NODES = {n.label: n for n in NODE_TYPES}
RELS = {r.name: r for r in REL_TYPES}


def kuzu_ddl() -> list[str]:
    """``CREATE ... IF NOT EXISTS`` for every node table, the entity table and every relation."""
    out = []
    for n in NODE_TYPES:
        cols = ", ".join(f"{p.name} {p.type}" for p in n.columns)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {n.label}({cols}, PRIMARY KEY(id))")
    out.append(
        f"CREATE NODE TABLE IF NOT EXISTS {ENTITY}(id STRING, label STRING, name STRING, "
        f"text STRING, embedding FLOAT[{EMBEDDING_DIM}], PRIMARY KEY(id))"
    )
    for r in REL_TYPES:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in r.pairs)
        props = "".join(f", {p.name} {p.type}" for p in r.properties)
        out.append(f"CREATE REL TABLE IF NOT EXISTS {r.name}({pairs}{props})")
    return out


def neo4j_ddl() -> list[str]:
    """Uniqueness constraints per label, the vector index and the full-text index (Neo4j 5)."""
    out = [
        f"CREATE CONSTRAINT {n.label.lower()}_id IF NOT EXISTS FOR (n:{n.label}) REQUIRE n.id IS UNIQUE"
        for n in NODE_TYPES
    ]
    out.append(f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE")
    out.append(
        f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) ON (n.embedding) "
        f"OPTIONS {{indexConfig: {{`vector.dimensions`: {EMBEDDING_DIM}, "
        "`vector.similarity_function`: 'cosine'}}"
    )
    out.append(
        f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) ON EACH [n.name, n.text]"
    )
    return out
