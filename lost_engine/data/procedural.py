"""The procedural shape set: part-structured analytic shapes with captions.

A shape is fully determined by (category, index, split): the split picks a seed range, so the
held-out shapes never share a random stream with training shapes. CLI:

    python -m lost_engine.data.procedural --out DIR --per-category N [--split train|heldout]
"""
from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..geometry import contact_sheet, evaluate_grid, extract_mesh, render_sdf, write_mesh
from . import shape_families as fam
from .sdf import CSGShape

GENERATORS = {
    "chair": fam.chair, "stool": fam.stool, "table": fam.table, "lamp": fam.lamp, "mug": fam.mug,
    "vase": fam.vase, "bottle": fam.bottle, "sofa": fam.sofa, "bed": fam.bed, "bench": fam.bench,
    "shelf": fam.shelf, "car": fam.car, "airplane": fam.airplane, "rocket": fam.rocket,
    "mushroom": fam.mushroom, "tree": fam.tree, "house": fam.house,
}
CATEGORIES = tuple(GENERATORS)

# Nouns per category. The last one is never used in training captions: prompts with it test
# whether the text encoder generalises to unseen wordings.
SYNONYMS = {
    "chair": ["chair", "seat", "dining chair", "armchair"],
    "stool": ["stool", "bar stool", "tabouret"],
    "table": ["table", "desk", "dining table", "side table"],
    "lamp": ["lamp", "light", "reading lamp", "lampstand"],
    "mug": ["mug", "cup", "coffee mug", "teacup"],
    "vase": ["vase", "urn", "flower vase", "amphora"],
    "bottle": ["bottle", "flask", "wine bottle", "carafe"],
    "sofa": ["sofa", "couch", "settee", "loveseat"],
    "bed": ["bed", "bunk", "double bed", "cot"],
    "bench": ["bench", "park bench", "pew"],
    "shelf": ["shelf", "bookcase", "shelving unit", "bookshelf"],
    "car": ["car", "automobile", "sedan", "vehicle"],
    "airplane": ["airplane", "plane", "jet", "aircraft"],
    "rocket": ["rocket", "spaceship", "missile", "spacecraft"],
    "mushroom": ["mushroom", "toadstool", "fungus"],
    "tree": ["tree", "sapling", "fir", "oak"],
    "house": ["house", "cottage", "home", "cabin"],
}
# Each category's typical largest dimension in metres (a shape fills 2 * FIT_MARGIN model units along
# its longest side): the add-on and the batch script place results at this real-world size.
REAL_SIZE_M = {
    "chair": 0.9, "stool": 0.75, "table": 1.4, "lamp": 1.5, "mug": 0.1, "vase": 0.35, "bottle": 0.3, "sofa": 2.0,
    "bed": 2.1, "bench": 1.6, "shelf": 1.8, "car": 4.5, "airplane": 35.0, "rocket": 50.0, "mushroom": 0.12,
    "tree": 8.0, "house": 9.0,
}
TEMPLATES = ["a {adj}{noun}{with}", "{adj}{noun}{with}", "a 3d model of a {adj}{noun}{with}",
             "a {adj}{noun}{with}, simple shape"]
SPLIT_SEED_BASE = {"train": 0, "heldout": 1_000_000}
FIT_MARGIN = 0.9  # shapes fill [-0.9, 0.9] along their longest side


@dataclass
class ProceduralShape:
    category: str
    index: int
    split: str
    csg: CSGShape
    caption: str

    @property
    def name(self) -> str:
        return f"{self.category}_{self.split}_{self.index:05d}"


def training_nouns() -> list[str]:
    """Every object noun that training captions use (all synonyms but each category's held-out one)."""
    return [noun for nouns in SYNONYMS.values() for noun in nouns[:-1]]


def named_category(text: str) -> str | None:
    """The category a text names, or None. The first thing named is the head ("a lamp on a table"
    -> lamp), except in a run of nouns, where the last one is ("a table lamp" -> lamp); of nouns
    starting at one word the longest counts ("a bar stool")."""
    words = re.findall(r"[a-z]+", text.lower())
    spans = {}  # start word -> (end word, category), the longest noun starting there
    for category, nouns in SYNONYMS.items():
        for noun in nouns:
            parts = noun.split()
            for i in range(len(words) - len(parts) + 1):
                if words[i:i + len(parts)] == parts and spans.get(i, (0,))[0] < i + len(parts):
                    spans[i] = (i + len(parts), category)
    for start in sorted(spans):
        end, category = spans[start]
        if end not in spans:  # not the modifier of a following noun
            return category
    return None


