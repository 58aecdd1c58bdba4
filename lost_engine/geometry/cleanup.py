"""Mesh cleanup before a mesh reaches a person: loose parts far smaller than the shape removed
(trimesh's connected components over shared edges)."""

from __future__ import annotations

import numpy as np
import trimesh


def part_areas(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per-face part label (F,), surface area of each part (P,)); parts are edge-connected."""
    mesh = trimesh.Trimesh(np.asarray(vertices, np.float64), np.asarray(faces, np.int64), process=False)
    labels = trimesh.graph.connected_component_labels(mesh.face_adjacency, node_count=len(faces))
    return labels, np.bincount(labels, weights=mesh.area_faces)


def count_parts(vertices: np.ndarray, faces: np.ndarray, min_area_fraction: float = 0.01) -> int:
    """Loose parts holding at least `min_area_fraction` of the surface area."""
    if len(faces) == 0:
        return 0
    _, areas = part_areas(vertices, faces)
    return int((areas >= min_area_fraction * areas.sum()).sum())


def remove_floaters(
    vertices: np.ndarray, faces: np.ndarray, min_area_fraction: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """Drop loose parts with less than `min_area_fraction` of the surface area, and the vertices
    only they used. Returns (V', 3) float32 and (F', 3) int64."""
    if len(faces) == 0 or min_area_fraction <= 0:
        return vertices, faces
    labels, areas = part_areas(vertices, faces)
    kept = faces[(areas >= min_area_fraction * areas.sum())[labels]]
    used = np.unique(kept)
    remap = np.full(len(vertices), -1, np.int64)
    remap[used] = np.arange(len(used))
    return np.asarray(vertices, np.float32)[used], remap[kept]
