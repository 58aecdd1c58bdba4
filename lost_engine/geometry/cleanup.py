"""Mesh cleanup before a mesh reaches a person: loose parts far smaller than the shape removed
(trimesh's connected components over shared edges), then optionally Taubin smoothing (trimesh's
filter_taubin: smooths without shrinking) and quadric decimation to a face budget (trimesh over the
fast-simplification library)."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class MeshCleanup:
    """What every path that hands a mesh to a person applies (CLI, worker and add-on, batch)."""

    min_part_fraction: float = 0.01  # loose parts under this share of the surface area go (0: keep all)
    smooth_iterations: int = 0  # Taubin smoothing passes (0: none)
    max_faces: int = 0  # decimate to at most this many faces (0: no budget)

    def __call__(self, vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vertices, faces = remove_floaters(vertices, faces, self.min_part_fraction)
        if len(faces) == 0 or (not self.smooth_iterations and not (0 < self.max_faces < len(faces))):
            return vertices, faces
        mesh = trimesh.Trimesh(np.asarray(vertices, np.float64), np.asarray(faces, np.int64), process=False)
        if self.smooth_iterations:
            trimesh.smoothing.filter_taubin(mesh, iterations=self.smooth_iterations)
        if 0 < self.max_faces < len(mesh.faces):
            mesh = mesh.simplify_quadric_decimation(face_count=self.max_faces)
        return np.asarray(mesh.vertices, np.float32), np.asarray(mesh.faces, np.int64)
