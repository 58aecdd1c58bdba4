"""Analytic signed distance functions (negative inside) of primitives and their combinations.

Every function takes points (N, 3) as a torch tensor and returns distances (N,). Exact SDFs after
Inigo Quilez's formulas; smooth union keeps a bound, not an exact distance, near the blend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch


def _vec(v) -> torch.Tensor:
    return torch.as_tensor(v, dtype=torch.float32)


def rotation(yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0) -> torch.Tensor:
    """Rotation matrix (3, 3) from angles in degrees about y, x and z (applied z, x, y)."""
    y, x, z = (math.radians(a) for a in (yaw, pitch, roll))
    ry = torch.tensor([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = torch.tensor([[1, 0, 0], [0, math.cos(x), -math.sin(x)], [0, math.sin(x), math.cos(x)]])
    rz = torch.tensor([[math.cos(z), -math.sin(z), 0], [math.sin(z), math.cos(z), 0], [0, 0, 1]])
    return (ry @ rx @ rz).float()


def sphere(p, center, radius):
    return (p - _vec(center)).norm(dim=-1) - radius


def box(p, center, half, rounding=0.0, rot=(0.0, 0.0, 0.0)):
    """Box with half-sizes `half`, edges rounded by `rounding`, rotated by (yaw, pitch, roll)."""
    local = (p - _vec(center)) @ rotation(*rot)  # world -> box frame (R^T applied on the right)
    q = local.abs() - (_vec(half) - rounding)
    return q.clamp(min=0).norm(dim=-1) + q.max(dim=-1).values.clamp(max=0) - rounding


def capsule(p, a, b, radius):
    a, b = _vec(a), _vec(b)
    pa, ba = p - a, b - a
    h = ((pa @ ba) / (ba @ ba)).clamp(0, 1)
    return (pa - h[:, None] * ba).norm(dim=-1) - radius


def cylinder(p, a, b, radius):
    """Capped cylinder between end centres a and b."""
    a, b = _vec(a), _vec(b)
    ba, pa = b - a, p - a
    baba = ba @ ba
    paba = pa @ ba
    x = (pa * baba - paba[:, None] * ba).norm(dim=-1) - radius * baba
    y = (paba - baba * 0.5).abs() - baba * 0.5
    x2, y2 = x * x, y * y * baba
    d = torch.where(
        torch.maximum(x, y) < 0,
        -torch.minimum(x2, y2),
        torch.where(x > 0, x2, torch.zeros_like(x)) + torch.where(y > 0, y2, torch.zeros_like(y)),
    )
    return torch.where(d < 0, -1.0, 1.0) * d.abs().sqrt() / baba  # not sign(): its gradient vanishes at 0


def cone(p, a, b, ra, rb):
    """Capped cone (frustum) from centre a with radius ra to centre b with radius rb."""
    a, b = _vec(a), _vec(b)
    rba = rb - ra
    baba = (b - a) @ (b - a)
    papa = ((p - a) * (p - a)).sum(-1)
    paba = ((p - a) @ (b - a)) / baba
    x = (papa - paba * paba * baba).clamp(min=0).sqrt()
    cax = (x - torch.where(paba < 0.5, torch.full_like(x, ra), torch.full_like(x, rb))).clamp(min=0)
    cay = (paba - 0.5).abs() - 0.5
    k = rba * rba + baba
    f = ((rba * (x - ra) + paba * baba) / k).clamp(0, 1)
    cbx = x - ra - f * rba
    cby = paba - f
    s = torch.where((cbx < 0) & (cay < 0), -torch.ones_like(x), torch.ones_like(x))
    return s * torch.minimum(cax * cax + cay * cay * baba, cbx * cbx + cby * cby * baba).sqrt()


def torus(p, center, major, minor, rot=(0.0, 0.0, 0.0)):
    """Torus around the local y axis (ring in the local xz plane)."""
    local = (p - _vec(center)) @ rotation(*rot)
    q = torch.stack([local[:, [0, 2]].norm(dim=-1) - major, local[:, 1]], -1)
    return q.norm(dim=-1) - minor


def ellipsoid(p, center, radii):
    """Ellipsoid (bound-preserving approximation, exact on the surface)."""
    r = _vec(radii)
    local = p - _vec(center)
    k0 = (local / r).norm(dim=-1)
    k1 = (local / (r * r)).norm(dim=-1)
    return k0 * (k0 - 1.0) / k1.clamp(min=1e-9)


def prism(p, center, half_length, half_width, height, rot=(0.0, 0.0, 0.0)):
    """A gable: an isosceles triangle (base 2 * half_width across z, apex `height` above the base)
    extruded along x by +-half_length. `center` is the middle of the base; exact (Quilez's
    isosceles triangle, extruded)."""
    local = (p - _vec(center)) @ rotation(*rot)
    q = torch.tensor([float(half_width), float(height)])
    tri = torch.stack([local[:, 2].abs(), height - local[:, 1]], -1)  # apex at the origin, base at y = height
    a = tri - q * ((tri @ q) / (q @ q)).clamp(0, 1)[:, None]
    b = tri - q * torch.stack([(tri[:, 0] / q[0]).clamp(0, 1), torch.ones(len(tri))], -1)
    side = tri[:, 0] * q[1] - tri[:, 1] * q[0]
    d2 = torch.minimum((a * a).sum(-1), (b * b).sum(-1))
    inside = (side < 0) & (tri[:, 1] < q[1])  # s = -sign(q.y) = -1 for a positive height
    d = torch.where(inside, -d2.sqrt(), d2.sqrt())
    w = torch.stack([d, local[:, 0].abs() - half_length], -1)
    return w.max(-1).values.clamp(max=0) + w.clamp(min=0).norm(dim=-1)


EXACT_DISTANCE = frozenset({"sphere", "box", "capsule", "cylinder", "cone", "torus", "prism"})  # not the ellipsoid
PRIMITIVES = {
    "sphere": sphere,
    "box": box,
    "capsule": capsule,
    "cylinder": cylinder,
    "cone": cone,
    "torus": torus,
    "ellipsoid": ellipsoid,
    "prism": prism,
}


def smooth_min(a: torch.Tensor, b: torch.Tensor, k: float) -> torch.Tensor:
    if k <= 0:
        return torch.minimum(a, b)
    h = (0.5 + 0.5 * (b - a) / k).clamp(0, 1)
    return b + (a - b) * h - k * h * (1 - h)


def _disc_extent(axis: torch.Tensor, radius: float) -> torch.Tensor:
    """Half-extent per world axis (3,) of a disc of `radius` whose normal is `axis`."""
    n = axis / axis.norm().clamp(min=1e-12)
    return radius * (1 - n * n).clamp(min=0).sqrt()


def bounds(kind: str, params: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """The axis-aligned box (lo (3,), hi (3,)) of a primitive: exact for every kind but the
    rotated torus, where it is a tight bound."""
    if kind == "sphere":
        c, e = _vec(params["center"]), torch.full((3,), float(params["radius"]))
    elif kind == "box":
        c, e = _vec(params["center"]), rotation(*params.get("rot", (0, 0, 0))).abs() @ _vec(params["half"])
    elif kind == "ellipsoid":
        c, e = _vec(params["center"]), _vec(params["radii"])
    elif kind == "prism":
        half = torch.tensor([params["half_length"], params["height"] / 2, params["half_width"]], dtype=torch.float32)
        mid = rotation(*params.get("rot", (0, 0, 0))) @ torch.tensor([0.0, params["height"] / 2, 0.0])
        c, e = _vec(params["center"]) + mid, rotation(*params.get("rot", (0, 0, 0))).abs() @ half
    elif kind == "torus":
        ring_axis = rotation(*params.get("rot", (0, 0, 0))) @ torch.tensor([0.0, 1.0, 0.0])
        c, e = _vec(params["center"]), _disc_extent(ring_axis, params["major"]) + params["minor"]
    elif kind in ("cylinder", "cone", "capsule"):
        a, b = _vec(params["a"]), _vec(params["b"])
        ra, rb = (params["ra"], params["rb"]) if kind == "cone" else (params["radius"],) * 2
        if kind == "capsule":
            ea = eb = torch.full((3,), float(ra))
        else:
            ea, eb = _disc_extent(b - a, ra), _disc_extent(b - a, rb)
        lo, hi = torch.minimum(a - ea, b - eb), torch.maximum(a + ea, b + eb)
        return lo, hi
    else:
        raise KeyError(f"unknown primitive {kind!r}")
    return c - e, c + e


@dataclass
class Part:
    """One primitive of a shape; `subtract` carves it out of what came before."""

    kind: str
    params: dict
    subtract: bool = False

    def sdf(self, p: torch.Tensor) -> torch.Tensor:
        return PRIMITIVES[self.kind](p, **self.params)

    def bounds(self) -> tuple[torch.Tensor, torch.Tensor]:
        return bounds(self.kind, self.params)


@dataclass
class CSGShape:
    """Ordered parts combined by (smooth) union and subtraction, then a similarity transform.

    `center` and `scale` map the raw parts into the unit cube: sdf(p) = raw(p / scale + center) * scale.
    """

    parts: list[Part]
    blend: float = 0.0
    center: tuple[float, float, float] = (0.0, 0.0, 0.0)
    scale: float = 1.0
    attributes: dict = field(default_factory=dict)
    _boxes: list | None = field(default=None, init=False, repr=False, compare=False)  # set on first use

    def raw_sdf(self, p: torch.Tensor) -> torch.Tensor:
        """Parts are evaluated only at the points they can change: a part with an exact distance is
        never nearer than its box, so a union leaves the distance as it is wherever the box lies
        beyond it (plus the blend) and the point is outside the box, and a carved part only matters
        inside its box or within the current depth of it. Exact: the values are those of
        evaluating every part everywhere. The parts must not change once the shape has been
        evaluated."""
        if self._boxes is None:
            self._boxes = [part.bounds() for part in self.parts]
        d = self.parts[0].sdf(p)
        for part, (lo, hi) in zip(self.parts[1:], self._boxes[1:]):
            if part.kind not in EXACT_DISTANCE:
                pd = part.sdf(p)
                d = torch.maximum(d, -pd) if part.subtract else smooth_min(d, pd, self.blend)
                continue
            gap = torch.maximum(lo - p, p - hi).clamp(min=0).norm(dim=-1)  # (N,) distance to the part's box
            idx = torch.nonzero(
                gap <= (-d if part.subtract else d).clamp(min=0) + (0 if part.subtract else self.blend)
            ).squeeze(1)
            if len(idx) == 0:
                continue
            pd, near = part.sdf(p[idx]), d[idx]
            d = d.index_put((idx,), torch.maximum(near, -pd) if part.subtract else smooth_min(near, pd, self.blend))
        return d

    def sdf(self, p: torch.Tensor) -> torch.Tensor:
        return self.raw_sdf(p / self.scale + _vec(self.center)) * self.scale

    def raw_bounds(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The box (lo, hi) of the union of the added parts, in the parts' own units (carved
        parts only remove material, so they are left out)."""
        boxes = [part.bounds() for part in self.parts if not part.subtract]
        return torch.stack([b[0] for b in boxes]).min(0).values, torch.stack([b[1] for b in boxes]).max(0).values

    def occupancy_field(self, p: torch.Tensor) -> torch.Tensor:
        """Field convention of the geometry module: > 0 inside."""
        return -self.sdf(p)
