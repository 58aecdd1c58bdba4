"""Loading third-party weights from local files without unpickling arbitrary objects."""

from __future__ import annotations

from pathlib import Path

import torch

from ..checkpoint import CheckpointError


def read_state_dict(path: str | Path, what: str = "weights") -> dict[str, torch.Tensor]:
    """Read .safetensors, or a torch file with weights_only=True; unwraps {'state_dict': ...}."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found: {path}")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            return load_file(str(path))
        state = torch.load(path, map_location="cpu", weights_only=True)
        for key in ("state_dict", "model", "teacher"):
            if isinstance(state, dict) and key in state and isinstance(state[key], dict):
                state = state[key]
        if not isinstance(state, dict):
            raise TypeError(f"expected a state dict, found {type(state).__name__}")
        return state
    except Exception as exc:  # corrupt file, pickle payload
        raise CheckpointError(f"{path}: cannot read {what}: {type(exc).__name__}: {exc}") from exc


def load_state_dict(model: torch.nn.Module, path: str | Path) -> None:
    """Load a teacher's weights into `model` (strict)."""
    state = read_state_dict(path, "teacher weights")
    try:
        model.load_state_dict(state)
    except Exception as exc:  # wrong architecture
        raise CheckpointError(f"{path}: cannot load teacher weights: {type(exc).__name__}: {exc}") from exc
