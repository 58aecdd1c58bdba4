"""The latent cache: normalised VAE latents of a dataset, with labels and captions.

Written by `train/vae.py` at the end of training, read by the RIDA, tokenizer and GPT stages.
File: safetensors with tensors `latents` (N, 3, C, R, R) and `labels` (N,), metadata `categories`,
`captions` and `keys` (JSON lists).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import safe_open, save_file

from ..checkpoint import atomic_write


@dataclass
class LatentSet:
    latents: torch.Tensor  # (N, 3, C, R, R)
    labels: torch.Tensor   # (N,)
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
    meta = {"categories": json.dumps(latents.categories), "captions": json.dumps(latents.captions),
            "keys": json.dumps(latents.keys)}
    tensors = {"latents": latents.latents.contiguous(), "labels": latents.labels.contiguous()}
    atomic_write(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=meta))


def load_latents(path: str | Path) -> LatentSet:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"latent cache not found: {path} (train/vae.py writes it)")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
        return LatentSet(f.get_tensor("latents"), f.get_tensor("labels"), json.loads(meta["categories"]),
                         json.loads(meta["captions"]), json.loads(meta["keys"]))
