"""The nodes of the meta-agent: understand, plan, retrieve, dispatch, expert, reconcile, verify,
answer. Each takes the state and returns an update; dependencies come in through ``Agent``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from langgraph.types import Send

from experts.base import Context
from experts.registry import ExpertRegistry
from graph.protocols import Retriever
from peoa.agent.reconcile import reconcile_claims
from peoa.agent.state import AgentState, ExpertTask
from peoa.models import Answer, Claim, SlotValue, Status, Subtask, TraceEvent
from peoa.understand.offline import understand
from solvers.abduction import DECLARED_RULES, Rule
from solvers.equations import EQUATIONS, VARIABLES_BY_NAME
from solvers.errors import SolverError
from solvers.process import get_process
from solvers.units import to_unit


@dataclass
class Nodes:
    """Node functions bound to their dependencies (experts, retriever, limits)."""

    registry: ExpertRegistry
    retriever: Retriever | None = None
    max_rounds: int = 2
    rules: tuple[Rule, ...] = DECLARED_RULES
    delta: float = 0.1
    abduction_solver: str = "ip"

    # -- understand ------------------------------------------------------------------------------
    def understand(self, state: AgentState) -> dict[str, Any]:
        problem = understand(state["problem"])
        data = {
            "domain": problem.domain,
            "fluid": problem.fluid,
            "givens": {k: f"{g.value:.6g} {g.unit}".strip() for k, g in problem.givens.items()},
            "bindings": problem.bindings,
        }
        return {
            "problem": problem,
            "round": 0,
            "feedback": [],
            "trace": [
                TraceEvent(
                    node="understand",
                    message=f"{len(problem.givens)} givens, {len(problem.wanted)} slots",
                    data=data,
                )
            ],
        }

    # -- plan ------------------------------------------------------------------------------------
    def plan(self, state: AgentState) -> dict[str, Any]:
        problem = state["problem"]
        rnd = state.get("round", 0)
        done = set(state.get("accepted", {})) - set(state.get("recheck", []))
        todo = [s for s in problem.wanted if s not in done]
        if problem.domain == "properties":
            skills = ["properties"]
        elif problem.process:
            skills = list(get_process(problem.process).skills)
        else:
            skills = ["units"]
            names = {problem.bindings.get(s, s) for s in todo}
            for eq in EQUATIONS:
                if names & set(eq.variables):
                    skills.extend(eq.skills)
        skills = list(dict.fromkeys(skills))
        if rnd > 0:  # a verify round: open the slot to every expert
            skills = []
        experts = [e.name for e in self.registry.for_skills(skills)]
        sub = Subtask(
            id=f"r{rnd}-s1",
            description=_describe(problem.statement, todo),
            targets=todo,
            skills=skills,
            experts=experts,
        )
        return {
            "subtasks": [sub],
            "trace": [
                TraceEvent(
                    node="plan",
                    message=f"round {rnd}: {len(todo)} slots -> {', '.join(experts)}",
                    data={"subtasks": [sub.model_dump()]},
                )
            ],
        }

    # -- retrieve --------------------------------------------------------------------------------
    def retrieve(self, state: AgentState) -> dict[str, Any]:
        if self.retriever is None:
            return {
                "context": {},
                "trace": [TraceEvent(node="retrieve", message="no knowledge graph configured")],
            }
        context: dict[str, list[str]] = {}
        for sub in state["subtasks"]:
            try:
                hits = self.retriever.search(sub.description, k=5)
            except Exception as e:  # a broken graph must not fail the problem
                return {
                    "context": {},
                    "trace": [TraceEvent(node="retrieve", message=f"graph search failed: {e}")],
                }
            context[sub.id] = [h.id for h in hits]
        return {
            "context": context,
            "trace": [
                TraceEvent(
                    node="retrieve",
                    message=f"{sum(map(len, context.values()))} graph nodes",
                    data={"context": context},
                )
            ],
        }

    # -- dispatch (conditional edge: fan out) ----------------------------------------------------
    def dispatch(self, state: AgentState) -> list[Send] | str:
        sends = []
        for sub in state["subtasks"]:
            if not sub.targets:
                continue
            for name in sub.experts:
                task = ExpertTask(
                    problem=state["problem"],
                    subtask=sub,
                    expert=name,
                    context=state.get("context", {}).get(sub.id, []),
                    feedback=state.get("feedback", []),
                )
                sends.append(Send("expert", task))
        return sends or "reconcile"

    def expert(self, task: ExpertTask) -> dict[str, Any]:
        expert = self.registry.get(task["expert"])
        ctx = Context(problem=task["problem"], retrieved=task["context"], feedback=task["feedback"])
        try:
            claims = expert.solve(task["subtask"], ctx)
        except Exception as e:  # an expert's crash is a failed claim set, not a failed problem
            claims = [
                Claim(
                    slot=s,
                    value=float("nan"),
                    expert=expert.name,
                    confidence=0.0,
                    provenance=[f"{type(e).__name__}: {e}"],
                    features={"tool_failure": True},
                )
                for s in task["subtask"].targets
            ]
        ok = [c for c in claims if c.confidence > 0]
        return {
            "claims": claims,
            "trace": [
                TraceEvent(
                    node=f"expert:{expert.name}",
                    message=f"{len(ok)}/{len(claims)} usable claims",
                    data={"claims": [c.model_dump(mode="json") for c in claims]},
                )
            ],
        }

    # -- reconcile -------------------------------------------------------------------------------
    def reconcile(self, state: AgentState) -> dict[str, Any]:
        try:
            out = reconcile_claims(
                state.get("claims", []),
                state["problem"],
                rules=self.rules,
                delta=self.delta,
                solver=self.abduction_solver,
            )
        except SolverError as e:  # bad claims fail the problem with the reason, not the batch
            return {
                "accepted": {},
                "rejected": [],
                "violated": [f"reconcile failed: {e}"],
                "recheck": [],
                "trace": [TraceEvent(node="reconcile", message=f"failed: {e}")],
            }
        accepted, rejected = out.accepted, out.rejected
        return {
            "accepted": accepted,
            "rejected": rejected,
            "violated": out.violated,
            "recheck": out.recheck,
            "trace": [
                TraceEvent(
                    node="reconcile",
                    message=f"{len(accepted)} accepted, {len(rejected)} rejected"
                    + (f", {len(out.violated)} constraints violated" if out.violated else ""),
                    data={
                        "accepted": {k: c.expert for k, c in accepted.items()},
                        "rejected": list(rejected),
                        "violated": out.violated,
                        "abduction": out.figures,
                    },
                )
            ],
        }

    # -- verify ----------------------------------------------------------------------------------
    def verify(self, state: AgentState) -> dict[str, Any]:
        problem = state["problem"]
        missing = [s for s in problem.wanted if s not in state.get("accepted", {})]
        feedback = sorted(
            {
                r["reason"]
                for r in state.get("rejected", [])
                if r["slot"] in missing and r["reason"].startswith(("failed", "constraint", "rule"))
            }
            | set(state.get("violated", []))
        )
        return {
            "round": state.get("round", 0) + 1,
            "feedback": feedback,
            "trace": [
                TraceEvent(
                    node="verify",
                    message="all slots covered"
                    if not missing
                    else f"uncovered: {', '.join(missing)}",
                    data={
                        "missing": missing,
                        "violated": state.get("violated", []),
                        "feedback": feedback,
                    },
                )
            ],
        }

    def after_verify(self, state: AgentState) -> str:
        problem = state["problem"]
        missing = [s for s in problem.wanted if s not in state.get("accepted", {})]
        redo = missing or state.get("recheck", [])
        if redo and problem.wanted and state.get("round", 0) < self.max_rounds:
            return "plan"
        return "answer"

    # -- answer ----------------------------------------------------------------------------------
    def answer(self, state: AgentState) -> dict[str, Any]:
        problem = state["problem"]
        accepted = state.get("accepted", {})
        answers: dict[str, SlotValue] = {}
        errors: list[str] = []
        for slot in problem.wanted:
            claim = accepted.get(slot)
            if claim is None:
                continue
            try:
                answers[slot] = _in_slot_unit(
                    claim, problem.slot_unit(slot), problem.bindings.get(slot, slot)
                )
            except SolverError as e:
                errors.append(f"{slot}: {e}")
        missing = [s for s in problem.wanted if s not in answers]
        status: Status
        error: str | None
        if not problem.wanted:
            status, error = (
                "failed",
                "no target found: say what to compute, e.g. "
                "'Report your answers as: name = ___ unit'",
            )
        elif not missing:
            status, error = "solved", None
        else:
            status = "partial" if answers else "failed"
            reasons = errors + list(state.get("feedback", []))
            error = f"could not determine {', '.join(missing)}" + (
                f": {'; '.join(reasons)}" if reasons else ""
            )
        ans = Answer(id=problem.id, status=status, answers=answers, error=error)
        return {
            "answer": ans,
            "trace": [TraceEvent(node="answer", message=status, data={"error": error})],
        }


def _describe(statement: str, todo: list[str]) -> str:
    head = statement.strip().splitlines()[0] if statement.strip() else ""
    return f"{head[:300]} | find: {', '.join(todo)}"


_DIFFERENCES = {"LMTD", "dT1", "dT2"}


def _in_slot_unit(claim: Claim, unit: str, binding: str) -> SlotValue:
    """The claim converted to the unit the slot asks for (its own unit when none is asked)."""
    if isinstance(claim.value, str):
        return SlotValue(value=claim.value, unit="")
    if not math.isfinite(claim.value):
        raise SolverError(f"non-finite value {claim.value}")
    q = claim.q
    if unit:
        target = unit
        if binding in _DIFFERENCES and unit.strip() in {"°C", "degC", "°F", "degF"}:
            target = "delta_degF" if "F" in unit else "delta_degC"  # a difference, not a reading
        return SlotValue(value=float(to_unit(q, target).magnitude), unit=unit)
    if q.dimensionless:
        return SlotValue(value=float(q.to("dimensionless").magnitude), unit="")
    var = VARIABLES_BY_NAME.get(binding)
    return SlotValue(value=float(q.magnitude), unit=claim.unit if var is None else var.unit)
