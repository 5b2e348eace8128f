"""Baselines and scores for reconciliation: one expert alone, majority vote, F1 and accuracy.

A method's prediction maps slots to a value [SI] (unanswered slots are absent). Precision is the
share of answered slots that are right, recall the share of all slots answered right; F1 is their
harmonic mean and accuracy the share of all slots answered right (an unanswered slot is a miss).

>>> score({"a": 1.0, "b": 2.5}, {"a": 1.0, "b": 2.0, "c": 3.0})
(0.4, 0.3333333333333333)
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.abduction.instance import Instance
from solvers.abduction.reconcile import Abduction

Prediction = dict[str, float | str]


def _right(value: float | str, true: float | str, rtol: float) -> bool:
    if isinstance(value, str) or isinstance(true, str):
        return str(value) == str(true)
    return abs(value - true) <= rtol * max(abs(value), abs(true), 1e-300)


def score(
    pred: Mapping[str, float | str], truth: Mapping[str, float | str], rtol: float = 1e-3
) -> tuple[float, float]:
    """(F1, accuracy) of ``pred`` against ``truth`` [SI]."""
    if not truth:
        return 0.0, 0.0
    right = sum(1 for s, v in pred.items() if s in truth and _right(v, truth[s], rtol))
    precision = right / len(pred) if pred else 0.0
    recall = right / len(truth)
    f1 = 0.0 if right == 0 else 2 * precision * recall / (precision + recall)
    return f1, recall


def from_abduction(res: Abduction, inst: Instance) -> Prediction:
    """The accepted values of an abduction [SI]."""
    return {s: inst.si[i] for s, i in res.accepted.items()}  # type: ignore[misc]


def single_experts(inst: Instance) -> dict[str, Prediction]:
    """Each expert's own answers [SI] (its most confident claim per slot)."""
    out: dict[str, Prediction] = {}
    for lab in inst.labels:
        for i in lab.claims:
            c = inst.claims[i]
            mine = out.setdefault(c.expert, {})
            prev = mine.get(c.slot)
            if prev is None:
                mine[c.slot] = lab.value
    return out


def majority(inst: Instance) -> Prediction:
    """Per slot, the label most experts support; ties go to the larger total confidence."""
    out: Prediction = {}
    for slot, labs in inst.slots.items():
        best = max(
            labs,
            key=lambda i: (
                len({inst.claims[j].expert for j in inst.labels[i].claims}),
                sum(inst.claims[j].confidence for j in inst.labels[i].claims),
            ),
        )
        out[slot] = inst.labels[best].value
    return out
