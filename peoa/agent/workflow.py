"""The meta-agent as a LangGraph StateGraph.

understand -> plan -> retrieve -> (Send fan-out) expert* -> reconcile -> verify -> plan | answer
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph

from experts.registry import ExpertRegistry
from graph.protocols import Retriever
from peoa.agent.actions import ActionGenerator
from peoa.agent.nodes import Nodes
from peoa.agent.state import AgentState, Reset
from peoa.llm.base import LLM
from peoa.models import Answer, Problem, TraceEvent
from solvers.abduction import DECLARED_RULES, Rule

# Only our own models may be revived from a checkpoint (no arbitrary classes).
CHECKPOINT_TYPES = [
    ("peoa.models", n)
    for n in (
        "Problem",
        "Given",
        "ReportSlot",
        "Subtask",
        "Claim",
        "SlotValue",
        "TraceEvent",
        "Answer",
    )
]


def serializer() -> JsonPlusSerializer:
    """The checkpoint serializer, with our model types allow-listed."""
    return JsonPlusSerializer(allowed_msgpack_modules=CHECKPOINT_TYPES)


NODE_NAMES = ("understand", "plan", "retrieve", "expert", "reconcile", "verify", "answer")


def build_graph(nodes: Nodes, checkpointer: BaseCheckpointSaver | None = None) -> Any:
    """Compile the agent graph over ``nodes`` with an optional checkpointer."""
    g = StateGraph(AgentState)
    g.add_node("understand", nodes.understand)
    g.add_node("plan", nodes.plan)
    g.add_node("retrieve", nodes.retrieve)
    g.add_node("expert", nodes.expert)  # type: ignore[arg-type]
    g.add_node("reconcile", nodes.reconcile)
    g.add_node("verify", nodes.verify)
    g.add_node("answer", nodes.answer)
    g.add_edge(START, "understand")
    g.add_edge("understand", "plan")
    g.add_edge("plan", "retrieve")
    g.add_conditional_edges("retrieve", nodes.dispatch, ["expert", "reconcile"])
    g.add_edge("expert", "reconcile")
    g.add_edge("reconcile", "verify")
    g.add_conditional_edges("verify", nodes.after_verify, ["plan", "retrieve", "answer"])
    g.add_edge("answer", END)
    return g.compile(checkpointer=checkpointer)


def sqlite_checkpointer(path: Path) -> SqliteSaver:
    """A SQLite checkpointer at ``path`` (created on first use); safe across threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    return SqliteSaver(conn, serde=serializer())


class Agent:
    """Runs problems through the compiled graph; one checkpointer thread per problem or chat."""

    def __init__(
        self,
        registry: ExpertRegistry,
        retriever: Retriever | None = None,
        checkpointer: BaseCheckpointSaver | None = None,
        max_rounds: int = 2,
        rules: tuple[Rule, ...] = DECLARED_RULES,
        delta: float = 0.1,
        abduction_solver: str = "ip",
        llm: LLM | None = None,
        max_steps: int = 6,
        max_repairs: int = 2,
        llm_retries: int = 2,
        llm_read: bool = True,
    ) -> None:
        self.llm = llm
        self.nodes = Nodes(
            registry=registry,
            retriever=retriever,
            max_rounds=max_rounds,
            rules=rules,
            delta=delta,
            abduction_solver=abduction_solver,
            actions=None if llm is None else ActionGenerator(llm, registry, retries=llm_retries),
            max_steps=max_steps,
            max_repairs=max_repairs,
            reader=llm if llm_read else None,
            reader_retries=llm_retries,
        )
        self.checkpointer = checkpointer or InMemorySaver(serde=serializer())
        self.graph = build_graph(self.nodes, self.checkpointer)

    def _config(self, thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}, "recursion_limit": 200}

    def run(
        self, problem: Problem, thread_id: str | None = None
    ) -> tuple[Answer, list[TraceEvent]]:
        """Solve ``problem``; returns the answer and the full trace."""
        final: dict[str, Any] = {}
        for _, update in self.stream(problem, thread_id):
            final.update(update)
        state = self.graph.get_state(self._config(thread_id or problem.id)).values
        answer: Answer = state["answer"]
        return answer, list(state.get("trace", []))

    def stream(
        self, problem: Problem, thread_id: str | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield ``(node, update)`` as each node finishes."""
        config = self._config(thread_id or problem.id)
        # A thread may hold an earlier turn (a chat): start this problem afresh, keep history.
        init: dict[str, Any] = {
            "problem": problem,
            "claims": Reset(),
            "completed": Reset(),
            "trace": Reset(),
            "notes": Reset(),
            "accepted": {},
            "rejected": [],
            "violated": [],
            "recheck": [],
            "feedback": [],
            "round": 0,
            "done": False,
            "llm_failed": False,
        }
        for chunk in self.graph.stream(init, config, stream_mode="updates"):
            for node, update in chunk.items():
                yield node, update or {}

    def last_problem(self, thread_id: str) -> Problem | None:
        """The problem of the last turn in ``thread_id`` (None for a new thread)."""
        values = self.graph.get_state(self._config(thread_id)).values
        problem = values.get("problem") if values else None
        return problem if isinstance(problem, Problem) else None

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        """Every turn of ``thread_id`` so far: text, status and answers."""
        values = self.graph.get_state(self._config(thread_id)).values
        return list(values.get("history", [])) if values else []
