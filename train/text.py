"""Stage 4a: train the tiny text encoder (an open_clip text tower) against the frozen RIDA
student's global embeddings of the captioned training shapes.

    python -m train.text --preset tiny --latents .cache/latents/tiny_vae \
        --rida lost_engine/weights/tiny_rida.safetensors --export lost_engine/weights/tiny_text.safetensors

Loss: multi-positive InfoNCE (the RIDA stage's) between caption embeddings and shape embeddings;
positives are the caption's own shape and shapes whose RIDA embedding is as close as the
`--positive-quantile` of all pairs. At the end the held-out captions (wordings never seen in
training) are scored by k-NN category retrieval against the training shapes.

`--distill` teaches a trained encoder (`--init`, the teacher) to read prompts as people write them:
for procedural shapes of the model's categories, the student reads captions of
`lost_engine.data.descriptions` (descriptions without the category's name, product names, styles,
plurals, typos) and the shape's own procedural caption, and learns the teacher's embedding of that
procedural caption as the teacher reads it at run time (through the prompt lexicon). The GPT,
trained on the teacher's embeddings, then needs no retraining. It needs no latents:

    python -m train.text --distill --init lost_engine/weights/tiny_text.safetensors \
        --lexicon lost_engine/weights/tiny_lexicon.json --export runs/tiny_text_people.safetensors

The lexicon of the student must know the words it learned (`wordnet_lexicon --people-words`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

import torch
from torch.utils.data import Dataset

import numpy as np
import torch.nn.functional as F

from lost_engine.checkpoint import save_model
from lost_engine.data.descriptions import people_caption
from lost_engine.data.latents import load_latents
from lost_engine.data.procedural import CATEGORIES, SYNONYMS, make_shape
from lost_engine.lexicon import Lexicon
from lost_engine.evaluation.rida_eval import retrieval
from lost_engine.models.rida import global_infonce
from lost_engine.text import (
    ProjectedTextConfig,
    ProjectedTextEncoder,
    TextEncoder,
    TextEncoderConfig,
    load_text_encoder,
)
from train.common import (
    base_parser,
    export_extra,
    fit,
    load_frozen_rida,
    model_config,
    param_groups,
    prepare_run,
    set_overrides,
)
from train.rida import mining_thresholds


class CaptionsAndShapes(Dataset):
    """What the encoder reads of each caption (token ids (N, L), or a pretrained backbone's
    sentence features (N, D)), with word dropout on token ids: each word token (not start/end/
    padding) is removed with probability `word_dropout`, so that no single word (e.g. a noun never
    seen in training) decides the embedding alone."""

    def __init__(
        self, ids: torch.Tensor, targets: torch.Tensor, word_dropout: float = 0.0, labels: torch.Tensor | None = None
    ):
        self.ids, self.targets, self.word_dropout = ids, targets, word_dropout  # (N, L) or (N, D), (N, E)
        self.labels = labels  # (N,) categories, or None

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        ids = self.ids[i]
        if self.word_dropout > 0 and not ids.is_floating_point():
            end = int(ids.argmax())  # the end token has the largest id
            words = ids[1:end]  # between the start and the end token
            kept = words[torch.rand(len(words)) >= self.word_dropout]
            ids = torch.cat([ids[:1], kept, ids[end:]])
            ids = torch.nn.functional.pad(ids, (0, len(self.ids[i]) - len(ids)))
        item = {"ids": ids, "target": self.targets[i]}
        return item if self.labels is None else {**item, "label": self.labels[i]}


@torch.no_grad()
def shape_embeddings(rida, latents: torch.Tensor, batch: int = 128) -> torch.Tensor:
    return torch.cat(
        [
            rida(latents[i : i + batch].to(next(rida.parameters()).device))[0].cpu()
            for i in range(0, len(latents), batch)
        ]
    )


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/text")
    p.set_defaults(steps=800, batch_size=128, lr=1e-3, warmup=50)
    p.add_argument("--latents", type=Path, default=Path(".cache/latents/tiny_vae"))
    p.add_argument("--rida", type=Path, default=Path("lost_engine/weights/tiny_rida.safetensors"))
    p.add_argument("--positive-quantile", type=float, default=0.95)
    p.add_argument("--ignore-quantile", type=float, default=0.85)
    p.add_argument("--word-dropout", type=float, default=0.3, help="probability of removing each caption word")
    p.add_argument(
        "--category-aware",
        action="store_true",
        help="InfoNCE: captions of one category are never pushed apart, of two categories never pulled together",
    )
    p.add_argument(
        "--backbone",
        default=None,
        help="read captions with this frozen pretrained sentence encoder (all-MiniLM-L6-v2, or a model folder) "
        "and train only a head that projects its features (lost_engine.text.ProjectedTextEncoder)",
    )
    p.add_argument("--distill", action="store_true", help="teach the --init encoder's reading to people's wordings")
    p.add_argument("--lexicon", type=Path, default=None, help="--distill: the teacher's prompt lexicon")
    p.add_argument("--categories", default=None, help="--distill: comma-separated (default: the lexicon's)")
    p.add_argument("--per-category", type=int, default=100, help="--distill: shapes per category")
    p.add_argument("--variants", type=int, default=8, help="--distill: people's captions per shape")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.text", argv)
    if args.distill:
        return distill(args, d)
    train = load_latents(args.latents / "train.safetensors")
    rida = load_frozen_rida(args.rida, train.latents, d.device)
    targets = shape_embeddings(rida, train.latents)
    positive, ignore = mining_thresholds(targets, args.positive_quantile, args.ignore_quantile)
    model = new_encoder(args, embed_dim=targets.shape[1]).to(d.device)
    labels = train.labels if args.category_aware else None
    data = CaptionsAndShapes(encoder_inputs(model, train.captions), targets, args.word_dropout, labels)
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07), device=d.device))
    model.register_parameter("logit_scale", logit_scale)  # trained with the tower, dropped at export
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr)
    state = fit(args, d, model, optimizer, data, lambda module, b: _loss(module, b, logit_scale, positive, ignore))
    if not d.main:
        return
    del model.logit_scale
    model.eval()
    _report_and_export(
        args, state, model, "heldout_retrieval", heldout_retrieval(model, args.latents, targets, train.labels)
    )


def new_encoder(args, **fields) -> TextEncoder | ProjectedTextEncoder:
    """A fresh text tower, or with --backbone a projection head over that frozen sentence encoder;
    --preset and --set choose its config, `fields` fill the rest."""
    if args.backbone:
        return ProjectedTextEncoder(model_config(ProjectedTextConfig, args, backbone=args.backbone, **fields))
    return TextEncoder(model_config(TextEncoderConfig, args, **fields))


def encoder_inputs(model, captions: list[str]) -> torch.Tensor:
    """What `model` reads of each caption: token ids (N, L), or the frozen backbone's sentence
    features (N, D), computed once here since the backbone is never trained."""
    return model.features(captions) if isinstance(model, ProjectedTextEncoder) else model.tokenize(captions)


def _report_and_export(args, state, model, name: str, report: dict) -> None:
    """Print the held-out report, write it to OUT/<name>.json and export the model with it."""
    print(json.dumps(report))
    (args.out / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    if args.export:
        save_model(args.export, model.kind, model, {**export_extra(args, state), name: report}, half=True)
        print(f"exported {args.export}")


def _loss(module, batch, logit_scale, positive, ignore):
    loss = global_infonce(module(batch["ids"]), batch["target"], logit_scale, positive, ignore, batch.get("label"))
    return loss, {"infonce": float(loss.detach()), "temperature": float(1 / logit_scale.detach().exp())}


def captioned_shapes(categories, per_category: int, variants: int, split: str, seed: int, exclude=frozenset()):
    """[(category, the shape's procedural caption, [people's captions of it])] for `per_category`
    shapes of each category in `split`; no people's caption mentions a phrase of `exclude`."""
    rng = np.random.default_rng(seed)
    shapes = [make_shape(c, i, split) for c in categories for i in range(per_category)]
    return [
        (s.category, s.caption, [people_caption(s.category, s.subtype, rng, exclude=exclude) for _ in range(variants)])
        for s in shapes
    ]


