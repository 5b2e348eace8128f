"""Seeding the graph from the calculation engine (equations, variables, skills)."""

from __future__ import annotations

from graph.protocols import GraphStore
from solvers.equations import EQUATIONS, VARIABLES


def seed(store: GraphStore) -> dict[str, int]:
    """Write the engine's catalogue into ``store``; idempotent (MERGE by id)."""
    skills = sorted({s for e in EQUATIONS for s in e.skills} | {"properties", "units"})
    counts = {
        "Skill": store.upsert_nodes(
            "Skill", [{"id": f"skill:{s}", "name": s, "description": f"{s} skill"} for s in skills]
        ),
        "Variable": store.upsert_nodes(
            "Variable",
            [
                {
                    "id": f"var:{v.name}",
                    "name": v.name,
                    "description": v.description,
                    "unit": v.unit,
                    "aliases": " ".join(v.aliases),
                }
                for v in VARIABLES
            ],
        ),
        "Equation": store.upsert_nodes(
            "Equation",
            [
                {
                    "id": f"eq:{e.name}",
                    "name": e.name.replace("_", " "),
                    "description": e.description,
                    "expression": f"{e.lhs} = {e.rhs}",
                    "reference": e.reference,
                    "skills": ", ".join(e.skills),
                }
                for e in EQUATIONS
            ],
        ),
    }
    counts["USES"] = store.upsert_edges(
        "USES", [{"src": f"eq:{e.name}", "dst": f"var:{v}"} for e in EQUATIONS for v in e.variables]
    )
    counts["HANDLED_BY"] = store.upsert_edges(
        "HANDLED_BY",
        [{"src": f"eq:{e.name}", "dst": f"skill:{s}"} for e in EQUATIONS for s in e.skills],
    )
    build = getattr(store, "build_text_indexes", None)
    if build is not None:
        build()
    return counts
