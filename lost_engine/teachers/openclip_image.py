"""OpenCLIP image tower teacher from a local checkpoint file; never downloads."""

from __future__ import annotations

from pathlib import Path

import torch

from .base import Teacher
from .weights import load_state_dict


class OpenClipImageTeacher(Teacher):
    mean = (0.48145466, 0.4578275, 0.40821073)
    std = (0.26862954, 0.26130258, 0.27577711)

    def __init__(self, weights: str | Path, model_name: str = "ViT-B-32"):
        super().__init__()
        import open_clip

        model = open_clip.create_model(model_name, pretrained=None)
        load_state_dict(model, weights)
        self.visual = model.visual.eval().requires_grad_(False)
        self.visual.output_tokens = True
        size = self.visual.image_size
        self.image_size = size[0] if isinstance(size, (tuple, list)) else size

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pooled, tokens = self.visual(x)  # (B, E), (B, T, W)
        return torch.nn.functional.normalize(pooled, dim=-1), tokens
