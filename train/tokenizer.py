"""Stage 3: train the LoST tokenizer on cached VAE latents, with the frozen RIDA student.

    python -m train.tokenizer --preset tiny --latents .cache/latents/tiny_vae \
        --rida lost_engine/weights/tiny_rida.safetensors --export lost_engine/weights/tiny_tokenizer.safetensors

`--semantic-weight 0` trains the geometric-only baseline (same budget, no RIDA term). The export
holds the EMA weights; the latent cache of this tokenizer's tokens (read by the GPT stage) is
written to `.cache/tokens/<export stem>/{train,heldout}.safetensors`.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.latents import LatentSet, load_latents, save_latents
from lost_engine.models.lost_tokenizer import LoSTTokenizer, LoSTTokenizerConfig, tokenizer_loss
from lost_engine.sample_random import SampleRandom
from train.common import (
    TrainState,
    base_parser,
    export_extra,
    fit,
    load_frozen_rida,
    make_ema,
    model_config,
    param_groups,
    prepare_run,
)


class Latents(Dataset):
    def __init__(self, latents: torch.Tensor):
        self.latents = latents

    def __len__(self) -> int:
        return len(self.latents)

    def __getitem__(self, i):
        return {"latent": self.latents[i]}


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/tokenizer")
    p.set_defaults(steps=1000, batch_size=32, lr=5e-4, warmup=50)
    p.add_argument("--latents", type=Path, default=Path(".cache/latents/tiny_vae"))
    p.add_argument("--rida", type=Path, default=Path("lost_engine/weights/tiny_rida.safetensors"))
    p.add_argument("--semantic-weight", type=float, default=1.0, help="λ; 0 = geometric-only baseline")
    p.add_argument("--semantic-batch", type=int, default=8, help="samples per step that get the semantic term (0: all)")
    p.add_argument(
        "--semantic-warmup", type=int, default=0, help="steps of denoising only before the semantic term starts"
    )
    p.add_argument("--t-power", type=float, default=1.0, help="training times t = u^(1/p): p > 1 favours high noise")
    p.add_argument(
        "--prefix-decay",
        type=float,
        default=1.0,
        help="nested dropout: the i-th prefix length (1, 2, 4, …) is drawn with probability ∝ r^i (1: uniform)",
    )
    p.add_argument("--ema-decay", type=float, default=0.995)
    p.add_argument("--tokens-cache", type=Path, default=Path(".cache/tokens"))
    return p.parse_args(argv)


@torch.no_grad()
def export_tokens(tokenizer: LoSTTokenizer, latents_dir: Path, out_dir: Path, batch_size: int = 64) -> None:
    """Tokens of every cached latent, same labels/captions/keys: (N, K, D) per split."""
    tokenizer.eval()
    for split in ("train", "heldout"):
        path = latents_dir / f"{split}.safetensors"
        if not path.is_file():
            continue
        lat = load_latents(path)
        device = next(tokenizer.parameters()).device
        tokens = torch.cat(
            [
                tokenizer.encode(lat.latents[i : i + batch_size].to(device)).cpu()
                for i in range(0, len(lat.latents), batch_size)
            ]
        )
        save_latents(
            out_dir / f"{split}.safetensors", LatentSet(tokens, lat.labels, lat.categories, lat.captions, lat.keys)
        )
        print(f"tokens {split}: {tuple(tokens.shape)} -> {out_dir / f'{split}.safetensors'}")


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.tokenizer", argv)
    latents = load_latents(args.latents / "train.safetensors").latents
    _, _, ch, r, _ = latents.shape
    rida = load_frozen_rida(args.rida, latents, d.device) if args.semantic_weight > 0 else None
    model = LoSTTokenizer(model_config(LoSTTokenizerConfig, args, latent_channels=ch, latent_resolution=r)).to(d.device)
    optimizer = torch.optim.AdamW(param_groups(model, 0.01), lr=args.lr)
    state = TrainState(args.out, model, optimizer, make_ema(model, args.ema_decay))
    state = fit(
        args,
        d,
        model,
        optimizer,
        Latents(latents),
        lambda module, b: tokenizer_loss(
            module,
            b["latent"],
            rida,
            args.semantic_weight if state.step >= args.semantic_warmup else 0.0,
            args.semantic_batch or None,
            args.t_power,
            SampleRandom(b["sample_seed"], d.device),
            args.prefix_decay,
        ),
        state,
    )
    if d.main and args.export:
        ema = state.ema.module
        save_model(
            args.export, "lost_tokenizer", ema, {**export_extra(args, state), "semantic_weight": args.semantic_weight}
        )
        print(f"exported {args.export}")
        export_tokens(ema, args.latents, args.tokens_cache / args.export.stem)


if __name__ == "__main__":
    main()
