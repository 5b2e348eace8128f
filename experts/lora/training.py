"""Training loops: full fine-tuning (the tiny base) and PEFT LoRA (skills), with progress and
resumable checkpoints.

A checkpoint holds the trainable weights, the optimiser, the step and the RNG state, written
atomically; batches are a function of (seed, step), so a run resumed from a checkpoint sees the
same batches as an uninterrupted one.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")

Progress = Callable[[int, int, float], None]  # (step, total, loss)


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings (``lr`` [1/step scale], counts in steps)."""

    steps: int = 400
    batch_size: int = 32
    lr: float = 3e-3
    warmup: int = 20
    weight_decay: float = 0.0
    seed: int = 0
    checkpoint_every: int = 100
    anchor: float = 0.0  # LoRA only: weight of the base-logit anchor (see :func:`anchored_loss`)


@dataclass(frozen=True)
class LoraSettings:
    """LoRA shape: rank, alpha and target modules (all linear layers: see DESIGN.md)."""

    rank: int = 8
    alpha: int = 16
    target_modules: tuple[str, ...] = ALL_LINEAR
    dropout: float = 0.0


def encode(
    tokenizer: Any, prompts: Sequence[str], targets: Sequence[str]
) -> list[tuple[list[int], int]]:
    """Token ids of ``prompt + target + eos`` and the prompt length (its tokens carry no loss)."""
    out = []
    for p, t in zip(prompts, targets, strict=True):
        p_ids = tokenizer(p, add_special_tokens=False)["input_ids"]
        t_ids = tokenizer(t, add_special_tokens=False)["input_ids"]
        out.append((p_ids + t_ids + [tokenizer.eos_token_id], len(p_ids)))
    return out


