"""`python -m lost_engine eval <stage>`: one subcommand per stage, each with only its own options,
each calling its evaluate_* function with explicit parameters."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import WEIGHTS
from .report import write_report

DEFAULT_VAE = WEIGHTS / "tiny_vae.safetensors"
DEFAULT_RIDA = WEIGHTS / "tiny_rida.safetensors"
DEFAULT_TOKENIZER = WEIGHTS / "tiny_tokenizer.safetensors"
DEFAULT_TEACHER = WEIGHTS / "tiny_teacher.safetensors"


def _categories(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _named_path(text: str) -> tuple[str, Path]:
    """'NAME=PATH' -> (NAME, PATH), for --compare."""
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=CKPT, got {text!r}")
    return name.strip(), Path(path)


def _stage(stages, name: str, help_text: str, ckpt: Path, ckpt_help: str, run) -> argparse.ArgumentParser:
    """A stage's parser with the options every stage has: the model and where the report goes."""
    p = stages.add_parser(name, help=help_text)
    p.add_argument("--ckpt", type=Path, default=ckpt, help=f"{ckpt_help} (default: the embedded one)")
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    p.add_argument("--markdown", type=Path, help="write the markdown table here")
    p.set_defaults(func=run)
    return p


def add_eval_parser(sub) -> None:
    stages = sub.add_parser("eval", help="evaluate a trained stage").add_subparsers(dest="stage", required=True)

    p = _stage(stages, "vae", "reconstruction of held-out shapes", DEFAULT_VAE, "VAE model file", run_vae)
    p.add_argument("--data", default="procedural", help="'procedural', 'procedural:chair,table,…' or a mesh folder")
    p.add_argument("--per-category", type=int, default=12, help="procedural shapes per category")
    p.add_argument("--resolution", type=int, default=128, help="marching-cubes resolution")
    p.add_argument(
        "--split",
        default="heldout",
        choices=("heldout", "train"),
        help="procedural split (train: the shapes it trained on, to tell underfitting from overfitting)",
    )
    p.add_argument("--per-shape", action="store_true", help="also list every shape")
    p.add_argument("--sheet", type=Path, help="contact sheet PNG: ground truth vs reconstruction")
    p.add_argument("--level", type=float, default=0.0, help="occupancy logit of the surface (0: probability 0.5)")

    p = _stage(stages, "thin-parts", "the thinnest rod the VAE keeps", DEFAULT_VAE, "VAE model file", run_thin_parts)
    p.add_argument("--resolution", type=int, default=128, help="marching-cubes resolution")
    p.add_argument("--sheet", type=Path, help="PNG of the reconstructions")

    p = _stage(stages, "rida", "the student's agreement with the teacher", DEFAULT_RIDA, "RIDA student file", run_rida)
    p.add_argument("--latents", type=Path, default=Path(".cache/latents/tiny_vae"), help="latent cache")
    p.add_argument(
        "--teacher-features", type=Path, default=Path(".cache/teacher/tiny_teacher"), help="teacher-feature cache"
    )

    p = _stage(
        stages, "tokenizer", "prefix decodes of held-out shapes", DEFAULT_TOKENIZER, "tokenizer file", run_tokenizer
    )
    p.add_argument("--baseline", type=Path, help="a geometric-only tokenizer to compare against")
    p.add_argument(
        "--compare",
        action="append",
        default=[],
        type=_named_path,
        metavar="NAME=CKPT",
        help="one more tokenizer for the same table and plot (repeatable; NAME ends at the first =)",
    )
    p.add_argument("--vae", type=Path, default=DEFAULT_VAE, help="the VAE its latents come from")
    p.add_argument("--teacher", type=Path, default=DEFAULT_TEACHER, help="the frozen render teacher")
    p.add_argument("--per-category", type=int, default=3, help="held-out shapes per category")
    p.add_argument("--resolution", type=int, default=64, help="marching-cubes resolution")
    p.add_argument("--steps", type=int, default=None, help="the decoder's sampler steps (default: the model's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--categories", type=_categories, default=None, help="these categories only (comma-separated)")
    p.add_argument("--sheet", type=Path, help="contact sheet PNG")
    p.add_argument("--plot", type=Path, help="PNG of each metric vs k")

    p = _stage(stages, "gpt", "text to shape on held-out wordings", WEIGHTS, "folder of model files", run_gpt)
    p.add_argument("--teacher", type=Path, default=DEFAULT_TEACHER, help="the frozen render teacher (classifier)")
    p.add_argument("--resolution", type=int, default=64, help="marching-cubes resolution")
    p.add_argument(
        "--steps", type=int, default=None, help="the tokenizer decoder's sampler steps (default: the model's)"
    )
    p.add_argument("--seeds", type=int, default=4, help="seeds per prompt")
    p.add_argument("--cfg", type=float, default=3.0, help="classifier-free guidance scale")
    p.add_argument("--categories", type=_categories, default=None, help="these categories only (comma-separated)")
    p.add_argument("--sheet", type=Path, help="contact sheet PNG")
    p.add_argument(
        "--prompts",
        type=Path,
        default=None,
        help="a people-written prompt set (category<TAB>group<TAB>prompt lines, e.g. "
        "docs/eval/prompts/people_written.tsv) instead of the held-out captions",
    )

    p = _stage(
        stages,
        "text",
        "how the text side reads a people-written prompt set (no generation)",
        WEIGHTS,
        "folder of model files (its <name>_text.safetensors and <name>_lexicon.json)",
        run_text,
    )
    p.add_argument("--prompts", type=Path, required=True, help="category<TAB>group<TAB>prompt lines")
    p.add_argument(
        "--zero-shot",
        default=None,
        metavar="BACKBONE",
        help="read with this pretrained sentence encoder's own features (all-MiniLM-L6-v2, or a model folder) "
        "instead of the model's text encoder: what it knows before any training",
    )


