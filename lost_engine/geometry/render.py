"""A small pure-torch renderer: normal-shaded grey images and depth, orthographic views.

Meshes are rasterised (per-pixel barycentric tests, chunked over faces); occupancy fields are
ray-marched with bisection refinement; signed distance functions are sphere-traced. Both use
the same cameras, so a mesh and its field give the same silhouette. Convention: y is up; a field is > level inside.
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
    mask: torch.Tensor  # (K, H, W) bool, True where the object is hit


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


def _rasterize(tris: torch.Tensor, resolution: int, budget: int = 2**22) -> tuple[torch.Tensor, torch.Tensor]:
    """Camera-space triangles (F, 3, 3) -> (depth buffer (P,), face id (P,), -1 = background).

    Each triangle is tested only against the pixel centres inside its screen bounding box:
    triangles are grouped by power-of-two box size and processed in chunks of at most `budget`
    (triangle, pixel) pairs, then a scatter-min z-buffer picks the nearest hit per pixel.
    """
    to_col = lambda x: (x / VIEW_EXTENT + 1) / 2 * resolution - 0.5  # noqa: E731
    cols, rows = to_col(tris[..., 0]), to_col(-tris[..., 1])  # (F, 3) continuous pixel coords
    c0 = cols.min(1).values.ceil().clamp(0, resolution - 1).long()
    c1 = cols.max(1).values.floor().clamp(-1, resolution - 1).long()
    r0 = rows.min(1).values.ceil().clamp(0, resolution - 1).long()
    r1 = rows.max(1).values.floor().clamp(-1, resolution - 1).long()
    w, h = c1 - c0 + 1, r1 - r0 + 1
    keep = (w > 0) & (h > 0)
    bw = (2 ** torch.log2(w.clamp(min=1).float()).ceil()).long()
    bh = (2 ** torch.log2(h.clamp(min=1).float()).ceil()).long()
    hit_pix, hit_z, hit_face = [], [], []
    for gw, gh in torch.unique(torch.stack([bw[keep], bh[keep]], 1), dim=0).tolist():
        ids = torch.nonzero(keep & (bw == gw) & (bh == gh)).squeeze(1)
        oy, ox = torch.meshgrid(torch.arange(gh), torch.arange(gw), indexing="ij")
        ox, oy = ox.reshape(-1), oy.reshape(-1)
        for chunk in ids.split(max(1, budget // (gw * gh))):
            cc = c0[chunk, None] + ox  # (n, gw*gh) candidate pixels
            rr = r0[chunk, None] + oy
            inside_box = (cc <= c1[chunk, None]) & (rr <= r1[chunk, None])
            px, py = cols[chunk], rows[chunk]  # (n, 3)
            v0x, v0y = px[:, 1] - px[:, 0], py[:, 1] - py[:, 0]
            v1x, v1y = px[:, 2] - px[:, 0], py[:, 2] - py[:, 0]
            den = v0x * v1y - v1x * v0y
            ok = den.abs() > 1e-12
            den = torch.where(ok, den, torch.ones_like(den))[:, None]
            dx, dy = cc - px[:, :1], rr - py[:, :1]
            w1 = (dx * v1y[:, None] - v1x[:, None] * dy) / den
            w2 = (v0x[:, None] * dy - dx * v0y[:, None]) / den
            w0 = 1 - w1 - w2
            hit = inside_box & ok[:, None] & (w0 >= 0) & (w1 >= 0) & (w2 >= 0)
            z = tris[chunk, None, :, 2]  # (n, 1, 3)
            depth = w0 * z[..., 0] + w1 * z[..., 1] + w2 * z[..., 2]
            n_idx, k_idx = torch.nonzero(hit, as_tuple=True)
            hit_pix.append(rr[n_idx, k_idx] * resolution + cc[n_idx, k_idx])
            hit_z.append(depth[n_idx, k_idx])
            hit_face.append(chunk[n_idx])
    pixels = resolution * resolution
    zbuf = torch.full((pixels,), float("inf"))
    face_id = torch.full((pixels,), -1, dtype=torch.long)
    if hit_pix:
        pix, z, face = torch.cat(hit_pix), torch.cat(hit_z), torch.cat(hit_face)
        zbuf = zbuf.scatter_reduce(0, pix, z, reduce="amin")
        nearest = z <= zbuf[pix]
        face_id[pix[nearest]] = face[nearest]
    return zbuf, face_id


@torch.no_grad()
def render_mesh(
    vertices: np.ndarray, faces: np.ndarray, resolution: int = 64, views: Sequence[tuple[float, float]] = DEFAULT_VIEWS
) -> Renders:
    """Rasterise a triangle mesh from each view."""
    verts = torch.as_tensor(vertices, dtype=torch.float32)
    tris_world = verts[torch.as_tensor(faces, dtype=torch.long)]  # (F, 3, 3)
    per_view = []
    for azimuth, elevation in views:
        tris = tris_world @ camera_basis(azimuth, elevation).T  # (F, 3, 3) camera space: x, y, depth
        normals = torch.linalg.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
        normals = normals / normals.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        zbuf, face_id = _rasterize(tris, resolution)
        mask = face_id >= 0
        per_view.append(_view_images(mask, normals[face_id[mask]], zbuf[mask]))
    return _stack(per_view, resolution)


@torch.no_grad()
def render_field(
    field: Callable[[torch.Tensor], torch.Tensor],
    resolution: int = 64,
    views: Sequence[tuple[float, float]] = DEFAULT_VIEWS,
    level: float = 0.0,
    steps: int | None = None,
    refine: int = 6,
    chunk: int = 2**18,
) -> Renders:
    """Ray-march a field (> level inside) from each view: first crossing, refined by bisection.

    The normal is the negated finite-difference gradient at the hit point.
    """
    steps = steps or 2 * resolution
    pix = _pixel_grid(resolution)
    ts = torch.linspace(-VIEW_EXTENT, VIEW_EXTENT, steps)  # along the ray, through the origin plane

    def eval_points(p: torch.Tensor) -> torch.Tensor:
        return torch.cat([field(p[i : i + chunk]).float().reshape(-1) for i in range(0, len(p), chunk)])

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
def render_sdf(
    sdf: Callable[[torch.Tensor], torch.Tensor],
    resolution: int = 64,
    views: Sequence[tuple[float, float]] = DEFAULT_VIEWS,
    max_steps: int = 64,
    hit: float = 1e-3,
) -> Renders:
    """Sphere-trace a signed distance function (< 0 inside, a distance bound outside).

    Only rays still marching are evaluated, so this is several times cheaper than `render_field`
    for analytic shapes.
    """
    pix = _pixel_grid(resolution)  # (P, 2)
    bases = torch.stack([camera_basis(az, el) for az, el in views])  # (V, 3, 3): right, up, forward
    # every view's rays march together (one SDF call per step for all of them): (V*P, 3)
    origins = (pix[None, :, :1] * bases[:, None, 0] + pix[None, :, 1:] * bases[:, None, 1]).reshape(-1, 3)
    forward = bases[:, None, 2].expand(-1, len(pix), -1).reshape(-1, 3)
    t = torch.full((len(origins),), -VIEW_EXTENT)
    active = torch.ones(len(origins), dtype=torch.bool)
    mask = torch.zeros(len(origins), dtype=torch.bool)
    for _ in range(max_steps):
        idx = torch.nonzero(active).squeeze(1)
        if len(idx) == 0:
            break
        d = sdf(origins[idx] + t[idx, None] * forward[idx])
        done = d < hit
        mask[idx[done]] = True
        t[idx] = t[idx] + d.clamp(min=hit)
        active[idx[done | (t[idx] > VIEW_EXTENT)]] = False
    hits = origins[mask] + t[mask, None] * forward[mask]
    eps = 1e-3
    grad = torch.stack([sdf(hits + e) - sdf(hits - e) for e in torch.eye(3) * eps], -1)
    normals = grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)
    view_of = torch.arange(len(views)).repeat_interleave(len(pix))[mask]  # (hits,)
    normals_cam = torch.einsum("hj,hij->hi", normals, bases[view_of])  # world -> each hit's camera frame
    masks = mask.view(len(views), len(pix))  # (V, P); the hits are in view order
    counts = masks.sum(1).tolist()
    per_view = [_view_images(*view) for view in zip(masks, normals_cam.split(counts), t[mask].split(counts))]
    return _stack(per_view, resolution)


def contact_sheet(
    rows: Sequence[Sequence[np.ndarray]], path, labels: Sequence[str] | None = None, pad: int = 2
) -> None:
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
