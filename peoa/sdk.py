"""The Python SDK.

>>> from peoa import Assistant
>>> a = Assistant(llm="none", graph=None, use_graph=False)
>>> ans = a.solve("Convert 50 psig to kPa.\\nReport your answers as:\\nP = ___ kPa")
>>> ans.status, round(ans.answers["P"].value, 2), ans.answers["P"].unit
('solved', 446.06, 'kPa')
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from experts.registry import ExpertRegistry, default_registry
from graph.protocols import Retriever
from peoa.agent.workflow import Agent, sqlite_checkpointer
from peoa.config import Settings, load_settings
from peoa.errors import ConfigError, PeoaError
from peoa.llm.base import LLM
from peoa.models import Answer, Problem, TraceEvent
from peoa.understand.followup import FollowUpError, is_followup, resolve_followup
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
    llm_backend : an :class:`peoa.llm.LLM` object to use instead of opening ``llm``; with a
        model, the action generator plans each step and a code-writing expert joins the
        registry (as ``code``)
    """

    def __init__(
        self,
        *,
        registry: ExpertRegistry | None = None,
        retriever: Retriever | None = None,
        use_graph: bool = True,
        persist: bool = False,
        llm_backend: LLM | None = None,
        **overrides: Any,
    ) -> None:
        self.settings: Settings = load_settings(**overrides)
        self.registry = registry if registry is not None else default_registry()
        self._llm = llm_backend
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
            llm = self.llm
            if llm is not None and "code" not in self.registry:
                from experts.code import CodeExpert

                self.registry.register(CodeExpert(llm))
            if "lora" not in self.registry:
                self._register_library()
            self._agent = Agent(
                self.registry,
                llm=llm,
                max_steps=self.settings.max_steps,
                max_repairs=self.settings.max_repairs,
                llm_read=self.settings.llm_read,
                retriever=retriever,
                checkpointer=checkpointer,
                max_rounds=self.settings.max_rounds,
                rules=tuple(rules),
                delta=self.settings.abduction_delta,
                abduction_solver=self.settings.abduction_solver,
            )
        return self._agent

    def _register_library(self) -> None:
        """The LoRA skill library (``PEOA_SKILLS`` on ``PEOA_BASE_MODEL``) as the ``lora``
        expert, loaded on its first subtask; nothing when no library has been built."""
        from experts.lora.service import open_library_expert

        model_path = self.settings.embedding_model

        def embed(texts: Sequence[str]) -> Any:
            from graph.embeddings import shared_embedder

            return shared_embedder(model_path).encode(texts)

        expert = open_library_expert(self.settings.skills_dir, self.settings.base_dir, embed)
        if expert is not None:
            self.registry.register(expert)

    @property
    def llm(self) -> LLM | None:
        """The configured language model (None in offline mode); opened without I/O."""
        if self._llm is None and self.settings.llm != "none":
            from peoa.llm import open_llm

            self._llm = open_llm(self.settings.llm)
        return self._llm

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

    def chat(self, text: str, *, thread_id: str) -> Iterator[TraceEvent | Answer]:
        """One chat turn in ``thread_id`` (a checkpointer thread): a follow-up such as
        "and at 8 MPa?" reuses the thread's previous problem with that quantity changed; any
        other text is a new problem. Yields trace events, then the :class:`Answer`; an
        ambiguous follow-up yields a ``failed`` answer whose error asks which value to change."""
        previous = self.agent.last_problem(thread_id)
        problem: str | Problem = text
        if previous is not None and is_followup(text):
            try:
                problem = resolve_followup(text, previous)
            except FollowUpError as e:
                yield Answer(id=previous.id, status="failed", error=str(e))
                return
            yield TraceEvent(
                node="chat",
                message="follow-up of the previous problem",
                data={"problem": problem.text or str(problem.givens)},
            )
        try:
            yield from self.stream(problem, thread_id=thread_id)
        except (PeoaError, ValueError) as e:
            yield Answer(id="problem", status="failed", error=str(e))


def _open_retriever(settings: Settings) -> Retriever | None:
    """The configured graph's retriever when it exists; None (offline, no graph) otherwise."""
    from graph.embeddings import shared_embedder
    from graph.retrieval import HybridRetriever
    from graph.stores import open_store_if_exists

    store = open_store_if_exists(settings)
    if store is None:
        return None
    return HybridRetriever(store, shared_embedder(settings.embedding_model))
