"""Errors of the PEOA operating system. Every error names the offending input."""

from __future__ import annotations


class PeoaError(Exception):
    """Root of every error raised by :mod:`peoa`."""


class ConfigError(PeoaError, ValueError):
    """A configuration value is invalid; names the key and the value."""

    def __init__(self, key: str, value: object, reason: str) -> None:
        self.key = key
        self.value = value
        super().__init__(f"invalid {key}={value!r}: {reason}")


class ProblemError(PeoaError, ValueError):
    """A problem is malformed (missing id, unreadable units...)."""

    def __init__(self, problem_id: str | None, reason: str) -> None:
        self.problem_id = problem_id
        where = f"problem {problem_id!r}" if problem_id else "problem"
        super().__init__(f"{where}: {reason}")


class ProblemFileError(PeoaError):
    """A problem file cannot be read at all (bad YAML/JSONL, duplicate ids)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


class BenchmarkNotFound(PeoaError, FileNotFoundError):
    """A benchmark suite is not where PEOA_BENCHMARKS says."""

    def __init__(self, suite: str, path: str) -> None:
        self.suite = suite
        self.path = path
        super().__init__(
            f"benchmark {suite!r} not found at {path}; set PEOA_BENCHMARKS to the folder holding "
            "thermoqa/, mmlupro_eng/ and scibench/ (see docs/BENCHMARKS.md for sources)"
        )


class BackendError(PeoaError):
    """An LLM backend cannot be used (unreachable server, missing local model)."""


class LLMOutputError(PeoaError, ValueError):
    """A model's output stayed invalid (not JSON, wrong schema) through every retry."""

    def __init__(self, backend: str, output: str, reason: str) -> None:
        self.backend = backend
        self.output = output
        super().__init__(f"{backend}: {reason}; last output {output[:200]!r}")
