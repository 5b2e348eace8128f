"""Equations, correlations and the structural solver."""

from solvers.equations.catalogue import EQUATIONS, EQUATIONS_BY_NAME, VARIABLES, VARIABLES_BY_NAME
from solvers.equations.model import Equation, Variable
from solvers.equations.structural import Step, solve_structural

__all__ = [
    "EQUATIONS",
    "EQUATIONS_BY_NAME",
    "VARIABLES",
    "VARIABLES_BY_NAME",
    "Equation",
    "Step",
    "Variable",
    "solve_structural",
]
