"""Shape sources: where shapes come from (procedural generator or a mesh folder).

A source lists items; each item has a stable key, a category and a caption, and can be turned
into a sample (see samples.py). The preprocessing cache sits on top of any source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..geometry import read_mesh
from ..geometry.mesh_io import READ_FORMATS
from .procedural import CATEGORIES, WORLD_DIGEST, make_shape
from .samples import SampleSpec, sample_analytic, sample_mesh


@dataclass(frozen=True)
class ShapeItem:
    key: str  # unique and filesystem-safe: names the cache file
    category: str
    caption: str
    source: str  # "procedural:<category>:<split>:<index>" or a mesh file path


def _seed_of(key: str) -> int:
    return int.from_bytes(key.encode()[-8:].rjust(8, b"\0"), "little") % (2**32)


_LISTED: dict[tuple[str, int, str], ShapeItem] = {}  # (category, index, split) -> item, for this process


def _list_one(job: tuple[str, int, str]) -> tuple[tuple[str, int, str], ShapeItem]:
    category, index, split = job
    shape = make_shape(category, index, split)
    return job, ShapeItem(shape.name, category, shape.caption, f"procedural:{category}:{split}:{index}")


class ProceduralSource:
    """`per_category` shapes of every category (or the given ones) in one split.

    Listing builds every shape once for its name and caption (about 20 ms each): the items are
    remembered for the process (train.all and gpu-run list the same set for several stages), and
    `workers` > 1 lists in parallel."""

    def __init__(
        self,
        split: str = "train",
        per_category: int = 100,
        categories: tuple[str, ...] = CATEGORIES,
        workers: int = 1,
    ):
        from .cache import run_jobs

        self.split, self.categories = split, tuple(categories)
        jobs = [(category, index, split) for category in self.categories for index in range(per_category)]
        missing = [job for job in jobs if job not in _LISTED]
        _LISTED.update(run_jobs(_list_one, missing, workers if len(missing) > 100 else 1))
        self.items = [_LISTED[job] for job in jobs]

    def sample(self, item: ShapeItem, spec: SampleSpec) -> dict[str, np.ndarray]:
        _, category, split, index = item.source.split(":")
        shape = make_shape(category, int(index), split)
        return sample_analytic(shape.csg, spec, np.random.default_rng(_seed_of(item.key)))


class MeshFolderSource:
    """ROOT/<category>/*.{obj,off,ply,stl,glb}; optional ROOT/captions.jsonl with {"file", "caption"}.

    Meshes directly under ROOT get the category "uncategorized". Without a caption, the caption is
    "a <category>".
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"mesh folder not found: {self.root}")
        captions = {}
        cap_file = self.root / "captions.jsonl"
        if cap_file.exists():
            for line in cap_file.read_text().splitlines():
                if line.strip():
                    rec = json.loads(line)
                    captions[rec["file"]] = rec["caption"]
        self.items = []
        for path in sorted(p for p in self.root.rglob("*") if p.suffix.lower() in READ_FORMATS and p.is_file()):
            rel = path.relative_to(self.root)
            category = rel.parts[0] if len(rel.parts) > 1 else "uncategorized"
            key = "__".join(rel.with_suffix("").parts) + "_" + path.suffix.lower()[1:]
            self.items.append(ShapeItem(key, category, captions.get(str(rel), f"a {category}"), str(path)))
        self.categories = tuple(sorted({it.category for it in self.items}))

    def sample(self, item: ShapeItem, spec: SampleSpec) -> dict[str, np.ndarray]:
        vertices, faces = read_mesh(item.source)
        return sample_mesh(vertices, faces, spec, np.random.default_rng(_seed_of(item.key)))


def is_procedural(data: str) -> bool:
    """'procedural' (the whole world) or 'procedural:chair,table,…' (some of its categories)."""
    return data == "procedural" or data.startswith("procedural:")


def procedural_categories(data: str) -> tuple[str, ...]:
    """The categories a 'procedural[:a,b,…]' data name selects; unknown names are refused."""
    names = tuple(c.strip() for c in data.partition(":")[2].split(",") if c.strip()) or CATEGORIES
    unknown = [c for c in names if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown procedural categories {', '.join(unknown)}; known: {', '.join(CATEGORIES)}")
    return names


def open_source(data: str, split: str = "train", per_category: int = 100, workers: int = 1):
    """'procedural', 'procedural:chair,table,…' or a mesh folder path."""
    if is_procedural(data):
        return ProceduralSource(split, per_category, procedural_categories(data), workers)
    return MeshFolderSource(data)


def cache_name(data: str, split: str) -> str:
    """The folder a source's preprocessed shapes are cached in: the procedural world's name carries
    the digest of its generators (a changed world starts a new cache; one file per shape, so
    category subsets share it), a mesh folder's its name."""
    return f"procedural-{WORLD_DIGEST}-{split}" if is_procedural(data) else f"folder-{Path(data).resolve().name}"
