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
        enc = self.tokenizer(prompt, return_tensors="pt").to(self.model.device)
        gen: dict[str, Any] = {"max_new_tokens": max_tokens, "do_sample": temperature > 0}
        if temperature > 0:
            gen["temperature"] = temperature
        pad = self.tokenizer.pad_token_id
        gen["pad_token_id"] = pad if pad is not None else self.tokenizer.eos_token_id
        with torch.no_grad():
            out = self.model.generate(**enc, **gen)
        return str(
            self.tokenizer.decode(out[0, enc["input_ids"].shape[1] :], skip_special_tokens=True)
        )
