"""PEOA: a knowledge-graph LLM operating system for process and chemical engineering."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peoa.models import Answer, Claim, Given, Problem, ReportSlot, Subtask, TraceEvent

if TYPE_CHECKING:
    from peoa.sdk import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "Claim",
    "Given",
    "Problem",
    "ReportSlot",
    "Subtask",
    "TraceEvent",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the SDK pulls in the agent and the experts, which import peoa.models: load it lazily
    if name == "Assistant":
        from peoa.sdk import Assistant

        return Assistant
    raise AttributeError(name)
