"""The teacher-feature cache: per-shape global embeddings and pooled patch tokens.

File: safetensors with `global` (N, D), `tokens` (N, T, D), `labels` (N,); metadata `keys`, `categories`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from .tensor_file import read_tensor_file, write_tensor_file


@dataclass
class TeacherFeatures:
    global_: torch.Tensor  # (N, D) unit norm
    tokens: torch.Tensor  # (N, T, D)
    labels: torch.Tensor  # (N,)
    keys: list[str]
    categories: list[str]


@torch.no_grad()
def compute_teacher_features(teacher, views: torch.Tensor, tokens: int = 32, batch: int = 32):
    """views (N, K, H, W) uint8 -> (global (N, D), tokens (N, T, D))."""
    gs, ps = [], []
    for i in range(0, len(views), batch):
        g, p = teacher.shape_features(views[i : i + batch].float() / 255, tokens)
        gs.append(g), ps.append(p)
    return torch.cat(gs), torch.cat(ps)


def save_teacher_features(path: str | Path, f: TeacherFeatures) -> None:
    write_tensor_file(
        path,
        {"global": f.global_, "tokens": f.tokens, "labels": f.labels},
        {"keys": f.keys, "categories": f.categories},
    )


def load_teacher_features(path: str | Path) -> TeacherFeatures:
    t, lists = read_tensor_file(path, "the teacher feature cache: train/teacher.py writes it")
    return TeacherFeatures(t["global"], t["tokens"], t["labels"], lists["keys"], lists["categories"])
