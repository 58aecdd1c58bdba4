"""DINOv2 ViT teacher (timm architecture) from a local weights file; never downloads."""

from __future__ import annotations

from pathlib import Path

import torch

from .base import Teacher
from .weights import load_state_dict


class DinoV2Teacher(Teacher):
    """arch: a timm DINOv2 name (e.g. vit_base_patch14_dinov2); overrides go to timm.create_model."""

    def __init__(self, weights: str | Path, arch: str = "vit_base_patch14_dinov2", image_size: int = 224, **overrides):
        super().__init__()
        import timm

        self.image_size = image_size
        self.model = timm.create_model(arch, pretrained=False, img_size=image_size, num_classes=0, **overrides)
        load_state_dict(self.model, weights)
        self.model.eval().requires_grad_(False)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        tokens = self.model.forward_features(x)  # (B, prefix + T, D), final norm applied
        prefix = self.model.num_prefix_tokens
        cls, patches = tokens[:, 0], tokens[:, prefix:]
        return torch.nn.functional.normalize(0.7 * cls + 0.3 * patches.mean(1), dim=-1), patches
