"""LLM backends behind one protocol: ``none``, ``hf`` (local transformers + peft) and ``openai``
(any OpenAI-compatible server). :func:`open_llm` builds the configured one.

>>> open_llm("none").name
'none'
>>> open_llm("openai:http://localhost:8000/v1#qwen").name
'openai:qwen'
"""

from __future__ import annotations

from collections.abc import Callable

from peoa.errors import ConfigError
from peoa.llm.base import LLM, Message, NoLLM, extract_json, structured
from peoa.llm.hf import HFBackend
from peoa.llm.openai_compat import OpenAIBackend

BackendFactory = Callable[[str], LLM]

BACKENDS: dict[str, BackendFactory] = {}


def register_backend(kind: str, factory: BackendFactory) -> None:
    """Register a backend factory taking the text after ``kind:``; duplicates are rejected."""
    if kind in BACKENDS:
        raise ValueError(f"an LLM backend {kind!r} is already registered")
    BACKENDS[kind] = factory


def _openai(target: str) -> LLM:
    url, _, model = target.partition("#")
    return OpenAIBackend(url, model)


register_backend("none", lambda _target: NoLLM())
register_backend("hf", lambda target: HFBackend(target))
register_backend("openai", _openai)


def open_llm(spec: str) -> LLM:
    """The backend for ``spec`` (``none`` | ``hf:<path>`` | ``openai:<base_url>#<model>``).

    No I/O happens here; a server or model is first touched on the first call.
    """
    kind, _, target = spec.strip().partition(":")
    if kind not in BACKENDS:
        raise ConfigError("PEOA_LLM", spec, f"unknown backend {kind!r}; known: {sorted(BACKENDS)}")
    return BACKENDS[kind](target)


__all__ = [
    "BACKENDS",
    "LLM",
    "HFBackend",
    "Message",
    "NoLLM",
    "OpenAIBackend",
    "extract_json",
    "open_llm",
    "register_backend",
    "structured",
]
