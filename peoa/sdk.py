"""The Python SDK.

>>> from peoa import Assistant
>>> a = Assistant(llm="none", graph=None, use_graph=False)
>>> ans = a.solve("Convert 50 psig to kPa.\\nReport your answers as:\\nP = ___ kPa")
>>> ans.status, round(ans.answers["P"].value, 2), ans.answers["P"].unit
('solved', 446.06, 'kPa')
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from experts.registry import ExpertRegistry, default_registry
from graph.protocols import Retriever
from peoa.agent.workflow import Agent, sqlite_checkpointer
from peoa.config import Settings, load_settings
from peoa.errors import ConfigError, PeoaError
from peoa.models import Answer, Problem, TraceEvent
from solvers.abduction import DECLARED_RULES, load_rules
from solvers.errors import SolverError


class Assistant:
    """Solves engineering problems: ``solve``, ``solve_many``, ``stream``.

    Parameters
    ----------
    llm, graph, home, benchmarks : override the configuration (see :class:`peoa.config.Settings`)
    registry : experts to use (the built-in tool experts by default)
    retriever : a knowledge-graph retriever (opened from the configured graph when omitted and
        the graph exists; pass ``use_graph=False`` to run without one)
    persist : keep checkpoints in ``<home>/checkpoints.sqlite`` (resumable threads)
    """

    def __init__(
        self,
        *,
        registry: ExpertRegistry | None = None,
        retriever: Retriever | None = None,
        use_graph: bool = True,
        persist: bool = False,
        **overrides: Any,
    ) -> None:
        self.settings: Settings = load_settings(**overrides)
        self.registry = registry or default_registry()
        self._retriever = retriever
        self._use_graph = use_graph
        self._persist = persist
        self._agent: Agent | None = None

    @property
    def agent(self) -> Agent:
        """The compiled meta-agent (built on first use)."""
        if self._agent is None:
            retriever = self._retriever
            if retriever is None and self._use_graph:
                retriever = _open_retriever(self.settings)
            checkpointer = (
                sqlite_checkpointer(self.settings.checkpoint_path()) if self._persist else None
            )
            rules = list(DECLARED_RULES)
            if self.settings.abduction_rules is not None:
                try:
                    rules += load_rules(self.settings.abduction_rules)
                except SolverError as e:
                    raise ConfigError(
                        "PEOA_ABDUCTION_RULES", str(self.settings.abduction_rules), str(e)
                    ) from e
            self._agent = Agent(
                self.registry,
                retriever=retriever,
                checkpointer=checkpointer,
                max_rounds=self.settings.max_rounds,
                rules=tuple(rules),
                delta=self.settings.abduction_delta,
                abduction_solver=self.settings.abduction_solver,
            )
        return self._agent

    def solve(self, problem: str | Problem, *, thread_id: str | None = None) -> Answer:
        """Solve one problem (text or :class:`Problem`); never raises for a bad problem:
        the answer is ``failed`` with the reason."""
        t0 = time.perf_counter()
        try:
            p = problem if isinstance(problem, Problem) else Problem.from_text(problem)
            answer, trace = self.agent.run(p, thread_id=thread_id)
            answer = answer.model_copy(update={"trace": trace})
        except (PeoaError, ValueError) as e:
            pid = problem.id if isinstance(problem, Problem) else "problem"
            answer = Answer(id=pid, status="failed", error=str(e))
        except Exception as e:  # a defect on one problem must not take the batch down
            pid = problem.id if isinstance(problem, Problem) else "problem"
            answer = Answer(
                id=pid, status="failed", error=f"internal error {type(e).__name__}: {e}"
            )
        return answer.model_copy(update={"elapsed_s": round(time.perf_counter() - t0, 4)})

    def solve_many(self, problems: Iterable[str | Problem], workers: int = 1) -> list[Answer]:
        """Solve several problems (in parallel threads when ``workers`` > 1), in input order."""
        items = list(problems)
        if workers <= 1:
            return [self.solve(p) for p in items]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self.solve, items))

    def stream(
        self, problem: str | Problem, *, thread_id: str | None = None
    ) -> Iterator[TraceEvent | Answer]:
        """Yield trace events as nodes finish, then the :class:`Answer`."""
        t0 = time.perf_counter()
        p = problem if isinstance(problem, Problem) else Problem.from_text(problem)
        trace: list[TraceEvent] = []
        answer: Answer | None = None
        for _, update in self.agent.stream(p, thread_id=thread_id):
            for ev in update.get("trace", []):
                trace.append(ev)
                yield ev
            if "answer" in update:
                answer = update["answer"]
        if answer is None:  # pragma: no cover - the graph always ends in answer
            answer = Answer(id=p.id, status="failed", error="the agent stopped without answering")
        yield answer.model_copy(
            update={"trace": trace, "elapsed_s": round(time.perf_counter() - t0, 4)}
        )


def _open_retriever(settings: Settings) -> Retriever | None:
    """The configured graph's retriever when it exists; None (offline, no graph) otherwise."""
    from graph.embeddings import shared_embedder
    from graph.retrieval import HybridRetriever
    from graph.stores import open_store_if_exists

    store = open_store_if_exists(settings)
    if store is None:
        return None
    return HybridRetriever(store, shared_embedder(settings.embedding_model))