def _batch(examples: list[tuple[list[int], int]], idx: list[int], pad: int) -> dict[str, Any]:
    import torch

    width = max(len(examples[i][0]) for i in idx)
    ids = torch.full((len(idx), width), pad, dtype=torch.long)
    labels = torch.full((len(idx), width), -100, dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        seq, n_prompt = examples[i]
        ids[row, : len(seq)] = torch.tensor(seq)
        labels[row, n_prompt : len(seq)] = torch.tensor(seq[n_prompt:])
        mask[row, : len(seq)] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def _indices(n: int, batch_size: int, seed: int, step: int) -> list[int]:
    """The batch of ``step``: epochs are seeded permutations, so it depends only on (seed, step)."""
    per_epoch = max(1, n // batch_size)
    epoch, k = divmod(step, per_epoch)
    order = list(range(n))
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order[k * batch_size : (k + 1) * batch_size]


def anchored_loss(
    model: Any, batch: dict[str, Any], weight: float, context_ids: Collection[int] | Any = ()
) -> Any:
    """The loss of a skill adapter that changes only what its skill needs.

    At each target position where the frozen base already predicts the target token (copying a
    number), or where the target is one of ``context_ids`` (another skill's variable names: the
    line's context, never this adapter's to write), the adapter's logits are pulled to the
    base's (mean squared error, times ``weight``); elsewhere (its own names) it gets
    cross-entropy. Cross-entropy everywhere keeps rewarding a harder push towards ``q`` on other
    skills' quantities, so each adapter learned an active "no name here" that overruled the
    other adapter's names once two were summed (PSEC composition); anchored, an adapter adds
    nearly nothing where its skill has nothing to say, and it has seen other skills' names
    around its own.
    """
    import torch

    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    with torch.no_grad(), model.disable_adapter():
        base = model(**inputs).logits[:, :-1]
    logits = model(**inputs).logits[:, :-1]
    labels = batch["labels"][:, 1:]
    valid = labels != -100
    same = valid & (base.argmax(-1) == labels)
    if len(context_ids):
        context = torch.as_tensor(
            context_ids if isinstance(context_ids, torch.Tensor) else sorted(context_ids)
        )
        same |= valid & torch.isin(labels, context)
    new = valid & ~same
    zero = logits.sum() * 0.0
    ce = torch.nn.functional.cross_entropy(logits[new], labels[new]) if new.any() else zero
    mse = ((logits[same] - base[same]) ** 2).mean() if same.any() else zero
    return ce + weight * mse


def train(
    model: Any,
    examples: list[tuple[list[int], int]],
    pad_id: int,
    config: TrainConfig = TrainConfig(),
    checkpoint_dir: str | Path | None = None,
    progress: Progress | None = None,
    context_ids: Collection[int] = (),
) -> list[float]:
    """Train the parameters of ``model`` that require grad; returns the loss per step.

    When ``checkpoint_dir`` holds a checkpoint, training resumes from it. ``config.anchor`` > 0
    needs a PeftModel (the base is the model with its adapters disabled); ``context_ids`` are
    then the tokens it must leave to the base (see :func:`anchored_loss`).
    """
    import torch

    if not examples:
        raise ValueError("no training examples")
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters")
    if config.anchor and not hasattr(model, "disable_adapter"):
        raise ValueError("an anchored loss needs a PeftModel (the base is its adapters disabled)")
    opt = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    context = torch.tensor(sorted(context_ids), dtype=torch.long)  # once, not per step

    def lr_at(step: int) -> float:
        if step < config.warmup:
            return (step + 1) / config.warmup
        frac = (step - config.warmup) / max(1, config.steps - config.warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    start, losses = 0, []
    ckpt = Path(checkpoint_dir) / "checkpoint.pt" if checkpoint_dir else None
    if ckpt is not None and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        trainable = dict(model.named_parameters())
        with torch.no_grad():
            for name, value in state["weights"].items():
                trainable[name].copy_(value)
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])
        start, losses = state["step"], state["losses"]
    torch.manual_seed(config.seed + start)
    model.train()
    for step in range(start, config.steps):
        batch = _batch(
            examples, _indices(len(examples), config.batch_size, config.seed, step), pad_id
        )
        if config.anchor:
            loss = anchored_loss(model, batch, config.anchor, context)
        else:
            loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if progress is not None:
            progress(step + 1, config.steps, losses[-1])
        done = step + 1
        if ckpt is not None and (done % config.checkpoint_every == 0 or done == config.steps):
            _save_checkpoint(model, opt, sched, done, losses, ckpt)
    model.eval()
    return losses


def _save_checkpoint(
    model: Any, opt: Any, sched: Any, step: int, losses: list[float], path: Path
) -> None:
    import torch

    weights = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(
        {
            "weights": weights,
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(),
            "rng": torch.get_rng_state(),
            "step": step,
            "losses": losses,
        },
        tmp,
    )
    os.replace(tmp, path)  # a crash mid-write never leaves a torn checkpoint


def add_lora(model: Any, name: str, settings: LoraSettings = LoraSettings()) -> Any:
    """Wrap ``model`` (or add to a PeftModel) a fresh LoRA adapter ``name``, base frozen."""
    from peft import LoraConfig, PeftModel, get_peft_model

    cfg = LoraConfig(
        r=settings.rank,
        lora_alpha=settings.alpha,
        target_modules=list(settings.target_modules),
        lora_dropout=settings.dropout,
        task_type="CAUSAL_LM",
    )
    if isinstance(model, PeftModel):
        model.add_adapter(name, cfg)
        model.set_adapter(name)
        return model
    return get_peft_model(model, cfg, adapter_name=name)


def generate(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[str],
    max_new_tokens: int = 160,
    batch_size: int = 64,
) -> list[str]:
    """Greedy completions of ``prompts`` (left-padded batches), cut at end of sequence/line."""
    import torch

    outs: list[str] = []
    tokenizer.padding_side = "left"
    model.eval()
    for i in range(0, len(prompts), batch_size):
        chunk = list(prompts[i : i + batch_size])
        enc = tokenizer(chunk, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            gen = model.generate(
                **enc,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )
        for row in gen[:, enc["input_ids"].shape[1] :]:
            outs.append(tokenizer.decode(row, skip_special_tokens=True).split("\n")[0].strip())
    return outs
