import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lost_engine.checkpoint import load_model
from lost_engine.data.procedural import CATEGORIES, SYNONYMS
from lost_engine.evaluation.classifier import ShapeClassifier
from lost_engine.evaluation.gpt_eval import evaluate_gpt
from lost_engine.evaluation.report import write_report
from lost_engine.evaluation.tokenizer_eval import (
    evaluate_tokenizer,
    heldout_shapes,
    other_shape_metrics,
    sampler_steps_text,
)
from lost_engine.pipeline import Pipeline
from lost_engine.teachers.base import Teacher


class PoolTeacher(Teacher):
    """A deterministic stand-in teacher: 4x4 average-pooled pixels as features."""

    image_size = 32

    def encode(self, x):
        tokens = F.adaptive_avg_pool2d(x, 4).flatten(2).transpose(1, 2)  # (B, 16, 3)
        return tokens.flatten(1), tokens


@pytest.fixture(scope="module")
def teacher():
    return PoolTeacher().eval()


def _views(n, bright_left, seed):
    g = torch.Generator().manual_seed(seed)
    views = 0.1 * torch.rand(n, 2, 32, 32, generator=g)
    half = slice(0, 16) if bright_left else slice(16, 32)
    views[..., half] += 0.8
    return views


def test_classifier_separates_two_kinds_of_renders_and_survives_save_load(teacher, tmp_path):
    views = torch.cat([_views(20, True, 0), _views(20, False, 1)])
    labels = torch.tensor([0] * 20 + [1] * 20)
    clf = ShapeClassifier.fit(teacher, views, labels, ["left", "right"])
    fresh = torch.cat([_views(10, True, 2), _views(10, False, 3)])
    assert (clf.predict(fresh) == torch.tensor([0] * 10 + [1] * 10)).float().mean() == 1.0
    clf.save(tmp_path / "clf.safetensors")
    loaded = ShapeClassifier.load(teacher, tmp_path / "clf.safetensors")
    assert loaded.categories == ["left", "right"] and torch.equal(loaded.predict(fresh), clf.predict(fresh))


def test_the_classifier_of_a_model_chooses_among_its_own_categories_only(teacher, tmp_path):
    from lost_engine.evaluation.classifier import classifier_for, mesh_views
    from lost_engine.data.procedural import make_shape, shape_mesh

    teacher_file = tmp_path / "teacher.safetensors"
    teacher_file.write_bytes(b"stand-in teacher")
    clf = classifier_for(teacher, teacher_file, 3, tmp_path, workers=1, data="procedural:chair,mug")
    assert clf.categories == ["chair", "mug"]
    views = torch.stack([mesh_views(*shape_mesh(make_shape(c, 0, "train"), 48)) for c in ("chair", "mug")])
    assert clf.predict(views).tolist() == [0, 1]  # its own training shapes, each in its category
    assert classifier_for(teacher, teacher_file, 3, tmp_path, data="procedural:chair,mug").categories == clf.categories


def _random_classifier(teacher):
    g = torch.Generator().manual_seed(0)
    return ShapeClassifier(
        teacher, torch.randn(len(CATEGORIES), 48, generator=g), torch.zeros(len(CATEGORIES)), list(CATEGORIES)
    )


@pytest.mark.slow
def test_tokenizer_evaluation_reports_every_prefix_length(micro_weights, teacher, tmp_path):
    tokenizer = load_model(micro_weights / "tiny_tokenizer.safetensors")
    vae = load_model(micro_weights / "tiny_vae.safetensors")
    md, figures = evaluate_tokenizer(
        {"LoS": tokenizer, "geometric-only": tokenizer},
        vae,
        _random_classifier(teacher),
        per_category=1,
        resolution=24,
        sheet=tmp_path / "sheet.png",
        plot=tmp_path / "plot.png",
        only=["mug", "bottle"],
    )
    rows = {(r["model"], r["k"]): r for r in figures["rows"]}
    assert figures["ks"] == [1, 2, 4, 8] and figures["shapes"] == 2
    assert all((name, k) in rows for name in ("LoS", "geometric-only") for k in (1, 2, 4, 8))
    assert rows[("ground truth", "-")]["chamfer"] == 0.0 and rows[("vae", "-")]["chamfer"] > 0
    assert all(0 <= r["accuracy"] <= 1 and -1 <= r["semantic"] <= 1 for r in figures["rows"])
    assert rows[("LoS", 8)]["chamfer"] == rows[("geometric-only", 8)]["chamfer"]  # same model, same seed
    assert (tmp_path / "sheet.png").stat().st_size > 0 and (tmp_path / "plot.png").stat().st_size > 0
    write_report(md, figures, tmp_path / "t.md", tmp_path / "t.json")
    saved = json.loads((tmp_path / "t.json").read_text())
    assert saved["ks"] == [1, 2, 4, 8]
    assert saved["steps"] == {"LoS": 2, "geometric-only": 2} and "sampler steps 2," in md  # the model's default


