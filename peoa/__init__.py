"""PEOA: a knowledge-graph LLM operating system for process and chemical engineering."""

from peoa.models import Answer, Claim, Given, Problem, ReportSlot, Subtask, TraceEvent
from peoa.sdk import Assistant

__all__ = ["Answer", "Assistant", "Claim", "Given", "Problem", "ReportSlot", "Subtask",
           "TraceEvent"]
__version__ = "0.1.0"
