"""The typed state of the meta-agent graph."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from peoa.models import Answer, Claim, Problem, Subtask, TraceEvent


class Rejection(TypedDict):
    """A claim reconcile did not accept, and why."""

    slot: str
    expert: str
    value: float | str
    unit: str
    reason: str


class Reset(list[Any]):
    """A list that replaces, instead of extending, an accumulating key (a new turn in a chat
    thread starts with fresh claims and trace)."""


def accumulate(old: list[Any] | None, new: list[Any] | None) -> list[Any]:
    """Reducer: extend ``old`` with ``new``, or start over when ``new`` is a :class:`Reset`.

    >>> accumulate([1], [2]), accumulate([1], Reset([3]))
    ([1, 2], [3])
    """
    if isinstance(new, Reset):
        return list(new)
    return list(old or []) + list(new or [])


class AgentState(TypedDict, total=False):
    """State of one problem (one checkpointer thread).

    ``claims``, ``trace`` and ``notes`` accumulate across parallel expert branches and verify
    rounds and start over with each new problem in the thread; ``history`` keeps every turn of
    a chat thread (its memory).
    """

    problem: Problem
    subtasks: list[Subtask]
    completed: Annotated[list[str], accumulate]  # ids of subtasks already run (plan stages)
    context: dict[str, list[str]]
    claims: Annotated[list[Claim], accumulate]
    accepted: dict[str, Claim]
    rejected: list[Rejection]
    violated: list[str]
    recheck: list[str]
    feedback: list[str]
    round: int
    trace: Annotated[list[TraceEvent], accumulate]
    notes: Annotated[list[str], accumulate]
    done: bool
    llm_failed: bool
    history: Annotated[list[dict[str, Any]], accumulate]
    answer: Answer


class ExpertTask(TypedDict):
    """The payload one expert branch receives through ``Send``."""

    problem: Problem
    subtask: Subtask
    context: list[str]
    feedback: list[str]
