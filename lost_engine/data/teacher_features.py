"""The teacher-feature cache: per-shape global embeddings and pooled patch tokens.

File: safetensors with `global` (N, D), `tokens` (N, T, D), `labels` (N,); metadata `keys`, `categories`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import safe_open, save_file

from ..checkpoint import atomic_write


@dataclass
class TeacherFeatures:
    global_: torch.Tensor  # (N, D) unit norm
    tokens: torch.Tensor   # (N, T, D)
    labels: torch.Tensor   # (N,)
    keys: list[str]
    categories: list[str]


@torch.no_grad()
def compute_teacher_features(teacher, views: torch.Tensor, tokens: int = 32, batch: int = 32):
    """views (N, K, H, W) uint8 -> (global (N, D), tokens (N, T, D))."""
    gs, ps = [], []
    for i in range(0, len(views), batch):
        g, p = teacher.shape_features(views[i:i + batch].float() / 255, tokens)
        gs.append(g), ps.append(p)
    return torch.cat(gs), torch.cat(ps)


def save_teacher_features(path: str | Path, f: TeacherFeatures) -> None:
    meta = {"keys": json.dumps(f.keys), "categories": json.dumps(f.categories)}
    tensors = {"global": f.global_.contiguous(), "tokens": f.tokens.contiguous(), "labels": f.labels.contiguous()}
    atomic_write(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=meta))


def load_teacher_features(path: str | Path) -> TeacherFeatures:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"teacher feature cache not found: {path} (train/teacher.py writes it)")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
        return TeacherFeatures(f.get_tensor("global"), f.get_tensor("tokens"), f.get_tensor("labels"),
                               json.loads(meta["keys"]), json.loads(meta["categories"]))
