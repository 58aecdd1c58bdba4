"""Triplane latents <-> token sequences (2-D patches of each plane, planes in order xy, xz, yz)."""

from __future__ import annotations

import torch


def patchify(latent: torch.Tensor, patch: int) -> torch.Tensor:
    """(B, 3, C, R, R) -> (B, 3 * (R/p)^2, C * p * p)."""
    b, planes, c, r, _ = latent.shape
    g = r // patch
    x = latent.reshape(b, planes, c, g, patch, g, patch)
    return x.permute(0, 1, 3, 5, 2, 4, 6).reshape(b, planes * g * g, c * patch * patch)


def unpatchify(tokens: torch.Tensor, channels: int, patch: int) -> torch.Tensor:
    """Inverse of patchify: (B, 3 * g^2, C * p * p) -> (B, 3, C, g*p, g*p)."""
    b, n, _ = tokens.shape
    g = int(round((n // 3) ** 0.5))
    x = tokens.reshape(b, 3, g, g, channels, patch, patch)
    return x.permute(0, 1, 4, 2, 5, 3, 6).reshape(b, 3, channels, g * patch, g * patch)
