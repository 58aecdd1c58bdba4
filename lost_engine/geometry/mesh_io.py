"""Mesh file reading and writing (OBJ, PLY, OFF, STL, GLB) through trimesh."""

from __future__ import annotations

from pathlib import Path

import numpy as np

READ_FORMATS = (".obj", ".ply", ".off", ".stl", ".glb", ".gltf")
WRITE_FORMATS = (".obj", ".ply", ".glb")


class MeshReadError(ValueError):
    """A file that exists but holds no usable triangle mesh."""


def read_mesh(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a triangle mesh. Returns vertices (V, 3) float32 and faces (F, 3) int64.

    Scenes (GLB with several nodes) are flattened with their transforms applied.
    Raises FileNotFoundError for a missing file, MeshReadError for anything unreadable or empty.
    """
    import trimesh

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"mesh file not found: {path}")
    if path.suffix.lower() not in READ_FORMATS:
        raise MeshReadError(f"{path}: unsupported mesh format {path.suffix!r} (supported: {', '.join(READ_FORMATS)})")
    try:
        loaded = trimesh.load(path, force="mesh", process=False)
    except Exception as exc:  # trimesh raises many different types for malformed files
        raise MeshReadError(f"{path}: not a readable mesh ({type(exc).__name__}: {exc})") from exc
    vertices = np.asarray(getattr(loaded, "vertices", np.zeros((0, 3))), dtype=np.float32)
    faces = np.asarray(getattr(loaded, "faces", np.zeros((0, 3))), dtype=np.int64)
    if len(vertices) == 0 or len(faces) == 0:
        raise MeshReadError(f"{path}: mesh has no triangles")
    if not np.isfinite(vertices).all():
        raise MeshReadError(f"{path}: mesh has non-finite vertex coordinates")
    return vertices, faces


def write_mesh(path: str | Path, vertices: np.ndarray, faces: np.ndarray) -> Path:
    """Write a triangle mesh; the format follows the suffix (.obj, .ply, .glb)."""
    import trimesh

    path = Path(path)
    if path.suffix.lower() not in WRITE_FORMATS:
        raise ValueError(f"{path}: cannot write {path.suffix!r} (supported: {', '.join(WRITE_FORMATS)})")
    path.parent.mkdir(parents=True, exist_ok=True)
    mesh = trimesh.Trimesh(np.asarray(vertices, dtype=np.float64), np.asarray(faces), process=False)
    tmp = path.with_name(path.name + ".tmp")
    data = mesh.export(file_type=path.suffix.lower()[1:])
    tmp.write_bytes(data.encode() if isinstance(data, str) else data)
    tmp.replace(path)
    return path
