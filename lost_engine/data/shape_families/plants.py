"""Plants: trees of several kinds, potted plants, mushrooms, cacti."""

from __future__ import annotations

import math

from ..sdf import Part
from . import Category, SubType
from .parts import around, box, cap, chance, cone, cut, cyl, ell, pick, ring, shell, sphere, thin, u, vessel, words

GREEN = ("green", "dark green", "tall", "small", "young", "old")


def _branch(base, length, yaw, pitch):
    """The end point of a branch from `base`, `pitch` degrees above horizontal, heading `yaw`."""
    a, p = math.radians(yaw), math.radians(pitch)
    return (
        base[0] + length * math.cos(p) * math.cos(a),
        base[1] + length * math.sin(p),
        base[2] + length * math.cos(p) * math.sin(a),
    )


def tree(rng, sub, t):
    h = u(rng, 6.0, 10.0)
    if sub == "pine":
        trunk = h * 0.2
        parts = [cone((0, 0, 0), (0, trunk + 0.5, 0), thin(0.25, t), thin(0.18, t))]
        n = int(rng.integers(3, 6))
        for k in range(n):
            y0 = trunk + k * (h - trunk) * 0.75 / n
            spread = h * 0.25 * (1 - 0.6 * k / n)
            parts += [
                cyl((0, y0, 0), (0, y0 + 2 * t, 0), spread),  # a rim as thick as the thinnest part
                cone((0, y0 + 2 * t, 0), (0, y0 + (h - trunk) * 0.45, 0), spread, thin(0.05, t)),
            ]
        return parts, words("evergreen", "tall" if h > 8 else "", with_=[f"{n} layers of branches"])
    if sub == "palm":
        lean = u(rng, 0.3, 0.9)
        top = (lean, h, 0)
        parts = [
            cone((0, 0, 0), (0, 0.6, 0), 0.45, thin(0.2, t)),  # the root flare
            cap((0, 0, 0), (lean * 0.4, h * 0.5, 0), thin(0.2, t)),
            cap((lean * 0.4, h * 0.5, 0), top, thin(0.15, t)),
        ]
        n = int(rng.integers(6, 9))
        for k in range(n):
            tip = _branch(top, u(rng, 2.2, 3.0), 360 * k / n + u(rng, -10, 10), u(rng, -35, -5))
            mid = ((top[0] + tip[0]) / 2, max(top[1], tip[1]) + 0.3, (top[2] + tip[2]) / 2)
            parts += [cap(top, mid, thin(0.12, t)), cap(mid, tip, thin(0.08, t))]
        return parts, words("tropical", "leaning", with_=[f"{n} fronds"])
    trunk_r = thin(u(rng, 0.18, 0.3) if sub == "oak" else u(rng, 0.1, 0.15), t)
    crown_y = h * (0.55 if sub == "oak" else 0.6)
    parts = [cone((0, 0, 0), (0, crown_y, 0), trunk_r * 1.3, trunk_r)]
    if sub == "oak":
        n = int(rng.integers(3, 6))
        for k in range(n):
            end = _branch((0, crown_y * 0.8, 0), u(rng, 1.5, 2.5), 360 * k / n + u(rng, -20, 20), u(rng, 25, 45))
            parts += [cyl((0, crown_y * 0.8, 0), end, thin(trunk_r * 0.5, t)), sphere(end, u(rng, 1.5, 2.2))]
        parts.append(sphere((0, crown_y + 1.2, 0), u(rng, 2.2, 2.8)))
        return parts, words("broad", "leafy", "old", with_=["a wide crown"])
    parts.append(ell((0, crown_y + (h - crown_y) * 0.45, 0), (u(rng, 1.0, 1.5), (h - crown_y) * 0.6, u(rng, 1.0, 1.5))))
    for k in range(int(rng.integers(1, 3))):
        side = _branch((0, crown_y * 0.7, 0), 0.9, u(rng, 0, 360), 40)
        parts += [cyl((0, crown_y * 0.7, 0), side, thin(0.06, t)), ell(side, (0.6, 0.9, 0.6))]
    return parts, words("slender", pick(rng, ["white-barked", "silver", ""]), with_=["a narrow crown"])


