"""Equation expert: the structural solver over the engine's catalogue of relations."""

from __future__ import annotations

from experts.base import Context
from peoa.models import Claim, Subtask
from solvers.correlations import CORRELATIONS
from solvers.equations import EQUATIONS, VARIABLES_BY_NAME, solve_structural
from solvers.errors import SolverError


class EquationExpert:
    """Selects, orders and solves closed-form relations from the givens to the targets."""

    name = "equations"
    exact = True  # computes from the engine: the agent skips LLM experts when it answers
    skills: tuple[str, ...] = (
        "fluid flow",
        "heat transfer",
        "kinetics",
        "balances",
        "turbomachinery",
        "properties",
    )

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims for the slots of ``subtask`` bound to catalogue variables (SI units)."""
        problem = context.problem
        if problem.process:  # a named component/cycle model is the exact, specific tool
            return []
        knowns = {
            name: float(g.q.to(VARIABLES_BY_NAME[name].unit).magnitude)
            for name, g in problem.givens.items()
            if name in VARIABLES_BY_NAME
        }
        wanted = {s: problem.bindings.get(s, s) for s in subtask.targets}
        wanted = {s: v for s, v in wanted.items() if v in VARIABLES_BY_NAME and v not in knowns}
        if not wanted:
            return []
        try:
            values, steps = solve_structural(
                knowns,
                list(dict.fromkeys(wanted.values())),
                (*EQUATIONS, *CORRELATIONS),
                text=problem.text or problem.statement,
            )
        except SolverError as e:
            return [
                Claim(
                    slot=s,
                    value=float("nan"),
                    unit=VARIABLES_BY_NAME[v].unit,
                    expert=self.name,
                    confidence=0.0,
                    provenance=[str(e)],
                    features={"tool_failure": True, "error": str(e)},
                )
                for s, v in wanted.items()
            ]
        chain = [f"{st.equation}: {st.output} = {st.value:.6g} ({st.reference})" for st in steps]
        warnings = [w for st in steps for w in st.warnings if "validity" in w]
        return [
            Claim(
                slot=s,
                value=values[v],
                unit=VARIABLES_BY_NAME[v].unit,
                expert=self.name,
                confidence=0.5 if warnings else 1.0,
                provenance=chain,
                features={"skill": "equations", "outside_validity": warnings},
            )
            for s, v in wanted.items()
        ]
