"""Stage 2b: train the RIDA student f_θ on cached VAE latents + cached teacher features.

    python -m train.rida --preset tiny --latents .cache/latents/tiny_vae \
        --teacher-features .cache/teacher/tiny_teacher \
        --export lost_engine/weights/tiny_rida.safetensors

Positive / ignored pairs of the InfoNCE term are mined from teacher similarity. With
`--thresholds quantile` (default for the project's own teacher, whose cosine scale differs from
DINOv2's) they are the given quantiles of the teacher's off-diagonal similarities on the training
set; with `--thresholds absolute` they are the paper's 0.83 / 0.65.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.latents import load_latents
from lost_engine.data.teacher_features import load_teacher_features
from lost_engine.models.rida import RIDAConfig, RIDAStudent, rida_loss
from train.common import base_parser, export_extra, fit, model_config, param_groups, prepare_run


class AlignedLatentsAndTeacher(Dataset):
    """Latents and teacher features of the same shapes, matched by key."""

    def __init__(self, latents_path: Path, teacher_path: Path):
        lat, feats = load_latents(latents_path), load_teacher_features(teacher_path)
        index = {k: i for i, k in enumerate(feats.keys)}
        both = [(i, index[k]) for i, k in enumerate(lat.keys) if k in index]
        if not both:
            raise ValueError(f"no shapes in common between {latents_path} and {teacher_path}")
        li, ti = (torch.tensor(x) for x in zip(*both))
        self.latents, self.labels = lat.latents[li], lat.labels[li]
        self.teacher_global, self.teacher_tokens = feats.global_[ti], feats.tokens[ti]
        self.categories = lat.categories

    def __len__(self) -> int:
        return len(self.latents)

    def __getitem__(self, i):
        return {
            "latent": self.latents[i],
            "teacher_global": self.teacher_global[i],
            "teacher_tokens": self.teacher_tokens[i],
        }


def mining_thresholds(teacher_global: torch.Tensor, positive_q: float, ignore_q: float) -> tuple[float, float]:
    sim = teacher_global @ teacher_global.T
    off = sim[~torch.eye(len(sim), dtype=torch.bool)]
    sample = off[torch.randperm(len(off), generator=torch.Generator().manual_seed(0))[:1_000_000]]
    return float(sample.quantile(positive_q)), float(sample.quantile(ignore_q))


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/rida")
    p.set_defaults(steps=600, batch_size=128, lr=5e-4, warmup=50)
    p.add_argument("--latents", type=Path, default=Path(".cache/latents/tiny_vae"))
    p.add_argument("--teacher-features", type=Path, default=Path(".cache/teacher/tiny_teacher"))
    p.add_argument("--thresholds", choices=("quantile", "absolute"), default="quantile")
    p.add_argument("--positive-quantile", type=float, default=0.9)
    p.add_argument("--ignore-quantile", type=float, default=0.75)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.rida", argv)
    data = AlignedLatentsAndTeacher(args.latents / "train.safetensors", args.teacher_features / "train.safetensors")
    _, c, ch, r, _ = data.latents.shape
    derived = dict(latent_channels=ch, latent_resolution=r, teacher_dim=data.teacher_global.shape[1])
    if args.thresholds == "quantile":
        pos, ign = mining_thresholds(data.teacher_global, args.positive_quantile, args.ignore_quantile)
        derived.update(positive_threshold=pos, ignore_threshold=ign)
    config = model_config(RIDAConfig, args, **derived)  # loss weights and the rest: --set w_rank=0.5 …
    if d.main:
        print(
            f"mining thresholds: positive >= {config.positive_threshold:.3f}, ignored >= {config.ignore_threshold:.3f}"
        )
    model = RIDAStudent(config).to(d.device)
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr)
    state = fit(
        args,
        d,
        model,
        optimizer,
        data,
        lambda module, b: rida_loss(module, b["latent"], b["teacher_global"], b["teacher_tokens"]),
    )
    if d.main and args.export:
        save_model(args.export, "rida_student", model, export_extra(args, state))
        print(f"exported {args.export}")


if __name__ == "__main__":
    main()
