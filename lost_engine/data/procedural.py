"""The procedural shape set: part-structured analytic shapes with captions.

A shape is fully determined by (category, index, split): the split picks a seed range, so the
held-out shapes never share a random stream with training shapes. CLI:

    python -m lost_engine.data.procedural --out DIR --per-category N [--split train|heldout]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..geometry import contact_sheet, evaluate_grid, extract_mesh, render_sdf, write_mesh
from .sdf import CSGShape, Part
from .shape_families import WORLD

CATEGORIES = tuple(WORLD)


def _world_digest() -> str:
    """A digest of the code that makes the shapes and what is cached of them (samples, renders):
    the caches are filed under it, so changed code never reads an older world's cached shapes."""
    here = Path(__file__).parent
    files = sorted((here / "shape_families").glob("*.py")) + [
        here / n for n in ("procedural.py", "sdf.py", "samples.py")
    ]
    files.append(here.parent / "geometry" / "render.py")
    return hashlib.sha1(b"".join(f.read_bytes() for f in files)).hexdigest()[:10]


WORLD_DIGEST = _world_digest()
# Nouns per category. The last one is never used in training captions: prompts with it test
# whether the text encoder generalises to unseen wordings.
SYNONYMS = {name: list(c.nouns) for name, c in WORLD.items()}
# Every noun that names a thing of the world, with its category: the general nouns and the sub-types'.
THING_NOUNS = {name: [*c.nouns, *(n for s in c.subtypes for n in s.nouns)] for name, c in WORLD.items()}
# Each category's typical longest side in metres, its first sub-type's (the everyday one: a chair is a
# dining chair): where a prompt names only the category, results are placed at this real-world size.
REAL_SIZE_M = {name: c.subtypes[0].size_m for name, c in WORLD.items()}
SPLIT_SEED_BASE = {"train": 0, "heldout": 1_000_000}
FIT_MARGIN = 0.9  # shapes fill [-0.9, 0.9] along their longest side
# The thinnest radius a part may have, in model units (the unit cube). Thin parts (legs, poles,
# spokes, walls) are built at or above it, and a safety net thickens any primitive below it; what is
# thinner in the real object (bicycle spokes, guitar strings, wires) is left out or made thicker.
MIN_PART_RADIUS = 0.03
TEMPLATES = (
    "{a} {desc}",
    "{desc}",
    "a 3d model of {a} {desc}",
    "{a} {desc}, simple shape",
    "3d {desc}",
    "{a} {desc} model",
)


@dataclass
class ProceduralShape:
    category: str
    subtype: str
    index: int
    split: str
    csg: CSGShape
    caption: str
    size_m: float  # the real object's longest side in metres

    @property
    def name(self) -> str:
        return f"{self.category}_{self.split}_{self.index:05d}"


BOUNDARIES = frozenset({",", "with", "on", "in", "of", "for", "and", "or", "under", "beside", "near", "next", "by"})


def _words(text: str, commas: bool = False) -> list[str]:
    """Lower-case words (hyphens split them: "three-seater" is two), and commas when asked."""
    return re.findall(r"[a-z]+|," if commas else r"[a-z]+", text.lower().replace("-", " "))


def named_category(text: str, nouns: dict[str, list[str]] | None = None) -> str | None:
    """The category a text names, or None (`nouns`: category -> the nouns naming it; default this
    world's). The head is the last thing named in the first phrase (up to a preposition or a
    comma) that names any: "an oak chair" -> chair, "a table lamp" -> lamp, "a lamp on a table"
    -> lamp, "a 3d model of a chair" -> chair; a longer noun beats the nouns inside it ("a bar
    stool", "a kettle drum", "a chest of drawers")."""
    words = _words(text, commas=True)
    spans = {}  # start word -> (end word, category), the longest noun starting there
    for category, names in (THING_NOUNS if nouns is None else nouns).items():
        for noun in names:
            parts = _words(noun)
            for i in range(len(words) - len(parts) + 1):
                if words[i : i + len(parts)] == parts and spans.get(i, (0,))[0] < i + len(parts):
                    spans[i] = (i + len(parts), category)
    outer, reach = [], 0  # spans not inside an earlier, longer one
    for start in sorted(spans):
        if spans[start][0] > reach:
            outer.append((start, *spans[start]))
            reach = spans[start][0]
    covered = {i for start, end, _ in outer for i in range(start, end)}
    cuts = [i for i, w in enumerate(words) if w in BOUNDARIES and i not in covered] + [len(words)]
    begin = 0
    for cut in cuts:  # the first phrase that names anything ("a 3d model of a chair": the second)
        heads = [category for start, _, category in outer if begin <= start < cut]
        if heads:
            return heads[-1]
        begin = cut
    return None


