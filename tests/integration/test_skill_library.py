"""The LoRA skill library on a tiny base built here: composition maths (cat is exactly
W0 + Σ αᵢBᵢAᵢ, linear is not), the no-merge path, the cache, manifests and the library on disk,
resumable training, the router, LoraHub search, teacher data, the expert, the CLI."""

from __future__ import annotations

import json

import pytest
import torch
from typer.testing import CliRunner

from experts.errors import AdapterError, UnknownSkillError
from experts.lora.compose import (
    CompositionCache,
    activate_weighted,
    compose,
    delta_weight,
    reset_scales,
)
from experts.lora.data import check_output, make_pairs, parse_output
from experts.lora.library import SkillLibrary
from experts.lora.manifest import Manifest, base_fingerprint
from experts.lora.router import Router, lorahub_search
from experts.lora.tiny import TinyConfig, build_model, save_model, train_tokenizer
from experts.lora.training import LoraSettings, TrainConfig, add_lora, encode, train

SMALL = TinyConfig(
    hidden_size=32, intermediate_size=64, num_hidden_layers=1, max_position_embeddings=320
)
MODULE = "layers.0.self_attn.q_proj"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A tiny base saved to disk, its tokenizer, and a few pairs."""
    pairs = make_pairs(["fluid_flow"], 20, seed=1) + make_pairs(["heat_transfer"], 20, seed=2)
    tok = train_tokenizer([p.prompt() + p.target for p in pairs], vocab_size=400)
    model = build_model(tok, SMALL)
    path = save_model(model, tok, tmp_path_factory.mktemp("base") / "tiny")
    return path, tok, pairs


def _peft_with_random_adapters(base_path, ranks=(4, 2)):
    """Two adapters with random (non-zero) A and B, so their products are generic."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base_path)
    pm = None
    for name, r in zip(("a", "b"), ranks, strict=True):
        pm = add_lora(model if pm is None else pm, name, LoraSettings(rank=r, alpha=r))
    torch.manual_seed(0)
    for n, p in pm.named_parameters():
        if "lora_B" in n:
            torch.nn.init.normal_(p, std=0.05)
    return pm.eval()


def _logits(model, tok, text="Oil flows in a pipe at 2 m/s."):
    with torch.no_grad():
        return model(**tok(text, return_tensors="pt")).logits


def test_cat_is_exactly_the_weighted_sum_and_linear_adds_cross_terms(base):
    pm = _peft_with_random_adapters(base[0])
    da, db = delta_weight(pm, "a", MODULE), delta_weight(pm, "b", MODULE)
    target = 0.7 * da + 0.3 * db
    compose(pm, {"a": 0.7, "b": 0.3}, "cat")
    assert pm.peft_config["cat"].r == 6  # ranks add up
    assert torch.allclose(delta_weight(pm, "cat", MODULE), target, atol=1e-6)
    # linear composes A and B separately: (Σ√wᵢBᵢ)(Σ√wⱼAⱼ) = the sum + cross terms BᵢAⱼ
    pm2 = _peft_with_random_adapters(base[0], ranks=(4, 4))  # linear needs equal ranks
    da2, db2 = delta_weight(pm2, "a", MODULE), delta_weight(pm2, "b", MODULE)
    compose(pm2, {"a": 0.5, "b": 0.5}, "lin", combination="linear")
    err = (delta_weight(pm2, "lin", MODULE) - (0.5 * da2 + 0.5 * db2)).norm() / (
        0.5 * da2 + 0.5 * db2
    ).norm()
    assert err > 0.3, f"linear merge unexpectedly close to the exact sum (rel. error {err:.3f})"


