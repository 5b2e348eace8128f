"""Any OpenAI-compatible server: vLLM (LoRA adapters addressed by model name), Ollama, llama.cpp,
hosted APIs.

Retries with exponential backoff on connection errors, time-outs, 429 and 5xx; a 4xx other than
429 is the caller's mistake and is raised at once. Structured output is requested with
``response_format={"type": "json_schema", ...}``; a server that rejects that field (many local
servers do) is asked again without it and remembered, and the caller validates either way.

>>> llm = OpenAIBackend("http://127.0.0.1:8000/v1", "my-model")  # no I/O until the first call
>>> llm.name
'openai:my-model'
"""

from __future__ import annotations

import time
from typing import Any

from peoa.errors import BackendError
from peoa.llm.base import Message


class OpenAIBackend:
    """Chat completions from ``base_url`` (ending in ``/v1``) for ``model``.

    Parameters
    ----------
    base_url : the server's API root, e.g. ``http://localhost:8000/v1``
    model : model name; for vLLM with ``--enable-lora`` an adapter name selects that adapter
    api_key : sent as a bearer token (local servers ignore it)
    timeout : seconds per request [s]
    retries : further attempts after a retryable failure
    backoff : first wait between attempts, doubled each time [s]
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str = "EMPTY",
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BackendError(
                f"OpenAI-compatible base URL must start with http(s)://, got {base_url!r}"
            )
        if not model:
            raise BackendError(f"no model name given for {base_url!r}")
        if timeout <= 0 or retries < 0 or backoff < 0:
            raise BackendError(f"bad limits timeout={timeout} retries={retries} backoff={backoff}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = f"openai:{model}"
        self._api_key = api_key
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._client: Any = None
        self._native_schema = True  # cleared when the server rejects response_format

    def _open(self) -> Any:
        if self._client is None:
            import openai

            # our own retry loop below, so that back-off and error messages are ours
            self._client = openai.OpenAI(
                base_url=self.base_url, api_key=self._api_key, timeout=self._timeout, max_retries=0
            )
        return self._client

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The reply's text. Raises :class:`BackendError` naming the server and the last error."""
        import openai

        client = self._open()
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": [m.model_dump() for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if schema is not None and self._native_schema:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema},
            }
        wait = self._backoff
        last: Exception | None = None
        attempt = 0
        while True:
            try:
                resp = client.chat.completions.create(**kwargs)
                content = resp.choices[0].message.content if resp.choices else None
                if content is None:
                    raise BackendError(f"{self.base_url} returned no message content")
                return str(content)
            except openai.BadRequestError as e:
                if "response_format" in kwargs:
                    # the server does not do structured output: ask in the prompt instead
                    self._native_schema = False
                    del kwargs["response_format"]
                    continue
                raise BackendError(f"{self.base_url} rejected the request: {e}") from e
            except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
                raise BackendError(f"{self.base_url} refused the API key: {e}") from e
            except openai.NotFoundError as e:
                raise BackendError(f"{self.base_url} has no model {self.model!r}: {e}") from e
            except (
                openai.APIConnectionError,  # includes APITimeoutError
                openai.RateLimitError,
                openai.InternalServerError,
            ) as e:
                last = e
            except openai.APIStatusError as e:
                if e.status_code < 500:
                    raise BackendError(f"{self.base_url} answered {e.status_code}: {e}") from e
                last = e
            if attempt >= self._retries:
                break
            attempt += 1
            time.sleep(wait)
            wait *= 2
        kind = "timed out" if isinstance(last, openai.APITimeoutError) else "failed"
        raise BackendError(
            f"{self.base_url} {kind} after {self._retries + 1} attempts "
            f"(model {self.model!r}): {last}"
        ) from last
