"""The context-aware module: subtask text → sentence embedding → small MLP → α over skills.

α is a softmax with temperature; the top-k skills are kept when their α is at least
``min_weight`` times the largest. A kept skill runs at its trained strength (weight 1,
``strength="full"``, the default) or in proportion to α (``"proportional"``: the largest at 1).
Adapters are trained at strength 1, and measured, a weaker second adapter loses its names to the
stronger one: two-skill accuracy 0.78 at weights (1, 1) against 0 at (1, 0.8)
(docs/BENCHMARKS.md). Trained from labelled subtasks (a text and the skills it needs). Without a
trained router, :func:`lorahub_search` finds α gradient-free from a few solved examples
(LoraHub, arXiv 2307.13269).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from experts.errors import UnknownSkillError

Embed = Callable[[Sequence[str]], np.ndarray]
STRENGTHS = ("full", "proportional")


def _checked_strength(strength: str) -> str:
    if strength not in STRENGTHS:
        raise ValueError(f"router strength must be one of {STRENGTHS}, got {strength!r}")
    return strength


class Router:
    """MLP router over ``skills``.

    Parameters
    ----------
    skills : skill names, in output order
    dim : embedding size (384 for MiniLM)
    hidden : hidden width
    temperature : softmax temperature (lower: sharper)
    top_k : at most this many skills per subtask
    min_weight : skills whose α is below this fraction of the largest are dropped
    strength : ``"full"`` (kept skills at weight 1) or ``"proportional"`` (α / largest α)
    """

    def __init__(
        self,
        skills: Sequence[str],
        dim: int = 384,
        hidden: int = 64,
        temperature: float = 2.0,
        top_k: int = 2,
        min_weight: float = 0.25,
        seed: int = 0,
        strength: str = "full",
    ) -> None:
        import torch

        if not skills or len(set(skills)) != len(skills):
            raise ValueError(f"router needs distinct skills, got {list(skills)}")
        if temperature <= 0 or top_k < 1 or not 0 <= min_weight <= 1:
            raise ValueError(
                f"bad router settings temperature={temperature} top_k={top_k} min_weight={min_weight}"
            )
        self.strength = _checked_strength(strength)
        self.skills = list(skills)
        self.dim, self.hidden = dim, hidden
        self.temperature, self.top_k, self.min_weight = temperature, top_k, min_weight
        torch.manual_seed(seed)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(dim, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, len(self.skills))
        )

    def fit(
        self,
        embeddings: np.ndarray,
        labels: Sequence[Sequence[str]],
        epochs: int = 200,
        lr: float = 1e-2,
    ) -> float:
        """Train on subtask embeddings and their skill sets (soft target: uniform over the set).

        Returns the final training loss.
        """
        import torch

        if len(embeddings) != len(labels) or not len(labels):
            raise ValueError(f"{len(embeddings)} embeddings for {len(labels)} labels")
        target = np.zeros((len(labels), len(self.skills)), dtype=np.float32)
        for i, skills in enumerate(labels):
            for s in skills:
                if s not in self.skills:
                    raise UnknownSkillError(s, self.skills)
                target[i, self.skills.index(s)] = 1.0 / len(skills)
        x = torch.tensor(np.asarray(embeddings, dtype=np.float32))
        y = torch.tensor(target)
        opt = torch.optim.Adam(self.net.parameters(), lr=lr, weight_decay=1e-4)
        loss = torch.tensor(0.0)
        for _ in range(epochs):
            opt.zero_grad()
            loss = -(y * torch.log_softmax(self.net(x), dim=-1)).sum(-1).mean()
            loss.backward()
            opt.step()
        return loss.item()

    def alphas(self, embeddings: np.ndarray) -> np.ndarray:
        """Softmax weights over skills, one row per subtask."""
        import torch

        with torch.no_grad():
            logits = self.net(torch.tensor(np.asarray(embeddings, dtype=np.float32)))
            return torch.softmax(logits / self.temperature, dim=-1).numpy()

    def weights(self, alpha: np.ndarray, strength: str | None = None) -> dict[str, float]:
        """Composition weights from one α row: the top-k skills whose α is at least
        ``min_weight`` of the largest, at weight 1 or α / largest (``strength``, default the
        router's)."""
        strength = _checked_strength(strength or self.strength)
        order = np.argsort(-alpha)[: self.top_k]
        top = float(alpha[order[0]])
        out = {self.skills[i]: float(alpha[i]) / top for i in order}
        kept = {s: w for s, w in out.items() if w >= self.min_weight}
        return kept if strength == "proportional" else dict.fromkeys(kept, 1.0)

    def route(self, embeddings: np.ndarray, strength: str | None = None) -> list[dict[str, float]]:
        """Composition weights per subtask (see :meth:`weights`)."""
        return [self.weights(a, strength) for a in self.alphas(embeddings)]

    def save(self, folder: str | Path) -> Path:
        """Write ``router.pt`` and ``router.json`` into ``folder``."""
        import torch

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        torch.save(self.net.state_dict(), out / "router.pt")
        meta = {
            k: getattr(self, k)
            for k in ("skills", "dim", "hidden", "temperature", "top_k", "min_weight", "strength")
        }
        (out / "router.json").write_text(json.dumps(meta, indent=1))
        return out

    @classmethod
    def load(cls, folder: str | Path) -> Router:
        """A router saved by :meth:`save`; FileNotFoundError names the missing file."""
        import torch

        root = Path(folder)
        for f in ("router.json", "router.pt"):
            if not (root / f).exists():
                raise FileNotFoundError(f"no trained router: {root / f} is missing")
        meta = json.loads((root / "router.json").read_text())
        router = cls(**meta)
        router.net.load_state_dict(torch.load(root / "router.pt", weights_only=True))
        return router


def lorahub_search(
    loss: Callable[[dict[str, float]], float],
    skills: Sequence[str],
    budget: int = 40,
    l1: float = 0.05,
    bound: float = 1.5,
    seed: int = 0,
) -> dict[str, float]:
    """LoraHub-style gradient-free search of composition weights.

    Minimises ``loss(weights) + l1·Σ|wᵢ|`` over wᵢ ∈ [-bound, bound] with at most ``budget``
    evaluations (scipy's bounded Powell from the uniform start), as LoraHub does with a few
    solved examples. ``loss`` is typically the model's cross-entropy on those examples.
    """
    from scipy.optimize import minimize

    if not skills:
        raise ValueError("no skills to search over")
    cache: dict[tuple[float, ...], float] = {}

    def objective(x: np.ndarray) -> float:
        key = tuple(round(float(v), 4) for v in x)
        if key not in cache:
            w = dict(zip(skills, key, strict=True))
            value = loss(w) if any(key) else float("inf")
            cache[key] = value + l1 * float(np.abs(x).sum())
        return cache[key]

    x0 = np.full(len(skills), 1.0 / len(skills))
    rng = np.random.default_rng(seed)
    best = minimize(
        objective,
        x0 + rng.normal(0, 0.01, len(skills)),
        method="Powell",
        bounds=[(-bound, bound)] * len(skills),
        options={"maxfev": budget, "xtol": 1e-2, "ftol": 1e-3},
    )
    return {s: float(w) for s, w in zip(skills, best.x, strict=True) if abs(w) > 1e-3}
