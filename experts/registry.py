"""A registry of experts by name; duplicates are rejected.

>>> reg = ExpertRegistry()
>>> class Echo:
...     name = "echo"
...     skills = ("units",)
...     def solve(self, subtask, context):
...         return []
>>> reg.register(Echo())
>>> reg.names()
['echo']
>>> reg.register(Echo())
Traceback (most recent call last):
experts.errors.DuplicateExpertError: an expert named 'echo' is already registered
"""

from __future__ import annotations

from collections.abc import Iterable

from experts.base import Expert
from experts.errors import DuplicateExpertError, UnknownExpertError


class ExpertRegistry:
    """Experts by name, with lookup by skill."""

    def __init__(self) -> None:
        self._experts: dict[str, Expert] = {}

    def register(self, expert: Expert) -> None:
        """Add an expert; raises :class:`DuplicateExpertError` when the name is taken."""
        if not isinstance(expert, Expert):
            raise TypeError(f"{expert!r} does not implement the Expert protocol")
        if expert.name in self._experts:
            raise DuplicateExpertError(expert.name)
        self._experts[expert.name] = expert

    def unregister(self, name: str) -> None:
        """Remove an expert by name."""
        if name not in self._experts:
            raise UnknownExpertError(name, list(self._experts))
        del self._experts[name]

    def get(self, name: str) -> Expert:
        """The expert called ``name``."""
        try:
            return self._experts[name]
        except KeyError:
            raise UnknownExpertError(name, list(self._experts)) from None

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._experts)

    def for_skills(self, skills: Iterable[str]) -> list[Expert]:
        """Experts having any of ``skills`` (all experts when ``skills`` is empty)."""
        wanted = set(skills)
        return [e for e in self._experts.values() if not wanted or wanted & set(e.skills)]

    def __contains__(self, name: object) -> bool:
        return name in self._experts

    def __len__(self) -> int:
        return len(self._experts)


def default_registry() -> ExpertRegistry:
    """A registry holding the built-in tool experts."""
    from experts.tools import TOOL_EXPERTS

    reg = ExpertRegistry()
    for factory in TOOL_EXPERTS:
        reg.register(factory())
    return reg
