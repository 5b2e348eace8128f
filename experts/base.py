"""The Expert protocol: the seam between the meta-agent and everything that computes."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from peoa.models import Claim, Problem, Subtask


class Context(BaseModel):
    """What an expert sees besides its subtask: the structured problem and retrieved context."""

    problem: Problem
    retrieved: list[str] = Field(default_factory=list)
    feedback: list[str] = Field(default_factory=list, description="errors from earlier rounds")


@runtime_checkable
class Expert(Protocol):
    """Anything that answers a subtask with claims.

    ``name`` is unique in a registry; ``skills`` are the tags the planner and router match.
    """

    name: str
    skills: tuple[str, ...]

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims for (some of) ``subtask.targets``; an empty list when it cannot help."""
        ...
