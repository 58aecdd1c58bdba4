"""A small pure-torch renderer: normal-shaded grey images and depth, orthographic views.

Meshes are rasterised (per-pixel barycentric tests, chunked over faces); occupancy fields are
ray-marched with bisection refinement; signed distance functions are sphere-traced. Both use the same cameras, so a mesh and its field give the
same silhouette. Convention: y is up; a field is > level inside.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

# (azimuth, elevation) in degrees: six views around the object, slightly from above.
DEFAULT_VIEWS: tuple[tuple[float, float], ...] = tuple((az, 25.0) for az in (30, 90, 150, 210, 270, 330))
VIEW_EXTENT = 1.3  # half-width of the orthographic window; shapes fill [-0.95, 0.95] along their longest side
LIGHT = torch.tensor([-0.4, 0.6, -0.7])  # towards the light, in camera space (x right, y up, z forward)


@dataclass
class Renders:
    shade: torch.Tensor  # (K, H, W) grey in [0, 1], background 0
    depth: torch.Tensor  # (K, H, W) distance along the view ray, background 0
    mask: torch.Tensor   # (K, H, W) bool, True where the object is hit


def camera_basis(azimuth: float, elevation: float) -> torch.Tensor:
    """Rows: right, up, forward (unit vectors, world space); forward points from camera to origin."""
    az, el = math.radians(azimuth), math.radians(elevation)
    eye = torch.tensor([math.cos(el) * math.sin(az), math.sin(el), math.cos(el) * math.cos(az)])
    forward = -eye
    right = torch.linalg.cross(forward, torch.tensor([0.0, 1.0, 0.0]))
    right = right / right.norm()
    up = torch.linalg.cross(right, forward)
    return torch.stack([right, up, forward])


def _pixel_grid(resolution: int) -> torch.Tensor:
    """Pixel centres in camera-plane units, (H*W, 2) as (x, y), row 0 at the top."""
    coords = (torch.arange(resolution) + 0.5) / resolution * 2 - 1
    ys, xs = torch.meshgrid(-coords * VIEW_EXTENT, coords * VIEW_EXTENT, indexing="ij")
    return torch.stack([xs, ys], -1).reshape(-1, 2)


def _shade(normals_cam: torch.Tensor) -> torch.Tensor:
    """Two-sided Lambert + ambient for camera-space unit normals (..., 3)."""
    n = torch.where(normals_cam[..., 2:3] > 0, -normals_cam, normals_cam)  # face the camera
    light = LIGHT / LIGHT.norm()
    return (0.2 + 0.8 * (n * light).sum(-1).clamp(min=0)).clamp(0, 1)


def _view_images(mask: torch.Tensor, normals_cam: torch.Tensor, hit_depth: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Per-pixel shade and depth (P,) from the hit mask (P,) and per-hit normals/depths."""
    shade = torch.zeros(len(mask))
    shade[mask] = _shade(normals_cam)
    depth = torch.zeros(len(mask))
    depth[mask] = hit_depth + VIEW_EXTENT
    return shade, depth, mask


def _stack(per_view: list[tuple[torch.Tensor, ...]], resolution: int) -> Renders:
    shape = (len(per_view), resolution, resolution)
    return Renders(*(torch.stack([v[i] for v in per_view]).reshape(shape) for i in range(3)))


@torch.no_grad()
def render_mesh(vertices: np.ndarray, faces: np.ndarray, resolution: int = 64,
                views: Sequence[tuple[float, float]] = DEFAULT_VIEWS, face_chunk: int = 4096) -> Renders:
    """Rasterise a triangle mesh from each view."""
    verts = torch.as_tensor(vertices, dtype=torch.float32)
    tris_world = verts[torch.as_tensor(faces, dtype=torch.long)]  # (F, 3, 3)
    pix = _pixel_grid(resolution)  # (P, 2)
    per_view = []
    for azimuth, elevation in views:
        basis = camera_basis(azimuth, elevation)
        tris = tris_world @ basis.T  # (F, 3, 3) camera space: x, y, depth
        normals = torch.linalg.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
        normals = normals / normals.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        zbuf = torch.full((len(pix),), float("inf"))
        face_id = torch.full((len(pix),), -1, dtype=torch.long)
        for start in range(0, len(tris), face_chunk):
            t = tris[start:start + face_chunk]
            a, b, c = t[:, 0], t[:, 1], t[:, 2]  # (Fc, 3)
            # 2-D barycentrics of every pixel w.r.t. every triangle: (P, Fc)
            v0, v1 = (b - a)[:, :2], (c - a)[:, :2]
            den = v0[:, 0] * v1[:, 1] - v1[:, 0] * v0[:, 1]  # (Fc,)
            valid = den.abs() > 1e-12
            den = torch.where(valid, den, torch.ones_like(den))
            d = pix[:, None, :] - a[None, :, :2]  # (P, Fc, 2)
            w1 = (d[..., 0] * v1[:, 1] - v1[:, 0] * d[..., 1]) / den
            w2 = (v0[:, 0] * d[..., 1] - d[..., 0] * v0[:, 1]) / den
            w0 = 1 - w1 - w2
            hit = (w0 >= 0) & (w1 >= 0) & (w2 >= 0) & valid
            z = w0 * a[:, 2] + w1 * b[:, 2] + w2 * c[:, 2]
            z = torch.where(hit, z, torch.full_like(z, float("inf")))
            zmin, arg = z.min(dim=1)
            closer = zmin < zbuf
            zbuf = torch.where(closer, zmin, zbuf)
            face_id = torch.where(closer, arg + start, face_id)
        mask = face_id >= 0
        per_view.append(_view_images(mask, normals[face_id[mask]], zbuf[mask]))
    return _stack(per_view, resolution)


