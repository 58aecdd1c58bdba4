"""Stage 4b: train LoST-GPT on cached tokenizer tokens of the training shapes and the text
encoder's embeddings of their captions.

    python -m train.gpt --preset tiny --tokens .cache/tokens/tiny_tokenizer \
        --text lost_engine/weights/tiny_text.safetensors --export lost_engine/weights/tiny_gpt.safetensors

The condition is dropped (replaced by the learned null embedding) for 10% of the samples so that
classifier-free guidance works at sampling. The export holds the EMA weights.

`--people-variants V`: each procedural training shape also gets V captions as people write prompts
(`lost_engine.data.descriptions`: descriptions, product names, plurals, typos), embedded by the same
text encoder, and a `--people-share` of the samples is conditioned on one of them instead of the
shape's own caption. The text encoder reads those wordings near its reading of the caption, not
onto it, and a GPT that saw only the captions' embeddings makes something else of a condition just
off them ("christmas tree" generated as a car); trained on both, it learns the whole neighbourhood.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from lost_engine.checkpoint import save_model
from lost_engine.data.descriptions import people_caption
from lost_engine.data.latents import load_latents
from lost_engine.data.procedural import parse_name, subtype_of
from lost_engine.models.gpt import GPTConfig, LoSTGPT
from lost_engine.sample_random import SampleRandom
from lost_engine.text import load_text_encoder
from train.common import TrainState, base_parser, export_extra, fit, make_ema, model_config, param_groups, prepare_run
from train.text import heldout_nouns


class TokensAndCaptions(Dataset):
    """Tokens, the embedding of their shape's caption and those of its people's captions."""

    def __init__(self, tokens: torch.Tensor, conds: torch.Tensor, people: torch.Tensor):
        self.tokens, self.conds, self.people = tokens, conds, people  # (N, K, D), (N, E), (N, V, E)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i):
        return {"tokens": self.tokens[i], "cond": self.conds[i], "people": self.people[i]}


@torch.no_grad()
def caption_embeddings(encoder, captions: list[str], batch: int = 256) -> torch.Tensor:
    return torch.cat([encoder.encode(captions[i : i + batch]) for i in range(0, len(captions), batch)])


def people_captions(keys: list[str], variants: int, seed: int) -> list[list[str]]:
    """`variants` people's captions of each procedural shape (by its name); none for other items,
    which then keep their own caption. No caption uses a category's held-out noun."""
    rng = np.random.default_rng(seed)
    shapes = [parse_name(key) for key in keys]
    exclude = heldout_nouns(None, sorted({s[0] for s in shapes if s is not None}))
    return [
        [people_caption(s[0], subtype_of(s[0], s[2]), rng, exclude=exclude) for _ in range(variants)] if s else []
        for s in shapes
    ]


def people_embeddings(encoder, keys: list[str], conds: torch.Tensor, variants: int, seed: int) -> torch.Tensor:
    """(N, variants, E) embeddings of the shapes' people's captions; a shape without them repeats
    its own caption's embedding (conds (N, E))."""
    captions = people_captions(keys, variants, seed)
    people = conds[:, None].repeat(1, variants, 1)
    rows = [i for i, cs in enumerate(captions) if cs]
    if rows and variants:
        flat = [c for i in rows for c in captions[i]]
        people[rows] = caption_embeddings(encoder, flat).view(len(rows), variants, -1)
    return people


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/gpt")
    p.set_defaults(steps=1500, batch_size=64, lr=5e-4, warmup=50)
    p.add_argument("--tokens", type=Path, default=Path(".cache/tokens/tiny_tokenizer"))
    p.add_argument("--text", type=Path, default=Path("lost_engine/weights/tiny_text.safetensors"))
    p.add_argument("--ema-decay", type=float, default=0.995)
    p.add_argument("--people-variants", type=int, default=0, help="people's captions per procedural shape")
    p.add_argument("--people-share", type=float, default=0.5, help="share of samples conditioned on one")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.gpt", argv)
    train = load_latents(args.tokens / "train.safetensors")
    encoder = load_text_encoder(args.text)
    conds = caption_embeddings(encoder, train.captions)  # (N, E)
    people = people_embeddings(encoder, train.keys, conds, args.people_variants, args.seed)  # (N, V, E)
    del encoder
    _, k, dim = train.latents.shape
    model = LoSTGPT(model_config(GPTConfig, args, tokens=k, token_dim=dim, cond_dim=conds.shape[1])).to(d.device)
    optimizer = torch.optim.AdamW(param_groups(model, 0.05), lr=args.lr, betas=(0.9, 0.95))
    state = TrainState(args.out, model, optimizer, make_ema(model, args.ema_decay))
    data = TokensAndCaptions(train.latents, conds, people)
    state = fit(args, d, model, optimizer, data, lambda module, b: _loss(module, b, args.people_share), state)
    if d.main and args.export:
        save_model(
            args.export, "lost_gpt", state.ema.module, export_extra(args, state), half=True
        )  # keeps the weights small
        print(f"exported {args.export}")


def _loss(module, batch, people_share: float = 0.0):
    cond, people = batch["cond"], batch["people"]  # (B, E), (B, V, E)
    if people_share and people.shape[1]:  # a people's caption instead of the shape's own, per sample
        rng = SampleRandom(batch["sample_seed"], cond.device)
        chosen = people[torch.arange(len(cond), device=cond.device), rng.randint(people.shape[1])]
        cond = torch.where((rng.rand() < people_share)[:, None], chosen, cond)
    loss = module(cond, batch["tokens"])
    return loss, {"diffusion": float(loss.detach())}


if __name__ == "__main__":
    main()
