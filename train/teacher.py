"""Stage 2a: train the `render_ssl` teacher without labels, then cache its features.

    python -m train.teacher --preset tiny --steps 800 --export lost_engine/weights/tiny_teacher.safetensors

Multi-view contrastive learning (SimCLR's NT-Xent): a positive pair is two different rendered
views of one shape, each randomly cropped, flipped and brightness/contrast-jittered; every other
shape in the batch is a negative. Category labels are never read. At the end the teacher's
features of the training and held-out shapes go to the teacher-feature cache.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.renders import build_render_set
from lost_engine.data.sources import is_procedural
from lost_engine.data.teacher_features import TeacherFeatures, compute_teacher_features, save_teacher_features
from lost_engine.teachers.render_ssl import RenderSSLConfig, RenderSSLTeacher, nt_xent
from train.common import base_parser, export_extra, fit, main_first, model_config, param_groups, prepare_run


class ViewPairs(Dataset):
    """Item: two augmented views (H, W) of one shape, as floats in [0, 1]."""

    def __init__(self, views: torch.Tensor, crop_scale: tuple[float, float] = (0.55, 1.0)):
        self.views, self.crop_scale = views, crop_scale

    def __len__(self) -> int:
        return len(self.views)

    def _augment(self, img: torch.Tensor) -> torch.Tensor:
        size = img.shape[-1]
        scale = float(torch.empty(1).uniform_(*self.crop_scale))
        crop = max(8, int(round(size * scale**0.5)))
        y, x = (int(v) for v in torch.randint(0, size - crop + 1, (2,)))
        out = F.interpolate(
            img[None, None, y : y + crop, x : x + crop], size=(size, size), mode="bilinear", align_corners=False
        )[0, 0]
        if torch.rand(()) < 0.5:
            out = out.flip(-1)
        contrast, brightness = float(torch.empty(1).uniform_(0.7, 1.3)), float(torch.empty(1).uniform_(-0.15, 0.15))
        return ((out - 0.5) * contrast + 0.5 + brightness).clamp(0, 1)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        k = self.views.shape[1]
        a, b = torch.randperm(k)[:2]
        views = self.views[i].float() / 255
        return {"a": self._augment(views[a]), "b": self._augment(views[b])}


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/teacher")
    p.set_defaults(steps=800, batch_size=96, lr=5e-4, warmup=50)
    p.add_argument("--data", default="procedural", help="'procedural', 'procedural:chair,table,…' or a mesh folder")
    p.add_argument("--per-category", type=int, default=100)
    p.add_argument("--heldout-per-category", type=int, default=12)
    p.add_argument("--render-cache", type=Path, default=Path(".cache/renders"))
    p.add_argument("--prep-workers", type=int, default=2)
    p.add_argument("--temperature", type=float, default=0.2)
    p.add_argument("--features", type=Path, default=Path(".cache/teacher"), help="teacher-feature cache folder")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.teacher", argv)
    config = model_config(RenderSSLConfig, args)
    with main_first(d):
        views, items, categories = build_render_set(
            args.data, "train", args.per_category, args.render_cache, config.image_size, args.prep_workers
        )
    model = RenderSSLTeacher(config).to(d.device)
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr)
    state = fit(
        args,
        d,
        model,
        optimizer,
        ViewPairs(views),
        lambda module, batch: (
            nt_xent(module(torch.cat([model.preprocess(batch["a"]), model.preprocess(batch["b"])])), args.temperature),
            {},
        ),
    )
    if not d.main:
        return
    if args.export:
        save_model(args.export, "render_ssl_teacher", model, export_extra(args, state))
        print(f"exported {args.export}")
    stem = args.export.stem if args.export else "teacher"
    for split, per_cat in (("train", args.per_category), ("heldout", args.heldout_per_category)):
        if split == "heldout" and not is_procedural(args.data):
            continue
        v, its, cats = (
            (views, items, categories)
            if split == "train"
            else build_render_set(args.data, split, per_cat, args.render_cache, config.image_size, args.prep_workers)
        )
        g, p = compute_teacher_features(model, v)
        labels = torch.tensor([cats.index(it.category) for it in its])
        save_teacher_features(
            args.features / stem / f"{split}.safetensors",
            TeacherFeatures(g, p, labels, [it.key for it in its], list(cats)),
        )
        print(f"teacher features {split}: {tuple(g.shape)}, tokens {tuple(p.shape)}")


if __name__ == "__main__":
    main()
