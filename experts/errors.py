"""Errors of the skill library."""

from __future__ import annotations


class ExpertError(Exception):
    """Root of every error raised by :mod:`experts`."""


class DuplicateExpertError(ExpertError, ValueError):
    """An expert with this name is already registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"an expert named {name!r} is already registered")


class UnknownExpertError(ExpertError, KeyError):
    """No expert of this name is registered."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown expert {name!r}; registered: {', '.join(sorted(known))}")


class UnknownSkillError(ExpertError, KeyError):
    """No skill (or adapter in the library) of this name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown skill {name!r}; known: {', '.join(sorted(known)) or 'none'}")


class AdapterError(ExpertError, ValueError):
    """An adapter cannot be used: missing files, a different base model, a bad manifest."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"adapter {path}: {reason}")
