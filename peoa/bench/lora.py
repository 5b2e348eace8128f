"""``peoa bench lora``: time of composing k rank-r adapters (cat) and decoding tokens/s with a
composed vs a single adapter, on a model built from a config (no download).

The default shape is a 0.53 B-parameter Llama (Qwen2-0.5B-like: width 896, vocabulary 151 936, 26 layers). Times are
medians; on CPU they are the CPU figures, on CUDA the GPU ones.
"""

from __future__ import annotations

import statistics
import time
from typing import Any


def run(
    ks: tuple[int, ...] = (2, 3, 4, 5, 6, 7, 8),
    rank: int = 16,
    hidden: int = 896,
    layers: int = 26,
    intermediate: int = 4864,
    vocab: int = 151936,
    new_tokens: int = 16,
    repeat: int = 3,
) -> dict[str, Any]:
    """Median composition times [s] per k and decode throughput [tokens/s]."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from experts.lora.compose import compose
    from experts.lora.training import LoraSettings, add_lora

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=vocab,
        hidden_size=hidden,
        intermediate_size=intermediate,
        num_hidden_layers=layers,
        num_attention_heads=14 if hidden % 14 == 0 else 8,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
    )
    model: Any = LlamaForCausalLM(cfg)
    model = model.to(device).eval()
    params = sum(p.numel() for p in model.parameters())
    pm: Any = None
    names = [f"s{i}" for i in range(max(ks))]
    for n in names:
        pm = add_lora(model if pm is None else pm, n, LoraSettings(rank=rank, alpha=rank))
    for name, p in pm.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.01)
    pm.eval()

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    compose_s: dict[str, float] = {}
    for k in ks:
        times = []
        for _ in range(repeat):
            sync()
            t = time.perf_counter()
            compose(pm, {n: 1.0 / k for n in names[:k]}, f"c{k}")
            sync()
            times.append(time.perf_counter() - t)
        compose_s[str(k)] = statistics.median(times)

    ids = torch.randint(0, vocab, (1, 32), device=device)

    def tokens_per_s(adapter: str) -> float:
        pm.set_adapter(adapter)
        rates = []
        for _ in range(repeat):
            sync()
            t = time.perf_counter()
            with torch.no_grad():
                pm.generate(
                    input_ids=ids,
                    max_new_tokens=new_tokens,
                    min_new_tokens=new_tokens,
                    do_sample=False,
                )
            sync()
            rates.append(new_tokens / (time.perf_counter() - t))
        return statistics.median(rates)

    single = tokens_per_s(names[0])
    composed = tokens_per_s(f"c{max(ks)}")
    return {
        "device": torch.cuda.get_device_name(0)
        if device == "cuda"
        else f"cpu ({torch.get_num_threads()} threads)",
        "parameters": params,
        "rank": rank,
        "compose_cat_s": compose_s,
        "tokens_per_s": {"single": single, f"composed_k{max(ks)}": composed},
        "new_tokens": new_tokens,
        "repeat": repeat,
    }
