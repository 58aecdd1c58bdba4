import dataclasses
import json

import torch
from safetensors.torch import load_file

from lost_engine.checkpoint import load_model, save_model
from lost_engine.data.latents import LatentSet, save_latents
from lost_engine.models.rida import RIDAConfig, RIDAStudent
from lost_engine.text import TextEncoder, TextEncoderConfig
from train import gpt as train_gpt
from train import text as train_text

WORDS = {"chair": ["chair", "seat", "armchair"], "lamp": ["lamp", "light", "lampstand"]}


def _captions(n, heldout):
    cats = list(WORDS)
    return [f"a tall {WORDS[cats[i % 2]][-1 if heldout else i % 2]}" for i in range(n)]


def _latent_cache(folder, n_train=24, n_held=6):
    g = torch.Generator().manual_seed(0)
    centers = torch.randn(2, 3, 4, 8, 8, generator=g)
    for split, n, held in (("train", n_train, False), ("heldout", n_held, True)):
        labels = torch.arange(n) % 2
        latents = centers[labels] + 0.3 * torch.randn(n, 3, 4, 8, 8, generator=g)
        save_latents(
            folder / f"{split}.safetensors",
            LatentSet(latents, labels, list(WORDS), _captions(n, held), [f"{split}{i}" for i in range(n)]),
        )


def _rida(folder):
    """A micro RIDA student's model file for the latent cache of `_latent_cache`."""
    student = RIDAStudent(
        RIDAConfig(latent_channels=4, latent_resolution=8, width=32, depth=1, heads=2, teacher_dim=16)
    )
    return save_model(folder / "rida.safetensors", "rida_student", student)


def test_text_stage_trains_exports_half_precision_and_reports_heldout_retrieval(tmp_path):
    _latent_cache(tmp_path / "lat")
    torch.manual_seed(0)
    rida = _rida(tmp_path)
    export = tmp_path / "text.safetensors"
    train_text.main(
        [
            "--steps",
            "4",
            "--batch-size",
            "8",
            "--warmup",
            "1",
            "--latents",
            str(tmp_path / "lat"),
            "--rida",
            str(rida),
            "--out",
            str(tmp_path / "run"),
            "--export",
            str(export),
            "--set",
            "width=32",
            "--set",
            "layers=1",
            "--set",
            "context_length=16",
            "--category-aware",  # as train.all runs it: the batches carry each caption's category
        ]
    )
    encoder = load_model(export, "text_encoder")
    assert encoder.config.embed_dim == 16 and "logit_scale" not in dict(encoder.named_parameters())
    emb = encoder.encode(["a tall chair", "a lamp"])
    assert emb.shape == (2, 16) and torch.allclose(emb.norm(dim=-1), torch.ones(2), atol=1e-4)
    report = json.loads((tmp_path / "run" / "heldout_retrieval.json").read_text())
    assert report["captions"] == 6 and 0 <= report["top1"] <= 1