def heldout_nouns(lexicon: Lexicon | None, categories) -> frozenset[str]:
    """Each category's held-out noun (the last of its nouns: the model's or else this world's), which
    no training caption may use, as evaluations read it as an unseen wording."""
    names = lexicon.categories if lexicon and lexicon.categories else SYNONYMS
    return frozenset(names[c][-1] for c in categories)


@torch.no_grad()
def _encode(encoder, captions: list[str], batch: int = 256) -> torch.Tensor:
    return torch.cat([encoder.encode(captions[i : i + batch]) for i in range(0, len(captions), batch)])


def teacher_targets(teacher, lexicon: Lexicon | None, captions: list[str]) -> torch.Tensor:
    """The teacher's embeddings (N, E) of captions read as the pipeline reads a prompt."""
    return _encode(teacher, [lexicon.rewrite(c)[0] if lexicon else c for c in captions])


def distill(args, d) -> None:
    if args.init is None:
        raise SystemExit("--distill needs --init: the trained text encoder to learn from")
    teacher = load_text_encoder(args.init).to(d.device)
    lexicon = Lexicon.load(args.lexicon) if args.lexicon else None
    if args.categories:
        categories = args.categories.split(",")
    else:  # the model's own world, stored with its lexicon, else this world
        categories = list(lexicon.categories) if lexicon and lexicon.categories else list(CATEGORIES)
    exclude = heldout_nouns(lexicon, categories)
    shapes = captioned_shapes(categories, args.per_category, args.variants, "train", args.seed, exclude)
    targets = teacher_targets(teacher, lexicon, [caption for _, caption, _ in shapes])  # (S, E)
    student_captions = [c for _, caption, people in shapes for c in (caption, *people)]
    repeat = torch.arange(len(shapes)).repeat_interleave(args.variants + 1)
    model = _student(args, teacher).to(d.device)
    if type(model) is not type(teacher):  # --init is then only the teacher: the student starts fresh
        args = argparse.Namespace(**{**vars(args), "init": None})
    data = CaptionsAndShapes(encoder_inputs(model, student_captions), targets[repeat], args.word_dropout)
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr)
    state = fit(args, d, model, optimizer, data, _distill_loss)
    if not d.main:
        return
    model.eval()
    _report_and_export(
        args, state, model, "heldout_reading", heldout_reading(model, teacher, lexicon, categories, args, exclude)
    )


