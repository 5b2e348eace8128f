"""Empirical correlations as data: authors, source, inputs, output, validity ranges, cues.

A :class:`Correlation` computes one output from its inputs by calling a domain library
(``fluids``, ``ht``) — it is not rewritten here. Validity ranges are data: evaluating outside them
does not extrapolate silently; :meth:`Correlation.check` names the input, the value and the range,
and the structural solver records it on the step so the agent and the abduction can read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from solvers.errors import SolverError


class OutOfRange(SolverError):
    """A correlation evaluated outside its validity range."""

    def __init__(self, correlation: str, variable: str, value: float, lo: float, hi: float) -> None:
        self.correlation = correlation
        self.variable = variable
        self.value = value
        self.range = (lo, hi)
        super().__init__(
            f"{correlation}: {variable}={value:.6g} outside its validity range [{lo:g}, {hi:g}]"
        )


@dataclass(frozen=True, eq=False)
class Correlation:
    """``output = fn(*inputs)`` with validity ranges [SI] and where it is from.

    ``requires`` works as for equations: cue groups the problem text must contain.
    """

    name: str
    output: str
    inputs: tuple[str, ...]
    fn: Callable[..., float]
    description: str
    authors: str
    reference: str
    skills: tuple[str, ...]
    validity: dict[str, tuple[float, float]] = field(default_factory=dict)
    requires: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[str, ...] = ()

    @property
    def variables(self) -> tuple[str, ...]:
        """All variables: inputs then output."""
        return (*self.inputs, self.output)

    def applies_to(self, text: str) -> bool:
        """True when the text satisfies every ``requires`` group and no ``excludes``."""
        t = text.lower()
        if any(x in t for x in self.excludes):
            return False
        return all(any(alt in t for alt in group) for group in self.requires)

    def violations(self, values: dict[str, float]) -> list[OutOfRange]:
        """The validity ranges that ``values`` [SI] break (empty when all hold)."""
        out = []
        for var, (lo, hi) in self.validity.items():
            if var in values and not lo <= values[var] <= hi:
                out.append(OutOfRange(self.name, var, values[var], lo, hi))
        return out

    def check(self, values: dict[str, float]) -> None:
        """Raise :class:`OutOfRange` for the first broken validity range."""
        bad = self.violations(values)
        if bad:
            raise bad[0]

    def evaluate(self, values: dict[str, float], strict: bool = True) -> float:
        """The output [SI] from ``values`` [SI]; ``strict`` raises outside the validity range."""
        if strict:
            self.check(values)
        try:
            return float(self.fn(*(values[n] for n in self.inputs)))
        except KeyError as e:
            raise SolverError(f"{self.name}: input {e.args[0]!r} is not known") from e
        except (ValueError, ZeroDivisionError, OverflowError) as e:
            raise SolverError(f"{self.name} failed for {values}: {e}") from e
