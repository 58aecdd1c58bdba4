"""The sharded sample cache for large mesh collections (written by `lost_engine.data.prepare`).

    CACHE/index.json                 categories, shards (name, keys, categories, captions), failed files
    CACHE/shards/<name>/<array>.npy  surface (n, P, 3), normals (n, P, 3), queries (n, Q, 3), occupancy (n, Q)

Shards are immutable once written (a temporary folder renamed into place, then the index
rewritten atomically). Reading memory-maps the arrays: a training set of any size streams from
disk page by page instead of being loaded into memory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from ..checkpoint import atomic_write

INDEX = "index.json"
ARRAYS = ("surface", "normals", "queries", "occupancy")


def is_shard_cache(path: str | Path) -> bool:
    return (Path(path) / INDEX).is_file()


def read_index(cache: str | Path) -> dict:
    path = Path(cache) / INDEX
    if not path.is_file():
        return {"categories": [], "shards": [], "failed": {}}
    return json.loads(path.read_text())


def write_index(cache: str | Path, index: dict) -> None:
    atomic_write(Path(cache) / INDEX, lambda tmp: Path(tmp).write_text(json.dumps(index, indent=1)))


def write_shard(cache: str | Path, name: str, samples: list[dict[str, np.ndarray]]) -> None:
    """Stack `samples` into CACHE/shards/<name>/ (replacing a leftover folder of an interrupted run)."""
    final = Path(cache) / "shards" / name
    tmp = final.with_name(name + ".tmp")
    for leftover in (tmp, final):
        if leftover.exists():
            shutil.rmtree(leftover)
    tmp.mkdir(parents=True)
    for array in ARRAYS:
        np.save(tmp / f"{array}.npy", np.stack([s[array] for s in samples]))
    os.replace(tmp, final)


def open_shard(cache: str | Path, name: str) -> dict[str, np.ndarray]:
    """One shard's arrays, memory-mapped read-only."""
    folder = Path(cache) / "shards" / name
    return {array: np.load(folder / f"{array}.npy", mmap_mode="r") for array in ARRAYS}
