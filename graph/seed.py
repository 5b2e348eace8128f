"""Seeding the graph (``peoa graph init``): the engine's catalogue, CoolProp's fluids and a
compound table from ``chemicals``, every node with an embedding of its description. Idempotent:
nodes and relations are MERGEd by id.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graph.concepts import CONCEPTS
from graph.embeddings import Embedder
from graph.protocols import GraphStore

Rows = list[dict[str, Any]]
Progress = Callable[[str], None]

_DIMENSIONS = {
    "Pa": "pressure",
    "K": "temperature",
    "J": "energy",
    "W": "power (heat or work rate)",
    "kg/s": "mass flow rate",
    "m": "length",
    "m**2": "area",
    "m**3": "volume",
    "m**3/s": "volumetric flow rate",
    "m**3/kg": "specific volume",
    "kg/m**3": "density",
    "J/kg": "specific energy (enthalpy, work per mass)",
    "J/(kg*K)": "specific entropy or specific heat",
    "m/s": "velocity",
    "Pa*s": "dynamic viscosity",
    "W/(m*K)": "thermal conductivity",
    "W/(m**2*K)": "heat-transfer coefficient",
    "1/s": "first-order rate constant",
    "mol": "amount of substance",
    "kg": "mass",
    "s": "time",
    "dimensionless": "dimensionless ratio",
}

_CYCLE_PARTS = {
    "rankine": ("pump", "boiler", "turbine", "condenser"),
    "rankine_reheat": ("pump", "boiler", "turbine", "condenser"),
    "rankine_regenerative": ("pump", "boiler", "turbine", "condenser", "mixing_chamber"),
    "brayton": ("compressor", "turbine"),
    "brayton_regenerative": ("compressor", "turbine", "heat_exchanger"),
    "vapor_compression": ("compressor", "condenser", "throttle", "evaporator"),
    "combined_cycle": ("compressor", "turbine", "boiler", "pump", "condenser"),
}


def _first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def engine_catalogue() -> tuple[dict[str, Rows], dict[str, Rows]]:
    """Nodes and edges from the calculation engine (no embeddings yet)."""
    from solvers.components import COMPONENTS
    from solvers.correlations import CORRELATIONS
    from solvers.equations import EQUATIONS, VARIABLES
    from solvers.process import PROCESSES
    from solvers.units import parse_unit

    nodes: dict[str, Rows] = {
        k: []
        for k in (
            "Skill",
            "Variable",
            "Dimension",
            "Equation",
            "Correlation",
            "Component",
            "Process",
            "Concept",
            "PropertyModel",
        )
    }
    edges: dict[str, Rows] = {
        k: []
        for k in (
            "USES",
            "SOLVES_FOR",
            "VALID_FOR",
            "HANDLED_BY",
            "HAS_PROPERTY",
            "PART_OF",
            "SIMILAR_TO",
            "APPLIES_TO",
        )
    }
    skills: set[str] = {"properties", "units"}
    dims: dict[str, str] = {}
    for ref, what in _DIMENSIONS.items():
        dims[str(parse_unit(ref).dimensionality)] = what
    known_vars = {v.name for v in VARIABLES}
    for v in VARIABLES:
        dim = str(v.dimensionality)
        nodes["Variable"].append(
            {
                "id": f"var:{v.name}",
                "name": v.name,
                "description": f"{v.description} [{v.unit}]",
                "unit": v.unit,
                "aliases": " ".join(v.aliases),
                "text": f"{v.name} {' '.join(v.aliases)}: {v.description} [{v.unit}] {' '.join(v.cues)}",
            }
        )
        edges["HAS_PROPERTY"].append(
            {
                "src": f"var:{v.name}",
                "dst": f"dim:{dim}",
                "src_label": "Variable",
                "dst_label": "Dimension",
            }
        )
        dims.setdefault(dim, dim)
    for dim in sorted({str(v.dimensionality) for v in VARIABLES}):
        nodes["Dimension"].append(
            {
                "id": f"dim:{dim}",
                "name": dims[dim],
                "description": f"dimension {dim}",
                "dimensionality": dim,
            }
        )
    for e in EQUATIONS:
        skills.update(e.skills)
        nodes["Equation"].append(
            {
                "id": f"eq:{e.name}",
                "name": e.name.replace("_", " "),
                "description": e.description,
                "expression": f"{e.lhs} = {e.rhs}",
                "reference": e.reference,
                "skills": ", ".join(e.skills),
                "text": f"{e.name.replace('_', ' ')}: {e.description}. {e.lhs} = {e.rhs}",
            }
        )
        for var in e.variables:
            edges["USES"].append(
                {
                    "src": f"eq:{e.name}",
                    "dst": f"var:{var}",
                    "src_label": "Equation",
                    "dst_label": "Variable",
                }
            )
        for s in e.skills:
            edges["HANDLED_BY"].append(
                {
                    "src": f"eq:{e.name}",
                    "dst": f"skill:{s}",
                    "src_label": "Equation",
                    "dst_label": "Skill",
                }
            )
    for c in CORRELATIONS:
        skills.update(c.skills)
        rng = "; ".join(f"{k} {lo:g}..{hi:g}" for k, (lo, hi) in c.validity.items())
        nodes["Correlation"].append(
            {
                "id": f"corr:{c.name}",
                "name": c.name.replace("_", " "),
                "description": f"{c.description} ({c.authors}). Valid for {rng or 'any input'}.",
                "expression": f"{c.output} = f({', '.join(c.inputs)})",
                "reference": c.reference,
                "authors": c.authors,
                "skills": ", ".join(c.skills),
            }
        )
        for var in c.inputs:
            if var in known_vars:
                edges["USES"].append(
                    {
                        "src": f"corr:{c.name}",
                        "dst": f"var:{var}",
                        "src_label": "Correlation",
                        "dst_label": "Variable",
                    }
                )
        if c.output in known_vars:
            edges["SOLVES_FOR"].append(
                {
                    "src": f"corr:{c.name}",
                    "dst": f"var:{c.output}",
                    "src_label": "Correlation",
                    "dst_label": "Variable",
                }
            )
        for var, (lo, hi) in c.validity.items():
            if var in known_vars:
                edges["VALID_FOR"].append(
                    {"src": f"corr:{c.name}", "dst": f"var:{var}", "lo": lo, "hi": hi}
                )
        for s in c.skills:
            edges["HANDLED_BY"].append(
                {
                    "src": f"corr:{c.name}",
                    "dst": f"skill:{s}",
                    "src_label": "Correlation",
                    "dst_label": "Skill",
                }
            )
    for name, model in PROCESSES.items():
        skills.update(model.skills)
        label = "Component" if model.kind == "component" else "Process"
        prefix = "comp" if label == "Component" else "proc"
        row = {
            "id": f"{prefix}:{name}",
            "name": name.replace("_", " "),
            "description": model.description,
            "reference": model.reference,
            "text": f"{name.replace('_', ' ')}: {model.description} {' '.join(model.keywords)}",
        }
        row["kind" if label == "Component" else "skills"] = (
            model.kind if label == "Component" else ", ".join(model.skills)
        )
        nodes[label].append(row)
        for s in model.skills:
            edges["HANDLED_BY"].append(
                {"src": row["id"], "dst": f"skill:{s}", "src_label": label, "dst_label": "Skill"}
            )
    have = {r["id"] for r in nodes["Component"]}
    for name, fn in COMPONENTS.items():
        if f"comp:{name}" not in have:
            nodes["Component"].append(
                {
                    "id": f"comp:{name}",
                    "name": name.replace("_", " "),
                    "description": _first_line(fn),
                    "kind": "component",
                }
            )
    comp_ids = {r["id"] for r in nodes["Component"]}
    for cycle, parts in _CYCLE_PARTS.items():
        for part in parts:
            if f"comp:{part}" in comp_ids and cycle in PROCESSES:
                edges["PART_OF"].append(
                    {
                        "src": f"comp:{part}",
                        "dst": f"proc:{cycle}",
                        "src_label": "Component",
                        "dst_label": "Process",
                    }
                )
    for cid, name, desc, related in CONCEPTS:
        nodes["Concept"].append({"id": f"concept:{cid}", "name": name, "description": desc})
        for other in related:
            edges["SIMILAR_TO"].append(
                {
                    "src": f"concept:{cid}",
                    "dst": f"concept:{other}",
                    "src_label": "Concept",
                    "dst_label": "Concept",
                }
            )
    for pm, desc in (
        (
            "HEOS",
            "CoolProp Helmholtz-energy equations of state (reference accuracy) for pure fluids",
        ),
        ("IF97", "IAPWS-IF97 industrial formulation for water and steam"),
        ("IdealGas", "ideal gas with constant specific heats (cold-air standard)"),
        ("AirTable", "air as an ideal gas with temperature-dependent specific heats (air tables)"),
        ("HAPropsSI", "CoolProp humid-air psychrometrics (ASHRAE RP-1485)"),
        ("Raoult", "Raoult's law with vapour pressures from thermo's VaporPressure"),
    ):
        nodes["PropertyModel"].append(
            {
                "id": f"pm:{pm}",
                "name": pm,
                "description": desc,
                "library": "CoolProp" if pm in {"HEOS", "IF97", "HAPropsSI"} else "thermo",
            }
        )
    nodes["Skill"] = [
        {
            "id": f"skill:{s}",
            "name": s,
            "description": f"{s.replace('_', ' ')} skill of the expert library",
        }
        for s in sorted(skills)
    ]
    return nodes, edges


def fluid_catalogue() -> Rows:
    """CoolProp's fluids with aliases, CAS and critical constants."""
    import CoolProp.CoolProp as CP

    rows = []
    for name in CP.get_global_param_string("FluidsList").split(","):
        try:
            aliases = CP.get_fluid_param_string(name, "aliases")
            cas = CP.get_fluid_param_string(name, "CAS")
            tc = CP.PropsSI("Tcrit", name)
            pc = CP.PropsSI("pcrit", name)
            mw = CP.PropsSI("molar_mass", name) * 1000.0
        except ValueError:
            continue
        rows.append(
            {
                "id": f"fluid:{name}",
                "name": name,
                "description": (
                    f"CoolProp working fluid {name} (also {aliases.replace(',', ', ')}); CAS {cas}; "
                    f"molar mass {mw:.3f} g/mol, critical point {tc:.2f} K and {pc / 1e5:.2f} bar"
                ),
                "aliases": aliases,
                "cas": cas,
                "backend": "HEOS",
            }
        )
    return rows


