"""Writing pipeline results: one mesh file per prefix level, a contact sheet and a JSON summary.

Existing files in the output folder are never deleted; files of the same name are replaced
atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .geometry import DEFAULT_VIEWS, Normalization, contact_sheet, render_mesh, write_mesh
from .pipeline import Level

FORMATS = ("obj", "ply", "glb")


def parse_token_counts(text: str) -> list[int]:
    """'1,2,4' -> [1, 2, 4]; a clear error for anything else."""
    try:
        ks = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--tokens expects comma-separated integers such as 1,2,4,16, got {text!r}") from None
    if not ks:
        raise ValueError("--tokens is empty")
    return ks


def write_levels(
    levels: dict[int, Level], out: Path, stem: str, fmt: str = "obj", normalization: Normalization | None = None
) -> dict[int, str]:
    """One mesh per level as OUT/<stem>_k<k>.<fmt>; `normalization` maps back to the input's frame."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown mesh format {fmt!r} (choose from {', '.join(FORMATS)})")
    paths = {}
    for k, level in sorted(levels.items()):
        verts = normalization.undo(level.vertices) if normalization is not None else level.vertices
        paths[k] = str(write_mesh(Path(out) / f"{stem}_k{k:03d}.{fmt}", verts, level.faces))
    return paths


def levels_sheet(
    rows: Sequence[tuple[str, Sequence[tuple[np.ndarray, np.ndarray]]]], path: Path, resolution: int = 96
) -> None:
    """Contact sheet: one row per (label, meshes), each mesh seen from the first default view."""
    view = [DEFAULT_VIEWS[1]]
    blank = np.zeros((resolution, resolution), np.float32)
    images = [
        [render_mesh(v, f, resolution, views=view).shade[0].clamp(0, 1).numpy() if len(f) else blank for v, f in meshes]
        for _, meshes in rows
    ]
    contact_sheet(images, path, [label for label, _ in rows])


def write_summary(path: Path, summary: dict) -> None:
    Path(path).write_text(json.dumps(summary, indent=2, default=float) + "\n")
