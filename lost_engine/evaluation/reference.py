"""Ground truth for evaluation: dense surface points and uniform occupancy labels of a shape."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..data.procedural import make_shape, shape_mesh
from ..data.sources import ShapeItem
from ..geometry import inside_mesh, normalize_mesh, read_mesh, sample_surface


@dataclass
class Reference:
    surface: np.ndarray  # (10000, 3) points on the true surface
    queries: np.ndarray  # (Q, 3) uniform in [-1, 1]^3
    occupancy: np.ndarray  # (Q,) bool
    vertices: np.ndarray  # ground-truth mesh, for pictures
    faces: np.ndarray


def reference_for(item: ShapeItem, n_surface: int = 10_000, n_queries: int = 20_000, seed: int = 0) -> Reference:
    rng = np.random.default_rng(seed)
    queries = rng.uniform(-1, 1, size=(n_queries, 3)).astype(np.float32)
    if item.source.startswith("procedural:"):
        _, category, split, index = item.source.split(":")
        shape = make_shape(category, int(index), split)
        verts, faces = shape_mesh(shape, 128)
        with torch.no_grad():
            occ = (shape.csg.sdf(torch.as_tensor(queries)) < 0).numpy()
    else:
        verts, faces = read_mesh(item.source)
        verts, _ = normalize_mesh(verts)
        occ = inside_mesh(verts, faces, queries)
    surface, _ = sample_surface(verts, faces, n_surface, rng)
    return Reference(surface, queries, occ, verts, faces)
