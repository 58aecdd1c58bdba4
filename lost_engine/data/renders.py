"""Rendered views of dataset shapes (teacher inputs), cached once per shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..geometry import DEFAULT_VIEWS, normalize_mesh, read_mesh, render_mesh, render_sdf
from .cache import load_arrays, prepare
from .procedural import make_shape
from .sources import ShapeItem, cache_name, open_source


class RenderMaker:
    """Picklable item -> {'views': (K, res, res) uint8} grey normal-shaded renders."""

    def __init__(self, resolution: int = 64, views=DEFAULT_VIEWS):
        self.resolution, self.views = resolution, tuple(views)

    def __call__(self, item: ShapeItem) -> dict[str, np.ndarray]:
        if item.source.startswith("procedural:"):
            _, category, split, index = item.source.split(":")
            csg = make_shape(category, int(index), split).csg
            shade = render_sdf(csg.sdf, self.resolution, self.views).shade
        else:
            verts, faces = read_mesh(item.source)
            shade = render_mesh(normalize_mesh(verts)[0], faces, self.resolution, self.views).shade
        return {"views": (shade.clamp(0, 1) * 255).round().to(torch.uint8).numpy()}


def build_render_set(
    data: str = "procedural",
    split: str = "train",
    per_category: int = 100,
    cache_root: str | Path = ".cache/renders",
    resolution: int = 64,
    workers: int = 1,
):
    """Returns (views (N, K, res, res) uint8 tensor, items, categories)."""
    source = open_source(data, split, per_category, workers)
    root = Path(cache_root) / f"{cache_name(data, split)}-{resolution}"
    items = prepare(source, root, workers=workers, make=RenderMaker(resolution))
    views = torch.from_numpy(load_arrays(root, items)["views"])
    return views, items, tuple(source.categories)
