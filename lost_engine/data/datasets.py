"""Torch datasets over cached shape samples."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from .cache import load_arrays, prepare
from .samples import SampleSpec
from .sources import open_source


class ShapeDataset(Dataset):
    """Surface points + normals and a random subset of occupancy queries per shape.

    Item: dict(surface (P, 3), normals (P, 3), queries (q, 3), occupancy (q,), label ()).
    """

    def __init__(self, arrays: dict[str, np.ndarray], labels: np.ndarray, categories: tuple[str, ...],
                 captions: list[str], queries_per_item: int | None = None):
        self.arrays = {k: torch.from_numpy(v) for k, v in arrays.items()}
        self.labels = torch.as_tensor(labels, dtype=torch.long)
        self.categories, self.captions = categories, captions
        self.queries_per_item = queries_per_item

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        item = {"surface": self.arrays["surface"][i], "normals": self.arrays["normals"][i], "label": self.labels[i]}
        q, occ = self.arrays["queries"][i], self.arrays["occupancy"][i]
        if self.queries_per_item:
            pick = torch.randint(0, len(q), (self.queries_per_item,))
            q, occ = q[pick], occ[pick]
        item["queries"], item["occupancy"] = q, occ
        return item


def build_dataset(data: str = "procedural", split: str = "train", per_category: int = 100,
                  cache_root: str | Path = ".cache/shapes", spec: SampleSpec = SampleSpec(),
                  workers: int = 1, queries_per_item: int | None = None) -> ShapeDataset:
    """Preprocess (once) and load a dataset. `data` is 'procedural' or a mesh folder."""
    source = open_source(data, split, per_category)
    name = f"procedural-{split}" if data == "procedural" else f"folder-{Path(data).resolve().name}"
    root = Path(cache_root) / name
    items = prepare(source, root, spec, workers)
    if not items:
        raise ValueError(f"no usable shapes in {data}")
    categories = tuple(source.categories)
    labels = np.array([categories.index(it.category) for it in items])
    ds = ShapeDataset(load_arrays(root, items), labels, categories, [it.caption for it in items], queries_per_item)
    ds.items = items
    return ds
