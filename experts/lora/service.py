"""Library operations behind ``peoa experts``: build a tiny base, train a skill into the library,
evaluate it, train the router, route a subtask. Each takes paths, not settings, so the SDK, the
CLI and the tests share them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from experts.errors import AdapterError
from experts.lora.compose import save_adapter
from experts.lora.data import (
    BASE_SKILLS,
    PLACEHOLDER,
    SKILLS,
    Pair,
    check_output,
    get_skill,
    make_pairs,
    target_words,
)
from experts.lora.library import ROUTER_DIR, SkillLibrary
from experts.lora.manifest import Manifest, base_fingerprint, data_hash
from experts.lora.router import Embed, Router
from experts.lora.tiny import TinyConfig, build_model, save_model, train_tokenizer
from experts.lora.training import (
    LoraSettings,
    Progress,
    TrainConfig,
    add_lora,
    encode,
    generate,
    train,
)


def read_pairs(path: str | Path) -> list[Pair]:
    """Pairs from a JSONL file written by ``make-data``; ValueError names the bad line."""
    pairs = []
    for i, line in enumerate(Path(path).read_text().splitlines(), 1):
        if line.strip():
            try:
                pairs.append(Pair.model_validate_json(line))
            except ValueError as e:
                raise ValueError(f"{path}:{i}: not a training pair: {e}") from e
    return pairs


def write_pairs(pairs: Sequence[Pair], path: str | Path) -> Path:
    """Write pairs as JSONL."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(p.model_dump_json() + "\n" for p in pairs))
    return out


def teacher_pairs(pairs: Sequence[Pair], llm: Any) -> tuple[list[Pair], int]:
    """Ask a teacher LLM for each pair's structured line; keep only lines the engine verifies.

    Returns the kept pairs (target = the teacher's line) and how many were rejected.
    """
    from peoa.llm import Message

    instruction = (
        "Rewrite the engineering problem as one line: each clause that states a given, copied "
        "from the text and followed by `= name` (e.g. `the density is 850 kg/m^3 = rho`), "
        "separated by ` ; `; then ` => ` and each question, copied and followed by `= name` of "
        "its target, separated by ` ; `. Variable names: "
        + ", ".join(
            sorted(
                {g.var for s in SKILLS.values() for g in s.givens}
                | {t for s in SKILLS.values() for t in s.targets}
            )
        )
    )
    kept, rejected = [], 0
    for p in pairs:
        line = llm.complete(
            [Message(role="system", content=instruction), Message(role="user", content=p.text)]
        ).strip()
        if check_output(line, p):
            kept.append(p.model_copy(update={"target": line}))
        else:
            rejected += 1
    return kept, rejected


def context_token_ids(tokenizer: Any, skill: str) -> set[int]:
    """Token ids of the other skills' variable names (whole tokens, see ``target_words``): in
    an adapter's training lines they are context, left to the base (``anchored_loss``)."""
    spec = get_skill(skill)
    keep = {g.var for g in spec.givens} | set(spec.targets) | {PLACEHOLDER}
    ids = {tokenizer.convert_tokens_to_ids(" " + w) for w in target_words() if w not in keep}
    return ids - {None, tokenizer.unk_token_id}


def skill_examples(
    tokenizer: Any, own: Sequence[Pair], others: Sequence[Pair]
) -> list[tuple[list[int], int]]:
    """Training examples of a skill's adapter: its own pairs and other texts (other skills,
    and mixes of it with another), all with their full engine-written lines; what is not the
    skill's own is anchored to the base through :func:`context_token_ids`."""
    pairs = [*own, *others]
    return encode(tokenizer, [p.prompt() for p in pairs], [p.target for p in pairs])


def accuracy(model: Any, tokenizer: Any, pairs: Sequence[Pair]) -> float:
    """Fraction of pairs whose generated line the engine solves to the teacher's answers."""
    outs = generate(model, tokenizer, [p.prompt() for p in pairs])
    return sum(check_output(o, p) for o, p in zip(outs, pairs, strict=True)) / max(1, len(pairs))


def reading(model: Any, tokenizer: Any, pairs: Sequence[Pair]) -> float:
    """Fraction of pairs the base copies exactly in its placeholder form (its general skill)."""
    outs = generate(model, tokenizer, [p.prompt() for p in pairs])
    return sum(o == p.placeholder_target() for o, p in zip(outs, pairs, strict=True)) / max(
        1, len(pairs)
    )


