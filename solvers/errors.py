"""Errors of the calculation engine. Every error carries the offending input."""

from __future__ import annotations


class SolverError(Exception):
    """Root of every error raised by :mod:`solvers`."""


class UnitParseError(SolverError, ValueError):
    """A unit or quantity string could not be parsed.

    Attributes
    ----------
    text : the offending string.
    """

    def __init__(self, text: str, reason: str = "") -> None:
        self.text = text
        msg = f"cannot parse unit or quantity {text!r}"
        super().__init__(f"{msg}: {reason}" if reason else msg)


class DimensionError(SolverError, ValueError):
    """Two quantities that must share a dimension do not."""

    def __init__(self, value: str, expected: str) -> None:
        self.value = value
        self.expected = expected
        super().__init__(f"{value!r} cannot be expressed in {expected!r}")


class UnderdeterminedError(SolverError):
    """The knowns do not determine the targets; names what is missing."""

    def __init__(self, targets: list[str], missing: list[str]) -> None:
        self.targets = targets
        self.missing = missing
        need = ", ".join(missing) if missing else "a relation linking them"
        super().__init__(f"cannot determine {', '.join(targets)}: missing {need}")


class InconsistentError(SolverError):
    """Over-determined givens that disagree; names the conflicting ones."""

    def __init__(self, conflicting: list[str], detail: str) -> None:
        self.conflicting = conflicting
        super().__init__(f"inconsistent givens {', '.join(conflicting)}: {detail}")


class PropertyError(SolverError):
    """A fluid state could not be resolved (outside a model's range, unknown fluid...)."""

    def __init__(self, state: str, reason: str) -> None:
        self.state = state
        super().__init__(f"cannot resolve state {state}: {reason}")


class AbductionError(SolverError, ValueError):
    """Bad input to the abduction (no claims, mixed dimensions in one slot, δ out of range...).

    Attributes
    ----------
    value : the offending input (a slot, a unit, a number).
    """

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        super().__init__(f"abduction: {reason} (got {value!r})")
