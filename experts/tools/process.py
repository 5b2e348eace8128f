"""Process expert: component and cycle models (turbines, boilers, Rankine, Brayton, ...)."""

from __future__ import annotations

import math
from typing import Any

from experts.base import Context
from peoa.models import Claim, Problem, Subtask
from solvers.errors import SolverError
from solvers.process import get_process, output_unit, resolve_output, solve_once


class ProcessExpert:
    """Runs the registered process model the structured problem names and reports its values."""

    name = "process"
    exact = True  # computes from the engine: the agent skips LLM experts when it answers
    skills: tuple[str, ...] = (
        "cycles",
        "turbomachinery",
        "heat transfer",
        "fluid flow",
        "balances",
        "separations",
    )

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims [SI] for the slots of ``subtask`` that the model's outputs name."""
        problem = context.problem
        if not problem.process:
            return []
        try:
            model = get_process(problem.process)
            res = solve_once(
                model.name, _givens(problem), {"fluid": problem.fluid, **problem.options}
            )
        except SolverError as e:
            return [_failure(self.name, s, str(e)) for s in subtask.targets]
        chain = [f"{model.name} ({model.reference})", *res.steps]
        claims = []
        for slot in subtask.targets:
            key = resolve_output(problem.bindings.get(slot, slot), res.values)
            if key is None:
                claims.append(_failure(self.name, slot, f"{model.name} does not compute {slot!r}"))
                continue
            value = res.values[key]
            claims.append(
                Claim(
                    slot=slot,
                    value=value,
                    unit=output_unit(key) or "dimensionless",
                    expert=self.name,
                    confidence=1.0 if math.isfinite(value) else 0.0,
                    provenance=[s for s in chain if s.startswith(key + " ")] or chain[:1],
                    features={"skill": model.skills[0] if model.skills else "", "output": key},
                )
            )
        return claims


def _givens(problem: Problem) -> dict[str, Any]:
    return {name: g.q for name, g in problem.givens.items()}


def _failure(expert: str, slot: str, message: str) -> Claim:
    return Claim(
        slot=slot,
        value=float("nan"),
        unit="",
        expert=expert,
        confidence=0.0,
        provenance=[message],
        features={"tool_failure": True, "error": message},
    )
