"""Transformer building blocks shared by the models."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def fourier_features(x: torch.Tensor, n_freqs: int) -> torch.Tensor:
    """(..., 3) -> (..., 3 + 6 * n_freqs): x, sin(2^k π x), cos(2^k π x)."""
    freqs = (2.0 ** torch.arange(n_freqs, device=x.device, dtype=x.dtype)) * math.pi
    angles = (x[..., None] * freqs).flatten(-2)
    return torch.cat([x, angles.sin(), angles.cos()], dim=-1)


def zero_linear(layer: nn.Linear) -> nn.Linear:
    """A layer that starts at zero (an adaLN modulation, an output projection), and stays so
    through `initialize_weights`."""
    layer.zero_init = True
    nn.init.zeros_(layer.weight), nn.init.zeros_(layer.bias)
    return layer


def initialize_weights(model: nn.Module) -> None:
    """DiT's and MAR's initialisation, run at the end of a model's __init__: every Linear
    xavier-uniform with a zero bias, embedding tables normal(0, 0.02), then the layers marked by
    `zero_linear` zeroed again. Norms keep PyTorch's identity start, convolutions its default, and
    learned tokens and positions their normal(0, 0.02) draws. The VAE and the tokenizer use it; the
    GPT keeps PyTorch's default Linear start, which trained better (docs/training.md)."""
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
    for module in model.modules():
        if getattr(module, "zero_init", False):
            nn.init.zeros_(module.weight), nn.init.zeros_(module.bias)


class Attention(nn.Module):
    """Multi-head attention; self-attention when `context` is None."""

    def __init__(self, dim: int, heads: int, context_dim: int | None = None):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(context_dim or dim, 2 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(
        self, x: torch.Tensor, context: torch.Tensor | None = None, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """x (B, N, D), context (B, M, Dc), mask broadcastable to (B, H, N, M), True = may attend."""
        b, n, d = x.shape
        context = x if context is None else context
        q = self.q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.kv(context).view(b, context.shape[1], 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class MLP(nn.Sequential):
    def __init__(self, dim: int, ratio: float = 4.0):
        super().__init__(nn.Linear(dim, int(dim * ratio)), nn.GELU(), nn.Linear(int(dim * ratio), dim))


class Block(nn.Module):
    """Pre-norm transformer block: (cross-)attention then MLP."""

    def __init__(self, dim: int, heads: int, context_dim: int | None = None):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.norm_ctx = nn.LayerNorm(context_dim) if context_dim else None
        self.attn = Attention(dim, heads, context_dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim)

    def forward(self, x, context=None, mask=None):
        ctx = self.norm_ctx(context) if self.norm_ctx is not None else None
        x = x + self.attn(self.norm1(x), ctx, mask)
        return x + self.mlp(self.norm2(x))


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """AdaLN: x (B, N, D) or (B, D); shift/scale (B, D)."""
    if x.dim() == 3:
        shift, scale = shift[:, None], scale[:, None]
    return x * (1 + scale) + shift


class AdaLNBlock(nn.Module):
    """DiT block: self-attention and MLP, each with adaLN-Zero modulation from a condition vector."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=False)
        self.mlp = MLP(dim)
        self.ada = nn.Sequential(nn.SiLU(), zero_linear(nn.Linear(dim, 6 * dim)))

    def forward(self, x: torch.Tensor, cond: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x (B, N, D), cond (B, D)."""
        shift1, scale1, gate1, shift2, scale2, gate2 = self.ada(cond).chunk(6, dim=-1)
        x = x + gate1[:, None] * self.attn(modulate(self.norm1(x), shift1, scale1), mask=mask)
        return x + gate2[:, None] * self.mlp(modulate(self.norm2(x), shift2, scale2))


def sincos_2d(grid: int, dim: int) -> torch.Tensor:
    """Fixed 2-D sin-cos positions of a grid×grid patch grid, row-major: (grid², dim)."""
    if dim % 4:
        raise ValueError(f"sin-cos position width must be a multiple of 4, got {dim}")
    omega = 1.0 / 10000 ** (torch.arange(dim // 4, dtype=torch.float32) / (dim // 4))
    ys, xs = torch.meshgrid(
        torch.arange(grid, dtype=torch.float32), torch.arange(grid, dtype=torch.float32), indexing="ij"
    )
    parts = [f(c.flatten()[:, None] * omega[None]) for c in (ys, xs) for f in (torch.sin, torch.cos)]
    return torch.cat(parts, dim=1)


class TriplanePositions(nn.Module):
    """Positions of the patch tokens of three planes: fixed 2-D sin-cos within a plane plus a
    learned embedding per plane. Returns (3·grid², dim) in patchify order."""

    def __init__(self, grid: int, dim: int):
        super().__init__()
        self.register_buffer("within", sincos_2d(grid, dim).repeat(3, 1), persistent=False)
        self.plane = nn.Parameter(torch.randn(3, 1, dim) * 0.02)
        self.grid = grid

    def forward(self) -> torch.Tensor:
        return self.within + self.plane.expand(3, self.grid**2, -1).reshape(-1, self.plane.shape[-1])