def test_sampler_steps_are_named_per_model_when_they_differ():
    assert sampler_steps_text({"LoS": 1, "geometric-only": 1}) == "1"
    assert sampler_steps_text({"LoS": 1, "geometric-only": 8}) == "LoS 1, geometric-only 8"


def test_other_shape_reference_scores_a_shape_against_itself_perfectly(micro_weights, teacher):
    vae = load_model(micro_weights / "tiny_vae.safetensors")
    a, b = heldout_shapes(vae, teacher, 2, list(CATEGORIES), only=["mug"])
    clf = _random_classifier(teacher)
    same, other = other_shape_metrics(a, a, clf), other_shape_metrics(a, b, clf)
    assert same["iou"] == 1.0 and same["semantic"] == pytest.approx(1.0, abs=1e-5) and same["chamfer"] < 0.3
    assert other["iou"] < 1.0 and other["semantic"] < same["semantic"] and other["chamfer"] > same["chamfer"]
    assert other["accuracy"] == float(clf.logits_from_features(b.feature[None]).argmax() == a.label)


def test_gpt_evaluation_reports_each_category_with_its_heldout_wording(micro_weights, teacher, tmp_path):
    pipe = Pipeline.load(micro_weights, "cpu", resolution=24, steps=1)
    md, figures = evaluate_gpt(
        pipe, _random_classifier(teacher), seeds=2, sheet=tmp_path / "gpt.png", only=["sofa", "mug"]
    )
    assert [r["category"] for r in figures["per_category"]] == ["sofa", "mug"]
    assert all(0 <= r["accuracy_full"] <= 1 and r["diversity_chamfer"] > 0 for r in figures["per_category"])
    assert all(r["gt_parts"] == 1 and r["parts_ok"] in (0.0, 0.5, 1.0) for r in figures["per_category"])
    assert all(r["diversity_ratio"] > 0 for r in figures["per_category"])
    assert figures["frechet_distance"] > 0 and "Fréchet distance" in md
    for row in figures["per_category"]:  # "sofa 1, mug 1": the classifier's answers agree with the accuracy
        counts = {c: int(n) for c, n in (item.rsplit(" ", 1) for item in row["classified_as"].split(", "))}
        assert sum(counts.values()) == 2 and counts.get(row["category"], 0) / 2 == row["accuracy_full"]
    assert (
        SYNONYMS["sofa"][-1] in {r["category"]: r["prompt"] for r in figures["per_category"]}["sofa"]
    )  # held-out wording
    assert (tmp_path / "gpt.png").stat().st_size > 0
    assert figures["steps"] == 1 and "tokenizer decoder sampler steps 1." in md


def test_gpt_evaluation_counts_a_refused_heldout_prompt_as_not_followed(micro_weights, teacher, monkeypatch):
    from lost_engine.pipeline import OutsideWorld

    pipe = Pipeline.load(micro_weights, "cpu", resolution=24, steps=1)
    generate = pipe.generate

    def refuse_tankards(prompt, **options):
        if SYNONYMS["mug"][-1] in prompt:
            raise OutsideWorld(f"this model does not know '{SYNONYMS['mug'][-1]}'; it makes: sofa")
        return generate(prompt, **options)

    monkeypatch.setattr(pipe, "generate", refuse_tankards)
    md, figures = evaluate_gpt(pipe, _random_classifier(teacher), seeds=2, only=["sofa", "mug"])
    sofa, mug = figures["per_category"]
    assert mug["accuracy_full"] == 0.0 and mug["classified_as"].startswith("refused (this model does not know")
    assert sofa["diversity_chamfer"] > 0 and figures["frechet_distance"] > 0 and "refused" in md


def test_eval_tokenizer_takes_named_extra_models_and_rejects_a_nameless_one(capsys):
    from lost_engine.cli import build_parser

    args = build_parser().parse_args(
        ["eval", "tokenizer", "--compare", "λ 0.3=runs/a.safetensors", "--compare", "b=c=d"]
    )
    assert args.compare == [("λ 0.3", Path("runs/a.safetensors")), ("b", Path("c=d"))]
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["eval", "tokenizer", "--compare", "runs/a.safetensors"])
    assert exit_info.value.code == 2 and "expected NAME=CKPT" in capsys.readouterr().err


