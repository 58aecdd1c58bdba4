"""The latent cache: normalised VAE latents of a dataset, with labels and captions.

Written by `train/vae.py` at the end of training, read by the RIDA, tokenizer and GPT stages.
File: safetensors with tensors `latents` (N, 3, C, R, R) and `labels` (N,), metadata `categories`,
`captions` and `keys` (JSON lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from .tensor_file import read_tensor_file, write_tensor_file


@dataclass
class LatentSet:
    latents: torch.Tensor  # (N, 3, C, R, R)
    labels: torch.Tensor  # (N,)
    categories: list[str]
    captions: list[str]
    keys: list[str]


@torch.no_grad()
def encode_dataset(vae, dataset, batch_size: int = 32) -> torch.Tensor:
    """Posterior means of every shape of a ShapeDataset: (N, 3, C, R, R)."""
    device = next(vae.parameters()).device
    out = []
    for start in range(0, len(dataset), batch_size):
        rows = range(start, min(start + batch_size, len(dataset)))
        surface = torch.stack([dataset.array("surface", i) for i in rows]).to(device)
        normals = torch.stack([dataset.array("normals", i) for i in rows]).to(device)
        out.append(vae.encode(surface, normals).mean.cpu())
    return torch.cat(out)


def save_latents(path: str | Path, latents: LatentSet) -> None:
    write_tensor_file(
        path,
        {"latents": latents.latents, "labels": latents.labels},
        {"categories": latents.categories, "captions": latents.captions, "keys": latents.keys},
    )


def load_latents(path: str | Path) -> LatentSet:
    t, lists = read_tensor_file(path, "the latent cache: train/vae.py writes it")
    return LatentSet(t["latents"], t["labels"], lists["categories"], lists["captions"], lists["keys"])