def potted_plant(rng, sub, t):
    pot_r, pot_h = u(rng, 0.1, 0.15), u(rng, 0.15, 0.22)
    soil = pot_h * 0.85
    if sub == "bonsai":
        parts = [
            box((0, 0.03, 0), (pot_r * 1.4, 0.03, pot_r), rounding=0.01),
            cyl((0, 0.06, 0), (0.05, 0.2, 0), thin(0.03, t)),
            cyl((0.05, 0.2, 0), (-0.06, 0.32, 0), thin(0.025, t)),
            ell((0.1, 0.24, 0.02), (0.12, 0.05, 0.09)),
            ell((-0.09, 0.34, -0.02), (0.13, 0.06, 0.1)),
        ]
        return parts, words("miniature", "twisted", with_=["a shallow pot"])
    wall = shell(0.012, t)
    # soil filling the pot up to `soil`, its edge inside the wall (an air pocket under it would be a hidden hollow)
    parts = vessel(pot_r * 0.75, pot_r, pot_h, wall) + [
        cone((0, 0, 0), (0, soil, 0), pot_r * 0.75 - wall / 2, pot_r * 0.96 - wall / 2)
    ]
    if sub == "snake":
        n = int(rng.integers(4, 8))
        for k, (x, z) in enumerate(around(n, pot_r * 0.45, u(rng, 0, 6))):
            top = (x * 1.6, soil + u(rng, 0.35, 0.6), z * 1.6)
            parts.append(cone((x, soil, z), top, thin(0.025, t), thin(0.008, t)))
        return parts, words("tall", with_=[f"{n} upright leaves"])
    if sub == "flowering":
        n = int(rng.integers(3, 6))
        parts.append(
            ell((0, soil + 0.05, 0), (pot_r * 0.75, 0.07, pot_r * 0.75))
        )  # foliage inside the rim: no sealed air
        for x, z in around(n, pot_r * 0.4, u(rng, 0, 6)):
            top = (x * 1.3, soil + u(rng, 0.2, 0.32), z * 1.3)
            parts += [cyl((x, soil, z), top, thin(0.006, t)), sphere(top, u(rng, 0.035, 0.05))]
        return parts, words("flowering", "colourful", with_=[f"{n} flowers"])
    n = int(rng.integers(5, 9))
    parts.append(ell((0, soil + 0.07, 0), (0.06, 0.1, 0.06)))  # the heart the leaves grow from (no hollow among them)
    for x, z in around(n, pot_r * 0.3, u(rng, 0, 6)):
        tip = (x * 4, soil + u(rng, 0.15, 0.3), z * 4)
        parts.append(
            ell(
                ((x + tip[0]) / 2, (soil + tip[1]) / 2, (z + tip[2]) / 2),
                (abs(tip[0] - x) / 2 + 0.04, thin(0.05, t) + (tip[1] - soil) / 2, abs(tip[2] - z) / 2 + 0.04),
            )
        )
    return parts, words("leafy", "bushy", with_=[f"{n} leaves"])


def mushroom(rng, sub, t):
    if sub == "cluster":
        parts = [ell((0, 0.005, 0), (0.06, 0.012, 0.06))]
        n = int(rng.integers(3, 6))
        for k in range(n):
            x, z = (0.0, 0.0) if k == 0 else (u(rng, -0.04, 0.04), u(rng, -0.04, 0.04))
            h, capr = u(rng, 0.04, 0.09), u(rng, 0.018, 0.03)
            parts += [cyl((x, 0, z), (x, h, z), thin(0.006, t)), ell((x, h, z), (capr, capr * 0.5, capr))]
        return parts, words("small", with_=[f"{n} caps"])
    if sub == "parasol":
        h, capr = u(rng, 0.15, 0.22), u(rng, 0.06, 0.09)
        parts = [
            cone((0, 0, 0), (0, h, 0), thin(0.01, t), thin(0.007, t)),
            ell((0, h, 0), (capr, capr * 0.25, capr)),
            ring((0, h * 0.7, 0), thin(0.012, t), thin(0.004, t)),
        ]
        return parts, words("tall", "flat-capped", with_=["a thin stem", "a ring"])
    if sub == "morel":
        h = u(rng, 0.06, 0.1)
        parts = [cyl((0, 0, 0), (0, h * 0.4, 0), thin(0.012, t)), ell((0, h * 0.65, 0), (h * 0.22, h * 0.4, h * 0.22))]
        for k in range(8):
            a = k * 2.4
            parts.append(sphere((h * 0.18 * math.cos(a), h * (0.45 + 0.05 * k), h * 0.18 * math.sin(a)), h * 0.07))
        return parts, words("wrinkled", "conical")
    h, capr = u(rng, 0.04, 0.07), u(rng, 0.035, 0.055)
    parts = [cone((0, 0, 0), (0, h, 0), thin(0.016, t), thin(0.013, t)), ell((0, h, 0), (capr, capr * 0.6, capr))]
    return parts, words("plump", "round-capped")


