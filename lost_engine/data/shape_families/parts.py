"""Building blocks of the shape families, in metres, y up, standing on y = 0.

Every generator receives `t`, the thinnest radius (metres) this shape may have, so that thin
parts (legs, poles, walls, spokes) stay at or above what the model resolves (see
`procedural.MIN_PART_RADIUS`); `thin(r, t)` applies it.
"""

from __future__ import annotations

import math

import numpy as np

from ..sdf import Part

Words = dict  # {"adj": [...], "with": [...]}: what varied, for the caption


def u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def pick(rng: np.random.Generator, options):
    return options[int(rng.integers(0, len(options)))]


def chance(rng: np.random.Generator, p: float) -> bool:
    return bool(rng.random() < p)


def thin(r: float, t: float) -> float:
    return max(r, t)


def shell(w: float, t: float) -> float:
    """A wall's full thickness: `w`, and at least the thinnest diameter with 10% to spare."""
    return max(w, 2.2 * t)


def box(center, half, rounding: float = 0.0, rot=(0.0, 0.0, 0.0)) -> Part:
    half = tuple(float(h) for h in half)
    return Part(
        "box",
        dict(
            center=tuple(float(c) for c in center), half=half, rounding=min(rounding, 0.9 * min(half)), rot=tuple(rot)
        ),
    )


def cyl(a, b, r: float) -> Part:
    return Part("cylinder", dict(a=tuple(map(float, a)), b=tuple(map(float, b)), radius=float(r)))


def cap(a, b, r: float) -> Part:
    return Part("capsule", dict(a=tuple(map(float, a)), b=tuple(map(float, b)), radius=float(r)))


def cone(a, b, ra: float, rb: float) -> Part:
    return Part("cone", dict(a=tuple(map(float, a)), b=tuple(map(float, b)), ra=float(ra), rb=float(rb)))


def sphere(center, r: float) -> Part:
    return Part("sphere", dict(center=tuple(map(float, center)), radius=float(r)))


def ell(center, radii) -> Part:
    return Part("ellipsoid", dict(center=tuple(map(float, center)), radii=tuple(map(float, radii))))


def ring(center, major: float, minor: float, axis: str = "y") -> Part:
    """A torus whose ring lies across `axis` (y: horizontal ring; z: upright, facing z; x: upright, facing x)."""
    rot = {"y": (0, 0, 0), "z": (0, 90, 0), "x": (0, 0, 90)}[axis]
    return Part("torus", dict(center=tuple(map(float, center)), major=float(major), minor=float(minor), rot=rot))


def gable(base_center, half_length: float, half_width: float, height: float, rot=(0.0, 0.0, 0.0)) -> Part:
    """A triangular prism along x (a roof): base 2 * half_width wide across z, apex `height` up."""
    return Part(
        "prism",
        dict(
            center=tuple(map(float, base_center)),
            half_length=float(half_length),
            half_width=float(half_width),
            height=float(height),
            rot=tuple(rot),
        ),
    )


def cut(part: Part) -> Part:
    part.subtract = True
    return part


def disc(center, r: float, half_width: float, axis: str = "y") -> Part:
    """A cylinder of radius r centred at `center` along `axis`."""
    c = np.asarray(center, float)
    d = np.eye(3)[" xyz".index(axis) - 1] * half_width
    return cyl(c - d, c + d, r)


def vessel(
    r_bottom: float, r_top: float, height: float, wall: float, base: float | None = None, y0: float = 0.0
) -> list[Part]:
    """An open-topped vessel: a frustum hollowed from the rim down to a floor `base` thick, its wall
    `wall` thick across its slope, with a rounded rim."""
    base = wall if base is None else base
    slope = (r_top - r_bottom) / height
    offset = wall * math.sqrt(1 + slope * slope)  # horizontally: the wall is `wall` thick across its slope
    inner_bottom = r_bottom + slope * base - offset
    return [
        cone((0, y0, 0), (0, y0 + height, 0), r_bottom, r_top),
        cut(
            cone(
                (0, y0 + base, 0),
                (0, y0 + height + 0.5 * height, 0),
                inner_bottom,
                r_top - offset + slope * 0.5 * height,
            )
        ),
        ring((0, y0 + height - wall / 2, 0), r_top - wall / 2, wall / 2),
    ]  # a rounded rim, never a knife edge


def legs(
    half_w: float,
    half_d: float,
    top: float,
    r: float,
    inset: float = 0.0,
    splay: float = 0.0,
    square: bool = False,
    bottom: float = 0.0,
) -> list[Part]:
    """Four legs under a top at height `top`, at the corners of a half_w x half_d rectangle."""
    out = []
    for sx in (-1, 1):
        for sz in (-1, 1):
            x, z = sx * (half_w - inset - r), sz * (half_d - inset - r)
            if square:
                out.append(box((x, (top + bottom) / 2, z), (r, (top - bottom) / 2, r)))
            else:
                out.append(cyl((x * (1 + splay), bottom, z * (1 + splay)), (x, top, z), r))
    return out


def around(n: int, radius: float, phase: float = 0.0) -> list[tuple[float, float]]:
    """n (x, z) points evenly on a circle."""
    return [
        (radius * math.cos(phase + 2 * math.pi * k / n), radius * math.sin(phase + 2 * math.pi * k / n))
        for k in range(n)
    ]


def wheel(
    x: float, z: float, r: float, half_width: float, t: float, spokes: int = 0, tyre: float | None = None
) -> list[Part]:
    """A wheel standing on the ground at (x, z), its axle along z: a tyre (of radius `tyre`,
    default 0.3 r), and a hub with `spokes` spokes when it has any (else a solid disc)."""
    tyre = thin(0.3 * r, t) if tyre is None else tyre
    parts = [ring((x, r, z), r - tyre, tyre, "z")]
    if spokes:
        parts.append(disc((x, r, z), thin(0.2 * r, t), half_width, "z"))
        for k in range(spokes):
            a = 2 * math.pi * k / spokes
            parts.append(
                cyl((x, r, z), (x + (r - tyre) * math.cos(a), r + (r - tyre) * math.sin(a), z), thin(0.05 * r, t))
            )
    else:
        parts.append(disc((x, r, z), r - tyre, half_width, "z"))
    return parts


def words(*adj: str, with_: tuple[str, ...] | list[str] = ()) -> Words:
    return {"adj": [a for a in adj if a], "with": [w for w in with_ if w]}


NUMBER = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def count(n: int, noun: str) -> str:
    """'four legs'; nouns with an irregular plural are given as 'shelf/shelves'."""
    single, _, plural = noun.partition("/")
    return f"{NUMBER.get(n, str(n))} {single if n == 1 else plural or single + 's'}"
