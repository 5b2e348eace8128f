"""A markdown report with a PNG bar chart against the published scores."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def published_scores(benchmarks: Path) -> dict[str, list[float]]:
    """Model -> [tier 1, tier 2, tier 3] from the benchmarks README table (fractions)."""
    readme = benchmarks / "README.md"
    out: dict[str, list[float]] = {}
    if not readme.exists():
        return out
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(
            r"\|\s*([^|]+?)\s*\|\s*([\d.]+) %\s*\|\s*([\d.]+) %\s*\|\s*([\d.]+) %\s*\|", line
        )
        if m:
            out[m.group(1)] = [float(m.group(i)) / 100 for i in (2, 3, 4)]
    return out


def write_report(result: dict[str, Any], out_dir: Path, benchmarks: Path) -> Path:
    """Write ``report.md`` and ``scores.png`` into ``out_dir``; returns the markdown path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    label = f"PEOA ({result.get('mode', 'text')})"
    bars = {label: result["score"]}
    tier = result.get("tier")
    if result["suite"] == "thermoqa" and tier:
        for model, scores in published_scores(benchmarks).items():
            bars[model] = scores[int(tier) - 1]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    names = list(bars)
    ax.barh(
        names, [bars[n] for n in names], color=["#2a7" if n == label else "#889" for n in names]
    )
    ax.set_xlim(0, 1)
    ax.set_xlabel("score")
    ax.set_title(f"{result['suite']} tier {tier}" if tier else result["suite"])
    ax.invert_yaxis()
    fig.tight_layout()
    png = out_dir / "scores.png"
    fig.savefig(png, dpi=110)
    plt.close(fig)
    lines = [
        f"# {result['suite']}" + (f" tier {tier}" if tier else ""),
        "",
        f"mode: {result['mode']}; n = {result['n']}; score = {result['score']:.3f}; "
        f"answered = {result['answered']}; wrong = {result['wrong']}",
        "",
        "![scores](scores.png)",
        "",
        "| category | n | score | answered | wrong |",
        "|---|---|---|---|---|",
    ]
    for cat, c in sorted(result["by_category"].items()):
        lines.append(f"| {cat} | {c['n']} | {c['score']:.3f} | {c['answered']} | {c['wrong']} |")
    if len(bars) > 1:
        lines += ["", "| model | score |", "|---|---|"]
        lines += [f"| {n} | {s:.3f} |" for n, s in bars.items()]
    md = out_dir / "report.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md
