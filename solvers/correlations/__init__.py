"""Empirical correlations (friction factors, Nusselt numbers, fittings, exchanger relations)."""

from solvers.correlations.catalogue import CORRELATIONS, CORRELATIONS_BY_NAME
from solvers.correlations.model import Correlation, OutOfRange

__all__ = ["CORRELATIONS", "CORRELATIONS_BY_NAME", "Correlation", "OutOfRange"]