def run_vae(a) -> None:
    from ..checkpoint import load_model
    from .vae_eval import evaluate_vae

    vae = load_model(a.ckpt, "triplane_vae")
    write_report(
        *evaluate_vae(vae, a.data, a.per_category, a.resolution, a.sheet, a.per_shape, a.split, a.level),
        a.markdown,
        a.json,
    )


def run_thin_parts(a) -> None:
    from ..checkpoint import load_model
    from .thin_parts import evaluate_thin_parts

    vae = load_model(a.ckpt, "triplane_vae").eval()
    write_report(*evaluate_thin_parts(vae, resolution=a.resolution, sheet=a.sheet), a.markdown, a.json)


def run_rida(a) -> None:
    from ..checkpoint import load_model
    from .rida_eval import evaluate_rida

    write_report(*evaluate_rida(load_model(a.ckpt, "rida_student"), a.latents, a.teacher_features), a.markdown, a.json)


def _classifier(teacher_path: Path, categories=None):
    """The frozen classifier, choosing among `categories` only (all of the world's if None): a model
    of 17 kinds is judged on which of its own kinds a shape looks like, not on 45."""
    from ..teachers import load_teacher
    from .classifier import classifier_for

    data = "procedural" if categories is None else "procedural:" + ",".join(categories)
    return classifier_for(load_teacher("render_ssl", teacher_path).eval(), teacher_path, data=data)


def run_tokenizer(a) -> None:
    from ..checkpoint import load_model
    from .tokenizer_eval import evaluate_tokenizer

    models = {"LoS": load_model(a.ckpt, "lost_tokenizer").eval()}
    if a.baseline:
        models["geometric-only"] = load_model(a.baseline, "lost_tokenizer").eval()
    for name, path in a.compare:
        if name in models:
            raise ValueError(f"--compare {name}={path}: the name {name!r} is taken")
        models[name] = load_model(path, "lost_tokenizer").eval()
    vae = load_model(a.vae, "triplane_vae").eval()
    report = evaluate_tokenizer(
        models,
        vae,
        _classifier(a.teacher, a.categories),
        a.per_category,
        a.resolution,
        a.steps,
        a.seed,
        a.sheet,
        a.plot,
        a.categories,
    )
    write_report(*report, a.markdown, a.json)


def run_text(a) -> None:
    from ..lexicon import Lexicon
    from ..pipeline import model_name
    from ..text import load_text_encoder
    from .text_eval import evaluate_prompt_reading

    name = model_name(a.ckpt)
    lexicon = a.ckpt / f"{name}_lexicon.json"
    if a.zero_shot:  # the pretrained sentence encoder's own reading, through the same lexicon
        from ..sentence_encoder import sentence_backbone
        from .text_eval import ZeroShotReader

        text_encoder = ZeroShotReader(sentence_backbone(a.zero_shot))
    else:
        text_encoder = load_text_encoder(a.ckpt / f"{name}_text.safetensors")
    report = evaluate_prompt_reading(text_encoder, Lexicon.load(lexicon) if lexicon.exists() else None, a.prompts)
    write_report(*report, a.markdown, a.json)


def run_gpt(a) -> None:
    from ..pipeline import Pipeline
    from .gpt_eval import evaluate_gpt, evaluate_prompt_set

    pipe = Pipeline.load(a.ckpt, "auto", resolution=a.resolution, steps=a.steps)
    classifier = _classifier(a.teacher, pipe.categories)
    if a.prompts:
        report = evaluate_prompt_set(pipe, classifier, a.prompts, a.seeds, a.cfg)
    else:
        report = evaluate_gpt(pipe, classifier, a.seeds, a.cfg, a.sheet, a.categories)
    write_report(*report, a.markdown, a.json)
