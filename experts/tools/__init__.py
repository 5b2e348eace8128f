"""Exact tool experts built on the calculation engine."""

from __future__ import annotations

from collections.abc import Callable

from experts.base import Expert
from experts.tools.equations import EquationExpert
from experts.tools.process import ProcessExpert
from experts.tools.properties import PropertiesExpert
from experts.tools.units import UnitsExpert

TOOL_EXPERTS: list[Callable[[], Expert]] = [
    PropertiesExpert,
    EquationExpert,
    UnitsExpert,
    ProcessExpert,
]

__all__ = [
    "TOOL_EXPERTS",
    "EquationExpert",
    "ProcessExpert",
    "PropertiesExpert",
    "UnitsExpert",
]