def substance_catalogue(limit: int | None = None) -> Rows:
    """Compounds with critical constants (Yaws, via ``chemicals``) and their identifiers."""
    from chemicals import critical
    from chemicals.identifiers import search_chemical

    table = critical.critical_data_Yaws
    rows = []
    for cas in table.index[: limit or len(table)]:
        try:
            meta = search_chemical(cas)
        except Exception:
            continue
        rec = table.loc[cas]
        name = meta.common_name or meta.iupac_name or str(rec["Chemical"])
        syn = [s for s in (meta.synonyms or []) if s.lower() != name.lower()][:6]
        tc, pc, omega = (float(rec[k]) if rec[k] == rec[k] else None for k in ("Tc", "Pc", "omega"))
        parts = [f"{name} ({meta.formula}), CAS {cas}, molar mass {meta.MW:.3f} g/mol"]
        if tc:
            parts.append(f"critical temperature {tc:.1f} K")
        if pc:
            parts.append(f"critical pressure {pc / 1e5:.2f} bar")
        rows.append(
            {
                "id": f"sub:{cas}",
                "name": name,
                "description": ", ".join(parts),
                "cas": cas,
                "formula": meta.formula,
                "synonyms": "; ".join(syn),
                "mw": meta.MW,
                "tc": tc,
                "pc": pc,
                "omega": omega,
                "text": f"{name} {meta.formula} {cas} {' '.join(syn)}: {', '.join(parts)}",
                # embedded: the words, not the numbers (and 8x faster to encode than the text)
                "embed": f"{name} ({meta.formula}); {'; '.join(syn[:2])}",
            }
        )
    return rows