def test_no_merge_path_matches_cat_and_resets(base):
    _, tok, _ = base
    pm = _peft_with_random_adapters(base[0])
    compose(pm, {"a": 1.0, "b": 0.4}, "cat")
    pm.set_adapter("cat")
    via_cat = _logits(pm, tok)
    activate_weighted(pm, {"a": 1.0, "b": 0.4})
    assert torch.allclose(_logits(pm, tok), via_cat, atol=1e-5)
    reset_scales(pm)
    pm.set_adapter("a")
    only_a = _logits(pm, tok)
    activate_weighted(pm, {"a": 1.0})
    assert torch.allclose(_logits(pm, tok), only_a, atol=1e-6)


def test_compose_replaces_an_existing_name_and_svd_respects_the_budget(base):
    pm = _peft_with_random_adapters(base[0])
    compose(pm, {"a": 1.0}, "mix")
    compose(pm, {"b": 1.0}, "mix")  # PEFT alone would silently keep the old adapter
    assert torch.allclose(delta_weight(pm, "mix", MODULE), delta_weight(pm, "b", MODULE), atol=1e-6)
    exact = 0.6 * delta_weight(pm, "a", MODULE) + 0.4 * delta_weight(pm, "b", MODULE)
    errs = []
    for r in (1, 3, 6):
        compose(pm, {"a": 0.6, "b": 0.4}, "svd", combination="svd", rank=r)
        assert pm.peft_config["svd"].r == r
        errs.append((delta_weight(pm, "svd", MODULE) - exact).norm().item())
    assert errs[0] > errs[1] > errs[2] and errs[2] < 1e-4 * float(exact.norm()) + 1e-6
    with pytest.raises(UnknownSkillError, match="unknown skill 'c'"):
        compose(pm, {"c": 1.0}, "x")
    with pytest.raises(ValueError, match="unknown combination"):
        compose(pm, {"a": 1.0}, "x", combination="ties")
    with pytest.raises(ValueError, match="no non-zero weight"):
        compose(pm, {"a": 0.0}, "x")


def test_composition_cache_rounds_reuses_and_evicts(base):
    pm = _peft_with_random_adapters(base[0])
    cache = CompositionCache(pm, capacity=2, step=0.1)
    n1 = cache.get({"a": 1.0, "b": 0.52})
    assert cache.get({"a": 0.98, "b": 0.49}) == n1  # same rounded α
    assert (cache.hits, cache.misses) == (1, 1)
    cache.get({"a": 1.0})
    cache.get({"b": 1.0})  # third distinct mixture: the least recent is evicted
    assert len(cache) == 2 and n1 not in pm.peft_config
    with pytest.raises(ValueError, match="rounds to zero"):
        cache.get({"a": 0.01})


def test_library_manifests_base_check_and_atomic_add(base, tmp_path, monkeypatch):
    base_path, _, _ = base
    pm = _peft_with_random_adapters(base_path)
    pm.save_pretrained(tmp_path / "out", selected_adapters=["b"])
    adapter_dir = tmp_path / "out" / "b"
    m = Manifest(
        skill="heat_transfer",
        description="heat duty",
        base_model="tiny",
        base_fingerprint=base_fingerprint(base_path),
        rank=2,
        alpha=2,
        target_modules=["q_proj"],
    )
    lib = SkillLibrary(tmp_path / "lib")
    lib.add(adapter_dir, m)
    assert lib.names() == ["heat_transfer"] and lib.manifest("heat_transfer") == m
    with pytest.raises(AdapterError, match="already in the library"):
        lib.add(adapter_dir, m)
    # a failed copy leaves neither the skill nor a temporary folder behind
    import shutil

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copy2", boom)
    with pytest.raises(OSError, match="disk full"):
        lib.add(adapter_dir, m.model_copy(update={"skill": "pumps"}))
    monkeypatch.undo()
    assert sorted(p.name for p in lib.root.iterdir()) == ["heat_transfer"]
    # loading onto the right base works; another base is refused by name
    from transformers import AutoModelForCausalLM

    loaded = lib.load(AutoModelForCausalLM.from_pretrained(base_path), ["heat_transfer"], base_path)
    assert "heat_transfer" in loaded.peft_config
    other = save_model(
        build_model(
            base[1], TinyConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, seed=5)
        ),
        base[1],
        tmp_path / "other",
    )
    with pytest.raises(AdapterError, match="trained on base 'tiny'"):
        lib.load(AutoModelForCausalLM.from_pretrained(other), ["heat_transfer"], other)
    with pytest.raises(UnknownSkillError, match="unknown skill 'pumps'; known: heat_transfer"):
        lib.manifest("pumps")
    with pytest.raises(
        AdapterError, match=r"missing adapter_config\.json, adapter_model\.safetensors"
    ):
        lib.add(tmp_path, m)
    (lib.root / "broken").mkdir()
    with pytest.raises(AdapterError, match=r"manifest\.json is missing"):
        lib.manifest("broken")


