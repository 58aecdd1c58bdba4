"""Model files: safetensors weights with the model kind and its config in the metadata.

A model is rebuilt from its file alone: `load_model(path)` reads the kind, finds the class in the
registry, builds it from the stored config and loads the weights. Nothing is ever unpickled.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, safe_open, save_file

_REGISTRY: dict[str, tuple[type, type]] = {}


class CheckpointError(ValueError):
    """A checkpoint file that exists but cannot be used (corrupt, truncated, wrong kind)."""


def register(kind: str, config_cls: type, model_cls: type) -> None:
    _REGISTRY[kind] = (config_cls, model_cls)


def model_classes(kind: str) -> tuple[type, type]:
    """(config class, model class) of a registered model kind."""
    import lost_engine.models  # noqa: F401  (fills the registry)

    return _REGISTRY[kind]


def atomic_write(path: Path, write) -> None:
    """Call write(tmp_path), then rename over `path`, so readers never see a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def save_model(
    path: str | Path, kind: str, model: torch.nn.Module, extra: dict[str, Any] | None = None, half: bool = False
) -> Path:
    """Write the model's weights and `model.config` (a dataclass) to a safetensors file;
    `half` stores floating-point tensors as float16 (loading converts them back)."""
    path = Path(path)
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    if half:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    meta = {"kind": kind, "config": json.dumps(dataclasses.asdict(model.config)), "extra": json.dumps(extra or {})}
    atomic_write(path, lambda tmp: save_file(state, str(tmp), metadata=meta))
    return path


def read_metadata(path: str | Path) -> dict[str, Any]:
    """{'kind', 'config' (dict), 'extra' (dict)}; clear errors naming the file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"{path}: not a valid safetensors checkpoint (corrupt or truncated?): {exc}") from exc
    if "kind" not in meta or "config" not in meta:
        raise CheckpointError(f"{path}: safetensors file without LoST model metadata (kind/config)")
    return {"kind": meta["kind"], "config": json.loads(meta["config"]), "extra": json.loads(meta.get("extra", "{}"))}


def load_model(path: str | Path, kind: str | None = None, map_location: str = "cpu") -> torch.nn.Module:
    """Rebuild a registered model from its file; `kind` (if given) must match the file's."""
    meta = read_metadata(path)
    if kind is not None and meta["kind"] != kind:
        raise CheckpointError(f"{path}: holds a {meta['kind']!r} model, expected {kind!r}")
    try:
        config_cls, model_cls = model_classes(meta["kind"])
    except KeyError:
        raise CheckpointError(f"{path}: unknown model kind {meta['kind']!r}") from None
    model = model_cls(config_cls(**meta["config"]))
    try:
        state = load_file(str(path), device=map_location)
        model.load_state_dict(state)
    except (SafetensorError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: weights do not load: {exc}") from exc
    model.extra = meta["extra"]
    return model.eval()


def parameter_count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
