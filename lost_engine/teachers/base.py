"""The teacher interface: frozen 2-D image encoders over rendered views.

`features(images)` takes grey renders (B, H, W) or RGB images (B, 3, H, W) in [0, 1] and returns
(global (B, D), patch tokens (B, T, D)). `shape_features` pools K views of one shape.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Teacher(nn.Module):
    """Subclasses set `image_size`, `mean`, `std` and implement `encode(x) -> (global, patches)`."""

    image_size: int = 224
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def preprocess(self, images: torch.Tensor) -> torch.Tensor:
        x = images.float()
        if x.dim() == 3:
            x = x[:, None].expand(-1, 3, -1, -1)
        if x.shape[-1] != self.image_size:
            x = F.interpolate(x, size=(self.image_size, self.image_size), mode="bilinear", align_corners=False)
        mean = torch.tensor(self.mean, device=x.device)[:, None, None]
        std = torch.tensor(self.std, device=x.device)[:, None, None]
        return (x - mean) / std

    @torch.no_grad()
    def features(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encode(self.preprocess(images))

    @torch.no_grad()
    def shape_features(self, views: torch.Tensor, tokens: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
        """Views of N shapes (N, K, H, W) -> global (N, D) (unit norm, mean over views) and
        patch tokens (N, tokens, D) (all views' patches average-pooled to `tokens`)."""
        n, k = views.shape[:2]
        g, p = self.features(views.flatten(0, 1))
        g = F.normalize(F.normalize(g, dim=-1).view(n, k, -1).mean(1), dim=-1)
        p = p.reshape(n, k * p.shape[1], -1)
        return g, pool_tokens(p, tokens)


def pool_tokens(tokens: torch.Tensor, count: int) -> torch.Tensor:
    """(B, T, D) -> (B, count, D) by adaptive average pooling along the token axis."""
    return F.adaptive_avg_pool1d(tokens.transpose(1, 2), count).transpose(1, 2)