def test_training_resumes_to_the_same_weights(base, tmp_path):
    from transformers import AutoModelForCausalLM

    base_path, tok, pairs = base
    ex = encode(tok, [p.prompt() for p in pairs], [p.target for p in pairs])
    cfg = TrainConfig(steps=6, batch_size=4, checkpoint_every=3)

    def fresh():
        torch.manual_seed(0)  # the same initial adapter every time
        m = AutoModelForCausalLM.from_pretrained(base_path)
        return add_lora(m, "s", LoraSettings(rank=2, alpha=2))

    straight = fresh()
    train(straight, ex, tok.pad_token_id, cfg)

    class Crash(Exception):
        pass

    def crash_at_5(step, total, loss):
        if step == 5:
            raise Crash

    interrupted = fresh()
    with pytest.raises(Crash):
        train(interrupted, ex, tok.pad_token_id, cfg, checkpoint_dir=tmp_path, progress=crash_at_5)
    resumed = fresh()
    seen = []
    train(
        resumed,
        ex,
        tok.pad_token_id,
        cfg,
        checkpoint_dir=tmp_path,
        progress=lambda step, total, loss: seen.append(step),
    )
    assert seen == [4, 5, 6]  # continued after the checkpoint at step 3
    for (n, a), (_, b) in zip(straight.named_parameters(), resumed.named_parameters(), strict=True):
        if "lora" in n:
            assert torch.allclose(a, b, atol=1e-6), n
    with pytest.raises(ValueError, match="no training examples"):
        train(fresh(), [], tok.pad_token_id, cfg)


def test_anchored_loss_pulls_to_the_base_where_it_is_right_and_teaches_elsewhere(base):
    """Where the frozen base already predicts the target token the adapter is pulled to the
    base's logits (MSE), elsewhere it gets cross-entropy; a plain model cannot be anchored."""
    from transformers import AutoModelForCausalLM

    from experts.lora.training import _batch, anchored_loss

    base_path, tok, pairs = base
    ex = encode(tok, [p.prompt() for p in pairs[:4]], [p.target for p in pairs[:4]])
    batch = _batch(ex, [0, 1, 2, 3], tok.pad_token_id)
    pm = add_lora(AutoModelForCausalLM.from_pretrained(base_path), "s", LoraSettings(rank=2))
    # a fresh adapter (B = 0) is the base: no pull, and cross-entropy only where the base is wrong
    with torch.no_grad():
        logits = pm(**batch).logits[:, :-1]
        labels = batch["labels"][:, 1:]
        wrong = (labels != -100) & (logits.argmax(-1) != labels)
        ce = torch.nn.functional.cross_entropy(logits[wrong], labels[wrong])
        assert torch.isclose(anchored_loss(pm, batch, 1.0), ce, rtol=1e-5)
        # tokens named as context are left to the base even where it is wrong: nothing to learn
        context = set(labels[wrong].tolist())
        assert anchored_loss(pm, batch, 1.0, context_ids=context) == 0
        for n, p in pm.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.5)
        moved = anchored_loss(pm, batch, 1.0) - anchored_loss(pm, batch, 0.0)
    assert moved > 0  # the adapter now changes logits the base had right: it is pulled back
    with pytest.raises(ValueError, match="anchored loss needs a PeftModel"):
        train(
            AutoModelForCausalLM.from_pretrained(base_path),
            ex,
            tok.pad_token_id,
            TrainConfig(steps=1, anchor=1.0),
        )


