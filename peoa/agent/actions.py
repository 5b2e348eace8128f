"""The action generator: with an LLM configured, the ``plan`` node asks it for the next
subtask(s) and the expert for each, as JSON validated against :class:`ActionPlan`, until it
declares the answer complete. The offline planner remains the fallback and a second opinion.

Variable parts of the prompt (results so far, errors, the step number) come last, so that a
model with a short context keeps what changes between steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from experts.registry import ExpertRegistry
from peoa.llm.base import LLM, Message, structured
from peoa.models import Claim, Problem

SYSTEM = (
    "You are the action generator of PEOA, a process-engineering assistant. Each step you "
    "choose the next subtask(s) and the expert for each, or declare the answer complete. "
    'Reply with JSON only: {"complete": bool, "subtasks": [{"description": str, '
    '"targets": [slot names], "experts": [expert names]}], "note": str}. Declare '
    "complete=true, with no subtasks, once every slot has an accepted value. Use only the "
    "experts listed and only the slots listed."
)


class PlannedSubtask(BaseModel):
    """One subtask the action generator asks for."""

    description: str = ""
    targets: list[str] = Field(min_length=1)
    experts: list[str] = Field(min_length=1)


class ActionPlan(BaseModel):
    """The action generator's reply for one step."""

    complete: bool = False
    subtasks: list[PlannedSubtask] = Field(default_factory=list)
    note: str = ""


def expert_menu(registry: ExpertRegistry) -> str:
    """One line per expert: name, skills and the first line of its docstring."""
    lines = []
    for name in registry.names():
        e = registry.get(name)
        doc = (type(e).__doc__ or "").strip().splitlines()
        kind = "exact tool" if getattr(e, "exact", False) else "LLM-based"
        lines.append(f"- {name} ({kind}; skills: {', '.join(e.skills)}): {doc[0] if doc else ''}")
    return "\n".join(lines)


class ActionGenerator:
    """Asks ``llm`` for the next step; ``retries`` re-asks on invalid output with the error."""

    def __init__(self, llm: LLM, registry: ExpertRegistry, retries: int = 2) -> None:
        self.llm = llm
        self.registry = registry
        self.retries = retries

    def _check(self, problem: Problem) -> Callable[[ActionPlan], None]:
        wanted = set(problem.wanted)

        def check(plan: ActionPlan) -> None:
            if not plan.complete and not plan.subtasks:
                raise ValueError("either set complete=true or give at least one subtask")
            for sub in plan.subtasks:
                unknown = [e for e in sub.experts if e not in self.registry]
                if unknown:
                    raise ValueError(
                        f"unknown expert(s) {unknown}; choose from {self.registry.names()}"
                    )
                stray = [t for t in sub.targets if t not in wanted]
                if stray:
                    raise ValueError(f"unknown slot(s) {stray}; the slots are {sorted(wanted)}")

        return check

    def next_step(
        self,
        problem: Problem,
        *,
        accepted: dict[str, Claim],
        feedback: Sequence[str],
        context: Sequence[str],
        history: Sequence[dict[str, object]],
        step: int,
    ) -> ActionPlan:
        """The next subtasks; raises :class:`peoa.errors.LLMOutputError` after the retries."""
        head = [
            f"Problem:\n{problem.statement or problem.text}",
            "Slots to answer: "
            + ", ".join(f"{s} [{problem.slot_unit(s) or '-'}]" for s in problem.wanted),
        ]
        if problem.givens:
            head.append(
                "Givens: "
                + "; ".join(f"{k} = {g.value:.6g} {g.unit}" for k, g in problem.givens.items())
            )
        head.append("Experts:\n" + expert_menu(self.registry))
        if context:
            head.append("Knowledge-graph context: " + ", ".join(context[:10]))
        if history:
            head.append(
                "Earlier in this chat: "
                + " | ".join(str(h.get("text", ""))[:200] for h in history[-3:])
            )
        tail = [f"Step {step + 1}."]
        if accepted:
            tail.append(
                "Accepted so far: "
                + "; ".join(
                    f"{s} = {c.value:.6g} {c.unit} (from {c.expert})"
                    if isinstance(c.value, float)
                    else f"{s} = {c.value} (from {c.expert})"
                    for s, c in accepted.items()
                )
            )
        missing = [s for s in problem.wanted if s not in accepted]
        tail.append("Still missing: " + (", ".join(missing) if missing else "nothing"))
        if feedback:
            tail.append("Errors to address: " + " | ".join(f[:300] for f in feedback))
        messages = [
            Message(role="system", content=SYSTEM),
            Message(role="user", content="\n".join(head + tail)),
        ]
        return structured(
            self.llm,
            messages,
            ActionPlan,
            retries=self.retries,
            max_tokens=400,
            check=self._check(problem),
        )