def pretrain_base(
    mix: Sequence[Pair],
    config: TinyConfig,
    train_config: TrainConfig,
    progress: Progress | None = None,
    named: Sequence[str] = (),
) -> tuple[Any, Any]:
    """A tokenizer trained on ``mix`` and a tiny model pre-trained on its general reading task:
    copy each clause and question, naming the quantities of the ``named`` skills and writing
    ``q`` for every other."""
    targets = [p.placeholder_target(tuple(named)) for p in mix]  # an unknown skill raises here
    tok = train_tokenizer(
        [p.prompt() + p.target for p in mix] + targets, config.vocab_size, words=target_words()
    )
    model = build_model(tok, config)
    ex = encode(tok, [p.prompt() for p in mix], targets)
    train(model, ex, tok.pad_token_id, train_config, progress=progress)
    return model, tok


def skill_manifest(
    skill: str,
    base_dir: str | Path,
    lora: LoraSettings,
    own: Sequence[Pair],
    steps: int,
    metrics: dict[str, float],
    centroid: list[float] | None = None,
) -> Manifest:
    """The manifest of an adapter trained for ``skill`` on ``own`` over the base in ``base_dir``."""
    return Manifest(
        skill=skill,
        description=get_skill(skill).description,
        base_model=str(base_dir),
        base_fingerprint=base_fingerprint(base_dir),
        rank=lora.rank,
        alpha=lora.alpha,
        target_modules=list(lora.target_modules),
        data_hash=data_hash(p.model_dump_json() for p in own),
        n_examples=len(own),
        steps=steps,
        metrics=metrics,
        centroid=centroid or [],
    )


def build_base(
    out: str | Path,
    steps: int = 1000,
    n: int = 600,
    config: TinyConfig = TinyConfig(),
    seed: int = 0,
    progress: Progress | None = None,
    named: Sequence[str] = BASE_SKILLS,
) -> Path:
    """A tiny base pre-trained on the general reading task over every registered skill, naming
    the quantities of the ``named`` skills (see :data:`experts.lora.data.BASE_SKILLS`)."""
    mix = [p for i, s in enumerate(SKILLS) for p in make_pairs([s], n, seed=seed * 100 + i)]
    model, tok = pretrain_base(
        mix, config, TrainConfig(steps=steps, seed=seed), progress, named=named
    )
    return save_model(model, tok, out, config)


def load_base(base_dir: str | Path) -> tuple[Any, Any]:
    """Model and tokenizer from a local folder (no download), base weights frozen."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    root = Path(base_dir)
    if not (root / "config.json").exists():
        raise AdapterError(
            str(root), "no base model here (config.json missing); run `peoa experts build-base`"
        )
    tok = AutoTokenizer.from_pretrained(root, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(root, local_files_only=True)
    for p in model.parameters():
        p.requires_grad_(False)
    return model.eval(), tok


def train_skill(
    library: SkillLibrary,
    base_dir: str | Path,
    skill: str,
    pairs: Sequence[Pair] | None = None,
    *,
    config: TrainConfig = TrainConfig(steps=500, lr=1e-2, anchor=1.0),
    lora: LoraSettings = LoraSettings(),
    n: int = 600,
    n_replay: int = 150,
    resume: bool = True,
    progress: Progress | None = None,
    embed: Embed | None = None,
) -> Manifest:
    """Train ``skill``'s adapter on ``base_dir`` and add it to ``library``.

    ``pairs`` default to ``n`` engine-generated pairs. Other skills' texts replay the base task so
    that the adapter stays local to its skill. Checkpoints live in ``<library>/_work/<skill>``;
    with ``resume`` an interrupted run continues from the last one.
    """
    get_skill(skill)
    own = list(pairs) if pairs is not None else make_pairs([skill], n, seed=config.seed)
    replay = [
        p
        for i, o in enumerate(SKILLS)
        if o != skill
        for p in make_pairs([o], n_replay, seed=1000 + i)
    ]
    model, tok = load_base(base_dir)
    peft_model = add_lora(model, skill, lora)
    ex = skill_examples(tok, own, replay)
    work = library.root / "_work" / skill
    if not resume and work.exists():
        import shutil

        shutil.rmtree(work)
    losses = train(
        peft_model,
        ex,
        tok.pad_token_id,
        config,
        checkpoint_dir=work,
        progress=progress,
        context_ids=context_token_ids(tok, skill),
    )
    held_out = make_pairs([skill], 50, seed=config.seed + 7777)
    acc = accuracy(peft_model, tok, held_out)
    centroid: list[float] = []
    if embed is not None:
        centroid = [float(x) for x in embed([p.text for p in own[:200]]).mean(axis=0)]
    adapter_dir = save_adapter(peft_model, skill, work / "adapter")
    manifest = skill_manifest(
        skill,
        base_dir,
        lora,
        own,
        config.steps,
        {"final_loss": losses[-1], "held_out_accuracy": acc},
        centroid,
    )
    library.add(adapter_dir, manifest, overwrite=True)
    return manifest


def eval_skill(
    library: SkillLibrary, base_dir: str | Path, skill: str, n: int = 100, seed: int = 4242
) -> dict[str, float]:
    """Engine-judged accuracy of the base and of ``skill``'s adapter on ``n`` fresh pairs."""
    get_skill(skill)
    model, tok = load_base(base_dir)
    pairs = make_pairs([skill], n, seed=seed)
    base_acc = accuracy(model, tok, pairs)
    acc = accuracy(library.load(model, [skill], base_dir), tok, pairs)
    return {"base": base_acc, "adapter": acc, "n": n}