def test_variable_names_are_whole_tokens_and_round_trip():
    from experts.lora.data import target_words

    words = target_words()
    assert {"V", "V_dot", "T_in", "T_out", "q"} <= set(words)
    pairs = make_pairs(["fluid_flow", "pumps"], 10, seed=5)
    tok = train_tokenizer([p.prompt() + p.target for p in pairs], vocab_size=400, words=words)
    for p in pairs:
        for line in (p.target, p.placeholder_target(), p.prompt()):
            assert tok.decode(tok(line, add_special_tokens=False)["input_ids"]) == line
        pieces = tok.tokenize(p.target)
        assert " V_dot" in pieces and " V" in pieces  # one token each, no shared first token
    assert tok.tokenize("Very quick")[0] != " V"  # only whole words
    from experts.lora.service import context_token_ids

    context = context_token_ids(tok, "fluid_flow")  # other skills' names: left to the base
    assert tok.convert_tokens_to_ids(" V_dot") in context
    assert not {tok.convert_tokens_to_ids(w) for w in (" V", " Re", " q")} & context


def test_engine_is_the_teacher_and_the_judge():
    pairs = make_pairs(["fluid_flow", "heat_transfer"], 5, seed=3)
    for p in pairs:
        assert set(p.answers) == {"Re", "Q_dot"} and check_output(p.target, p)
        givens, _, questions = p.target.partition(" => ")
        for part in givens.split(" ; "):  # every clause is copied from the text as written
            assert part.rpartition(" = ")[0] in p.text
        assert [q.rpartition(" = ")[2] for q in questions.split(" ; ")] == ["Re", "Q_dot"]
        first = givens.split(" ; ")[0]
        clause, _, name = first.rpartition(" = ")
        value = next(w for w in clause.split() if w[0].isdigit())
        wrong = p.target.replace(
            first, clause.replace(value, f"{float(value) * 2:g}") + " = " + name
        )
        assert not check_output(wrong, p)  # a misread number is caught by the engine
        # bare quantities and the usual order (a teacher LLM's), bare target names, read the same
        bare = []
        for part in givens.split(" ; "):
            words = part.rpartition(" = ")[0].split()
            i = next(i for i, w in enumerate(words) if w[0].isdigit())
            bare.append(f"{part.rpartition(' = ')[2]} = {words[i]} {words[i + 1]}")
        assert check_output(" ; ".join(bare) + " => Re , Q_dot", p)
    placeholder = pairs[0].placeholder_target()
    assert placeholder.count("= q") == 10 and placeholder.endswith(" = q")  # 8 givens, 2 questions
    kept = pairs[0].placeholder_target(("fluid_flow",))
    assert "= rho" in kept and "= cp" not in kept and kept.count("= q") == 5
    assert kept.partition(" => ")[2].endswith(" = Re ; " + placeholder.rpartition(" ; ")[2])
    # a clause may hold other numbers: the quantity is the one in the variable's dimension
    assert parse_output("at 20 degC the viscosity is 2 cP = mu => Re")[0] == {"mu": 0.002}
    with pytest.raises(ValueError, match="not a given of a known variable: 'velocity = 3 m/s'"):
        parse_output("velocity = 3 m/s => Re")
    with pytest.raises(ValueError, match="bad quantity '3 zorks/s' for V"):
        parse_output("V = 3 zorks/s => Re")
    with pytest.raises(ValueError, match="bad quantity 'it flows fast' for V: no number"):
        parse_output("it flows fast = V => Re")
    with pytest.raises(ValueError, match="unknown targets"):
        parse_output("V = 3 m/s => Find the speed. = speed")
    with pytest.raises(UnknownSkillError, match="unknown skill 'optics'"):
        make_pairs(["optics"], 1)