def _rng(category: str, index: int, split: str, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([CATEGORIES.index(category), SPLIT_SEED_BASE[split] + index, salt])


def make_caption(category: str, words: dict, rng: np.random.Generator, heldout_wording: bool = False) -> str:
    nouns = SYNONYMS[category]
    noun = nouns[-1] if heldout_wording else nouns[int(rng.integers(0, len(nouns) - 1))]
    adjs = [w for w in words.get("adj", []) if w]
    adj = " ".join(adjs[: int(rng.integers(0, len(adjs) + 1))])
    feats = [w for w in words.get("with", []) if w]
    with_ = f" with {' and '.join(feats)}" if feats and rng.random() < 0.7 else ""
    template = TEMPLATES[int(rng.integers(0, len(TEMPLATES)))]
    text = template.format(adj=f"{adj} " if adj else "", noun=noun, **{"with": with_})
    return " ".join(text.split())


def _fit_to_unit_cube(csg: CSGShape, probe_resolution: int = 48, probe_bound: float = 2.5) -> None:
    """Set csg.center/scale from a coarse probe grid.

    A grid point within half a cell diagonal of the surface marks a cell the shape may touch, so
    thin parts are never missed; the box is conservative by at most one cell.
    """
    axis = np.linspace(-probe_bound, probe_bound, probe_resolution)
    cell = axis[1] - axis[0]
    near = evaluate_grid(lambda p: -csg.raw_sdf(p), probe_resolution, probe_bound) > -0.87 * cell
    if not near.any():
        raise ValueError("procedural shape is empty")
    idx = np.argwhere(near)
    lo, hi = axis[idx.min(0)], axis[idx.max(0)]
    csg.center = tuple(float(c) for c in (lo + hi) / 2)
    csg.scale = float(FIT_MARGIN / ((hi - lo).max() / 2))


def make_shape(category: str, index: int, split: str = "train", fit: bool = True) -> ProceduralShape:
    """Deterministic shape number `index` of `category` in `split` ('train' or 'heldout').

    fit=False skips placing the shape in the unit cube (cheap; enough for its caption).
    """
    if category not in GENERATORS:
        raise KeyError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}")
    rng = _rng(category, index, split)
    parts, words = GENERATORS[category](rng)
    csg = CSGShape(parts=parts, blend=float(rng.uniform(0.0, 0.03)), attributes=words)
    if fit:
        _fit_to_unit_cube(csg)
    # held-out shapes are captioned with the synonym no training caption uses
    return ProceduralShape(category, index, split, csg, make_caption(category, words, rng, heldout_wording=split == "heldout"))


def shape_mesh(shape: ProceduralShape, resolution: int = 128) -> tuple[np.ndarray, np.ndarray]:
    return extract_mesh(evaluate_grid(shape.csg.occupancy_field, resolution), 0.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--per-category", type=int, default=4)
    parser.add_argument("--split", choices=tuple(SPLIT_SEED_BASE), default="train")
    parser.add_argument("--resolution", type=int, default=128, help="marching-cubes grid resolution")
    parser.add_argument("--format", choices=("obj", "ply", "glb"), default="obj")
    args = parser.parse_args(argv)
    from tqdm import tqdm

    args.out.mkdir(parents=True, exist_ok=True)
    rows, labels, records = [], [], []
    start = time.perf_counter()
    jobs = [(c, i) for c in CATEGORIES for i in range(args.per_category)]
    row: list[np.ndarray] = []
    for category, index in tqdm(jobs, desc="shapes", unit="shape"):
        shape = make_shape(category, index, args.split)
        verts, faces = shape_mesh(shape, args.resolution)
        path = write_mesh(args.out / category / f"{shape.name}.{args.format}", verts, faces)
        records.append({"file": str(path.relative_to(args.out)), "category": category, "index": index,
                        "split": args.split, "caption": shape.caption})
        row.append(render_sdf(shape.csg.sdf, 64, views=[(30.0, 25.0)]).shade[0].numpy())
        if index == args.per_category - 1:
            rows.append(row[:8]), labels.append(category)
            row = []
    elapsed = time.perf_counter() - start
    with open(args.out / "captions.jsonl", "a" if (args.out / "captions.jsonl").exists() else "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    contact_sheet(rows, args.out / "contact_sheet.png", labels)
    print(f"wrote {len(records)} shapes to {args.out} in {elapsed:.1f} s "
          f"({len(records) / elapsed:.2f} shapes/s incl. meshing at {args.resolution}^3 and a preview render)")


if __name__ == "__main__":
    main()