def cactus(rng, sub, t):
    if sub == "saguaro":
        h, r = u(rng, 3.0, 5.0), u(rng, 0.3, 0.45)
        parts = [cap((0, 0, 0), (0, h, 0), r)]
        for k in range(int(rng.integers(1, 4))):
            sx = pick(rng, [-1, 1])
            y, out = u(rng, 0.35, 0.6) * h, u(rng, 0.4, 0.7)
            parts += [
                cap((0, y, 0), (sx * out, y, 0.1 * k), r * 0.7),
                cap((sx * out, y, 0.1 * k), (sx * out, y + u(rng, 0.6, 1.2), 0.1 * k), r * 0.7),
            ]
        return parts, words("tall", "desert", with_=["arms"])
    if sub == "barrel":
        r = u(rng, 0.2, 0.35)
        parts = [sphere((0, r * 0.8, 0), r * 0.85)]
        for k in range(6):  # ribs: rings over the top, turned 30 degrees apart
            parts.append(
                Part(
                    "torus", dict(center=(0, r * 0.8, 0), major=r * 0.85, minor=thin(0.07 * r, t), rot=(30 * k, 0, 90))
                )
            )
        parts.append(cut(box((0, -r * 0.5, 0), (r * 1.5, r * 0.5 + 0.1 * r, r * 1.5))))
        return parts, words("round", "ribbed")
    if sub == "prickly_pear":
        parts = [ell((0, 0.25, 0), (0.16, 0.25, thin(0.05, t)))]
        for k in range(int(rng.integers(2, 5))):
            a = u(rng, -60, 60)
            c = (0.22 * math.sin(math.radians(a)), 0.55 + 0.08 * k, u(rng, -0.05, 0.05))
            parts.append(ell(c, (0.12, 0.17, thin(0.045, t))))
        return parts, words("flat-padded")
    pot_r, pot_h = u(rng, 0.06, 0.08), u(rng, 0.08, 0.1)
    wall = shell(0.008, t)
    parts = vessel(pot_r * 0.8, pot_r, pot_h, wall) + [
        cone((0, 0, 0), (0, pot_h * 0.85, 0), pot_r * 0.8 - wall / 2, pot_r * 0.97 - wall / 2)
    ]
    parts.append(cap((0, pot_h * 0.8, 0), (0, pot_h + u(rng, 0.06, 0.14), 0), pot_r * u(rng, 0.5, 0.7)))
    return parts, words("small", "spiky", with_=["a clay pot" if chance(rng, 0.5) else "a pot"])


CATEGORIES = (
    Category(
        "tree",
        "plants",
        ("tree", "sapling"),
        (
            SubType("pine", ("pine tree", "fir tree", "christmas tree", "conifer"), 8.0),
            SubType("oak", ("oak tree", "oak"), 8.5),
            SubType("palm", ("palm tree", "palm"), 9.0),
            SubType("birch", ("birch tree", "birch"), 8.0),
        ),
        tree,
        GREEN,
    ),
    Category(
        "potted_plant",
        "plants",
        ("potted plant", "plant", "houseplant"),
        (
            SubType("leafy", ("leafy plant", "pot plant"), 0.55),
            SubType("flowering", ("potted flower", "flower pot"), 0.5),
            SubType("snake", ("snake plant", "sansevieria"), 0.7),
            SubType("bonsai", ("bonsai", "bonsai tree"), 0.35),
        ),
        potted_plant,
        GREEN,
    ),
    Category(
        "mushroom",
        "plants",
        ("mushroom", "toadstool", "fungus"),
        (
            SubType("button", ("button mushroom", "field mushroom"), 0.09),
            SubType("parasol", ("parasol mushroom",), 0.2),
            SubType("cluster", ("mushroom cluster", "cluster of mushrooms"), 0.12),
            SubType("morel", ("morel",), 0.1),
        ),
        mushroom,
        ("red", "white", "brown", "spotted", "wild"),
    ),
    Category(
        "cactus",
        "plants",
        ("cactus", "succulent"),
        (
            SubType("saguaro", ("saguaro", "saguaro cactus"), 4.5),
            SubType("barrel", ("barrel cactus",), 0.6),
            SubType("prickly_pear", ("prickly pear", "opuntia"), 0.85),
            SubType("potted", ("potted cactus",), 0.25),
        ),
        cactus,
        GREEN,
    ),
)
