"""Row validation shared by every store: typed columns from the schema, entity records, and
edge rows grouped by the label pair they join. Bad rows raise errors naming the value.

>>> node_rows("Substance", [{"id": "sub:64-17-5", "name": "ethanol", "mw": "46.07"}])[0]["mw"]
46.07
>>> sorted(edge_groups("PART_OF", [{"src": "c1", "dst": "d1"}], ))
Traceback (most recent call last):
...
graph.errors.QueryError: graph query upsert_edges failed: relation PART_OF joins several label pairs ...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from graph.errors import QueryError
from graph.schema import EMBEDDING_DIM, NODE_LABELS, NODES, RELS
from graph.text import with_keys


def _typed(label: str, prop: str, kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None if kind != "STRING" else ""
    try:
        if kind == "DOUBLE":
            v = float(value)
            return v if math.isfinite(v) else None
        if kind == "INT64":
            return int(value)
    except (TypeError, ValueError) as e:
        raise QueryError("upsert_nodes", f"{label}.{prop} must be {kind}, got {value!r}") from e
    return str(value)


def node_rows(label: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every schema column of ``label`` typed (missing strings → "")."""
    nt = NODES.get(label)
    if nt is None:
        raise QueryError("upsert_nodes", f"unknown label {label!r}; known: {NODE_LABELS}")
    out = []
    for r in rows:
        if not str(r.get("id", "")).strip():
            raise QueryError("upsert_nodes", f"a {label} row has no id: {r!r:.200}")
        out.append({p.name: _typed(label, p.name, p.type, r.get(p.name)) for p in nt.columns})
    return out


def entity_rows(label: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entity records (id, label, name, text, embedding) of the rows that carry an embedding."""
    out = []
    for r in rows:
        emb = r.get("embedding")
        if emb is None:
            continue
        vec = np.asarray(emb, dtype=np.float32).ravel()
        if vec.shape != (EMBEDDING_DIM,) or not np.all(np.isfinite(vec)):
            raise QueryError(
                "upsert_nodes",
                f"embedding of {r.get('id')!r} must be {EMBEDDING_DIM} finite floats, "
                f"got shape {vec.shape}",
            )
        text = with_keys(str(r.get("text") or f"{r.get('name', '')}: {r.get('description', '')}"))
        out.append(
            {
                "id": str(r["id"]),
                "label": label,
                "name": str(r.get("name", "")),
                "text": str(text),
                "embedding": vec.tolist(),
            }
        )
    return out


def edge_groups(
    rel: str, rows: Sequence[dict[str, Any]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Edge rows grouped by (source label, target label), properties typed."""
    rt = RELS.get(rel)
    if rt is None:
        raise QueryError("upsert_edges", f"unknown relation {rel!r}; known: {tuple(RELS)}")
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if len(rt.pairs) == 1:
            pair = rt.pairs[0]
        elif "src_label" in r and "dst_label" in r:
            pair = (str(r["src_label"]), str(r["dst_label"]))
        else:
            raise QueryError(
                "upsert_edges",
                f"relation {rel} joins several label pairs {rt.pairs}; give src_label and "
                f"dst_label (row {r!r:.120})",
            )
        if pair not in rt.pairs:
            raise QueryError(
                "upsert_edges", f"relation {rel} cannot join {pair}; it joins {rt.pairs}"
            )
        item = {"src": str(r["src"]), "dst": str(r["dst"])}
        for p in rt.properties:
            item[p.name] = _typed(rel, p.name, p.type, r.get(p.name))
        groups.setdefault(pair, []).append(item)
    return groups
