"""Point sampling on and around a triangle mesh."""

from __future__ import annotations

import numpy as np


def face_normals_and_areas(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit face normals (F, 3) and face areas (F,)."""
    tri = vertices[faces]  # (F, 3, 3)
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    double_area = np.linalg.norm(cross, axis=1)
    normals = cross / np.maximum(double_area, 1e-12)[:, None]
    return normals.astype(np.float32), (0.5 * double_area).astype(np.float32)


def sample_surface(
    vertices: np.ndarray, faces: np.ndarray, count: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Area-uniform surface samples: points (count, 3) and their face normals (count, 3)."""
    normals, areas = face_normals_and_areas(vertices, faces)
    total = float(areas.sum())
    if total <= 0:
        raise ValueError("mesh has zero surface area")
    face_idx = rng.choice(len(faces), size=count, p=areas / total)
    u, v = rng.random(count), rng.random(count)
    flip = u + v > 1
    u[flip], v[flip] = 1 - u[flip], 1 - v[flip]
    tri = vertices[faces[face_idx]]  # (count, 3, 3)
    points = tri[:, 0] + u[:, None] * (tri[:, 1] - tri[:, 0]) + v[:, None] * (tri[:, 2] - tri[:, 0])
    return points.astype(np.float32), normals[face_idx]


def sample_queries(
    surface_points: np.ndarray,
    near_count: int,
    uniform_count: int,
    rng: np.random.Generator,
    sigmas: tuple[float, ...] = (0.01, 0.05),
    bound: float = 1.0,
) -> np.ndarray:
    """Occupancy query points (near_count + uniform_count, 3).

    Near-surface points are surface samples jittered by Gaussian noise (the sigmas share the
    near budget equally); uniform points fill the cube [-bound, bound]^3.
    """
    picks = rng.integers(0, len(surface_points), size=near_count)
    sigma = np.asarray(sigmas, dtype=np.float32)[rng.integers(0, len(sigmas), size=near_count)]
    near = surface_points[picks] + rng.normal(size=(near_count, 3)).astype(np.float32) * sigma[:, None]
    uniform = rng.uniform(-bound, bound, size=(uniform_count, 3)).astype(np.float32)
    return np.clip(np.concatenate([near, uniform]), -bound, bound).astype(np.float32)