def test_gpt_stage_trains_on_cached_tokens_and_exports_ema_weights(tmp_path):
    tokens = tmp_path / "tokens"
    n = 16
    keys = [f"{list(WORDS)[i % 2]}_train_{i:05d}" for i in range(n)]  # procedural names: people's captions
    save_latents(
        tokens / "train.safetensors",
        LatentSet(torch.randn(n, 8, 4), torch.arange(n) % 2, list(WORDS), _captions(n, False), keys),
    )
    text_path = save_model(
        tmp_path / "text.safetensors",
        "text_encoder",
        TextEncoder(TextEncoderConfig(context_length=16, width=32, layers=1, embed_dim=16)),
    )
    export = tmp_path / "gpt.safetensors"
    common = [
        "--batch-size",
        "4",
        "--warmup",
        "1",
        "--tokens",
        str(tokens),
        "--text",
        str(text_path),
        "--out",
        str(tmp_path / "run"),
        "--export",
        str(export),
        "--ckpt-every",
        "2",
        "--people-variants",
        "2",
        "--set",
        "width=32",
        "--set",
        "depth=1",
        "--set",
        "heads=2",
        "--set",
        "head_width=32",
        "--set",
        "head_depth=1",
    ]
    train_gpt.main(["--steps", "2", *common])
    train_gpt.main(["--steps", "4", "--resume", *common])
    gpt = load_model(export, "lost_gpt")
    assert (gpt.config.tokens, gpt.config.token_dim, gpt.config.cond_dim) == (8, 4, 16)
    state = torch.load(tmp_path / "run" / "state.pt", weights_only=True)
    assert state["step"] == 4 and "ema" in state
    assert len((tmp_path / "run" / "command.txt").read_text().splitlines()) == 2  # resumed runs keep the history
    whole = [a if a != str(tmp_path / "run") else str(tmp_path / "whole") for a in common]
    train_gpt.main(["--steps", "4", *whole])  # the same 4 steps without a stop: bit-identical weights
    uninterrupted = torch.load(tmp_path / "whole" / "state.pt", weights_only=True)
    for part in ("model", "ema"):
        for name, value in uninterrupted[part].items():
            assert torch.equal(value, state[part][name]), f"{part}.{name}"
    stored = load_file(export)  # float16 on disk, the EMA weights
    assert {t.dtype for t in stored.values() if t.is_floating_point()} == {torch.float16}
    assert all(torch.equal(stored[name], state["ema"]["module." + name].half()) for name in stored)
    assert all(p.dtype == torch.float32 for p in gpt.parameters())  # loading converts back


def test_gpt_conditions_on_people_s_captions_of_procedural_shapes_only():
    torch.manual_seed(0)
    encoder = TextEncoder(TextEncoderConfig(context_length=32, width=32, layers=1, embed_dim=16)).eval()
    keys = ["chair_train_00003", "my_scan_0001", "lamp_train_00010"]
    captions = train_gpt.people_captions(keys, 3, seed=0)
    assert [len(c) for c in captions] == [3, 0, 3] and captions == train_gpt.people_captions(keys, 3, seed=0)
    assert not any("throne" in c or "lampstand" in c for cs in captions for c in cs)  # held-out nouns
    conds = train_gpt.caption_embeddings(encoder, ["a chair", "a scan", "a lamp"])
    people = train_gpt.people_embeddings(encoder, keys, conds, 3, seed=0)
    assert people.shape == (3, 3, 16) and torch.equal(people[1], conds[1].expand(3, -1))
    assert torch.allclose(people[0, 1], encoder.encode([captions[0][1]])[0], atol=1e-5)
    batch = {"cond": conds, "people": people, "sample_seed": torch.arange(3)}
    seen = []
    train_gpt._loss(lambda cond, tokens: seen.append(cond) or cond.sum(), {**batch, "tokens": None}, 1.0)
    assert all(any(torch.equal(seen[0][i], p) for p in people[i]) for i in range(3))


def test_distillation_teaches_a_trained_encoder_people_s_wordings_of_the_model_s_categories(tmp_path):
    torch.manual_seed(0)
    config = TextEncoderConfig(width=32, layers=1, heads=2, context_length=32, embed_dim=16)
    teacher = save_model(tmp_path / "teacher.safetensors", "text_encoder", TextEncoder(config))

    def distill(name, *extra):
        train_text.main(
            ["--distill", "--init", str(teacher), "--categories", "chair,lamp", "--per-category", "2"]
            + ["--variants", "2", "--steps", "3", "--batch-size", "6", "--warmup", "1", *extra]
            + ["--out", str(tmp_path / name), "--export", str(tmp_path / f"{name}.safetensors")]
        )
        return load_model(tmp_path / f"{name}.safetensors", "text_encoder")

    assert distill("run").config == config  # the teacher's architecture, started from its weights
    report = json.loads((tmp_path / "run" / "heldout_reading.json").read_text())
    assert report["captions"] == 2 * 4 * 2  # 4 held-out shapes per category, 2 people's captions each
    assert -1 <= report["student_cosine"] <= 1 and 0 <= report["student_category_accuracy"] <= 1
    deeper = distill("deeper", "--set", "layers=2")  # a deeper student of the same teacher
    assert deeper.config == dataclasses.replace(config, layers=2)


