"""The LLM protocol (the seam between the agent and any language model) and structured output.

A backend turns chat messages into text. :func:`structured` asks for JSON matching a pydantic
schema, validates it, and on invalid output retries with the validation error in the prompt, so
that no caller ever sees unvalidated model output.

>>> from pydantic import BaseModel
>>> class Answer(BaseModel):
...     value: float
>>> class Scripted:
...     name = "scripted"
...     def __init__(self, replies): self.replies = list(replies)
...     def complete(self, messages, *, max_tokens=512, temperature=0.0, schema=None):
...         return self.replies.pop(0)
>>> structured(Scripted(["not json", '{"value": 2.5}']), [Message(role="user", content="x")], Answer)
Answer(value=2.5)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from peoa.errors import BackendError, LLMOutputError

T = TypeVar("T", bound=BaseModel)


class Message(BaseModel):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


@runtime_checkable
class LLM(Protocol):
    """A language model behind any backend.

    ``schema`` is a JSON schema the backend may enforce natively (guided decoding on vLLM,
    ``response_format`` on hosted APIs); callers validate the text either way.
    """

    name: str

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The model's reply to ``messages``; raises :class:`BackendError` when it cannot answer."""
        ...


def extract_json(text: str) -> Any:
    """The first JSON value in ``text`` (models often wrap JSON in prose or code fences).

    >>> extract_json('Sure: ```json\\n{"a": 1}\\n```')
    {'a': 1}
    """
    decoder = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(text[i:])
                return value
            except json.JSONDecodeError:
                continue
    raise ValueError(f"no JSON object in model output {text[:200]!r}")


def structured(
    llm: LLM,
    messages: list[Message],
    schema: type[T],
    *,
    retries: int = 2,
    max_tokens: int = 1024,
    check: Callable[[T], None] | None = None,
) -> T:
    """Ask ``llm`` for an instance of ``schema``; validate; retry with the error on bad output.

    ``check`` adds validation the schema cannot express (e.g. that a named expert exists): it
    raises ``ValueError`` with a message the model can act on, and the output is retried like
    a schema error. Raises :class:`LLMOutputError` (carrying the last output) after ``retries``
    failed retries.
    """
    if retries < 0:
        raise ValueError(f"retries must be >= 0, got {retries}")
    json_schema = schema.model_json_schema()
    instruction = Message(
        role="system",
        content="Answer with one JSON object that validates against this JSON schema, and "
        f"nothing else:\n{json.dumps(json_schema)}",
    )
    convo = [instruction, *messages]
    last, error = "", ""
    for _ in range(retries + 1):
        last = llm.complete(convo, max_tokens=max_tokens, schema=json_schema)
        try:
            value = schema.model_validate(extract_json(last))
            if check is not None:
                check(value)
            return value
        except (ValueError, ValidationError) as e:
            error = str(e)
            convo = [
                *convo,
                Message(role="assistant", content=last),
                Message(
                    role="user",
                    content=f"That output is invalid: {error[:800]}\nReply with corrected JSON only.",
                ),
            ]
    raise LLMOutputError(llm.name, last, f"invalid after {retries + 1} attempts: {error[:300]}")


class NoLLM:
    """The ``none`` backend: offline mode. Any call says that no LLM is configured."""

    name = "none"

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        schema: dict[str, Any] | None = None,
    ) -> str:
        raise BackendError(
            "no LLM is configured (PEOA_LLM=none); set hf:<path> or openai:<url>#<model>"
        )
