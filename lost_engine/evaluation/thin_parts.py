"""The thinnest part a VAE keeps: table-like probes with legs of decreasing radius, encoded and decoded.

A probe is a table: a plate on four legs of one radius, in model units (the unit cube; a procedural
shape fills [-0.9, 0.9] along its longest side), upright or turned so that the legs run
horizontally, since the triplanes see the two differently. For each radius we measure on the
decoded field:

    kept      the share of points on the legs' axes that decode as inside (1.0: the rod is whole)
    recall    the share of the legs' surface points within 0.02 of the reconstruction's surface

The smallest radius from which on every rod is kept (kept >= 0.9 both ways) is the VAE's minimum; the
procedural world keeps its thin parts at or above it (`procedural.MIN_PART_RADIUS`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..data.samples import SampleSpec, sample_analytic
from ..data.sdf import CSGShape, Part
from ..geometry import contact_sheet, render_mesh
from ..metrics import surface_distances

RADII = (0.015, 0.02, 0.03, 0.04, 0.06, 0.08, 0.1, 0.12)  # model units
KEPT = 0.9  # a rod counts as kept when this share of its axis decodes as inside
CORNER = 0.65  # the legs stand at (+-CORNER, +-CORNER) under the plate
LEG_TOP, LEG_FOOT = 0.7, -0.9


def leg_probe(radius: float, orientation: str = "vertical") -> CSGShape:
    """A square plate (y in [0.7, 0.8], 1.6 wide) on four legs of `radius` reaching y = -0.9, like a
    table: upright (vertical legs) or turned a quarter about z (the legs run along x)."""
    if orientation not in ("vertical", "horizontal"):
        raise ValueError(f"orientation must be 'vertical' or 'horizontal', got {orientation!r}")
    roll = (0, 0, -90) if orientation == "horizontal" else (0, 0, 0)
    turn = _turn(orientation)
    parts = [Part("box", dict(center=tuple(turn @ np.array([0, 0.75, 0])), half=(0.8, 0.05, 0.8), rot=roll))]
    for x, z in ((sx * CORNER, sz * CORNER) for sx in (-1, 1) for sz in (-1, 1)):
        parts.append(
            Part(
                "cylinder",
                dict(
                    a=tuple(turn @ np.array([x, LEG_FOOT, z])), b=tuple(turn @ np.array([x, LEG_TOP, z])), radius=radius
                ),
            )
        )
    return CSGShape(parts)


def _turn(orientation: str) -> np.ndarray:
    """(3, 3): y -> x for the horizontal probe (a quarter turn about z), else the identity."""
    return np.array([[0, 1, 0], [-1, 0, 0], [0, 0, 1]], float) if orientation == "horizontal" else np.eye(3)


def _leg_points(radius: float, orientation: str, count: int, rng: np.random.Generator):
    """Points on the axes and on the surfaces of the four legs' free parts (y in [-0.75, 0.6])."""
    t = rng.uniform(-0.75, 0.6, count)
    corner = rng.choice([-CORNER, CORNER], (count, 2))
    axis = np.stack([corner[:, 0], t, corner[:, 1]], 1)
    angle = rng.uniform(0, 2 * np.pi, count)
    surface = axis + np.stack([np.cos(angle), np.zeros(count), np.sin(angle)], 1) * radius
    turn = _turn(orientation)
    return (axis @ turn.T).astype(np.float32), (surface @ turn.T).astype(np.float32)


@torch.no_grad()
def evaluate_thin_parts(
    vae, radii=RADII, resolution: int = 128, seed: int = 0, sheet: Path | None = None
) -> tuple[str, dict]:
    rng = np.random.default_rng(seed)
    rows, pictures = [], []
    for orientation in ("vertical", "horizontal"):
        for radius in radii:
            sample = sample_analytic(leg_probe(radius, orientation), SampleSpec(), rng)
            post = vae.encode(torch.from_numpy(sample["surface"])[None], torch.from_numpy(sample["normals"])[None])
            planes = vae.decode(post.mean)
            verts, faces = vae.planes_to_mesh(planes[0], resolution)
            if sheet is not None:
                pictures.append(render_mesh(verts, faces, 64, views=[(30.0, 25.0)]).shade[0].numpy())
            axis, surface = _leg_points(radius, orientation, 400, rng)
            inside = (vae.occupancy(planes, torch.from_numpy(axis)[None]) > 0).float().mean().item()
            recall = float((surface_distances(surface, verts, faces) < 0.02).mean()) if len(faces) else 0.0
            rows.append({"orientation": orientation, "radius": float(radius), "kept": inside, "recall": recall})
    minimum = None  # the smallest radius at and above which every rod is kept
    for r in sorted(radii, reverse=True):
        if not all(row["kept"] >= KEPT for row in rows if row["radius"] == r):
            break
        minimum = r
    from .report import markdown_table

    md = (
        f"Four-legged probes, legs of decreasing radius (model units: a shape fills [-0.9, 0.9] along its longest "
        f"side), encoded and "
        f"decoded at {resolution}^3. kept: share of the legs' axes decoded as inside; recall: share of their surface "
        f"within 0.02 of the reconstruction.\n\n"
    )
    md += markdown_table(rows, ("orientation", "radius", "kept", "recall"))
    md += f"\nSmallest radius kept (kept >= {KEPT} from it on, both orientations): {minimum}\n"
    if sheet is not None:
        contact_sheet([pictures[: len(radii)], pictures[len(radii) :]], sheet, ["vertical", "horizontal"])
        md += f"\nReconstructions, radius {radii[0]} to {radii[-1]} left to right: {sheet}\n"
    return md, {"rows": rows, "min_radius_kept": minimum, "threshold": KEPT, "resolution": resolution}
