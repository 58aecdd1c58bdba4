"""Scalar fields on regular grids and their iso-surfaces (PyMCubes)."""

from __future__ import annotations

from typing import Callable

import mcubes
import numpy as np
import torch
import torch.nn.functional as F

FieldFn = Callable[[torch.Tensor], torch.Tensor]  # (N, 3) points -> (N,) values, > level inside


def grid_points(resolution: int, bound: float = 1.0) -> torch.Tensor:
    """Cell-corner coordinates of a resolution^3 grid over [-bound, bound]^3, (R^3, 3), x slowest."""
    axis = torch.linspace(-bound, bound, resolution)
    return torch.stack(torch.meshgrid(axis, axis, axis, indexing="ij"), dim=-1).reshape(-1, 3)


@torch.no_grad()
def evaluate_grid(field: FieldFn, resolution: int, bound: float = 1.0, chunk: int = 2**18) -> np.ndarray:
    """Evaluate `field` on a resolution^3 grid in chunks; returns (R, R, R) float32.

    Only one chunk of coordinates exists at a time, so 256^3 needs ~64 MB for the result.
    """
    axis = torch.linspace(-bound, bound, resolution)
    values = np.empty(resolution**3, dtype=np.float32)
    plane = resolution * resolution
    for start in range(0, resolution**3, chunk):
        idx = torch.arange(start, min(start + chunk, resolution**3))
        pts = torch.stack([axis[idx // plane], axis[(idx // resolution) % resolution], axis[idx % resolution]], -1)
        values[start : start + len(idx)] = field(pts).float().reshape(-1).cpu().numpy()
    return values.reshape(resolution, resolution, resolution)


@torch.no_grad()
def evaluate_grid_sparse(
    field: FieldFn,
    resolution: int,
    bound: float = 1.0,
    level: float = 0.0,
    coarse_step: int = 2,
    margin: float = 0.0,
    chunk: int = 2**18,
) -> np.ndarray:
    """Coarse-to-fine grid evaluation: the field is sampled on a grid `coarse_step` times coarser;
    cells whose corners straddle `level`, or come within `margin` of it, are evaluated at full
    resolution (dilated by one cell), and the rest is trilinearly upsampled from the coarse grid
    (the same sign everywhere inside them, which is all marching cubes looks at). `margin` (in the
    field's units) catches parts thinner than a coarse cell that lie between coarse samples: there
    the field comes close to `level` without crossing it. When the coarse grid shows no surface at
    all, the grid is evaluated densely. Returns (R, R, R) float32 like evaluate_grid."""
    n_coarse = max(2, -(-(resolution - 1) // coarse_step) + 1)
    coarse = torch.from_numpy(evaluate_grid(field, n_coarse, bound, chunk))  # (C, C, C)
    fine = F.interpolate(coarse[None, None], size=(resolution,) * 3, mode="trilinear", align_corners=True)[0, 0]
    above = (coarse > level).float()[None, None]
    corners_max = F.max_pool3d(above, 2, stride=1)  # (1, 1, C-1, C-1, C-1): any corner inside
    corners_min = -F.max_pool3d(-above, 2, stride=1)  # all corners inside
    near = F.max_pool3d(((coarse - level).abs() < margin).float()[None, None], 2, stride=1)  # a corner near level
    active = (((corners_max - corners_min) > 0) | (near > 0)).float()
    if not active.any():  # the whole shape is thinner than a coarse cell: no shortcut
        return evaluate_grid(field, resolution, bound, chunk)
    active = F.max_pool3d(active, 3, stride=1, padding=1)[0, 0] > 0  # dilate by one cell
    cell = torch.clamp((torch.arange(resolution) * (n_coarse - 1)) // (resolution - 1), max=n_coarse - 2)
    mask = active[cell][:, cell][:, :, cell]  # (R, R, R): fine points inside active cells
    idx = mask.nonzero()  # (M, 3)
    axis = torch.linspace(-bound, bound, resolution)
    values = fine.reshape(-1)
    flat = (idx[:, 0] * resolution + idx[:, 1]) * resolution + idx[:, 2]
    for start in range(0, len(idx), chunk):
        part = idx[start : start + chunk]
        values[flat[start : start + chunk]] = field(axis[part]).float().reshape(-1).cpu()
    return values.reshape(resolution, resolution, resolution).numpy()


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


def field_to_mesh(
    field: FieldFn, resolution: int, level: float = 0.0, bound: float = 1.0, sparse: bool = False, margin: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Chunked grid evaluation (dense, or coarse-to-fine with `sparse` and `margin`, see
    evaluate_grid_sparse) followed by marching cubes."""
    volume = (
        evaluate_grid_sparse(field, resolution, bound, level, margin=margin)
        if sparse
        else evaluate_grid(field, resolution, bound)
    )
    return extract_mesh(volume, level, bound)