@torch.no_grad()
def render_field(field: Callable[[torch.Tensor], torch.Tensor], resolution: int = 64,
                 views: Sequence[tuple[float, float]] = DEFAULT_VIEWS, level: float = 0.0,
                 steps: int | None = None, refine: int = 6, chunk: int = 2**18) -> Renders:
    """Ray-march a field (> level inside) from each view: first crossing, refined by bisection.

    The normal is the negated finite-difference gradient at the hit point.
    """
    steps = steps or 2 * resolution
    pix = _pixel_grid(resolution)
    ts = torch.linspace(-VIEW_EXTENT, VIEW_EXTENT, steps)  # along the ray, through the origin plane

    def eval_points(p: torch.Tensor) -> torch.Tensor:
        return torch.cat([field(p[i:i + chunk]).float().reshape(-1) for i in range(0, len(p), chunk)])

    per_view = []
    for azimuth, elevation in views:
        right, up, forward = camera_basis(azimuth, elevation)
        origins = pix[:, :1] * right + pix[:, 1:] * up  # (P, 3) on the plane through the origin
        samples = origins[:, None, :] + ts[None, :, None] * forward  # (P, S, 3)
        inside = eval_points(samples.reshape(-1, 3)).reshape(len(pix), steps) > level
        mask = inside.any(dim=1)
        first = inside.float().argmax(dim=1)  # index of the first inside sample
        lo = ts[(first - 1).clamp(min=0)]
        hi = ts[first]
        r_origins, r_lo, r_hi = origins[mask], lo[mask], hi[mask]
        for _ in range(refine):
            mid = (r_lo + r_hi) / 2
            in_mid = eval_points(r_origins + mid[:, None] * forward) > level
            r_hi = torch.where(in_mid, mid, r_hi)
            r_lo = torch.where(in_mid, r_lo, mid)
        hits = r_origins + r_hi[:, None] * forward
        eps = 2.0 / resolution
        offsets = torch.eye(3) * eps
        grad = torch.stack([eval_points(hits + o) - eval_points(hits - o) for o in offsets], -1)
        normals_world = -grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        per_view.append(_view_images(mask, normals_world @ torch.stack([right, up, forward]).T, r_hi))
    return _stack(per_view, resolution)


@torch.no_grad()
def render_sdf(sdf: Callable[[torch.Tensor], torch.Tensor], resolution: int = 64,
               views: Sequence[tuple[float, float]] = DEFAULT_VIEWS, max_steps: int = 64,
               hit: float = 1e-3) -> Renders:
    """Sphere-trace a signed distance function (< 0 inside, a distance bound outside).

    Only rays still marching are evaluated, so this is several times cheaper than `render_field`
    for analytic shapes.
    """
    pix = _pixel_grid(resolution)
    per_view = []
    for azimuth, elevation in views:
        basis = camera_basis(azimuth, elevation)
        right, up, forward = basis
        origins = pix[:, :1] * right + pix[:, 1:] * up
        t = torch.full((len(pix),), -VIEW_EXTENT)
        active = torch.ones(len(pix), dtype=torch.bool)
        mask = torch.zeros(len(pix), dtype=torch.bool)
        for _ in range(max_steps):
            idx = torch.nonzero(active).squeeze(1)
            if len(idx) == 0:
                break
            d = sdf(origins[idx] + t[idx, None] * forward)
            done = d < hit
            mask[idx[done]] = True
            t[idx] = t[idx] + d.clamp(min=hit)
            active[idx[done | (t[idx] > VIEW_EXTENT)]] = False
        hits = origins[mask] + t[mask, None] * forward
        eps = 1e-3
        grad = torch.stack([sdf(hits + e) - sdf(hits - e) for e in torch.eye(3) * eps], -1)
        normals_cam = (grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)) @ basis.T
        per_view.append(_view_images(mask, normals_cam, t[mask]))
    return _stack(per_view, resolution)


def contact_sheet(rows: Sequence[Sequence[np.ndarray]], path, labels: Sequence[str] | None = None,
                  pad: int = 2) -> None:
    """Save a grid of grey images (each (H, W) in [0, 1]) as a PNG; one list per row, optional row labels."""
    from PIL import Image, ImageDraw

    h, w = rows[0][0].shape
    label_w = 90 if labels else 0
    cols = max(len(r) for r in rows)
    sheet = Image.new("L", (label_w + cols * (w + pad) + pad, len(rows) * (h + pad) + pad), 40)
    draw = ImageDraw.Draw(sheet)
    for i, row in enumerate(rows):
        y = pad + i * (h + pad)
        if labels:
            draw.text((4, y + h // 2 - 5), str(labels[i])[:14], fill=230)
        for j, img in enumerate(row):
            tile = Image.fromarray((np.clip(np.asarray(img), 0, 1) * 255).astype(np.uint8))
            sheet.paste(tile, (label_w + pad + j * (w + pad), y))
    sheet.save(path)
