"""Units expert: a slot that names a given is that given, converted."""

from __future__ import annotations

from experts.base import Context
from peoa.models import Claim, Subtask


class UnitsExpert:
    """Answers slots bound directly to a given (unit conversions)."""

    name = "units"
    exact = True  # computes from the engine: the agent skips LLM experts when it answers
    skills: tuple[str, ...] = ("units",)

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """A claim for each slot whose binding is a given [the given's unit]."""
        problem = context.problem
        claims = []
        for slot in subtask.targets:
            key = problem.bindings.get(slot, slot)
            g = problem.givens.get(key)
            if g is None:
                continue
            claims.append(
                Claim(
                    slot=slot,
                    value=g.value,
                    unit=g.unit,
                    expert=self.name,
                    confidence=1.0,
                    provenance=[f"given {key} = {g.text or g.value}"],
                    features={"skill": "units"},
                )
            )
        return claims