def typical_size_m(category: str | None, text: str = "") -> float | None:
    """The real-world size (longest side, metres) of what a text names: the size of the sub-type
    it names ("a floor lamp": 1.55 m), else the category's typical size; None for no category."""
    if category not in WORLD:
        return None
    words = f" {' '.join(_words(text))} "
    named = [
        (len(noun), s.size_m)
        for s in WORLD[category].subtypes
        for noun in s.nouns
        if f" {' '.join(_words(noun))} " in words
    ]
    return max(named)[1] if named else REAL_SIZE_M[category]


def _rng(category: str, index: int, split: str) -> np.random.Generator:
    return np.random.default_rng([CATEGORIES.index(category), SPLIT_SEED_BASE[split] + index, 0])


def article(word: str) -> str:
    """ "an" before a vowel, else "a"."""
    return "an" if word[:1] in "aeiou" else "a"


def _size_phrase(extent_m: np.ndarray) -> str:
    """'about 90 cm tall', '4.5 m long': the object's largest dimension, as people give it."""
    size, axis = float(extent_m.max()), int(extent_m.argmax())
    how = ("long", "tall", "wide")[axis]
    if size < 0.2:
        return f"{max(1, round(size * 100))} cm {how}"
    if size < 1.0:
        return f"about {round(size * 20) * 5} cm {how}"
    return f"about {size:.1f} m {how}" if size < 10 else f"about {round(size)} m {how}"


def make_caption(
    category: str,
    subtype: str,
    words: dict,
    extent_m: np.ndarray,
    rng: np.random.Generator,
    heldout_wording: bool = False,
) -> str:
    cat = WORLD[category]
    if heldout_wording:
        noun = cat.nouns[-1]
    else:
        own = cat.subtype(subtype).nouns
        noun = (
            own[int(rng.integers(0, len(own)))]
            if rng.random() < 0.6
            else cat.nouns[int(rng.integers(0, len(cat.nouns) - 1))]
        )
    adjs = [w for w in dict.fromkeys(words.get("adj", [])) if w and w not in noun.split()]
    mods = adjs[: int(rng.integers(0, len(adjs) + 1))]
    material = cat.materials[int(rng.integers(0, len(cat.materials)))] if cat.materials and rng.random() < 0.5 else ""
    if material and material not in mods and material not in noun.split():
        mods.insert(int(rng.integers(0, len(mods) + 1)), material)
    feats = [w for w in words.get("with", []) if w]
    feats = feats[: int(rng.integers(1, len(feats) + 1))] if feats and rng.random() < 0.6 else []
    desc = " ".join([*mods, noun]) + (f" with {' and '.join(feats)}" if feats else "")
    if rng.random() < 0.15:
        desc += f", {_size_phrase(extent_m)}"
    template = TEMPLATES[int(rng.integers(0, len(TEMPLATES)))]
    return " ".join(template.format(a=article(desc), desc=desc).split())


def _thicken(parts: list[Part], radius: float) -> None:
    """The safety net under `t`: no added primitive thinner than `radius` (the parts' units)."""
    for part in parts:
        if part.subtract:
            continue
        p = part.params
        for key in ("radius", "minor"):
            if key in p:
                p[key] = max(p[key], radius)
        if part.kind == "box":
            p["half"] = tuple(max(h, radius) for h in p["half"])
        elif part.kind == "ellipsoid":
            p["radii"] = tuple(max(r, radius) for r in p["radii"])
        elif part.kind == "cone" and max(p["ra"], p["rb"]) < radius:
            p["ra"], p["rb"] = (radius, p["rb"]) if p["ra"] >= p["rb"] else (p["ra"], radius)
        if part.kind in ("cylinder", "cone"):  # a disc no thinner than a rod: lengthen it about its middle
            a, b = np.asarray(p["a"], float), np.asarray(p["b"], float)
            length = float(np.linalg.norm(b - a))
            if 0 < length < 2 * radius:
                grow = (b - a) * (radius / length - 0.5)
                p["a"], p["b"] = tuple(map(float, a - grow)), tuple(map(float, b + grow))


