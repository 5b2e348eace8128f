"""The typed state of the meta-agent graph."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from peoa.models import Answer, Claim, Problem, Subtask, TraceEvent


class Rejection(TypedDict):
    """A claim reconcile did not accept, and why."""

    slot: str
    expert: str
    value: float | str
    unit: str
    reason: str


class AgentState(TypedDict, total=False):
    """State of one problem (one checkpointer thread).

    ``claims`` and ``trace`` accumulate across parallel expert branches and verify rounds.
    """

    problem: Problem
    subtasks: list[Subtask]
    context: dict[str, list[str]]
    claims: Annotated[list[Claim], operator.add]
    accepted: dict[str, Claim]
    rejected: list[Rejection]
    violated: list[str]
    recheck: list[str]
    feedback: list[str]
    round: int
    trace: Annotated[list[TraceEvent], operator.add]
    answer: Answer


class ExpertTask(TypedDict):
    """The payload one expert branch receives through ``Send``."""

    problem: Problem
    subtask: Subtask
    expert: str
    context: list[str]
    feedback: list[str]
