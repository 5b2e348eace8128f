"""The PSEC composition experiment on CPU with a tiny base built and trained here.

1. Pre-train a tiny base on the general part of every task: copy each clause and question of an
   engineering text and name it, with the names of the ``base_skills`` (its general naming
   ability, as a pretrained model has) and the placeholder ``q`` for every other skill. Its
   texts are fresh (``n_base`` per single skill, ``n_pair`` per pairing of any two skills): a
   small pool is memorised and long texts are then miscopied.
2. Train one LoRA adapter per skill on engine-verified pairs (naming the quantities and targets
   of that skill), base frozen. Its data also holds other skills' texts and texts that mix it
   with another skill (never the held-out pairing), with their full lines: where the line is
   not the skill's own (copied numbers, other skills' names) the loss pulls the adapter to the
   base's logits (``training.anchored_loss``). An adapter learns to change its own names and
   add nothing elsewhere, which is what lets adapters add.
3. Train the router on labelled subtasks: single skills and the pairings the adapters saw.
4. Evaluate, with the engine judging every output, on each skill alone and on a held-out task
   that needs two skills together (never trained): the base, each single adapter, the
   router-weighted ``cat`` composition (kept skills at full strength; and, for comparison, in
   proportion to α) and the ``linear`` merge of the same weights.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from experts.lora.compose import CompositionCache, save_adapter
from experts.lora.data import BASE_SKILLS, Pair, make_pairs
from experts.lora.library import ROUTER_DIR, SkillLibrary
from experts.lora.router import Router
from experts.lora.service import (
    accuracy,
    context_token_ids,
    pretrain_base,
    reading,
    skill_examples,
    skill_manifest,
)
from experts.lora.tiny import TinyConfig, save_model
from experts.lora.training import LoraSettings, TrainConfig, add_lora, train

Log = Callable[[str], None]


@dataclass(frozen=True)
class ExperimentConfig:
    """Sizes of the experiment (defaults: about 12.5 minutes on two CPU cores)."""

    skills: tuple[str, ...] = ("fluid_flow", "heat_transfer", "pumps")
    combined: tuple[str, ...] = ("fluid_flow", "pumps")
    base_skills: tuple[str, ...] = BASE_SKILLS  # named by the base itself; no adapters
    n_train: int = 600
    n_replay: int = 300
    n_test: int = 100
    n_router: int = 150
    n_base: int = 2000
    n_pair: int = 800
    base_steps: int = 1200
    lora_steps: int = 350
    base_lr: float = 3e-3
    lora_lr: float = 1e-2
    anchor: float = 1.0  # base-logit anchor of the adapters' loss (training.anchored_loss)
    lora: LoraSettings = field(default_factory=LoraSettings)
    tiny: TinyConfig = field(default_factory=TinyConfig)
    seed: int = 0

    @classmethod
    def quick(cls) -> ExperimentConfig:
        """A seconds-long run that exercises every step (for tests): numbers are not meaningful."""
        return cls(
            n_train=40,
            n_replay=20,
            n_test=8,
            n_router=20,
            n_base=40,
            n_pair=10,
            base_steps=20,
            lora_steps=10,
            tiny=TinyConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1),
        )


def _tasks(cfg: ExperimentConfig) -> dict[str, tuple[str, ...]]:
    tasks: dict[str, tuple[str, ...]] = {s: (s,) for s in cfg.skills}
    tasks["+".join(cfg.combined)] = cfg.combined
    return tasks


def routed_accuracy(
    cache: CompositionCache, tokenizer: Any, pairs: list[Pair], weights: list[dict[str, float]]
) -> float:
    """Accuracy when each pair runs on the composition of its own routed weights (grouped by
    cache key so that each distinct composition generates in one batch)."""
    groups: dict[tuple[tuple[str, float], ...], list[int]] = defaultdict(list)
    for i, w in enumerate(weights):
        groups[CompositionCache.key(w, cache.step)].append(i)
    right = 0
    for key, idx in groups.items():
        if not key:
            continue  # the router chose nothing: no answer
        cache.model.set_adapter(cache.get(dict(key)))
        batch = [pairs[i] for i in idx]
        right += round(accuracy(cache.model, tokenizer, batch) * len(batch))
    return right / max(1, len(pairs))


def run_experiment(
    workdir: str | Path,
    cfg: ExperimentConfig = ExperimentConfig(),
    log: Log | None = None,
    embed: Any = None,
) -> dict[str, Any]:
    """Run the experiment under ``workdir`` (base model, skill library, router); return figures.

    ``embed`` maps texts to sentence embeddings (default: the bundled MiniLM).
    """
    import torch

    say = log or (lambda _m: None)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    work = Path(workdir)
    tasks = _tasks(cfg)
    train_sets = {
        s: make_pairs([s], cfg.n_train, seed=cfg.seed * 100 + i) for i, s in enumerate(cfg.skills)
    }
    if shared := set(cfg.base_skills) & set(cfg.skills):
        raise ValueError(f"skills {sorted(shared)} are both base skills and adapter skills")
    everything = (*cfg.skills, *cfg.base_skills)
    base_mix = [
        p
        for i, s in enumerate(everything)
        for p in make_pairs([s], cfg.n_base, seed=cfg.seed * 100 + 10 + i)
    ]
    for j, (a, b) in enumerate(itertools.combinations(everything, 2)):
        base_mix += make_pairs([a, b], cfg.n_pair, seed=cfg.seed * 100 + 20 + j)
    pairings = list(itertools.combinations(cfg.skills, 2))
    # mixed texts for the adapters: every pairing but the held-out one
    mixed = {
        pair: make_pairs(list(pair), cfg.n_replay, seed=cfg.seed * 100 + 60 + j)
        for j, pair in enumerate(pairings)
        if set(pair) != set(cfg.combined)
    }
    tests = {
        t: make_pairs(list(sk), cfg.n_test, seed=cfg.seed * 100 + 70 + i)
        for i, (t, sk) in enumerate(tasks.items())
    }

    # 1. tiny base: tokenizer and general reading task
    say(f"pre-training the base on {len(base_mix)} texts")
    t = time.perf_counter()
    model, tok = pretrain_base(
        base_mix,
        cfg.tiny,
        TrainConfig(steps=cfg.base_steps, lr=cfg.base_lr, seed=cfg.seed),
        named=cfg.base_skills,
    )
    timings["base_train"] = time.perf_counter() - t
    base_dir = save_model(model, tok, work / "base", cfg.tiny)
    results: dict[str, Any] = {"base": {t: accuracy(model, tok, ps) for t, ps in tests.items()}}
    # the base's own task: copying every quantity (names q); composition cannot beat this ceiling
    results["base_reading"] = {t: reading(model, tok, ps) for t, ps in tests.items()}
    say(f"base: {results['base']}, reading {results['base_reading']}")

    # 2. one adapter per skill, base frozen
    for p in model.parameters():
        p.requires_grad_(False)
    library = SkillLibrary(work / "skills")
    peft_model: Any = None
    for i, s in enumerate(cfg.skills):
        own = train_sets[s]
        replay = [p for o in cfg.skills if o != s for p in train_sets[o][: cfg.n_replay]]
        own_mixed = [p for pair, ps in mixed.items() if s in pair for p in ps]
        ex = skill_examples(tok, own, replay + own_mixed)
        peft_model = add_lora(model if peft_model is None else peft_model, s, cfg.lora)
        t = time.perf_counter()
        losses = train(
            peft_model,
            ex,
            tok.pad_token_id,
            TrainConfig(steps=cfg.lora_steps, lr=cfg.lora_lr, seed=cfg.seed + i, anchor=cfg.anchor),
            context_ids=context_token_ids(tok, s),
        )
        timings[f"lora_train_{s}"] = time.perf_counter() - t
        library.add(
            save_adapter(peft_model, s, work / "_adapters" / s),
            skill_manifest(s, base_dir, cfg.lora, own, cfg.lora_steps, {"final_loss": losses[-1]}),
            overwrite=True,
        )
        say(f"trained adapter {s} (loss {losses[-1]:.3f})")
    results["single"] = {}
    for s in cfg.skills:
        peft_model.set_adapter(s)
        results["single"][s] = {t: accuracy(peft_model, tok, ps) for t, ps in tests.items()}
        say(f"single {s}: {results['single'][s]}")

    # 3. router on labelled single-skill subtasks
    if embed is None:
        from graph.embeddings import shared_embedder

        embed = shared_embedder().encode
    t = time.perf_counter()
    # labelled subtasks: single skills and the pairings the adapters saw (never the held-out one)
    router_train = [
        p
        for i, s in enumerate(cfg.skills)
        for p in make_pairs([s], cfg.n_router, seed=cfg.seed * 100 + 90 + i)
    ]
    for j, pair in enumerate(mixed):
        router_train += make_pairs(list(pair), cfg.n_router // 2, seed=cfg.seed * 100 + 95 + j)
    router = Router(list(cfg.skills))
    router.fit(embed([p.text for p in router_train]), [p.skills for p in router_train])
    router.save(library.root / ROUTER_DIR)
    test_texts = {task: [p.text for p in ps] for task, ps in tests.items()}
    test_emb = {task: embed(texts) for task, texts in test_texts.items()}
    routed = {task: router.route(e) for task, e in test_emb.items()}
    proportional = {task: router.route(e, strength="proportional") for task, e in test_emb.items()}
    hits = [set(w) == set(sk) for task, sk in tasks.items() for w in routed[task]]
    results["router_accuracy"] = sum(hits) / len(hits)
    timings["router"] = time.perf_counter() - t

    # 4. compositions with the router's weights (kept skills at full strength, and in proportion
    # to α for comparison)
    runs = (
        ("composed_cat", "cat", routed),
        ("composed_cat_proportional", "cat", proportional),
        ("merged_linear", "linear", routed),
    )
    for label, combination, weights in runs:
        cache = CompositionCache(peft_model, capacity=16, combination=combination)
        t = time.perf_counter()
        results[label] = {
            task: routed_accuracy(cache, tok, tests[task], weights[task]) for task in tasks
        }
        timings[label] = time.perf_counter() - t
        results.setdefault("cache", {})[label] = {"hits": cache.hits, "misses": cache.misses}
        say(f"{label}: {results[label]}")
    timings["total"] = time.perf_counter() - t0
    results["two_skill_task"] = "+".join(cfg.combined)
    results["timings_s"] = {k: round(v, 2) for k, v in timings.items()}
    results["config"] = {k: v for k, v in asdict(cfg).items() if k not in ("lora", "tiny")}
    results["torch_threads"] = torch.get_num_threads()
    return results
