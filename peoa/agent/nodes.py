"""The nodes of the meta-agent: understand, plan, retrieve, dispatch, expert, reconcile, verify,
answer. Each takes the state and returns an update; dependencies come in through ``Agent``."""

from __future__ import annotations

import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from langgraph.types import Send

from experts.base import Context, Expert
from experts.registry import ExpertRegistry
from graph.protocols import Retriever
from peoa.agent.actions import ActionGenerator
from peoa.agent.reconcile import reconcile_claims
from peoa.agent.state import AgentState, ExpertTask
from peoa.errors import BackendError, LLMOutputError
from peoa.llm.base import LLM
from peoa.models import Answer, Claim, Problem, SlotValue, Status, Subtask, TraceEvent
from peoa.understand.llm import merge_readings, read_with_llm
from peoa.understand.offline import understand
from solvers.abduction import DECLARED_RULES, Rule
from solvers.equations import EQUATIONS, VARIABLES_BY_NAME
from solvers.errors import SolverError
from solvers.process import get_process
from solvers.units import same_dimension, to_unit


@dataclass
class Nodes:
    """Node functions bound to their dependencies (experts, retriever, limits)."""

    registry: ExpertRegistry
    retriever: Retriever | None = None
    max_rounds: int = 2
    rules: tuple[Rule, ...] = DECLARED_RULES
    delta: float = 0.1
    abduction_solver: str = "ip"
    actions: ActionGenerator | None = None
    max_steps: int = 6
    max_repairs: int = 2
    reader: LLM | None = None  # reads text problems too, checked against the offline reading
    reader_retries: int = 2

    # -- understand ------------------------------------------------------------------------------
    def understand(self, state: AgentState) -> dict[str, Any]:
        given = state["problem"]
        problem = understand(given)
        events = []
        if self.reader is not None and given.text and not (given.bindings and given.domain):
            try:
                reading = read_with_llm(self.reader, given, self.reader_retries)
                problem, rejected = merge_readings(given, reading, problem)
                events.append(
                    TraceEvent(
                        node="understand",
                        message=f"LLM reading: {len(reading.givens)} givens, "
                        f"{len(rejected)} rejected against the text and the offline reading",
                        data={"reading": reading.model_dump(), "rejected": rejected},
                    )
                )
            except (LLMOutputError, BackendError) as e:
                events.append(
                    TraceEvent(
                        node="understand", message=f"LLM reading failed, offline reading used: {e}"
                    )
                )
        data = {
            "domain": problem.domain,
            "fluid": problem.fluid,
            "givens": {k: f"{g.value:.6g} {g.unit}".strip() for k, g in problem.givens.items()},
            "bindings": problem.bindings,
        }
        return {  # per-problem state (round, feedback...) is reset by Agent.stream's input
            "problem": problem,
            "trace": [
                *events,
                TraceEvent(
                    node="understand",
                    message=f"{len(problem.givens)} givens, {len(problem.wanted)} slots",
                    data=data,
                ),
            ],
        }

    # -- plan ------------------------------------------------------------------------------------
    def plan(self, state: AgentState) -> dict[str, Any]:
        if self.actions is None or state.get("llm_failed"):
            return self._offline_plan(state)
        return self._llm_plan(state)

    def _offline_skills(self, problem: Problem, todo: list[str]) -> list[str]:
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
        return list(dict.fromkeys(skills))

    def _offline_plan(self, state: AgentState) -> dict[str, Any]:
        problem = state["problem"]
        rnd = state.get("round", 0)
        done = set(state.get("accepted", {})) - set(state.get("recheck", []))
        todo = [s for s in problem.wanted if s not in done]
        skills = self._offline_skills(problem, todo)
        if rnd > 0:  # a verify round: open the slot to every expert
            skills = []
        experts = [
            e.name
            for e in self.registry.for_skills(skills)
            # after the action generator failed, LLM-based experts would fail the same way
            if _is_exact(e) or not state.get("llm_failed")
        ]
        stages = _process_stages(problem, todo) if rnd == 0 and problem.process else []
        subs: list[Subtask] = []
        for k, (label, targets, stage_skills) in enumerate(stages):
            subs.append(
                Subtask(
                    id=f"r{rnd}-s{k + 1}",
                    description=f"{label}: {_describe(problem.statement, targets)}",
                    targets=targets,
                    skills=stage_skills,
                    experts=[
                        e.name
                        for e in self.registry.for_skills(stage_skills)
                        if _is_exact(e) or not state.get("llm_failed")
                    ],
                    depends_on=[subs[-1].id] if subs else [],
                )
            )
        if not subs:
            subs = [
                Subtask(
                    id=f"r{rnd}-s1",
                    description=_describe(problem.statement, todo),
                    targets=todo,
                    skills=skills,
                    experts=experts,
                )
            ]
        return {
            "subtasks": subs,
            "trace": [
                TraceEvent(
                    node="plan",
                    message=f"round {rnd}: {len(todo)} slots in {len(subs)} subtask(s) -> "
                    + ", ".join(dict.fromkeys(n for sub in subs for n in sub.experts)),
                    data={"subtasks": [sub.model_dump() for sub in subs], "planner": "offline"},
                )
            ],
        }

    def _llm_plan(self, state: AgentState) -> dict[str, Any]:
        assert self.actions is not None
        problem = state["problem"]
        rnd = state.get("round", 0)
        accepted = state.get("accepted", {})
        context = [c for ids in state.get("context", {}).values() for c in ids]
        try:
            step = self.actions.next_step(
                problem,
                accepted=accepted,
                feedback=state.get("feedback", []),
                context=context,
                history=state.get("history", []),
                step=rnd,
            )
        except (LLMOutputError, BackendError) as e:
            note = f"action generator failed ({e}); the offline planner took over"
            out = self._offline_plan({**state, "llm_failed": True})
            out["llm_failed"] = True
            out["notes"] = [note]
            out["trace"] = [TraceEvent(node="plan", message=note), *out["trace"]]
            return out
        missing = [s for s in problem.wanted if s not in accepted]
        if step.complete and not missing:
            return {
                "subtasks": [],
                "done": True,
                "trace": [
                    TraceEvent(
                        node="plan",
                        message=f"step {rnd + 1}: action generator declares the answer complete",
                        data={"action": step.model_dump()},
                    )
                ],
            }
        subs: list[Subtask] = []
        for i, planned in enumerate(step.subtasks, 1):
            # The offline planner's second opinion: its exact tool experts join the subtask
            # (and, being exact, run first; see ``expert``).
            offline = [
                e.name
                for e in self.registry.for_skills(self._offline_skills(problem, planned.targets))
                if _is_exact(e)
            ]
            experts = list(dict.fromkeys([*planned.experts, *offline]))
            subs.append(
                Subtask(
                    id=f"r{rnd}-s{i}",
                    description=planned.description
                    or _describe(problem.statement, planned.targets),
                    targets=planned.targets,
                    experts=experts,
                )
            )
        message = f"step {rnd + 1}: " + "; ".join(
            f"{', '.join(s.targets)} -> {', '.join(s.experts)}" for s in subs
        )
        if step.complete:  # declared complete with slots missing: say so and go on
            message += f" (declared complete but {', '.join(missing)} missing)"
        return {
            "subtasks": subs,
            "trace": [
                TraceEvent(
                    node="plan",
                    message=message,
                    data={
                        "planner": "llm",
                        "action": step.model_dump(),
                        "subtasks": [s.model_dump() for s in subs],
                    },
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
        for sub in _ready(state):
            task = ExpertTask(
                problem=state["problem"],
                subtask=sub,
                context=state.get("context", {}).get(sub.id, []),
                feedback=state.get("feedback", []),
            )
            sends.append(Send("expert", task))
        return sends or "reconcile"

    def expert(self, task: ExpertTask) -> dict[str, Any]:
        """One subtask: its exact experts first; the others (LLM-based) only when the exact ones
        leave a target without a confident value (SMART-style economy), in parallel."""
        sub = task["subtask"]
        experts = [self.registry.get(n) for n in sub.experts if n in self.registry]
        exact = [e for e in experts if _is_exact(e)]
        others = [e for e in experts if not _is_exact(e)]
        claims: list[Claim] = []
        trace: list[TraceEvent] = []
        for e in exact:
            c, t = self._attempts(e, task)
            claims += c
            trace += t
        covered = {
            c.slot
            for c in claims
            if c.confidence >= 1.0 and not (isinstance(c.value, float) and math.isnan(c.value))
        }
        if others and set(sub.targets) <= covered:
            trace.append(
                TraceEvent(
                    node="dispatch",
                    message=f"economy: exact values for {', '.join(sub.targets)}; "
                    f"skipped {', '.join(e.name for e in others)}",
                )
            )
        elif others:
            with ThreadPoolExecutor(max_workers=len(others)) as pool:
                for c, t in pool.map(lambda e: self._attempts(e, task), others):
                    claims += c
                    trace += t
        return {"claims": claims, "trace": trace, "completed": [sub.id]}

    def _attempts(self, expert: Expert, task: ExpertTask) -> tuple[list[Claim], list[TraceEvent]]:
        """Run ``expert``; when it is revisable and its step fails (execution error, missing
        value, unit mismatch), ask it to revise with the error, up to ``max_repairs`` times.
        Every attempt is a trace event."""
        sub, problem = task["subtask"], task["problem"]
        feedback = list(task["feedback"])
        revisable = bool(getattr(expert, "revisable", False))
        trace: list[TraceEvent] = []
        claims: list[Claim] = []
        for attempt in range(1, self.max_repairs + 2):
            ctx = Context(problem=problem, retrieved=task["context"], feedback=feedback)
            try:
                claims = expert.solve(sub, ctx)
            except Exception as e:  # an expert's crash is a failed claim set, not a failed problem
                claims = [_failure(s, expert.name, f"{type(e).__name__}: {e}") for s in sub.targets]
            fault = _fault(claims, problem, sub.targets) if revisable else None
            ok = [c for c in claims if c.confidence > 0]
            label = f"attempt {attempt}: " if revisable else ""
            trace.append(
                TraceEvent(
                    node=f"expert:{expert.name}",
                    message=label
                    + (f"failed: {fault}" if fault else f"{len(ok)}/{len(claims)} usable claims"),
                    data={
                        "subtask": sub.id,
                        "attempt": attempt,
                        "fault": fault,
                        "claims": [c.model_dump(mode="json") for c in claims],
                    },
                )
            )
            if fault is None:
                return claims, trace
            code = next(
                (
                    p[len("code:\n") :]
                    for c in claims
                    for p in c.provenance
                    if p.startswith("code:\n")
                ),
                "",
            )
            revise = getattr(expert, "feedback_for", None)
            feedback = [*feedback, revise(code, fault) if callable(revise) else fault]
        # Out of repairs: the faulty values must not reach reconcile as if they were usable.
        gave_up = f"{expert.name} gave up after {self.max_repairs + 1} attempts: {fault}"
        return [
            c.model_copy(
                update={
                    "confidence": 0.0,
                    "features": {**c.features, "tool_failure": True},
                    "provenance": [*c.provenance, gave_up],
                }
            )
            for c in claims
        ], trace

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
        # Each rejection names the faulty step (slot, expert, value) so that the planner and
        # the expert asked to revise know what to fix.
        feedback = sorted(
            {
                r["reason"]
                if r["reason"].startswith("failed")
                else f"{r['slot']}: {r['expert']} gave {_show(r['value'])} {r['unit']}".rstrip()
                + f", rejected ({r['reason']})"
                for r in state.get("rejected", [])
                if r["slot"] in missing
                and r["reason"].startswith(("failed", "constraint", "rule", "bounds", "dimension"))
            }
            | set(state.get("violated", []))
        )
        pending = [sub.id for sub in _pending(state)]
        return {
            # a later stage of the same plan is not a new round
            "round": state.get("round", 0) + (0 if pending else 1),
            "feedback": feedback,
            "trace": [
                TraceEvent(
                    node="verify",
                    message="all slots covered"
                    if not missing
                    else (f"stage done, next: {', '.join(pending)}" if pending else "")
                    or f"uncovered: {', '.join(missing)}",
                    data={
                        "missing": missing,
                        "violated": state.get("violated", []),
                        "feedback": feedback,
                        "next_stage": pending,
                    },
                )
            ],
        }

    def after_verify(self, state: AgentState) -> str:
        problem = state["problem"]
        if _ready(state):  # the next stage of the plan's DAG
            return "retrieve"
        if self.actions is not None and not state.get("llm_failed"):
            # The action generator decides when the answer is complete, within max_steps.
            if state.get("done") or not problem.wanted:
                return "answer"
            return "plan" if state.get("round", 0) < self.max_steps else "answer"
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
            reasons = errors + list(state.get("feedback", [])) + list(state.get("notes", []))
            if (
                self.actions is not None
                and not state.get("llm_failed")
                and not state.get("done")
                and state.get("round", 0) >= self.max_steps
            ):
                reasons.append(
                    f"the action generator did not declare the answer complete within "
                    f"{self.max_steps} steps"
                )
            error = f"could not determine {', '.join(missing)}" + (
                f": {'; '.join(reasons)}" if reasons else ""
            )
        ans = Answer(id=problem.id, status=status, answers=answers, error=error)
        turn = {
            "id": problem.id,
            "text": problem.text,
            "status": status,
            "answers": {k: [v.value, v.unit] for k, v in answers.items()},
        }
        return {
            "answer": ans,
            "history": [turn],
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


def _is_exact(expert: Expert) -> bool:
    """Tool experts computing from the engine are exact; LLM-based ones are not."""
    return bool(getattr(expert, "exact", False))


def _failure(slot: str, expert: str, reason: str) -> Claim:
    return Claim(
        slot=slot,
        value=float("nan"),
        expert=expert,
        confidence=0.0,
        provenance=[reason],
        features={"tool_failure": True},
    )


def _expected_unit(problem: Problem, slot: str) -> str:
    unit = problem.slot_unit(slot)
    if unit:
        return unit
    var = VARIABLES_BY_NAME.get(problem.bindings.get(slot, slot))
    return var.unit if var is not None else ""


def _fault(claims: list[Claim], problem: Problem, targets: list[str]) -> str | None:
    """What is wrong with one attempt's claims: a failure, a missing target or a unit whose
    dimension differs from the slot's; None when the attempt is usable."""
    by_slot = {c.slot: c for c in claims}
    for slot in targets:
        c = by_slot.get(slot)
        if c is None:
            return f"no value for {slot!r}"
        if c.confidence <= 0 or c.features.get("tool_failure"):
            return (c.provenance[-1] if c.provenance else "failed") or "failed"
        if isinstance(c.value, str):
            continue
        want = _expected_unit(problem, slot)
        if want and not _dimension_matches(c.unit, want):
            return (
                f"unit mismatch: {slot!r} is wanted in {want} but the value reported was "
                f"{c.value:g} {c.unit or '(dimensionless)'}"
            )
    return None


def _dimension_matches(unit: str, want: str) -> bool:
    try:
        return same_dimension(unit or "dimensionless", want)
    except SolverError:
        return False


def _show(value: float | str) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _pending(state: AgentState) -> list[Subtask]:
    """Subtasks of the current plan that have not run and have something to run."""
    done = set(state.get("completed", []))
    return [
        sub
        for sub in state.get("subtasks", [])
        if sub.id not in done and sub.targets and sub.experts
    ]


def _ready(state: AgentState) -> list[Subtask]:
    """Pending subtasks whose dependencies have all run."""
    pending = _pending(state)
    waiting = {sub.id for sub in pending}
    return [sub for sub in pending if not (set(sub.depends_on) & waiting)]


# outputs that are properties of one state point (h1, s2s, T4, ef3, x4...)
_STATE_OUTPUT = re.compile(r"^(h|s|T|v|x|u|P|ef|psi|rho)_?\d+s?$|^(h|s|T)_[hc]_(in|out)$")
_PERFORMANCE_OUTPUT = re.compile(
    r"^(eta|COP|W_dot|w_net|q_net|bwr|m_dot|X_dest_dot|S_gen_dot)|_total$"
)


def _process_stages(problem: Problem, todo: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """The plan's DAG for a component or cycle: state points, then the component balances
    that use them, then the overall performance that sums those; each with its skills."""
    model = get_process(problem.process or "")
    states, components, performance = [], [], []
    for slot in todo:
        out = problem.bindings.get(slot, slot)
        if _STATE_OUTPUT.match(out):
            states.append(slot)
        elif _PERFORMANCE_OUTPUT.search(out):
            performance.append(slot)
        else:
            components.append(slot)
    skills = list(model.skills)
    stages = [
        ("state points", states, list(dict.fromkeys(["properties", *skills]))),
        (f"{model.name} balances", components, skills),
        ("performance", performance, skills),
    ]
    return [st for st in stages if st[1]]
