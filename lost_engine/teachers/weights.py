"""Loading third-party weights from local files without unpickling arbitrary objects."""
from __future__ import annotations

from pathlib import Path

import torch

from ..checkpoint import CheckpointError


def load_state_dict(model: torch.nn.Module, path: str | Path) -> None:
    """Load .safetensors, or a torch file with weights_only=True; unwraps {'state_dict': ...}."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"teacher weights not found: {path}")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
            for key in ("state_dict", "model", "teacher"):
                if isinstance(state, dict) and key in state and isinstance(state[key], dict):
                    state = state[key]
        model.load_state_dict(state)
    except Exception as exc:  # corrupt file, pickle payload, wrong architecture
        raise CheckpointError(f"{path}: cannot load teacher weights: {type(exc).__name__}: {exc}") from exc
