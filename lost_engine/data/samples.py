"""Turning one shape (analytic or mesh) into a training sample.

A sample is a dict of float32 arrays:
    surface (P, 3), normals (P, 3)   points on the surface and their outward unit normals
    queries (Q, 3), occupancy (Q,)   occupancy queries (half near the surface, half uniform), 1 = inside
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..geometry import evaluate_grid_sparse, extract_mesh, inside_mesh, normalize_mesh, sample_queries, sample_surface
from .sdf import CSGShape


@dataclass(frozen=True)
class SampleSpec:
    surface_points: int = 2048
    queries: int = 8192
    near_fraction: float = 0.5
    mesh_resolution: int = 64  # marching cubes grid used to seed surface samples of analytic shapes


def _newton_steps(csg: CSGShape, p: torch.Tensor, iterations: int) -> torch.Tensor:
    for _ in range(iterations):
        p = p.detach().requires_grad_(True)
        d = csg.sdf(p)
        (grad,) = torch.autograd.grad(d.sum(), p)
        p = p - d[:, None] * grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-9)
    return p.detach()


def _project_to_surface(
    csg: CSGShape, points: np.ndarray, count: int, rng: np.random.Generator, iterations: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps p <- p - sdf(p) * grad from marching-cubes seeds.

    Returns `count` exact surface points and unit normals. Seeds where the SDF gradient is
    undefined (on a crease or an axis of a primitive) are dropped and replaced by valid ones.
    """
    p = torch.as_tensor(points)
    with torch.enable_grad():  # callers may run under no_grad
        p = _newton_steps(csg, p, iterations)
    with torch.no_grad():
        h = 5e-4  # central differences at the final point: robust where autograd meets a kink
        grad = torch.stack([csg.sdf(p + h * e) - csg.sdf(p - h * e) for e in torch.eye(3)], -1)
        normal = grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        ok = (
            torch.isfinite(p).all(1)
            & torch.isfinite(normal).all(1)
            & (grad.norm(dim=-1) > h)
            & (csg.sdf(p.nan_to_num()).abs() < 1e-3)
        )
    good = torch.nonzero(ok).squeeze(1).numpy()
    if len(good) == 0:
        raise ValueError("surface projection failed for every seed point")
    keep = good[rng.permutation(len(good))[:count]] if len(good) >= count else good[rng.integers(0, len(good), count)]
    return p[keep].numpy().astype(np.float32), normal[keep].numpy().astype(np.float32)


def sample_analytic(csg: CSGShape, spec: SampleSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    # the seed mesh only places points that are then projected exactly: coarse-to-fine is enough
    cell = 2.0 / (spec.mesh_resolution - 1)
    verts, faces = extract_mesh(evaluate_grid_sparse(csg.occupancy_field, spec.mesh_resolution, margin=cell), 0.0)
    seeds, _ = sample_surface(verts, faces, spec.surface_points * 5 // 4, rng)
    surface, normals = _project_to_surface(csg, seeds, spec.surface_points, rng)
    near = int(spec.queries * spec.near_fraction)
    queries = sample_queries(surface, near, spec.queries - near, rng)
    with torch.no_grad():
        occupancy = (csg.sdf(torch.as_tensor(queries)) < 0).numpy().astype(np.float32)
    return {"surface": surface, "normals": normals, "queries": queries, "occupancy": occupancy}


def sample_mesh(
    vertices: np.ndarray, faces: np.ndarray, spec: SampleSpec, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Sample a mesh in any units: normalised into the unit cube first; labels by winding number."""
    vertices, _ = normalize_mesh(vertices)
    surface, normals = sample_surface(vertices, faces, spec.surface_points, rng)
    near = int(spec.queries * spec.near_fraction)
    queries = sample_queries(surface, near, spec.queries - near, rng)
    occupancy = inside_mesh(vertices, faces, queries).astype(np.float32)
    return {"surface": surface, "normals": normals, "queries": queries, "occupancy": occupancy}
