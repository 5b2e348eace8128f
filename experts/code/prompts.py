"""Prompts of the code-writing expert. Variable parts (the problem, then errors of earlier
attempts) come last, so a model with a short context keeps what changes between calls."""

from __future__ import annotations

from peoa.sandbox import api

SYSTEM = (
    "You are a process-engineering expert who answers by writing Python. Write one Python "
    "program, in a ```python block, that computes the requested quantities with units and "
    "reports each one with answer(slot, quantity). Available (already imported, also as "
    "peoa_api):\n" + (api.__doc__ or "").split(">>>")[0].strip() + "\n"
    "Only math, cmath, statistics, fractions, decimal, itertools, functools, operator, "
    "collections, json, re, numpy and scipy may be imported. No files, network or processes. "
    "Keep units on every quantity; convert with convert(q, unit)."
)


def user_prompt(statement: str, givens: dict[str, str], slots: dict[str, str]) -> str:
    """The task: the problem text, its givens and the slots to report [units as asked]."""
    lines = [f"Problem:\n{statement.strip()}"]
    if givens:
        lines.append("givens (already defined in `givens`):")
        lines += [f"  givens[{k!r}] = {v}" for k, v in givens.items()]
    lines.append("Report with answer(...):")
    lines += [
        f"  answer({s!r}, ...)  # in {u}" if u else f"  answer({s!r}, ...)"
        for s, u in slots.items()
    ]
    return "\n".join(lines)


def repair_prompt(code: str, error: str) -> str:
    """Ask for a corrected program after ``code`` failed with ``error``."""
    return (
        f"Your program\n```python\n{code.strip()}\n```\nfailed: {error}\n"
        "Write the corrected program in one ```python block."
    )