def _occupied_box(csg: CSGShape, resolution: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """The box (lo, hi) the shape occupies, in its raw units: the primitives' boxes, narrowed to
    where a probe grid finds the shape (carved parts can leave a primitive's box half empty). A
    grid point within half a cell diagonal of the surface marks a cell the shape may touch; the
    narrowed sides keep a margin of a cell, as the field is a distance bound only near the surface."""
    lo, hi = (b.numpy().astype(np.float64) for b in csg.raw_bounds())
    lo, hi = lo - csg.blend, hi + csg.blend  # a smooth union bulges by under a quarter of the blend
    cell = float((hi - lo).max()) / (resolution - 1)
    axes = [np.arange(lo[i] - cell, hi[i] + 1.5 * cell, cell) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    with torch.no_grad():
        near = (csg.raw_sdf(torch.from_numpy(grid).float()) < 0.87 * cell).numpy()
    if not near.any():
        raise ValueError("procedural shape is empty")
    found = grid[near]
    # the primitives' boxes are exact for what is not carved: narrow them only where carving shows
    return np.maximum(lo, found.min(0) - cell), np.minimum(hi, found.max(0) + cell)


def _build(category: str, subtype: str, index: int, split: str, t: float):
    rng = _rng(category, index, split)
    parts, words = WORLD[category].build(rng, subtype, t)
    return parts, words, rng


def subtype_of(category: str, index: int) -> str:
    """The sub-type of shape number `index` of a category (in either split): the index's turn."""
    subtypes = WORLD[category].subtypes
    return subtypes[index % len(subtypes)].name


def parse_name(name: str) -> tuple[str, str, int] | None:
    """(category, split, index) of a procedural shape's name ("potted_plant_train_00012"), or None
    for any other item name."""
    match = re.fullmatch(r"([a-z_]+)_(train|heldout)_(\d{5})", name)
    return (match[1], match[2], int(match[3])) if match and match[1] in WORLD else None


def make_shape(category: str, index: int, split: str = "train") -> ProceduralShape:
    """Deterministic shape number `index` of `category` in `split` ('train' or 'heldout'): its
    sub-type is the index's turn among the category's sub-types, its parts are built in metres,
    then fitted into the unit cube (y up) with no part thinner than MIN_PART_RADIUS there."""
    if category not in WORLD:
        raise KeyError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}")
    subtype = subtype_of(category, index)
    parts, _, _ = _build(category, subtype, index, split, 0.0)
    lo, hi = CSGShape(parts).raw_bounds()
    t = MIN_PART_RADIUS * float((hi - lo).max()) / (2 * FIT_MARGIN)  # the model-unit minimum, in metres
    parts, words, rng = _build(category, subtype, index, split, t)
    csg = CSGShape(parts=parts, blend=float(rng.uniform(0.0, 0.005)) * float((hi - lo).max()), attributes=words)
    _thicken(parts, t * 0.999)
    lo, hi = _occupied_box(csg)
    extent = hi - lo
    csg.center = tuple(float(c) for c in (lo + hi) / 2)
    csg.scale = float(FIT_MARGIN / (extent.max() / 2))
    # held-out shapes are captioned with the noun no training caption uses
    caption = make_caption(category, subtype, words, extent, rng, heldout_wording=split == "heldout")
    return ProceduralShape(category, subtype, index, split, csg, caption, float(extent.max()))


def shape_mesh(shape: ProceduralShape, resolution: int = 128) -> tuple[np.ndarray, np.ndarray]:
    return extract_mesh(evaluate_grid(shape.csg.occupancy_field, resolution), 0.0)


@torch.no_grad()
def shape_diameter(
    csg: CSGShape, points: np.ndarray, normals: np.ndarray, reach: float = 0.4, steps: int = 200
) -> np.ndarray:
    """The local thickness at surface points (N, 3) with outward normals (N, 3), in model units:
    how far a ray into the shape along -normal travels before it leaves (the shape diameter
    function, one ray). A leg of radius r measures 2r across its middle; `reach` caps it."""
    p, n = torch.as_tensor(points), torch.as_tensor(normals)
    depth = torch.linspace(reach / steps, reach, steps)  # (S,)
    rays = p[:, None] - depth[None, :, None] * n[:, None]  # (N, S, 3)
    outside = (csg.sdf(rays.reshape(-1, 3)) > 0).reshape(len(p), steps)
    first = torch.where(outside.any(1), outside.float().argmax(1), torch.full((len(p),), steps - 1))
    return depth[first].numpy()


def world_sheet(path: Path, per_subtype: int = 4, split: str = "train", size: int = 64) -> int:
    """A contact sheet of the world: a row per category, `per_subtype` instances of each sub-type
    side by side (sub-types in order). Returns the number of shapes drawn."""
    from tqdm import tqdm

    rows, labels = [], []
    for category in tqdm(CATEGORIES, desc="contact sheet", unit="category"):
        n = len(WORLD[category].subtypes)
        row = []
        for s in range(n):  # the shapes of sub-type s are the indices s, s + n, s + 2n, ...
            for k in range(per_subtype):
                shape = make_shape(category, s + k * n, split)
                row.append(render_sdf(shape.csg.sdf, size, views=[(30.0, 25.0)]).shade[0].numpy())
        rows.append(row), labels.append(category.replace("_", " "))
    contact_sheet(rows, path, labels)
    return sum(len(r) for r in rows)


def prepare_caches(cache: Path, per_category: int, split: str = "train", workers: int = 2) -> dict[str, float]:
    """Fill the caches training reads, as `train.all` does: the VAE's samples under CACHE/shapes,
    the teacher's renders under CACHE/renders. Returns the seconds each took (cached shapes are
    skipped, so a second run measures only what was missing)."""
    from .datasets import build_dataset
    from .renders import build_render_set

    seconds = {}
    for name, build in (
        ("samples", lambda: build_dataset("procedural", split, per_category, cache / "shapes", workers=workers)),
        ("renders", lambda: build_render_set("procedural", split, per_category, cache / "renders", workers=workers)),
    ):
        start = time.perf_counter()
        build()
        seconds[name] = time.perf_counter() - start
    count = per_category * len(CATEGORIES)
    print(
        f"{count} {split} shapes with {workers} workers: samples {seconds['samples'] / 60:.1f} min, "
        f"renders {seconds['renders'] / 60:.1f} min, in all {sum(seconds.values()) / 60:.1f} min"
    )
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write meshes, captions.jsonl and a contact sheet here")
    parser.add_argument("--per-category", type=int, default=4)
    parser.add_argument("--split", choices=tuple(SPLIT_SEED_BASE), default="train")
    parser.add_argument("--resolution", type=int, default=128, help="marching-cubes grid resolution")
    parser.add_argument("--format", choices=("obj", "ply", "glb"), default="obj")
    parser.add_argument("--sheet", type=Path, help="only draw the world's contact sheet (PNG), per sub-type")
    parser.add_argument("--per-subtype", type=int, default=4, help="instances per sub-type on --sheet")
    parser.add_argument(
        "--prepare",
        type=Path,
        metavar="CACHE",
        help="only fill the training caches (samples, teacher renders) of --per-category shapes, timed",
    )
    parser.add_argument("--workers", type=int, default=2, help="processes for --prepare")
    args = parser.parse_args(argv)
    if args.prepare:
        prepare_caches(args.prepare, args.per_category, args.split, args.workers)
        return
    if args.sheet:
        start = time.perf_counter()
        count = world_sheet(args.sheet, args.per_subtype, args.split)
        print(f"drew {count} shapes to {args.sheet} in {time.perf_counter() - start:.1f} s")
        return
    if args.out is None:
        parser.error("give --out DIR (meshes) or --sheet PNG")
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
        records.append(
            {
                "file": str(path.relative_to(args.out)),
                "category": category,
                "subtype": shape.subtype,
                "index": index,
                "split": args.split,
                "size_m": round(shape.size_m, 3),
                "caption": shape.caption,
            }
        )
        row.append(render_sdf(shape.csg.sdf, 64, views=[(30.0, 25.0)]).shade[0].numpy())
        if index == args.per_category - 1:
            rows.append(row[:8]), labels.append(category)
            row = []
    elapsed = time.perf_counter() - start
    with open(args.out / "captions.jsonl", "a" if (args.out / "captions.jsonl").exists() else "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    contact_sheet(rows, args.out / "contact_sheet.png", labels)
    print(
        f"wrote {len(records)} shapes to {args.out} in {elapsed:.1f} s "
        f"({len(records) / elapsed:.2f} shapes/s incl. meshing at {args.resolution}^3 and a preview render)"
    )


if __name__ == "__main__":
    main()