def test_thin_part_probe_has_legs_of_the_radius_asked_and_the_evaluation_reports_each(micro_weights):
    from lost_engine.checkpoint import load_model
    from lost_engine.evaluation.thin_parts import CORNER, evaluate_thin_parts, leg_probe

    probe = leg_probe(0.04)
    with torch.no_grad():
        on_leg = torch.tensor([[CORNER + 0.04, 0.0, CORNER], [CORNER, -0.5, CORNER - 0.04]])
        assert probe.sdf(on_leg).abs().max() < 1e-4  # the legs' surfaces lie at the radius
        turned = leg_probe(0.04, "horizontal").sdf(torch.tensor([[0.0, -CORNER - 0.04, CORNER]]))
        assert turned.abs().max() < 1e-4  # the turned probe's legs run along x
    vae = load_model(next(micro_weights.glob("*vae*.safetensors")), "triplane_vae").eval()
    md, figures = evaluate_thin_parts(vae, radii=(0.03, 0.06), resolution=24)
    assert [(r["orientation"], r["radius"]) for r in figures["rows"]] == [
        ("vertical", 0.03),
        ("vertical", 0.06),
        ("horizontal", 0.03),
        ("horizontal", 0.06),
    ]
    assert all(0 <= r["kept"] <= 1 and 0 <= r["recall"] <= 1 for r in figures["rows"]) and "Smallest radius" in md


def test_ground_truth_of_a_category_is_one_piece_with_features_per_shape(teacher):
    from lost_engine.evaluation.gpt_eval import ground_truth

    truth = ground_truth("chair", 2, _random_classifier(teacher), resolution=48)
    assert truth["parts"] == 1 and len(truth["meshes"]) == 2
    assert truth["features"].shape[0] == 2 and not torch.allclose(truth["features"][0], truth["features"][1])


def test_prompt_set_evaluation_follows_in_world_prompts_and_counts_refusals(micro_weights, teacher, tmp_path):
    import shutil

    from lost_engine import WEIGHTS
    from lost_engine.evaluation.gpt_eval import evaluate_prompt_set
    from lost_engine.evaluation.prompt_sets import read_prompt_set
    from lost_engine.pipeline import LEXICON_FILE

    folder = tmp_path / "weights"
    shutil.copytree(micro_weights, folder)
    shutil.copy(WEIGHTS / LEXICON_FILE, folder / LEXICON_FILE)  # the embedded model's 17 categories
    prompts = tmp_path / "prompts.tsv"
    prompts.write_text(
        "# category\tgroup\tprompt\nchair\ttypo\ta wooden chiar\nsofa\tproduct\ta leather couch\n"
        "outside\toutside\ta fierce dragon\noutside\toutside\tan elephant\ndesk\tproduct\ta writing desk\n"
    )
    md, figures = evaluate_prompt_set(
        Pipeline.load(folder, "cpu", resolution=24, steps=1), _random_classifier(teacher), prompts, seeds=1
    )
    s = figures["summary"]
    assert s["outside_flagged"] == 1.0 and s["in_world_wrongly_flagged"] == 0.0
    assert [r["category"] for r in figures["by_category"]] == ["chair", "sofa"]
    assert all(r["followed"] in (0.0, 1.0) and r["as_named"] in (0.0, 1.0) for r in figures["by_category"])
    assert 0.0 <= s["as_named"] <= 1.0 and "as_named" in md
    chair = next(p for p in figures["prompts"] if p["category"] == "chair")
    assert chair["read_as"] == "a wooden chair" and "outside prompts flagged 1.000" in md
    with pytest.raises(ValueError, match="prompts.tsv:1"):
        prompts.write_text("chair only two fields\tx\n")
        read_prompt_set(prompts)


def test_eval_text_reads_people_s_prompts_with_the_embedded_text_side_and_refuses_other_things(tmp_path):
    from lost_engine.cli import main

    prompts = tmp_path / "prompts.tsv"
    prompts.write_text(
        "chair\ttypo\ta wooden chiar\nsofa\tproduct\ta leather couch\nlamp\tplural\ttwo floor lamps\n"
        "outside\toutside\ta fierce dragon\noutside\toutside\tan elephant\n"
    )
    out = tmp_path / "reading.json"
    assert main(["eval", "text", "--prompts", str(prompts), "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    by_prompt = {p["prompt"]: p for p in figures["prompts"]}
    assert by_prompt["a wooden chiar"]["read_as"] == "a wooden chair"
    assert [by_prompt[p]["nearest"] for p in ("a wooden chiar", "a leather couch", "two floor lamps")] == [
        "chair",
        "sofa",
        "lamp",
    ]
    assert figures["summary"]["read_as_named"] == 1.0 and figures["summary"]["outside_flagged"] == 1.0
    assert [r["category"] for r in figures["by_category"]] == ["chair", "sofa", "lamp"]


def test_eval_text_zero_shot_reads_with_the_sentence_encoder_s_own_features(tmp_path):
    from lost_engine.cli import main

    prompts = tmp_path / "prompts.tsv"
    prompts.write_text(
        "airplane\tdescription\tthe big thing with wings that flies people to other countries\n"
        "lamp\tdescription\tsomething to light up my desk at night\noutside\toutside\ta fierce dragon\n"
    )
    out = tmp_path / "reading.json"
    assert main(["eval", "text", "--prompts", str(prompts), "--zero-shot", "all-MiniLM-L6-v2", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert [p["nearest"] for p in figures["prompts"][:2]] == ["airplane", "lamp"]
    assert figures["summary"]["outside_flagged"] == 1.0  # the lexicon still refuses before any encoder reads
