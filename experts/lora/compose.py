"""PSEC composition in parameter space: W(s) = W0 + Σ αᵢ·BᵢAᵢ.

``cat`` (PEFT ``add_weighted_adapter(..., combination_type="cat")``) stacks the adapters' A and B
(rank = Σ rᵢ), which is exactly that sum. ``svd`` approximates it under a rank budget. The exact
no-merge path activates several adapters and scales each layer's adapter by αᵢ. ``linear``
combines A and B *separately*: (Σ√wᵢBᵢ)(Σ√wⱼAⱼ) adds cross terms BᵢAⱼ, so it is only kept to show
why not (see the tests and ``peoa experts experiment``).

Composed adapters are cached (LRU) by rounded α, so routing many subtasks composes each
distinct mixture once.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from experts.errors import UnknownSkillError

COMBINATIONS = ("cat", "svd", "linear")


def _check(model: Any, weights: dict[str, float]) -> dict[str, float]:
    known = list(model.peft_config)
    used = {s: float(w) for s, w in weights.items() if w != 0}
    if not used:
        raise ValueError(f"no non-zero weight in {weights}")
    for s in used:
        if s not in known:
            raise UnknownSkillError(s, known)
    return used


def compose(
    model: Any,
    weights: dict[str, float],
    name: str,
    combination: str = "cat",
    rank: int | None = None,
) -> str:
    """Add adapter ``name`` = Σ wᵢ·(adapter i) to a PeftModel and return ``name``.

    ``combination`` is ``cat`` (exact), ``svd`` (rank-``rank`` approximation) or ``linear``
    (cross terms; for comparison only). An existing adapter called ``name`` is replaced: PEFT
    would otherwise silently keep the old one.
    """
    if combination not in COMBINATIONS:
        raise ValueError(f"unknown combination {combination!r}; use one of {COMBINATIONS}")
    used = _check(model, weights)
    if name in model.peft_config:
        model.delete_adapter(name)
    kwargs: dict[str, Any] = {"combination_type": combination}
    if combination == "svd":
        kwargs["svd_rank"] = rank
    model.add_weighted_adapter(list(used), list(used.values()), name, **kwargs)
    return name


def _lora_layers(model: Any) -> list[Any]:
    from peft.tuners.lora import LoraLayer

    return [m for m in model.modules() if isinstance(m, LoraLayer)]


def activate_weighted(model: Any, weights: dict[str, float]) -> None:
    """The exact no-merge path: make every adapter in ``weights`` active, each layer's adapter
    scaled by its weight (α=1 is the adapter as trained). Undo with :func:`reset_scales`."""
    used = _check(model, weights)
    model.base_model.set_adapter(list(used))
    for layer in _lora_layers(model):
        for s, w in used.items():
            layer.set_scale(s, w)


def reset_scales(model: Any) -> None:
    """Restore every adapter's trained scale (α/r) after :func:`activate_weighted`."""
    for layer in _lora_layers(model):
        for s in list(layer.scaling):
            layer.set_scale(s, 1.0)


def delta_weight(model: Any, adapter: str, module_suffix: str) -> Any:
    """ΔW of ``adapter`` in the first LoRA layer whose name ends with ``module_suffix``."""
    for name, m in model.named_modules():
        if name.endswith(module_suffix) and hasattr(m, "get_delta_weight") and adapter in m.lora_A:
            return m.get_delta_weight(adapter)
    raise KeyError(f"no LoRA layer {module_suffix!r} with adapter {adapter!r}")


def save_adapter(model: Any, name: str, out_dir: str | Path) -> Path:
    """Save adapter ``name`` (a trained skill or a composition) as a standalone PEFT folder
    (vLLM ``--lora-modules``, ``SkillLibrary.add``).

    A ``cat`` adapter's rank is the sum of its parts': start vLLM with ``--max-lora-rank`` at
    least that large.
    """
    if name not in model.peft_config:
        raise UnknownSkillError(name, list(model.peft_config))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, selected_adapters=[name])
    # PEFT writes non-default adapters to out/<name>/; move them up to a plain adapter folder
    sub = out / name
    if sub.is_dir():
        for f in sub.iterdir():
            f.replace(out / f.name)
        sub.rmdir()
    return out


class CompositionCache:
    """Composed adapters on one PeftModel, least recently used evicted beyond ``capacity``.

    >>> CompositionCache.key({"b": 0.333, "a": 1.0, "c": 0.0}, step=0.1)
    (('a', 1.0), ('b', 0.3))
    """

    def __init__(
        self,
        model: Any,
        capacity: int = 8,
        step: float = 0.1,
        combination: str = "cat",
        rank: int | None = None,
    ):
        if capacity < 1 or step <= 0:
            raise ValueError(f"capacity must be >= 1 and step > 0, got {capacity}, {step}")
        self.model = model
        self.capacity = capacity
        self.step = step
        self.combination = combination
        self.rank = rank
        self._names: OrderedDict[tuple[tuple[str, float], ...], str] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self._serial = 0

    @staticmethod
    def key(weights: dict[str, float], step: float = 0.1) -> tuple[tuple[str, float], ...]:
        """Weights rounded to ``step``, zeros dropped, sorted by skill."""
        rounded = ((s, round(round(w / step) * step, 6)) for s, w in weights.items())
        return tuple(sorted((s, w) for s, w in rounded if w != 0))

    def get(self, weights: dict[str, float]) -> str:
        """Name of the adapter composing ``weights`` (rounded), composing it on a miss."""
        k = self.key(weights, self.step)
        if not k:
            raise ValueError(f"every weight rounds to zero in {weights}")
        if k in self._names:
            self.hits += 1
            self._names.move_to_end(k)
            return self._names[k]
        self.misses += 1
        self._serial += 1
        name = f"_composed_{self._serial}"
        compose(self.model, dict(k), name, self.combination, self.rank)
        self._names[k] = name
        if len(self._names) > self.capacity:
            _, old = self._names.popitem(last=False)
            self.model.delete_adapter(old)
        return name

    def __len__(self) -> int:
        return len(self._names)
