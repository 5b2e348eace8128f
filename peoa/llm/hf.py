"""A local transformers model (optionally with PEFT adapters) as an LLM backend.

The model is read from a local folder only (``local_files_only``): nothing is downloaded. CUDA is
used when present. Construction does no I/O; the model loads on :meth:`HFBackend.open` or on the
first call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peoa.errors import BackendError
from peoa.llm.base import Message


def render_chat(messages: list[Message], tokenizer: Any) -> str:
    """The prompt text: the tokenizer's chat template when it has one, else ``role: content``
    lines ending with ``assistant:``."""
    if getattr(tokenizer, "chat_template", None):
        return str(
            tokenizer.apply_chat_template(
                [m.model_dump() for m in messages], tokenize=False, add_generation_prompt=True
            )
        )
    return "".join(f"{m.role}: {m.content}\n" for m in messages) + "assistant:"


def fit_prompt(ids: list[int], context: int | None, max_tokens: int) -> tuple[list[int], int]:
    """Fit a prompt into a model's context window: keep room for the reply (at least a quarter
    of the window) and drop the oldest prompt tokens if needed (the variable, latest parts of
    PEOA's prompts come last). Returns the kept ids and the number of tokens to generate.

    >>> fit_prompt(list(range(10)), 8, 4)
    ([4, 5, 6, 7, 8, 9], 2)
    >>> fit_prompt(list(range(3)), None, 4)
    ([0, 1, 2], 4)
    """
    if not context:
        return ids, max_tokens
    new = min(max_tokens, max(context // 4, context - len(ids)))
    kept = ids[-(context - new) :] if len(ids) > context - new else ids
    return kept, min(max_tokens, context - len(kept))


class HFBackend:
    """Greedy or sampled generation from a causal LM in ``path``.

    Parameters
    ----------
    path : folder with ``config.json``, weights and a tokenizer
    adapter : optional folder of a PEFT adapter to apply on top
    device : ``cuda``, ``cpu`` or None for CUDA when available
    """

    def __init__(
        self, path: str | Path, adapter: str | Path | None = None, device: str | None = None
    ):
        self.path = Path(path)
        self.adapter = Path(adapter) if adapter else None
        self.name = f"hf:{self.path.name}" + (f"+{self.adapter.name}" if self.adapter else "")
        self._device = device
        self.model: Any = None
        self.tokenizer: Any = None

    def open(self) -> HFBackend:
        """Load tokenizer and model; raises :class:`BackendError` naming a missing folder/file."""
        if self.model is not None:
            return self
        if not (self.path / "config.json").exists():
            raise BackendError(f"no model at {self.path}: config.json missing")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        device = self._device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            model: Any = AutoModelForCausalLM.from_pretrained(self.path, local_files_only=True)
        except (OSError, ValueError) as e:
            raise BackendError(f"cannot load the model in {self.path}: {e}") from e
        if self.adapter is not None:
            from peft import PeftModel

            if not (self.adapter / "adapter_config.json").exists():
                raise BackendError(f"no adapter at {self.adapter}: adapter_config.json missing")
            model = PeftModel.from_pretrained(model, self.adapter)
        self.model = model.to(device).eval()
        return self

    def complete(
        self,
        messages: list[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The continuation of the rendered chat (``schema`` is validated by the caller)."""
        import torch

        self.open()
        prompt = render_chat(messages, self.tokenizer)
        ids, new = fit_prompt(
            self.tokenizer(prompt)["input_ids"],
            getattr(self.model.config, "max_position_embeddings", None),
            max_tokens,
        )
        input_ids = torch.tensor([ids], device=self.model.device)
        enc = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}
        gen: dict[str, Any] = {"max_new_tokens": new, "do_sample": temperature > 0}
        if temperature > 0:
            gen["temperature"] = temperature
        pad = self.tokenizer.pad_token_id
        gen["pad_token_id"] = pad if pad is not None else self.tokenizer.eos_token_id
        with torch.no_grad():
            out = self.model.generate(**enc, **gen)
        return str(
            self.tokenizer.decode(out[0, enc["input_ids"].shape[1] :], skip_special_tokens=True)
        )
