"""Tiny causal language models built from a config and a tokenizer trained on local text.

For tests and the composition experiment: nothing is downloaded. The tokenizer is a byte-level
BPE (exact round trip) whose merges may join digits, so that a number is a few distinctive tokens
(see :func:`train_tokenizer`); the model is a Llama of a few layers. Both are saved with
``save_pretrained``, so the folder loads like any local model
(``AutoModelForCausalLM.from_pretrained(path)``, ``PEOA_LLM=hf:<path>``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SPECIAL = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>"}


@dataclass(frozen=True)
class TinyConfig:
    """Shape of a tiny Llama. The defaults train in minutes on two CPU cores."""

    vocab_size: int = 800
    hidden_size: int = 128
    intermediate_size: int = 256
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    max_position_embeddings: int = 384
    seed: int = 0


def train_tokenizer(corpus: Iterable[str], vocab_size: int = 800, words: Iterable[str] = ()) -> Any:
    """A ``PreTrainedTokenizerFast`` (byte-level BPE) trained on ``corpus``.

    Digits are left to the BPE merges (``2059`` may become `` 2`` ``05`` ``9``), not split one
    per token. A small model copies a number by induction: it finds the token it wrote last in
    the text and takes the one after. With one token per digit every ``3`` in the text matches
    and mid-number digits were miscopied (two-skill reading 0.15 against 0.78 with merged digits,
    1000 steps, docs/BENCHMARKS.md).

    ``words`` (engine variable names such as ``V_dot``) become whole tokens, each with its
    leading space: naming a quantity is then one choice at one position, and two skills never
    share a first token (``V`` of ``V_dot`` was the fluid skill's ``V``, and adapters that
    disagreed there broke composed lines).

    >>> tok = train_tokenizer(["density 850 kg/m^3", "velocity 1.2 m/s"], vocab_size=300)
    >>> tok.decode(tok("density 42 kg")["input_ids"])
    'density 42 kg'
    >>> tok = train_tokenizer(["4 m^3/s = V_dot ; 2 m/s = V"], vocab_size=300, words=["V", "V_dot"])
    >>> tok.tokenize("4 m^3/s = V_dot")[-1]
    ' V_dot'
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(SPECIAL.values()),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer)
    tok.add_tokens(
        [AddedToken(" " + w, single_word=True, normalized=False) for w in dict.fromkeys(words)]
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, **SPECIAL)


def build_model(tokenizer: Any, config: TinyConfig = TinyConfig()) -> Any:
    """A randomly initialised Llama sized by ``config`` for ``tokenizer``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(config.seed)
    cfg = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.num_attention_heads,
        max_position_embeddings=config.max_position_embeddings,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(cfg)


def save_model(
    model: Any, tokenizer: Any, path: str | Path, config: TinyConfig | None = None
) -> Path:
    """Save model and tokenizer to ``path`` (a local model folder)."""
    import json

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    if config is not None:
        (out / "tiny_config.json").write_text(json.dumps(asdict(config), indent=1))
    return out
