"""Variables and equations as data: units, descriptions, cues, validity ranges and references."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sympy as sp

from solvers.units import parse_unit


@dataclass(frozen=True)
class Variable:
    """An engine variable, stored in SI ``unit``.

    ``aliases`` are symbols a report slot may use (``Re``, ``Re_D``); ``cues`` are words that,
    near a number in a problem text, suggest this variable; ``roles`` are the positional or
    stream roles (inlet/outlet, hot/cold, 1/2) the understanding step can tell apart.
    """

    name: str
    unit: str
    description: str
    aliases: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    lower: float | None = None
    upper: float | None = None

    @cached_property
    def dimensionality(self) -> Any:
        """pint dimensionality of the variable's unit."""
        return parse_unit(self.unit).dimensionality

    def in_bounds(self, value: float) -> bool:
        """True when ``value`` [SI] lies within the physical bounds."""
        if self.lower is not None and value < self.lower:
            return False
        return not (self.upper is not None and value > self.upper)


@dataclass(frozen=True, eq=False)
class Equation:
    """A relation ``lhs = rhs`` over engine variables, with where it applies and where it is from.

    ``requires`` lists cue groups: each group is a tuple of alternatives, and every group must
    appear in the problem text for the equation to apply (e.g. a CSTR design equation needs
    one of "cstr", "stirred", "mixed flow"). ``validity`` maps a variable to its (lo, hi) range [SI].
    """

    name: str
    lhs: str
    rhs: str
    description: str
    skills: tuple[str, ...]
    reference: str
    requires: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[str, ...] = ()
    validity: dict[str, tuple[float, float]] = field(default_factory=dict)
    constants: dict[str, float] = field(default_factory=dict)

    @cached_property
    def symbolic_residual(self) -> sp.Expr:
        """``lhs - rhs`` with constants kept as symbols (sympy solves these far faster)."""
        loc = {
            n: sp.Symbol(n, positive=True) if n in self.constants else sp.Symbol(n)
            for n in self.symbol_names
        }
        return sp.sympify(self.lhs, locals=loc) - sp.sympify(self.rhs, locals=loc)

    def constant_subs(self) -> dict[sp.Symbol, float]:
        """Substitutions of the constants' values."""
        return {sp.Symbol(k, positive=True): v for k, v in self.constants.items()}

    @cached_property
    def residual(self) -> sp.Expr:
        """``lhs - rhs`` as a sympy expression with constants substituted."""
        return self.symbolic_residual.subs(self.constant_subs())

    @cached_property
    def symbol_names(self) -> tuple[str, ...]:
        """Every name in the two sides (variables and constants)."""
        import re

        names = re.findall(r"[A-Za-z_][A-Za-z_0-9]*", self.lhs + " " + self.rhs)
        funcs = {"exp", "log", "ln", "sqrt", "pi", "Abs", "sin", "cos"}
        return tuple(dict.fromkeys(n for n in names if n not in funcs))

    @cached_property
    def variables(self) -> tuple[str, ...]:
        """The engine variables of the equation (constants excluded)."""
        return tuple(n for n in self.symbol_names if n not in self.constants)

    def applies_to(self, text: str) -> bool:
        """True when the problem text satisfies every ``requires`` group and no ``excludes``."""
        t = text.lower()
        if any(x in t for x in self.excludes):
            return False
        return all(any(alt in t for alt in group) for group in self.requires)