def train_router(
    library: SkillLibrary, embed: Embed, n: int = 150, temperature: float = 2.0, seed: int = 0
) -> Router:
    """Train the router on labelled subtasks of every skill in the library; saved in it."""
    skills = [s for s in library.names() if s in SKILLS]
    if len(skills) < 2:
        raise ValueError(
            f"a router needs at least two known skills in {library.root}, found {skills}"
        )
    pairs = [p for i, s in enumerate(skills) for p in make_pairs([s], n, seed=seed * 100 + i)]
    router = Router(skills, temperature=temperature, seed=seed)
    router.fit(embed([p.text for p in pairs]), [p.skills for p in pairs])
    router.save(library.root / ROUTER_DIR)
    return router


def route(library: SkillLibrary, embed: Embed, text: str) -> dict[str, Any]:
    """α over skills and the composition weights for one subtask text."""
    router = Router.load(library.root / ROUTER_DIR)
    alpha = router.alphas(embed([text]))[0]
    return {
        "alpha": {s: round(float(a), 4) for s, a in zip(router.skills, alpha, strict=True)},
        "weights": router.weights(alpha),
    }


def manifests_json(library: SkillLibrary) -> str:
    """The library's manifests (without centroids) as JSON."""
    return json.dumps([m.model_dump(exclude={"centroid"}) for m in library.manifests()], indent=1)


class LazyLoraExpert:
    """The library as one expert, loaded on its first subtask (base model, adapters, router and
    embedder take seconds; problems the exact tools answer never pay for them).

    Without a trained router every skill runs at the same weight.
    """

    exact = False

    def __init__(
        self, library: SkillLibrary, base_dir: str | Path, embed: Embed | None, name: str = "lora"
    ) -> None:
        import threading

        self.library = library
        self.base_dir = Path(base_dir)
        self.embed = embed
        self.name = name
        self.skills = tuple(
            dict.fromkeys(
                [
                    "lora",
                    *(
                        SKILLS[s].planner_tag if s in SKILLS else s.replace("_", " ")
                        for s in library.names()
                    ),
                ]
            )
        )
        self._expert: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        from experts.lora.expert import LoraExpert

        with self._lock:
            if self._expert is None:
                names = self.library.names()
                model, tok = load_base(self.base_dir)
                peft_model = self.library.load(model, names, self.base_dir)
                router_dir = self.library.root / ROUTER_DIR
                if (router_dir / "router.json").exists() and self.embed is not None:
                    router = Router.load(router_dir)
                    self._expert = LoraExpert(
                        peft_model,
                        tok,
                        self.skills,
                        router=router,
                        embed=self.embed,
                        name=self.name,
                    )
                else:
                    weights = {s: 1.0 / len(names) for s in names}
                    self._expert = LoraExpert(
                        peft_model, tok, self.skills, weights=weights, name=self.name
                    )
        return self._expert

    def solve(self, subtask: Any, context: Any) -> list[Any]:
        """Claims from the composed adapters (see :class:`experts.lora.expert.LoraExpert`)."""
        return list(self._load().solve(subtask, context))


def open_library_expert(
    library_dir: str | Path, base_dir: str | Path, embed: Embed | None = None
) -> LazyLoraExpert | None:
    """The skill library as a lazily loaded expert; None when there is no library or base."""
    library = SkillLibrary(library_dir)
    if not Path(library_dir).is_dir() or not library.names():
        return None
    if not (Path(base_dir) / "config.json").exists():
        return None
    return LazyLoraExpert(library, base_dir, embed)
