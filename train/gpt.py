"""Stage 4b: train LoST-GPT on cached tokenizer tokens of the training shapes and the text
encoder's embeddings of their captions.

    python -m train.gpt --preset tiny --tokens .cache/tokens/tiny_tokenizer \
        --text lost_engine/weights/tiny_text.safetensors --export lost_engine/weights/tiny_gpt.safetensors

The condition is dropped (replaced by the learned null embedding) for 10% of the samples so that
classifier-free guidance works at sampling. The export holds the EMA weights.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.latents import load_latents
from lost_engine.models.gpt import GPTConfig, LoSTGPT
from lost_engine.text import load_text_encoder
from train.common import TrainState, base_parser, export_extra, fit, make_ema, model_config, param_groups, prepare_run


class TokensAndCaptions(Dataset):
    def __init__(self, tokens: torch.Tensor, conds: torch.Tensor):
        self.tokens, self.conds = tokens, conds  # (N, K, D), (N, E)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i):
        return {"tokens": self.tokens[i], "cond": self.conds[i]}


@torch.no_grad()
def caption_embeddings(text_path: Path, captions: list[str], batch: int = 256) -> torch.Tensor:
    encoder = load_text_encoder(text_path)
    return torch.cat([encoder.encode(captions[i : i + batch]) for i in range(0, len(captions), batch)])


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/gpt")
    p.set_defaults(steps=1500, batch_size=64, lr=5e-4, warmup=50)
    p.add_argument("--tokens", type=Path, default=Path(".cache/tokens/tiny_tokenizer"))
    p.add_argument("--text", type=Path, default=Path("lost_engine/weights/tiny_text.safetensors"))
    p.add_argument("--ema-decay", type=float, default=0.995)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.gpt", argv)
    train = load_latents(args.tokens / "train.safetensors")
    conds = caption_embeddings(args.text, train.captions)
    _, k, dim = train.latents.shape
    model = LoSTGPT(model_config(GPTConfig, args, tokens=k, token_dim=dim, cond_dim=conds.shape[1])).to(d.device)
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr, betas=(0.9, 0.95))
    state = TrainState(args.out, model, optimizer, make_ema(model, args.ema_decay))
    state = fit(args, d, model, optimizer, TokensAndCaptions(train.latents, conds), _loss, state)
    if d.main and args.export:
        save_model(
            args.export, "lost_gpt", state.ema.module, export_extra(args, state), half=True
        )  # keeps the weights small
        print(f"exported {args.export}")


def _loss(module, batch):
    loss = module(batch["cond"], batch["tokens"])
    return loss, {"diffusion": float(loss.detach())}


if __name__ == "__main__":
    main()
