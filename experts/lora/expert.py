"""A LoRA skill expert: the library's adapters on one frozen base, composed per subtask.

It reads the problem text, routes it to skill weights (the trained router, or fixed weights),
activates the cached composition, and asks the model for the structured problem line
(``clause = name ; … => question = target``). The engine solves that line, so what the adapter
contributes is understanding, and every number it claims is computed exactly from what it read.
"""

from __future__ import annotations

from typing import Any

from experts.base import Context
from experts.lora.compose import CompositionCache
from experts.lora.data import PROMPT_END, solve_target
from experts.lora.router import Embed, Router
from experts.lora.training import generate
from peoa.models import Claim, Subtask
from solvers.equations.catalogue import VARIABLES

_UNITS = {v.name: v.unit for v in VARIABLES}


class LoraExpert:
    """An :class:`experts.base.Expert` backed by composed LoRA adapters.

    Parameters
    ----------
    model : a PeftModel holding the skill adapters (see ``SkillLibrary.load``)
    tokenizer : the base model's tokenizer
    skills : the skills this expert offers (tags for the planner)
    router, embed : route each subtask; without them ``weights`` are used for every subtask
    weights : fixed composition weights, e.g. ``{"fluid_flow": 1.0}``
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        skills: tuple[str, ...],
        *,
        router: Router | None = None,
        embed: Embed | None = None,
        weights: dict[str, float] | None = None,
        name: str = "lora",
        confidence: float = 0.6,
        cache: CompositionCache | None = None,
    ) -> None:
        if router is None and not weights:
            raise ValueError("a LoRA expert needs a router (with embed) or fixed weights")
        if router is not None and embed is None:
            raise ValueError("a router needs an embed function")
        self.name = name
        self.skills = skills
        self.model = model
        self.tokenizer = tokenizer
        self.router = router
        self.embed = embed
        self.weights = weights or {}
        self.confidence = confidence
        self.cache = cache or CompositionCache(model)

    def weights_for(self, text: str) -> dict[str, float]:
        """Composition weights for one subtask text."""
        if self.router is not None and self.embed is not None:
            routed = self.router.route(self.embed([text]))[0]
            if routed:
                return routed
        return self.weights

    def read(self, text: str) -> tuple[str, dict[str, float]]:
        """The model's structured line for ``text`` and the weights used."""
        weights = self.weights_for(text)
        self.model.set_adapter(self.cache.get(weights))
        line = generate(self.model, self.tokenizer, [text + PROMPT_END])[0]
        return line, weights

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims for the subtask's slots that the structured line lets the engine compute."""
        problem = context.problem
        text = problem.text or problem.statement
        if not text:
            return []
        line, weights = self.read(text)
        values = solve_target(line, text)
        provenance = [f"read: {line}", f"weights: {weights}"]
        features: dict[str, Any] = {"skill": "+".join(sorted(weights)), "kind": "lora"}
        claims = []
        for slot in subtask.targets:
            var = problem.bindings.get(slot, slot)
            if values is None:
                if var in _UNITS:
                    claims.append(
                        Claim(
                            slot=slot,
                            value=float("nan"),
                            unit=_UNITS[var],
                            expert=self.name,
                            confidence=0.0,
                            provenance=[*provenance, "the engine could not solve the line"],
                            features={**features, "tool_failure": True},
                        )
                    )
                continue
            if var in values:
                claims.append(
                    Claim(
                        slot=slot,
                        value=values[var],
                        unit=_UNITS[var],
                        expert=self.name,
                        confidence=self.confidence,
                        provenance=provenance,
                        features=features,
                    )
                )
        return claims