def test_router_routes_single_and_two_skill_texts(tmp_path):
    from graph.embeddings import shared_embedder

    embed = shared_embedder().encode
    skills = ["fluid_flow", "heat_transfer", "pumps"]
    train_pairs = [p for i, s in enumerate(skills) for p in make_pairs([s], 40, seed=10 + i)]
    router = Router(skills)  # default temperature 2.0: soft enough to keep a second skill
    router.fit(embed([p.text for p in train_pairs]), [p.skills for p in train_pairs])
    test = [p for i, s in enumerate(skills) for p in make_pairs([s], 20, seed=50 + i)]
    routed = router.route(embed([p.text for p in test]))
    acc = sum(set(w) == set(p.skills) for w, p in zip(routed, test, strict=True)) / len(test)
    assert acc >= 0.9, acc
    both = make_pairs(["fluid_flow", "heat_transfer"], 20, seed=60)
    routed2 = router.route(embed([p.text for p in both]))
    assert sum(set(w) == {"fluid_flow", "heat_transfer"} for w in routed2) >= 15, routed2[:3]
    assert all(set(w.values()) == {1.0} for w in routed2)  # kept skills at full strength
    x2 = embed([both[0].text])
    alpha = router.alphas(x2)[0]
    prop = router.route(x2, strength="proportional")[0]
    top = max(alpha)
    assert prop == {
        s: pytest.approx(float(a) / top) for s, a in zip(skills, alpha, strict=True) if s in prop
    }
    assert max(prop.values()) == 1.0 and min(prop.values()) < 1.0
    router.save(tmp_path / "r")
    again = Router.load(tmp_path / "r")
    x = embed([test[0].text])
    assert (again.alphas(x) == router.alphas(x)).all() and again.strength == "full"
    with pytest.raises(ValueError, match="router strength must be one of"):
        Router(skills, strength="loud")
    with pytest.raises(UnknownSkillError):
        router.fit(x, [("optics",)])
    with pytest.raises(FileNotFoundError, match="no trained router"):
        Router.load(tmp_path / "none")


def test_lorahub_search_finds_the_weights_that_minimise_the_loss():
    calls = []

    def loss(w):
        calls.append(w)
        return (w.get("a", 0) - 1.0) ** 2 + (w.get("b", 0) - 0.5) ** 2

    w = lorahub_search(loss, ["a", "b"], budget=60, l1=0.0)
    assert abs(w["a"] - 1.0) < 0.05 and abs(w["b"] - 0.5) < 0.05
    assert len(calls) <= 60


def test_teacher_outputs_are_kept_only_when_the_engine_verifies_them():
    from experts.lora.service import teacher_pairs
    from peoa.llm import OpenAIBackend
    from tests.support.openai_server import ScriptedOpenAIServer

    pairs = make_pairs(["pumps"], 2, seed=4)
    givens, _, questions = pairs[1].target.partition(" => ")
    hallucinated = f"{givens} ; eta = 99 % => {questions}"  # a second, made-up efficiency
    with ScriptedOpenAIServer([pairs[0].target, hallucinated]) as srv:
        kept, rejected = teacher_pairs(pairs, OpenAIBackend(srv.base_url, "teacher", retries=0))
    assert [p.text for p in kept] == [pairs[0].text] and rejected == 1


def test_lora_expert_claims_through_the_engine(base):
    from experts.base import Context, Expert
    from experts.lora.expert import LoraExpert
    from peoa.models import Problem, Subtask

    base_path, tok, _ = base
    pm = _peft_with_random_adapters(base_path)
    expert = LoraExpert(pm, tok, ("fluid flow",), weights={"a": 1.0}, name="lora-test")
    assert isinstance(expert, Expert)
    p = make_pairs(["fluid_flow"], 1, seed=9)[0]
    problem = Problem(id="x", text=p.text, targets=["Re"])
    claims = expert.solve(
        Subtask(id="s", description="Re", targets=["Re"]), Context(problem=problem)
    )
    assert len(claims) == 1 and claims[0].slot == "Re" and claims[0].expert == "lora-test"
    assert claims[0].provenance[0].startswith("read: ")
    # an untrained adapter reads nonsense: the claim is a flagged failure, not a number
    if claims[0].features.get("tool_failure"):
        assert claims[0].confidence == 0.0
    else:
        assert claims[0].value == pytest.approx(p.answers["Re"], rel=1e-3)
    with pytest.raises(ValueError, match="needs a router"):
        LoraExpert(pm, tok, ("x",))


