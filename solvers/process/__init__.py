"""Process models (components and cycles) with declared inputs, outputs, skills and keywords."""

from solvers.process import catalogue
from solvers.process.registry import (
    PROCESSES,
    Input,
    ProcessModel,
    get_process,
    make_medium,
    output_unit,
    register_process,
    resolve_output,
    solve_once,
)

__all__ = [
    "PROCESSES",
    "Input",
    "ProcessModel",
    "catalogue",
    "get_process",
    "make_medium",
    "output_unit",
    "register_process",
    "resolve_output",
    "solve_once",
]
