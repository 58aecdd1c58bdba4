"""The project's own render encoder: a small ViT trained without labels (train/teacher.py) by
multi-view contrastive learning (SimCLR's NT-Xent; the two views of a pair are different
renders of the same shape, each randomly cropped, flipped and jittered).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from ..checkpoint import register
from ..presets import Presets
from .base import Teacher


@dataclass
class RenderSSLConfig(Presets):  # tiny and small: the paper preset's teacher is DINOv2 (teachers/dinov2.py)
    image_size: int = 64
    patch_size: int = 8
    width: int = 192
    depth: int = 4
    heads: int = 3
    projection_dim: int = 128

    PRESETS: ClassVar[dict[str, dict]] = {"small": {}}  # the small preset keeps the tiny teacher


class RenderSSLTeacher(Teacher):
    mean = (0.5, 0.5, 0.5)
    std = (0.5, 0.5, 0.5)

    def __init__(self, config: RenderSSLConfig):
        super().__init__()
        from timm.models.vision_transformer import VisionTransformer

        self.config = c = config
        self.image_size = c.image_size
        self.backbone = VisionTransformer(
            img_size=c.image_size,
            patch_size=c.patch_size,
            embed_dim=c.width,
            depth=c.depth,
            num_heads=c.heads,
            num_classes=0,
        )
        self.projector = nn.Sequential(nn.Linear(c.width, c.width), nn.GELU(), nn.Linear(c.width, c.projection_dim))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        tokens = self.backbone.forward_features(x)  # (B, 1 + T, W)
        return tokens[:, 0], tokens[:, 1:]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Training view: preprocessed images (B, 3, H, W) -> unit projections (B, P)."""
        return F.normalize(self.projector(self.encode(x)[0]), dim=-1)


def nt_xent(z: torch.Tensor, temperature: float = 0.2) -> torch.Tensor:
    """SimCLR's loss over projections (2B, P) where rows i and i + B show the same shape."""
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(len(z), dtype=torch.bool, device=z.device), float("-inf"))
    n = len(z) // 2
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, target)


register("render_ssl_teacher", RenderSSLConfig, RenderSSLTeacher)