def _text(row: dict[str, Any]) -> str:
    return str(row.get("text") or f"{row['name']}: {row['description']}")


def seed(
    store: GraphStore,
    embedder: Embedder,
    *,
    substances: int | None = None,
    progress: Progress | None = None,
    indexes: bool = True,
) -> dict[str, int]:
    """Write the catalogue into ``store`` with embeddings, then build the indexes; idempotent.

    ``substances`` caps the compound table (None: every Yaws compound with metadata, ~6400);
    ``indexes=False`` leaves index building to the caller (faster before a bulk load).
    """
    say = progress or (lambda _msg: None)
    nodes, edges = engine_catalogue()
    say("engine catalogue")
    nodes["Fluid"] = fluid_catalogue()
    say(f"{len(nodes['Fluid'])} CoolProp fluids")
    nodes["Substance"] = substance_catalogue(substances)
    say(f"{len(nodes['Substance'])} compounds")
    by_cas = {r["cas"]: r["id"] for r in nodes["Substance"]}
    for f in nodes["Fluid"]:
        edges["HAS_PROPERTY"].append(
            {"src": f["id"], "dst": "pm:HEOS", "src_label": "Fluid", "dst_label": "PropertyModel"}
        )
        if f["cas"] in by_cas:
            edges["SIMILAR_TO"].append(
                {
                    "src": f["id"],
                    "dst": by_cas[f["cas"]],
                    "src_label": "Fluid",
                    "dst_label": "Substance",
                }
            )
    edges["HAS_PROPERTY"].append(
        {"src": "fluid:Water", "dst": "pm:IF97", "src_label": "Fluid", "dst_label": "PropertyModel"}
    )
    for pm, fluid in (("HEOS", "fluid:Water"), ("IF97", "fluid:Water"), ("AirTable", "fluid:Air")):
        edges["APPLIES_TO"].append(
            {"src": f"pm:{pm}", "dst": fluid, "src_label": "PropertyModel", "dst_label": "Fluid"}
        )
    order = [lb for lb in nodes if nodes[lb]]
    texts = [str(r.get("embed") or _text(r)) for lb in order for r in nodes[lb]]
    vectors = embedder.encode(texts)
    say(f"{len(texts)} embeddings")
    i = 0
    counts: dict[str, int] = {}
    for lb in order:
        rows = nodes[lb]
        for r in rows:
            r["text"] = _text(r)
            r["embedding"] = vectors[i]
            i += 1
        counts[lb] = store.upsert_nodes(lb, rows)
    for rel, rows in edges.items():
        if rows:
            counts[rel] = store.upsert_edges(rel, rows)
    say("nodes and relations written")
    if indexes:
        store.build_indexes()
        say("indexes built")
    return counts
