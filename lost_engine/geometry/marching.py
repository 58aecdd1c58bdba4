"""Scalar fields on regular grids and their iso-surfaces (PyMCubes)."""
from __future__ import annotations

from typing import Callable

import mcubes
import numpy as np
import torch

FieldFn = Callable[[torch.Tensor], torch.Tensor]  # (N, 3) points -> (N,) values, > level inside


def grid_points(resolution: int, bound: float = 1.0) -> torch.Tensor:
    """Cell-corner coordinates of a resolution^3 grid over [-bound, bound]^3, (R^3, 3), x slowest."""
    axis = torch.linspace(-bound, bound, resolution)
    return torch.stack(torch.meshgrid(axis, axis, axis, indexing="ij"), dim=-1).reshape(-1, 3)


@torch.no_grad()
def evaluate_grid(field: FieldFn, resolution: int, bound: float = 1.0,
                  chunk: int = 2**18) -> np.ndarray:
    """Evaluate `field` on a resolution^3 grid in chunks; returns (R, R, R) float32.

    Only one chunk of coordinates exists at a time, so 256^3 needs ~64 MB for the result.
    """
    axis = torch.linspace(-bound, bound, resolution)
    values = np.empty(resolution ** 3, dtype=np.float32)
    plane = resolution * resolution
    for start in range(0, resolution ** 3, chunk):
        idx = torch.arange(start, min(start + chunk, resolution ** 3))
        pts = torch.stack([axis[idx // plane], axis[(idx // resolution) % resolution], axis[idx % resolution]], -1)
        values[start:start + len(idx)] = field(pts).float().reshape(-1).cpu().numpy()
    return values.reshape(resolution, resolution, resolution)


def extract_mesh(volume: np.ndarray, level: float = 0.0, bound: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Iso-surface of a grid whose values exceed `level` inside.

    Returns vertices (V, 3) float32 in [-bound, bound]^3 and faces (F, 3) int64, outward facing.
    An empty or full volume gives empty arrays.
    """
    resolution = volume.shape[0]
    # Pad with "outside" so that shapes touching the box still come out closed.
    padded = np.pad(volume, 1, mode="constant", constant_values=min(float(volume.min()), level) - 1.0)
    verts, faces = mcubes.marching_cubes(padded.astype(np.float64), level)
    if len(faces) == 0:
        return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.int64)
    verts = (verts - 1.0) * (2 * bound / (resolution - 1)) - bound
    # PyMCubes winds triangles so that normals point towards decreasing values: outward here.
    return verts.astype(np.float32), faces.astype(np.int64)


def field_to_mesh(field: FieldFn, resolution: int, level: float = 0.0,
                  bound: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Chunked dense grid evaluation followed by marching cubes."""
    return extract_mesh(evaluate_grid(field, resolution, bound), level, bound)
