"""Torch datasets over cached shape samples: in memory (procedural sets, small folders) or
memory-mapped shards (the sharded cache of `lost_engine.data.prepare`)."""

from __future__ import annotations

import bisect
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from .cache import load_arrays, prepare
from .samples import SampleSpec
from .shards import is_shard_cache, open_shard, read_index
from .sources import ShapeItem, cache_name, is_procedural, open_source


class ShapeDataset(Dataset):
    """Surface points + normals and a random subset of occupancy queries per shape, over one or
    more parts (dicts of arrays with a leading shape axis; numpy arrays or memory maps).

    Item: dict(surface (P, 3), normals (P, 3), queries (q, 3), occupancy (q,), label ()).
    """

    def __init__(
        self,
        parts: list[dict[str, np.ndarray]],
        labels: np.ndarray,
        categories: tuple[str, ...],
        items: list[ShapeItem],
        queries_per_item: int | None = None,
    ):
        self.parts = parts
        self.starts = np.cumsum([0] + [len(p["surface"]) for p in parts])[:-1].tolist()
        self.labels = torch.as_tensor(labels, dtype=torch.long)
        self.categories, self.items = categories, items
        self.queries_per_item = queries_per_item

    @property
    def captions(self) -> list[str]:
        return [it.caption for it in self.items]

    def __len__(self) -> int:
        return len(self.labels)

    def array(self, name: str, i: int) -> torch.Tensor:
        part = bisect.bisect_right(self.starts, i) - 1
        return torch.from_numpy(np.array(self.parts[part][name][i - self.starts[part]], dtype=np.float32))

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        item = {"surface": self.array("surface", i), "normals": self.array("normals", i), "label": self.labels[i]}
        q, occ = self.array("queries", i), self.array("occupancy", i)
        if self.queries_per_item:
            pick = torch.randint(0, len(q), (self.queries_per_item,))
            q, occ = q[pick], occ[pick]
        item["queries"], item["occupancy"] = q, occ
        return item


def open_shard_dataset(cache: str | Path, queries_per_item: int | None = None) -> ShapeDataset:
    """Every shape of a sharded cache, memory-mapped."""
    index = read_index(cache)
    if not index["shards"]:
        raise ValueError(f"no shapes in the sharded cache {cache}")
    categories = tuple(index["categories"])
    items = [
        ShapeItem(key, cat, cap, f"{cache}:{shard['name']}")
        for shard in index["shards"]
        for key, cat, cap in zip(shard["keys"], shard["categories"], shard["captions"])
    ]
    labels = np.array([categories.index(it.category) for it in items])
    parts = [open_shard(cache, shard["name"]) for shard in index["shards"]]
    return ShapeDataset(parts, labels, categories, items, queries_per_item)


def build_dataset(
    data: str = "procedural",
    split: str = "train",
    per_category: int = 100,
    cache_root: str | Path = ".cache/shapes",
    spec: SampleSpec = SampleSpec(),
    workers: int = 1,
    queries_per_item: int | None = None,
) -> ShapeDataset:
    """Preprocess (once) and load a dataset. `data` is 'procedural', a mesh folder, or a sharded
    cache written by `python -m lost_engine.data.prepare` (read as it is: no split, no preprocessing)."""
    if not is_procedural(data) and is_shard_cache(data):
        return open_shard_dataset(data, queries_per_item)
    source = open_source(data, split, per_category, workers)
    root = Path(cache_root) / cache_name(data, split)
    items = prepare(source, root, spec, workers)
    if not items:
        raise ValueError(f"no usable shapes in {data}")
    categories = tuple(source.categories)
    labels = np.array([categories.index(it.category) for it in items])
    return ShapeDataset([load_arrays(root, items)], labels, categories, items, queries_per_item)