def _student(args, teacher):
    """The teacher's kind and config unless --set changes it ("layers=4"; the tensors of like shape
    start from --init), or a projection head over --backbone whatever the teacher is."""
    if args.backbone and not (isinstance(teacher, ProjectedTextEncoder) and teacher.config.backbone == args.backbone):
        return new_encoder(args, embed_dim=teacher.config.embed_dim)
    config_cls = type(teacher.config)
    return type(teacher)(dataclasses.replace(teacher.config, **set_overrides(config_cls, args)))


def _distill_loss(module, batch):
    loss = (1 - F.cosine_similarity(module(batch["ids"]), batch["target"], dim=-1)).mean()
    return loss, {"cosine_distance": float(loss.detach())}


@torch.no_grad()
def heldout_reading(student, teacher, lexicon, categories, args, exclude) -> dict:
    """On held-out shapes' people's captions (other shapes, other draws): the mean cosine to the
    teacher's embedding of the shape's own caption, and the share whose nearest category (the mean
    of the teacher's embeddings of a category's captions) is the shape's, for student and teacher."""
    shapes = captioned_shapes(categories, 4, args.variants, "heldout", args.seed + 1, exclude)
    own = teacher_targets(teacher, lexicon, [caption for _, caption, _ in shapes])
    labels = torch.tensor([categories.index(c) for c, _, _ in shapes])
    prototypes = F.normalize(torch.stack([own[labels == i].mean(0) for i in range(len(categories))]), dim=-1)
    people = [c for _, _, cs in shapes for c in cs]
    repeat = torch.arange(len(shapes)).repeat_interleave(args.variants)
    report = {"captions": len(people)}
    for name, e in (("student", _encode(student, people)), ("teacher", teacher_targets(teacher, lexicon, people))):
        report[f"{name}_cosine"] = float(F.cosine_similarity(e, own[repeat], dim=-1).mean())
        report[f"{name}_category_accuracy"] = float(((e @ prototypes.T).argmax(1) == labels[repeat]).float().mean())
    return report


@torch.no_grad()
def heldout_retrieval(model, latents_dir: Path, train_targets: torch.Tensor, train_labels: torch.Tensor) -> dict:
    """Category of the nearest training shape for each held-out caption (unseen wording)."""
    held = load_latents(latents_dir / "heldout.safetensors")
    text = model.encode(held.captions).cpu()
    return {
        "captions": len(held.captions),
        **retrieval(text, held.labels, train_targets, train_labels),
        "chance_top1": 1 / len(held.categories),
    }


if __name__ == "__main__":
    main()