def test_experts_cli(peoa_env, tmp_path, base):
    from peoa.cli.main import app

    runner = CliRunner()
    lib = str(tmp_path / "lib")
    r = runner.invoke(
        app, ["experts", "make-data", "pumps", "--n", "3", "--out", str(tmp_path / "d.jsonl")]
    )
    assert r.exit_code == 0, r.output
    assert (
        json.loads(r.stdout)["written"] == 3
        and len((tmp_path / "d.jsonl").read_text().splitlines()) == 3
    )
    r = runner.invoke(app, ["experts", "list", "--json", "--library", lib])
    assert r.exit_code == 0 and json.loads(r.stdout)["lora"] == []
    assert "equations" in {t["name"] for t in json.loads(r.stdout)["tools"]}
    # train a skill into a scratch library (anchored loss by default, plain with --anchor 0)
    scratch = str(tmp_path / "scratch")
    for anchor in ("1", "0"):
        args = ["experts", "train", "pumps", "--data", str(tmp_path / "d.jsonl"), "--steps", "2"]
        args += ["--anchor", anchor, "--fresh", "--quiet", "--library", scratch]
        r = runner.invoke(app, [*args, "--base", str(base[0])])
        assert r.exit_code == 0, r.output
        assert {"final_loss", "held_out_accuracy"} <= set(json.loads(r.stdout.splitlines()[-1]))
    assert SkillLibrary(scratch).names() == ["pumps"]
    r = runner.invoke(app, ["experts", "remove", "pumps", "--library", lib])
    assert r.exit_code == 2 and "unknown skill 'pumps'" in r.output
    r = runner.invoke(app, ["experts", "make-data", "optics", "--out", str(tmp_path / "x.jsonl")])
    assert r.exit_code == 2 and "unknown skill 'optics'" in r.output
    r = runner.invoke(app, ["experts", "route", "a pump", "--library", lib])
    assert r.exit_code == 2 and "no trained router" in r.output
    # add an adapter folder without a manifest, then compose it for vLLM
    pm = _peft_with_random_adapters(base[0])
    pm.save_pretrained(tmp_path / "ad", selected_adapters=["a"])
    r = runner.invoke(
        app,
        ["experts", "add", str(tmp_path / "ad" / "a"), "--library", lib, "--base", str(base[0])],
    )
    assert r.exit_code == 2 and "give --skill" in r.output
    r = runner.invoke(
        app,
        [
            "experts",
            "add",
            str(tmp_path / "ad" / "a"),
            "--skill",
            "fluid_flow",
            "--library",
            lib,
            "--base",
            str(base[0]),
        ],
    )
    assert r.exit_code == 0, r.output
    out = tmp_path / "composed"
    r = runner.invoke(
        app,
        [
            "experts",
            "compose",
            "fluid_flow=0.5",
            "--out",
            str(out),
            "--library",
            lib,
            "--base",
            str(base[0]),
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rank"] == 4 and (out / "adapter_config.json").exists()
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(base[0]), out
    )  # loads as a plain adapter
    r = runner.invoke(
        app,
        [
            "experts",
            "compose",
            "fluid_flow=x",
            "--out",
            str(out),
            "--library",
            lib,
            "--base",
            str(base[0]),
        ],
    )
    assert r.exit_code == 2 and "bad weight 'fluid_flow=x'" in r.output


def test_experiment_quick_run_has_the_contract_shape(peoa_env, tmp_path):
    from peoa.cli.main import app

    r = CliRunner().invoke(
        app, ["experts", "experiment", "--quick", "--json", "--workdir", str(tmp_path / "x")]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert {"base", "single", "composed_cat", "merged_linear", "router_accuracy"} <= set(out)
    assert out["two_skill_task"] == "fluid_flow+pumps"
    tasks = {"fluid_flow", "heat_transfer", "pumps", "fluid_flow+pumps"}
    assert set(out["base"]) == tasks and set(out["single"]) == {
        "fluid_flow",
        "heat_transfer",
        "pumps",
    }
    assert all(0.0 <= v <= 1.0 for v in out["composed_cat"].values())
    assert SkillLibrary(tmp_path / "x" / "skills").names() == [
        "fluid_flow",
        "heat_transfer",
        "pumps",
    ]
    bad = CliRunner().invoke(
        app, ["experts", "experiment", "--quick", "--combined", "pumps,optics", "--workdir", "y"]
    )
    assert bad.exit_code == 2 and "'pumps,optics'" in bad.output


def test_sdk_registers_the_library_as_a_lazy_expert(peoa_env, base, tmp_path):
    """A built library joins the agent as the ``lora`` expert, loaded only when a subtask needs
    it: problems the exact tools answer never load the base model."""
    from peoa.cli.main import app
    from peoa.sdk import Assistant

    base_path = base[0]
    none = Assistant(llm="none", use_graph=False, skills=tmp_path / "empty", base_model=base_path)
    assert "lora" not in (none.agent, none.registry)[1]
    pm = _peft_with_random_adapters(base_path)
    pm.save_pretrained(tmp_path / "ad", selected_adapters=["a"])
    lib = str(tmp_path / "lib")
    args = ["experts", "add", str(tmp_path / "ad" / "a"), "--skill", "fluid_flow"]
    r = CliRunner().invoke(app, [*args, "--library", lib, "--base", str(base_path)])
    assert r.exit_code == 0, r.output
    a = Assistant(llm="none", use_graph=False, skills=lib, base_model=base_path)
    expert = (a.agent, a.registry)[1].get("lora")
    assert "fluid flow" in expert.skills and expert._expert is None
    ans = a.solve("Convert 50 psig to kPa.\nReport your answers as:\nP = ___ kPa")
    assert ans.status == "solved" and expert._expert is None  # exact tools answered
    # no diameter: the exact tools cannot give Re, so the adapters are loaded and asked
    text = (
        "Oil with a density of 870 kg/m^3 and a viscosity of 0.05 Pa*s flows at 1.3 m/s "
        "through a tube.\nReport your answers as:\nRe = ___"
    )
    ans = a.solve(text)
    assert expert._expert is not None
    assert any(e.node == "expert:lora" for e in ans.trace)


def test_base_skills_are_known_and_never_adapter_skills(tmp_path):
    from dataclasses import replace

    from experts.lora.data import BASE_SKILLS
    from experts.lora.experiment import ExperimentConfig, run_experiment
    from experts.lora.service import pretrain_base
    from experts.lora.tiny import TinyConfig

    assert set(BASE_SKILLS) == {"ideal_gas", "cstr"}
    for s in BASE_SKILLS:  # real skills: the engine solves their pairs
        assert all(check_output(p.target, p) for p in make_pairs([s], 5, seed=2))
    cfg = replace(ExperimentConfig.quick(), base_skills=("pumps", "cstr"))
    with pytest.raises(ValueError, match=r"\['pumps'\] are both base skills and adapter skills"):
        run_experiment(tmp_path / "x", cfg)
    assert not (tmp_path / "x").exists()  # refused before anything was written
    with pytest.raises(UnknownSkillError, match="optics"):
        pretrain_base(
            make_pairs(["pumps"], 2), TinyConfig(), TrainConfig(steps=1), named=["optics"]
        )
