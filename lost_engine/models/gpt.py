"""LoST-GPT: an autoregressive transformer over continuous LoST tokens, conditioned on a text
embedding, with a per-position diffusion head (MAR-style) that samples each token.

LlamaGen-style blocks: RMSNorm, rotary position embeddings, SwiGLU, causal attention with a KV
cache for generation. Sequence: [condition, token_0, ..., token_{K-2}]; the hidden state at
position i conditions the diffusion head that produces token_i. In training the condition is
replaced by a learned null embedding with probability `cond_drop`, which classifier-free
guidance uses at sampling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from ..checkpoint import register
from ..presets import Presets
from .diffusion_head import DiffusionHead


@dataclass
class GPTConfig(Presets):
    tokens: int = 32  # K: sequence length (the tokenizer's registers)
    token_dim: int = 16
    cond_dim: int = 192  # text embedding size
    width: int = 160
    depth: int = 4
    heads: int = 4
    head_width: int = 192
    head_depth: int = 2
    head_steps: int = 20  # sampler steps of the diffusion head
    cond_drop: float = 0.1
    diffusion_repeats: int = 4
    rope_base: float = 10000.0

    # paper: 24 blocks, 1024 wide, 16 heads, 128 tokens of 32-d; MAR-size head; ViT-B-32 text
    PRESETS: ClassVar[dict[str, dict]] = {
        "small": dict(tokens=64, token_dim=8, width=256, depth=6, heads=8, head_width=256, head_depth=3),
        "paper": dict(
            tokens=128,
            token_dim=32,
            cond_dim=512,
            width=1024,
            depth=24,
            heads=16,
            head_width=1536,
            head_depth=12,
            head_steps=50,
        ),
    }


def rope(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """Rotary embedding of x (B, H, T, hd) at integer positions (T,)."""
    half = x.shape[-1] // 2
    freqs = base ** (-torch.arange(half, device=x.device, dtype=torch.float32) / half)
    angles = positions.float()[:, None] * freqs[None]  # (T, half)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class KVCache:
    """Per-layer keys/values of the positions seen so far: (B, H, T, hd) each."""

    def __init__(self, depth: int):
        self.keys: list[torch.Tensor | None] = [None] * depth
        self.values: list[torch.Tensor | None] = [None] * depth

    @property
    def length(self) -> int:
        return 0 if self.keys[0] is None else self.keys[0].shape[2]

    def extend(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.keys[layer] is not None:
            k, v = torch.cat([self.keys[layer], k], 2), torch.cat([self.values[layer], v], 2)
        self.keys[layer], self.values[layer] = k, v
        return k, v


class CausalSelfAttention(nn.Module):
    def __init__(self, width: int, heads: int, rope_base: float):
        super().__init__()
        self.heads, self.rope_base = heads, rope_base
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.out = nn.Linear(width, width, bias=False)

    def forward(self, x: torch.Tensor, start: int, cache: KVCache | None, layer: int) -> torch.Tensor:
        """x (B, T, D) at positions start..start+T-1; cache holds positions < start."""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        positions = torch.arange(start, start + t, device=x.device)
        q, k = rope(q, positions, self.rope_base), rope(k, positions, self.rope_base)
        if cache is not None:
            k, v = cache.extend(layer, k, v)
        mask = torch.arange(k.shape[2], device=x.device)[None] <= positions[:, None]  # (T, start+T)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class SwiGLU(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        hidden = int(8 * width / 3 / 32 + 1) * 32  # LLaMA's 2/3·4d, rounded up to a multiple of 32
        self.gate_up = nn.Linear(width, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, width, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class GPTBlock(nn.Module):
    def __init__(self, c: GPTConfig):
        super().__init__()
        self.norm1, self.norm2 = nn.RMSNorm(c.width), nn.RMSNorm(c.width)
        self.attn = CausalSelfAttention(c.width, c.heads, c.rope_base)
        self.mlp = SwiGLU(c.width)

    def forward(self, x, start, cache, layer):
        x = x + self.attn(self.norm1(x), start, cache, layer)
        return x + self.mlp(self.norm2(x))


class LoSTGPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = c = config
        self.cond_embed = nn.Linear(c.cond_dim, c.width)
        self.null_cond = nn.Parameter(torch.randn(c.cond_dim) * 0.02)
        self.token_embed = nn.Linear(c.token_dim, c.width)
        self.blocks = nn.ModuleList(GPTBlock(c) for _ in range(c.depth))
        self.norm = nn.RMSNorm(c.width)
        self.head = DiffusionHead(c.token_dim, c.width, c.head_width, c.head_depth)

    def _run(self, x: torch.Tensor, start: int = 0, cache: KVCache | None = None) -> torch.Tensor:
        for i, block in enumerate(self.blocks):
            x = block(x, start, cache, i)
        return self.norm(x)

    def hidden(self, cond: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """Condition (B, E) and the first T tokens (B, T, D) -> hidden states (B, T+1, width);
        position i conditions token i."""
        x = torch.cat([self.cond_embed(cond)[:, None], self.token_embed(tokens)], dim=1)
        return self._run(x)

    def forward(self, cond: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """Training loss for conditions (B, E) and token sequences (B, K, D)."""
        c = self.config
        dropped = torch.rand(len(cond), device=cond.device) < c.cond_drop
        cond = torch.where(dropped[:, None], self.null_cond.to(cond.dtype), cond)
        z = self.hidden(cond, tokens[:, :-1])  # (B, K, width)
        return self.head.loss(tokens.reshape(-1, c.token_dim), z.reshape(-1, c.width), c.diffusion_repeats)

    @torch.no_grad()
    def generate(
        self,
        cond: torch.Tensor,
        guidance: float = 3.0,
        temperature: float = 1.0,
        seed: int | None = None,
        prefix: torch.Tensor | None = None,
        steps: int | None = None,
        use_cache: bool = True,
        on_token: Callable[[int, int], None] | None = None,
    ) -> torch.Tensor:
        """Sample token sequences (B, K, D) for conditions (B, E). `prefix` (B, k, D) keeps the
        first k tokens and samples the rest ("variations"). guidance 1 = conditional only;
        other values add the unconditional pass (classifier-free guidance)."""
        c = self.config
        b = len(cond)
        gen = torch.Generator(cond.device).manual_seed(seed) if seed is not None else None
        guided = guidance != 1.0
        conds = torch.cat([cond, self.null_cond.to(cond.dtype).expand(b, -1)]) if guided else cond
        out = prefix.clone() if prefix is not None else cond.new_zeros(b, 0, c.token_dim)
        if out.shape[1] > c.tokens:
            raise ValueError(f"prefix of {out.shape[1]} tokens is longer than the sequence ({c.tokens})")
        cache = KVCache(c.depth) if use_cache else None
        fed = 0  # positions already in the cache
        while out.shape[1] < c.tokens:
            seq = torch.cat([out, out]) if guided else out
            if cache is None:
                z = self.hidden(conds, seq)[:, -1]
            else:
                new = self.token_embed(seq[:, max(0, fed - 1) :])
                x = torch.cat([self.cond_embed(conds)[:, None], new], 1) if fed == 0 else new
                z = self._run(x, fed, cache)[:, -1]
                fed += x.shape[1]
            z_c, z_u = z.chunk(2) if guided else (z, None)
            token = self.head.sample(z_c, steps or c.head_steps, temperature, guidance, z_u, gen)
            out = torch.cat([out, token[:, None]], 1)
            if on_token is not None:
                on_token(out.shape[1], c.tokens)
        return out


register("lost_gpt", GPTConfig, LoSTGPT)
