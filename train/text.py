"""Stage 4a: train the tiny text encoder (an open_clip text tower) against the frozen RIDA
student's global embeddings of the captioned training shapes.

    python -m train.text --preset tiny --latents .cache/latents/tiny_vae \
        --rida lost_engine/weights/tiny_rida.safetensors --export lost_engine/weights/tiny_text.safetensors

Loss: multi-positive InfoNCE (the RIDA stage's) between caption embeddings and shape embeddings;
positives are the caption's own shape and shapes whose RIDA embedding is as close as the
`--positive-quantile` of all pairs. At the end the held-out captions (wordings never seen in
training) are scored by k-NN category retrieval against the training shapes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.latents import load_latents
from lost_engine.evaluation.rida_eval import retrieval
from lost_engine.models.rida import global_infonce
from lost_engine.text import TextEncoder, TextEncoderConfig
from train.common import base_parser, export_extra, fit, load_frozen_rida, model_config, param_groups, prepare_run
from train.rida import mining_thresholds


class CaptionsAndShapes(Dataset):
    """Token ids of captions with word dropout: each word token (not start/end/padding) is removed
    with probability `word_dropout`, so that no single word (e.g. a noun never seen in training)
    decides the embedding alone."""

    def __init__(self, ids: torch.Tensor, targets: torch.Tensor, word_dropout: float = 0.0):
        self.ids, self.targets, self.word_dropout = ids, targets, word_dropout  # (N, L), (N, E)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        ids = self.ids[i]
        if self.word_dropout > 0:
            end = int(ids.argmax())  # the end token has the largest id
            words = ids[1:end]  # between the start and the end token
            kept = words[torch.rand(len(words)) >= self.word_dropout]
            ids = torch.cat([ids[:1], kept, ids[end:]])
            ids = torch.nn.functional.pad(ids, (0, len(self.ids[i]) - len(ids)))
        return {"ids": ids, "target": self.targets[i]}


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
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.text", argv)
    train = load_latents(args.latents / "train.safetensors")
    rida = load_frozen_rida(args.rida, train.latents, d.device)
    targets = shape_embeddings(rida, train.latents)
    positive, ignore = mining_thresholds(targets, args.positive_quantile, args.ignore_quantile)
    model = TextEncoder(model_config(TextEncoderConfig, args, embed_dim=targets.shape[1])).to(d.device)
    data = CaptionsAndShapes(model.tokenize(train.captions), targets, args.word_dropout)
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07), device=d.device))
    model.register_parameter("logit_scale", logit_scale)  # trained with the tower, dropped at export
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr)
    state = fit(args, d, model, optimizer, data, lambda module, b: _loss(module, b, logit_scale, positive, ignore))
    if not d.main:
        return
    del model.logit_scale
    model.eval()
    report = heldout_retrieval(model, args.latents, targets, train.labels)
    print(json.dumps(report))
    (args.out / "heldout_retrieval.json").write_text(json.dumps(report, indent=2) + "\n")
    if args.export:
        save_model(
            args.export, "text_encoder", model, {**export_extra(args, state), "heldout_retrieval": report}, half=True
        )
        print(f"exported {args.export}")


def _loss(module, batch, logit_scale, positive, ignore):
    loss = global_infonce(module(batch["ids"]), batch["target"], logit_scale, positive, ignore)
    return loss, {"infonce": float(loss.detach()), "temperature": float(1 / logit_scale.detach().exp())}


@torch.no_grad()
def heldout_retrieval(
    model: TextEncoder, latents_dir: Path, train_targets: torch.Tensor, train_labels: torch.Tensor
) -> dict:
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