def test_distillation_never_trains_on_the_held_out_nouns():
    from train.text import captioned_shapes, heldout_nouns

    exclude = heldout_nouns(None, ["chair", "sofa"])  # this world's: the last noun of each category
    assert exclude == {"throne", "settee"}
    from lost_engine.data.descriptions import mentions

    shapes = captioned_shapes(["chair", "sofa"], 3, 20, "train", 0, exclude)
    captions = [c for _, _, people in shapes for c in people]
    assert len(captions) == 120 and not any(mentions(c, exclude) for c in captions)


def test_the_text_stage_trains_a_projection_head_over_a_frozen_sentence_encoder(tmp_path, tiny_sentence_model):
    """--backbone: both phases (InfoNCE against RIDA, then distillation from the trained teacher)
    train only the head; the backbone's weights never change and are not exported."""
    from lost_engine.text import ProjectedTextEncoder

    _latent_cache(tmp_path / "lat")
    torch.manual_seed(0)
    rida = _rida(tmp_path)
    backbone = ["--backbone", str(tiny_sentence_model), "--set", "backbone_dim=16", "--set", "hidden=8"]
    phase1 = tmp_path / "phase1.safetensors"
    train_text.main(
        ["--steps", "4", "--batch-size", "8", "--warmup", "1", "--latents", str(tmp_path / "lat"), "--rida", str(rida)]
        + ["--out", str(tmp_path / "run1"), "--export", str(phase1), "--category-aware", *backbone]
    )
    first = load_model(phase1, "projected_text_encoder")
    assert first.config.embed_dim == 16 and set(first.state_dict()) == {
        f"head.{i}.{p}" for i in (0, 2) for p in "weight bias".split()
    }
    assert json.loads((tmp_path / "run1" / "heldout_retrieval.json").read_text())["captions"] == 6
    phase2 = tmp_path / "phase2.safetensors"
    train_text.main(
        ["--distill", "--init", str(phase1), "--categories", "chair,lamp", "--per-category", "2", "--variants", "2"]
        + ["--steps", "3", "--batch-size", "6", "--warmup", "1", "--lr", "1e-2", *backbone]
        + ["--out", str(tmp_path / "run2"), "--export", str(phase2)]
    )
    second = load_model(phase2, "projected_text_encoder")
    assert isinstance(second, ProjectedTextEncoder) and second.config == first.config
    moved = [not torch.equal(a, b) for a, b in zip(first.state_dict().values(), second.state_dict().values())]
    assert all(moved)  # started from phase 1's head, then trained
    emb = second.encode(["a tall chair", "a lamp"])
    assert emb.shape == (2, 16) and torch.allclose(emb.norm(dim=-1), torch.ones(2), atol=1e-3)


def test_a_tower_teacher_is_distilled_into_a_fresh_projection_head(tmp_path, tiny_sentence_model):
    torch.manual_seed(0)
    config = TextEncoderConfig(width=32, layers=1, heads=2, context_length=32, embed_dim=16)
    teacher = save_model(tmp_path / "teacher.safetensors", "text_encoder", TextEncoder(config))
    train_text.main(
        ["--distill", "--init", str(teacher), "--categories", "chair,lamp", "--per-category", "2", "--variants", "2"]
        + ["--steps", "2", "--batch-size", "6", "--warmup", "1", "--backbone", str(tiny_sentence_model)]
        + ["--set", "backbone_dim=16", "--out", str(tmp_path / "run"), "--export", str(tmp_path / "s.safetensors")]
    )
    student = load_model(tmp_path / "s.safetensors", "projected_text_encoder")
    assert student.config.embed_dim == 16 and student.config.backbone == str(tiny_sentence_model)
