"""Cache files: named tensors plus JSON lists in the metadata, as one safetensors file written
atomically (the latent cache, the teacher-feature cache, the shape classifier)."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import safe_open, save_file

from ..checkpoint import atomic_write


def write_tensor_file(path: str | Path, tensors: dict[str, torch.Tensor], lists: dict[str, list]) -> None:
    meta = {name: json.dumps(values) for name, values in lists.items()}
    atomic_write(
        Path(path), lambda tmp: save_file({k: v.contiguous() for k, v in tensors.items()}, str(tmp), metadata=meta)
    )


def read_tensor_file(path: str | Path, missing: str) -> tuple[dict[str, torch.Tensor], dict[str, list]]:
    """(tensors, lists); `missing` says what writes the file, for the error when there is none."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found ({missing})")
    with safe_open(str(path), framework="pt") as f:
        return {name: f.get_tensor(name) for name in f.keys()}, {
            k: json.loads(v) for k, v in (f.metadata() or {}).items()
        }
