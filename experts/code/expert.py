"""The code-writing expert."""

from __future__ import annotations

import re
from typing import Any

import pint

from experts.base import Context
from experts.code.prompts import SYSTEM, repair_prompt, user_prompt
from peoa.errors import BackendError
from peoa.llm.base import LLM, Message
from peoa.models import Claim, Subtask
from peoa.sandbox import SandboxLimits, run_code

_FENCE = re.compile(r"```(?:python|py)?[ \t]*\n(.*?)```", re.S)


def extract_code(reply: str) -> str:
    """The Python program in an LLM reply: the last fenced block, else the whole reply.

    >>> extract_code("Here:\\n```python\\nanswer('x', 1)\\n```\\nDone.")
    "answer('x', 1)\\n"
    """
    blocks = _FENCE.findall(reply)
    return blocks[-1] if blocks else reply.strip() + "\n"


class CodeExpert:
    """Asks an LLM for a program, runs it in the sandbox, and turns reported values into claims.

    Each call is one attempt; earlier failures arrive in ``context.feedback`` as
    ``(code, error)`` pairs written by the agent (see :meth:`feedback_for`), so the model is
    asked to revise its own program with the error message.

    Parameters
    ----------
    llm : the model writing code; limits : sandbox limits; confidence : of its claims [-]
    """

    exact = False
    revisable = True

    def __init__(
        self,
        llm: LLM,
        *,
        name: str = "code",
        skills: tuple[str, ...] = (
            "code",
            "units",
            "balances",
            "properties",
            "fluid flow",
            "heat transfer",
            "kinetics",
            "turbomachinery",
        ),
        limits: SandboxLimits | None = None,
        confidence: float = 0.7,
        max_tokens: int = 768,
    ) -> None:
        self.llm = llm
        self.name = name
        self.skills = skills
        self.limits = limits or SandboxLimits()
        self.confidence = confidence
        self.max_tokens = max_tokens

    @staticmethod
    def feedback_for(code: str, error: str) -> str:
        """The feedback line the agent passes back after a failed attempt."""
        return "CODE_ATTEMPT\n" + code + "\nERROR\n" + error

    def _messages(self, subtask: Subtask, context: Context) -> list[Message]:
        problem = context.problem
        givens = {k: f"Q({g.value:.6g}, {g.unit!r})" for k, g in problem.givens.items()}
        slots = {s: problem.slot_unit(s) for s in subtask.targets}
        msgs = [
            Message(role="system", content=SYSTEM),
            Message(
                role="user",
                content=user_prompt(problem.statement or subtask.description, givens, slots),
            ),
        ]
        for fb in context.feedback:
            if fb.startswith("CODE_ATTEMPT\n"):
                code, _, error = fb[len("CODE_ATTEMPT\n") :].partition("\nERROR\n")
                msgs += [
                    Message(role="assistant", content=f"```python\n{code.strip()}\n```"),
                    Message(role="user", content=repair_prompt(code, error)),
                ]
            else:  # a rejection or violation from reconcile
                msgs.append(Message(role="user", content=f"Note from the checker: {fb}"))
        return msgs

    def solve(self, subtask: Subtask, context: Context) -> list[Claim]:
        """Claims for ``subtask.targets`` from one program; a failure is a claim with
        confidence 0 whose provenance holds the code and the error."""
        try:
            reply = self.llm.complete(self._messages(subtask, context), max_tokens=self.max_tokens)
        except BackendError as e:
            return self._failed(subtask, "", f"LLM unavailable: {e}")
        code = extract_code(reply)
        givens: dict[str, pint.Quantity] = {k: g.q for k, g in context.problem.givens.items()}
        result = run_code(code, self.limits, givens=givens)
        if not result.ok:
            return self._failed(subtask, code, result.error or "failed")
        claims = []
        for slot in subtask.targets:
            v = result.values.get(slot)
            if v is None:
                claims.append(
                    self._claim(
                        slot, float("nan"), "", code, f"the program did not report {slot!r}", 0.0
                    )
                )
                continue
            claims.append(
                self._claim(slot, v.value, v.unit, code, result.stdout[-500:], self.confidence)
            )
        return claims

    def _claim(
        self, slot: str, value: float | str, unit: str, code: str, note: str, confidence: float
    ) -> Claim:
        features: dict[str, Any] = {"skill": "code"}
        if confidence == 0.0:
            features["tool_failure"] = True
        return Claim(
            slot=slot,
            value=value,
            unit=unit,
            expert=self.name,
            confidence=confidence,
            provenance=[f"code:\n{code}", note] if note else [f"code:\n{code}"],
            features=features,
        )

    def _failed(self, subtask: Subtask, code: str, error: str) -> list[Claim]:
        return [self._claim(s, float("nan"), "", code, error, 0.0) for s in subtask.targets]
