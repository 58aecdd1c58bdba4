"""Furniture: chairs, stools, tables, desks, sofas, beds, benches, shelves, cabinets, wardrobes."""

from __future__ import annotations

import math

from . import Category, SubType
from .parts import around, box, cap, chance, count, cut, cyl, disc, ell, legs, pick, ring, thin, u, words

WOOD = ("wooden", "oak", "pine", "walnut", "metal", "white", "black", "painted")
SOFT = ("leather", "fabric", "velvet", "grey", "blue", "green", "brown", "beige")


def _back(w, seat_y, d, height, tilt, thick, slats=0, t=0.0):
    """A backrest rising from the rear edge of a seat, tilted back by `tilt` degrees."""
    z0 = -d + thick
    top_y = seat_y + height * math.cos(math.radians(tilt))
    top_z = z0 - height * math.sin(math.radians(tilt))
    if not slats:
        return [box((0, (seat_y + top_y) / 2, (z0 + top_z) / 2), (w, height / 2, thick), rot=(0, -tilt, 0))]
    parts = [box((0, top_y - 0.04, top_z), (w, 0.04, thick), rot=(0, -tilt, 0))]
    for k in range(slats):
        x = -w + 0.03 + k * (2 * w - 0.06) / max(slats - 1, 1)
        parts.append(
            box((x, (seat_y + top_y) / 2, (z0 + top_z) / 2), (thin(0.015, t), height / 2, thick), rot=(0, -tilt, 0))
        )
    return parts


def chair(rng, sub, t):
    w, d = u(rng, 0.2, 0.25), u(rng, 0.2, 0.25)
    if sub == "armchair":
        w, d, seat_y = u(rng, 0.3, 0.4), u(rng, 0.3, 0.38), u(rng, 0.38, 0.45)
        arm_h = u(rng, 0.18, 0.26)
        parts = [box((0, seat_y - 0.1, 0), (w, 0.12, d), rounding=0.05)]
        parts += legs(w, d, seat_y - 0.2, thin(0.025, t), square=chance(rng, 0.5))
        parts += [
            box((sx * (w + 0.05), seat_y + arm_h / 2 - 0.1, 0), (0.07, arm_h / 2 + 0.12, d), rounding=0.04)
            for sx in (-1, 1)
        ]
        parts += _back(w + 0.05, seat_y, d, u(rng, 0.45, 0.6), u(rng, 5, 15), 0.1)
        return parts, words(pick(rng, ["deep", "plush", "wide"]), with_=["padded armrests"])
    seat_y = u(rng, 0.43, 0.48)
    parts = [box((0, seat_y, 0), (w, 0.025, d), rounding=0.01)]
    if sub == "office":
        seat_y += 0.05
        parts = [
            box((0, seat_y, 0), (w + 0.02, 0.05, d + 0.02), rounding=0.03),
            cyl((0, 0.1, 0), (0, seat_y, 0), thin(0.03, t)),
        ]
        n = pick(rng, [4, 5, 5])
        for x, z in around(n, u(rng, 0.28, 0.33)):
            parts += [cyl((0, 0.09, 0), (x, 0.06, z), thin(0.025, t)), disc((x, 0.03, z), thin(0.03, t), thin(0.03, t))]
        parts += _back(w, seat_y, d, u(rng, 0.45, 0.7), u(rng, 5, 15), 0.04)
        arms = chance(rng, 0.6)
        if arms:
            for sx in (-1, 1):
                parts += [
                    box((sx * (w + 0.02), seat_y + 0.2, 0.02), (0.03, 0.02, d * 0.7)),
                    cyl((sx * (w + 0.02), seat_y, 0), (sx * (w + 0.02), seat_y + 0.2, 0), thin(0.02, t)),
                ]
        return parts, words(
            pick(rng, ["ergonomic", "swivel", "high-backed", ""]), with_=[count(n, "wheel"), "armrests" if arms else ""]
        )
    back_h, tilt = u(rng, 0.35, 0.55), u(rng, 3, 12)
    slats = int(rng.integers(3, 6)) if chance(rng, 0.5) else 0
    leg_r = thin(u(rng, 0.016, 0.025), t)
    if sub == "rocking":
        radius, rocker_r = u(rng, 0.9, 1.2), thin(0.02, t)
        lift = rocker_r + 0.005  # the arc's lowest point rests on the floor

        def arc_y(z):
            return lift + radius - math.sqrt(radius * radius - z * z)

        parts += legs(w, d, seat_y, leg_r, bottom=arc_y(d - leg_r))
        ends = [radius * math.sin(math.radians(a)) for a in (-24, -12, 0, 12, 24)]
        for sx in (-1, 1):  # a rocker: an arc of capsules under each side
            x = sx * (w - leg_r)
            parts += [cap((x, arc_y(z0), z0), (x, arc_y(z1), z1), rocker_r) for z0, z1 in zip(ends, ends[1:])]
        parts += _back(w, seat_y, d, back_h + 0.15, tilt + 5, 0.02, slats or 5, t)
        return parts, words(pick(rng, ["old", "porch", "classic"]), with_=["curved rockers"])
    parts += legs(w, d, seat_y, leg_r, square=chance(rng, 0.5), splay=u(rng, 0, 0.1))
    parts += _back(w, seat_y, d, back_h, tilt, 0.02, slats, t)
    return parts, words(
        "high-backed" if back_h > 0.5 else "", with_=[count(slats, "slat") if slats else "", "four legs"]
    )


def stool(rng, sub, t):
    if sub == "bar":
        h, r, n = u(rng, 0.65, 0.8), u(rng, 0.17, 0.21), pick(rng, [3, 4])
        parts = [disc((0, h - 0.03, 0), r, 0.03)]
        for x, z in around(n, 0.8 * r, 0.3):
            parts.append(cyl((x * 1.35, 0, z * 1.35), (x, h - 0.03, z), thin(0.014, t)))  # ends inside the seat
        parts.append(ring((0, h * 0.33, 0), r * 1.05, thin(0.012, t)))
        return parts, words("tall", with_=[count(n, "leg"), "a footrest"])
    if sub == "milking":
        h, r = u(rng, 0.25, 0.35), u(rng, 0.14, 0.18)
        parts = [disc((0, h - 0.02, 0), r, 0.022)]
        for x, z in around(3, 0.6 * r):
            parts.append(cyl((x * 1.5, 0, z * 1.5), (x, h - 0.02, z), thin(0.018, t)))  # ends inside the seat
        return parts, words("low", "small", with_=["three legs"])
    h, r = u(rng, 0.45, 0.65), u(rng, 0.15, 0.2)
    parts = [
        disc((0, h - 0.04, 0), r, 0.04),
        cyl((0, 0.03, 0), (0, h, 0), thin(0.03, t)),
        disc((0, 0.015, 0), u(rng, 0.16, 0.22), 0.015),
    ]
    return parts, words(pick(rng, ["round", "adjustable", ""]), with_=["a round base"])


def table(rng, sub, t):
    if sub == "pedestal":
        h, r = u(rng, 0.7, 0.76), u(rng, 0.3, 0.5)
        parts = [disc((0, h - 0.02, 0), r, 0.02), cyl((0, 0, 0), (0, h, 0), thin(0.035, t))]
        feet = chance(rng, 0.5)
        if feet:
            for x, z in around(pick(rng, [3, 4]), r * 0.7):
                parts.append(box((x / 2, 0.025, z / 2), (abs(x) / 2 + 0.03, 0.025, abs(z) / 2 + 0.03)))
        else:
            parts.append(disc((0, 0.02, 0), r * 0.55, 0.02))
        return parts, words("round", with_=["a pedestal base", "a central column"])
    if sub == "coffee":
        h, w, d = u(rng, 0.35, 0.45), u(rng, 0.45, 0.65), u(rng, 0.25, 0.35)
    elif sub == "side":
        h, w = u(rng, 0.5, 0.65), u(rng, 0.2, 0.3)
        d = w * u(rng, 0.8, 1.0)
    else:
        h, w, d = u(rng, 0.72, 0.77), u(rng, 0.7, 1.0), u(rng, 0.4, 0.5)
    leg_r = thin(u(rng, 0.018, 0.03), t)
    parts = [box((0, h - 0.02, 0), (w, 0.02, d), rounding=0.005)]
    parts += legs(w, d, h, leg_r, inset=0.02, square=chance(rng, 0.5))
    shelf = sub == "coffee" and chance(rng, 0.5)
    if shelf:
        parts.append(box((0, 0.1, 0), (w - 0.03, 0.012, d - 0.03)))
    return parts, words(
        "low" if sub == "coffee" else "",
        "rectangular" if w > 1.2 * d else "square",
        with_=["four legs", "a lower shelf" if shelf else ""],
    )


def desk(rng, sub, t):
    w, d = u(rng, 0.55, 0.8), u(rng, 0.3, 0.38)
    h = u(rng, 1.0, 1.15) if sub == "standing" else u(rng, 0.72, 0.76)
    parts = [box((0, h - 0.02, 0), (w, 0.02, d), rounding=0.005)]
    if sub == "standing":
        for sx in (-1, 1):
            x = sx * (w - 0.1)
            parts += [box((x, h / 2, 0), (0.035, h / 2, 0.035)), box((x, 0.02, 0), (0.04, 0.02, d * 0.9))]
        parts.append(box((0, h * 0.35, 0), (w - 0.1, 0.02, 0.02)))
        return parts, words("adjustable", "tall", with_=["two t-shaped legs"])
    drawers = int(rng.integers(2, 5))
    sides = (-1, 1) if sub == "office" else (pick(rng, [-1, 1]),)
    for sx in sides:
        cx, hw = sx * (w - 0.2), 0.2
        parts.append(box((cx, (h - 0.04) / 2, 0), (hw, (h - 0.04) / 2, d - 0.01)))
        for k in range(drawers):
            y = (k + 0.5) * (h - 0.04) / drawers
            parts.append(cut(box((cx, y, d), (hw - 0.03, (h - 0.04) / drawers / 2 - 0.015, 0.01))))
            parts.append(box((cx, y, d - 0.005), (0.05, thin(0.01, t), thin(0.012, t))))
    if sub == "writing":  # two legs at the end without drawers (legs() lists the -x pair first)
        free_end = legs(w, d, h, thin(0.02, t), square=True)
        parts += free_end[:2] if sides[0] > 0 else free_end[2:]
    return parts, words(pick(rng, ["large", "compact", ""]), with_=[count(drawers * len(sides), "drawer")])


def sofa(rng, sub, t):
    d, seat_y = u(rng, 0.42, 0.5), u(rng, 0.4, 0.45)
    seats = {"three_seat": 3, "loveseat": 2, "sectional": 3}[sub]
    w = seats * u(rng, 0.3, 0.34)
    back_h, arm_h = u(rng, 0.35, 0.5), u(rng, 0.15, 0.25)
    parts = [
        box((0, seat_y / 2, 0), (w, seat_y / 2 - 0.02, d), rounding=0.05),
        box((0, seat_y + back_h / 2 - 0.05, -d + 0.09), (w, back_h / 2 + 0.05, 0.09), rounding=0.05),
    ]
    for k in range(seats):
        cx = -w + (2 * k + 1) * w / seats
        parts.append(box((cx, seat_y + 0.04, 0.07), (w / seats - 0.015, 0.06, d - 0.12), rounding=0.04))
    if sub == "sectional":
        ext = u(rng, 0.5, 0.8)
        parts += [
            box((w - d, seat_y / 2, d + ext / 2), (d, seat_y / 2 - 0.02, ext / 2 + 0.02), rounding=0.05),
            box((w - d, seat_y + 0.04, d + ext / 2), (d - 0.03, 0.06, ext / 2 - 0.03), rounding=0.04),
        ]
    for sx in (-1, 1):
        if sub == "sectional" and sx > 0:
            continue
        parts.append(box((sx * (w + 0.07), (seat_y + arm_h) / 2, 0), (0.08, (seat_y + arm_h) / 2, d), rounding=0.04))
    parts += legs(w, d, 0.06, thin(0.02, t), inset=0.03)
    return parts, words(pick(rng, ["modern", "comfy", "large", ""]), with_=[count(seats, "cushion"), "armrests"])


def bed(rng, sub, t):
    w = u(rng, 0.45, 0.5) if sub in ("single", "bunk") else u(rng, 0.7, 0.9)
    length, h = u(rng, 0.98, 1.05), u(rng, 0.3, 0.4)
    if sub == "bunk":
        parts = []
        for y in (0.25, 1.2):
            parts += [
                box((0, y, 0), (w, 0.05, length)),
                box((0, y + 0.1, 0), (w - 0.03, 0.07, length - 0.03), rounding=0.03),
            ]
        for x, z in ((sx * (w - 0.03), sz * (length - 0.03)) for sx in (-1, 1) for sz in (-1, 1)):
            parts.append(box((x, 0.8, z), (0.035, 0.8, 0.035)))
        for sx in (0.2, 0.6):  # a ladder at the foot end: two rails and four rungs
            parts.append(box((w * sx, 0.8, length), (thin(0.015, t), 0.8, thin(0.015, t))))
        for k in range(4):
            parts.append(box((w * 0.4, 0.45 + k * 0.2, length), (w * 0.2, thin(0.015, t), thin(0.015, t))))
        return parts, words("wooden", with_=["a ladder", "two mattresses"])
    parts = [
        box((0, h - 0.08, 0), (w, 0.08, length)),
        box((0, h + 0.05, 0.02), (w - 0.02, 0.1, length - 0.02), rounding=0.05),
    ]
    parts += legs(w, length, h - 0.15, thin(0.03, t), square=True)
    head_h = u(rng, 0.5, 0.9)
    parts.append(box((0, (h + head_h) / 2, -length - 0.02), (w + 0.02, (h + head_h) / 2, 0.04), rounding=0.02))
    for sx in (-0.5, 0.5) if w > 0.6 else (0.0,):
        parts.append(ell((sx * w, h + 0.2, -length + 0.25), (0.22, 0.07, 0.13)))
    if sub == "four_poster":
        post_h = u(rng, 1.8, 2.1)
        for x, z in ((sx * (w + 0.02), sz * (length + 0.02)) for sx in (-1, 1) for sz in (-1, 1)):
            parts.append(cyl((x, 0, z), (x, post_h, z), thin(0.035, t)))
        for sx in (-1, 1):
            parts.append(box((sx * (w + 0.02), post_h, 0), (0.03, 0.03, length + 0.05)))
        for sz in (-1, 1):
            parts.append(box((0, post_h, sz * (length + 0.02)), (w + 0.05, 0.03, 0.03)))
        return parts, words("canopy", with_=["four posts", "a headboard"])
    foot = chance(rng, 0.5)
    if foot:
        parts.append(box((0, h * 0.6, length + 0.02), (w + 0.02, h * 0.6, 0.035)))
    return parts, words("double" if w > 0.6 else "single", with_=["a headboard", "a footboard" if foot else ""])


def bench(rng, sub, t):
    w, d, h = u(rng, 0.6, 0.9), u(rng, 0.17, 0.25), u(rng, 0.42, 0.48)
    if sub == "storage":
        parts = [
            box((0, h / 2, 0), (w, h / 2, d), rounding=0.01),
            box((0, h + 0.04, 0.01), (w, 0.04, d), rounding=0.03),
        ]
        n = int(rng.integers(2, 4))
        for k in range(n):
            parts.append(cut(box((-w + (2 * k + 1) * w / n, h / 2, d), (w / n - 0.03, h / 2 - 0.05, 0.02))))
        return parts, words("hall", with_=[count(n, "cubby/cubbies"), "a cushion"])
    slats = int(rng.integers(3, 6))
    parts = [box((0, h - 0.02, -d + (2 * k + 1) * d / slats), (w, 0.02, d / slats - 0.01)) for k in range(slats)]
    parts.append(box((0, h - 0.05, 0), (w - 0.05, 0.02, d - 0.02)))
    if sub == "park":
        for sx in (-1, 1):
            x = sx * (w - 0.12)
            parts += [
                box((x, h / 2, 0), (0.03, h / 2, d)),
                box((x, h + 0.2, -d - 0.02), (0.025, 0.22, 0.025), rot=(0, -10, 0)),
                box((sx * (w - 0.04), h + 0.2, 0), (0.025, 0.02, d * 0.9)),
                box((sx * (w - 0.04), h + 0.1, d * 0.7), (0.025, 0.1, 0.02)),
            ]
        parts += [
            box((0, h + 0.2 + 0.1 * k, -d - 0.04 - 0.02 * k), (w, 0.035, 0.012), rot=(0, -10, 0)) for k in range(3)
        ]
        return parts, words(pick(rng, ["wooden", "garden", "long"]), with_=["a backrest", "armrests"])
    parts += legs(w, d, h - 0.04, thin(u(rng, 0.02, 0.03), t), square=chance(rng, 0.5), splay=0.05)
    return parts, words("backless", "long" if w > 0.8 else "", with_=[count(slats, "slat"), "four legs"])


def shelf(rng, sub, t):
    w, d = u(rng, 0.3, 0.5), u(rng, 0.13, 0.2)
    if sub == "wall":
        n = int(rng.integers(2, 4))
        h = n * 0.3
        parts = [box((0, h / 2, -d), (w, h / 2, 0.015))]
        for k in range(n):
            y = 0.05 + k * 0.3
            parts += [
                box((0, y, 0), (w, 0.015, d)),
                box((-w * 0.8, y - 0.06, -d * 0.2), (0.015, 0.06, d * 0.7)),
                box((w * 0.8, y - 0.06, -d * 0.2), (0.015, 0.06, d * 0.7)),
            ]
        return parts, words("floating", with_=[count(n, "shelf/shelves"), "brackets"])
    h = u(rng, 1.2, 1.9)
    n = int(rng.integers(3, 7))
    if sub == "ladder":
        parts = []
        for sx in (-1, 1):
            parts.append(box((sx * w, h / 2, -0.1), (0.025, h / 2 + 0.02, 0.025), rot=(0, -12, 0)))
        for k in range(n):
            y = 0.05 + k * (h - 0.1) / (n - 1)
            depth = d * (1.4 - 0.8 * k / (n - 1))
            z = -0.1 - (y - h / 2) * math.tan(math.radians(12))
            parts.append(box((0, y, z + depth - 0.04), (w, 0.015, depth)))
        return parts, words("leaning", with_=[count(n, "shelf/shelves")])
    parts = [box((sx * w, h / 2, 0), (0.02, h / 2, d)) for sx in (-1, 1)]
    parts += [box((0, 0.02 + k * (h - 0.04) / (n - 1), 0), (w, 0.018, d)) for k in range(n)]
    if sub == "bookcase":
        parts.append(box((0, h / 2, -d + 0.01), (w, h / 2, 0.01)))
    else:  # open shelving: posts and no sides
        parts = [box((0, 0.02 + k * (h - 0.04) / (n - 1), 0), (w, 0.015, d)) for k in range(n)]
        parts += [box((sx * w, h / 2, sz * d), (0.02, h / 2, 0.02)) for sx in (-1, 1) for sz in (-1, 1)]
    return parts, words(
        "tall" if h > 1.5 else "", with_=[count(n, "shelf/shelves"), "a back panel" if sub == "bookcase" else ""]
    )


def _front_grid(w, y0, y1, d, cols, rows, t, knob=True):
    """Door or drawer fronts: shallow grooves between panels and a knob on each."""
    parts = []
    for i in range(cols):
        for j in range(rows):
            cx = -w + (2 * i + 1) * w / cols
            cy = y0 + (j + 0.5) * (y1 - y0) / rows
            parts.append(cut(box((cx, cy, d), (w / cols - 0.012, (y1 - y0) / rows / 2 - 0.012, 0.006))))
            if knob:
                kx = cx if rows > 1 else cx + (0.6 if i % 2 == 0 else -0.6) * (w / cols - 0.05) * (1 if cols > 1 else 0)
                parts.append(disc((kx, cy + (0 if rows > 1 else 0.1), d + 0.005), thin(0.015, t), 0.012, "z"))
    return parts


def cabinet(rng, sub, t):
    if sub == "nightstand":
        w, d, h = u(rng, 0.2, 0.27), u(rng, 0.18, 0.22), u(rng, 0.5, 0.6)
        n = pick(rng, [1, 2, 3])
        parts = [box((0, h / 2 + 0.05, 0), (w, h / 2 - 0.05, d), rounding=0.005)]
        parts += _front_grid(w, 0.12, h, d, 1, n, t) + legs(w, d, 0.12, thin(0.02, t), square=True)
        return parts, words("small", with_=[count(n, "drawer"), "short legs"])
    if sub == "filing":
        w, d, h = u(rng, 0.2, 0.25), u(rng, 0.3, 0.35), u(rng, 0.7, 1.35)
        n = max(2, round(h / 0.33))
        return (
            [box((0, h / 2, 0), (w, h / 2, d), rounding=0.005)] + _front_grid(w, 0.02, h - 0.02, d, 1, n, t),
            words("metal", "grey", with_=[count(n, "drawer")]),
        )
    if sub == "drawers":
        w, d, h = u(rng, 0.4, 0.6), u(rng, 0.22, 0.27), u(rng, 0.75, 1.2)
        n = int(rng.integers(3, 6))
        parts = [box((0, h / 2 + 0.04, 0), (w, h / 2 - 0.04, d), rounding=0.005)]
        parts += _front_grid(w, 0.1, h, d, pick(rng, [1, 2]), n, t) + legs(w, d, 0.1, thin(0.025, t))
        return parts, words("tall" if h > 1.0 else "wide", with_=[count(n, "row") + " of drawers"])
    w, d, h = u(rng, 0.3, 0.5), u(rng, 0.22, 0.3), u(rng, 0.8, 0.9)
    doors = pick(rng, [1, 2])
    parts = [
        box((0, h / 2 + 0.05, 0), (w, h / 2 - 0.05, d), rounding=0.005),
        box((0, 0.05, -0.02), (w - 0.02, 0.05, d - 0.04)),
        box((0, h + 0.015, 0.01), (w + 0.02, 0.015, d + 0.02)),
    ]
    parts += _front_grid(w, 0.1, h, d, doors, 1, t)
    return parts, words(pick(rng, ["kitchen", "low", "white", ""]), with_=[count(doors, "door"), "a worktop"])


def wardrobe(rng, sub, t):
    w, d, h = u(rng, 0.4, 0.6), u(rng, 0.27, 0.32), u(rng, 1.8, 2.1)
    if sub == "locker":
        w = u(rng, 0.18, 0.22)
        parts = [box((0, h / 2, 0), (w, h / 2, d)), cut(box((0, h / 2, d), (w - 0.015, h / 2 - 0.015, 0.005)))]
        for k in range(4):
            parts.append(cut(box((0, h - 0.15 - 0.04 * k, d), (w * 0.6, 0.008, 0.015))))
        parts.append(box((w * 0.7, h / 2, d + 0.01), (0.015, 0.06, 0.012)))
        return parts, words("metal", "narrow", with_=["one door", "air vents"])
    if sub == "antique":
        parts = [
            box((0, h / 2 + 0.05, 0), (w, h / 2 - 0.05, d)),
            box((0, h + 0.04, 0.01), (w + 0.04, 0.04, d + 0.03), rounding=0.01),
        ]
        parts += legs(w, d, 0.1, thin(0.03, t))
        parts += _front_grid(w, 0.35, h, d, 2, 1, t) + _front_grid(w, 0.1, 0.35, d, 2, 1, t)
        return parts, words("antique", "carved", with_=["two doors", "a drawer", "a crown moulding"])
    doors = pick(rng, [2, 3])
    parts = [box((0, h / 2, 0), (w, h / 2, d)), box((0, 0.03, 0.01), (w - 0.01, 0.03, d))]
    for i in range(doors):
        cx = -w + (2 * i + 1) * w / doors
        parts.append(cut(box((cx, h / 2 + 0.03, d), (w / doors - 0.008, h / 2 - 0.05, 0.005))))
        parts.append(box((cx + (0.7 if i % 2 == 0 else -0.7) * w / doors, h / 2, d + 0.01), (0.012, 0.15, 0.012)))
    return parts, words("modern", "tall", with_=[count(doors, "door"), "long handles"])


CATEGORIES = (
    Category(
        "chair",
        "furniture",
        ("chair", "seat", "throne"),
        (
            SubType("dining", ("dining chair", "kitchen chair", "side chair"), 0.9),
            SubType("office", ("office chair", "swivel chair", "desk chair"), 1.1),
            SubType("armchair", ("armchair", "easy chair", "club chair"), 0.95),
            SubType("rocking", ("rocking chair", "rocker"), 1.05),
        ),
        chair,
        WOOD,
    ),
    Category(
        "stool",
        "furniture",
        ("stool", "tabouret"),
        (
            SubType("bar", ("bar stool", "counter stool"), 0.8),
            SubType("milking", ("milking stool", "three-legged stool", "step stool"), 0.4),
            SubType("pedestal", ("pedestal stool", "piano stool"), 0.6),
        ),
        stool,
        WOOD,
    ),
    Category(
        "table",
        "furniture",
        ("table", "kitchen table"),
        (
            SubType("dining", ("dining table", "dinner table"), 1.8),
            SubType("coffee", ("coffee table", "low table"), 1.15),
            SubType("side", ("side table", "end table"), 0.65),
            SubType("pedestal", ("pedestal table", "round table", "bistro table"), 0.85),
        ),
        table,
        WOOD,
    ),
    Category(
        "desk",
        "furniture",
        ("desk", "computer desk"),
        (
            SubType("writing", ("writing desk", "study desk"), 1.35),
            SubType("office", ("office desk", "executive desk"), 1.35),
            SubType("standing", ("standing desk", "sit-stand desk"), 1.35),
        ),
        desk,
        WOOD,
    ),
    Category(
        "sofa",
        "furniture",
        ("sofa", "couch", "settee"),
        (
            SubType("three_seat", ("three-seater sofa", "long sofa"), 2.1),
            SubType("loveseat", ("loveseat", "two-seater sofa"), 1.5),
            SubType("sectional", ("sectional sofa", "corner sofa", "l-shaped sofa"), 2.1),
        ),
        sofa,
        SOFT,
    ),
    Category(
        "bed",
        "furniture",
        ("bed", "bedstead"),
        (
            SubType("single", ("single bed", "twin bed"), 2.1),
            SubType("double", ("double bed", "queen bed", "king bed"), 2.1),
            SubType("bunk", ("bunk bed", "bunk"), 2.1),
            SubType("four_poster", ("four-poster bed", "canopy bed"), 2.1),
        ),
        bed,
        WOOD,
    ),
    Category(
        "bench",
        "furniture",
        ("bench", "pew"),
        (
            SubType("park", ("park bench", "garden bench"), 1.6),
            SubType("backless", ("backless bench", "picnic bench", "gym bench"), 1.5),
            SubType("storage", ("storage bench", "hall bench", "shoe bench"), 1.5),
        ),
        bench,
        WOOD,
    ),
    Category(
        "shelf",
        "furniture",
        ("shelf", "etagere"),
        (
            SubType("bookcase", ("bookcase", "bookshelf"), 1.6),
            SubType("open", ("shelving unit", "open shelf", "storage rack"), 1.6),
            SubType("wall", ("wall shelf", "floating shelf"), 0.85),
            SubType("ladder", ("ladder shelf", "leaning shelf"), 1.6),
        ),
        shelf,
        WOOD,
    ),
    Category(
        "cabinet",
        "furniture",
        ("cabinet", "cupboard", "credenza"),
        (
            SubType("kitchen", ("kitchen cabinet", "kitchen cupboard", "base cabinet"), 0.9),
            SubType("drawers", ("chest of drawers", "dresser", "drawer unit"), 1.1),
            SubType("nightstand", ("nightstand", "bedside cabinet"), 0.6),
            SubType("filing", ("filing cabinet", "file cabinet"), 1.0),
        ),
        cabinet,
        WOOD,
    ),
    Category(
        "wardrobe",
        "furniture",
        ("wardrobe", "armoire"),
        (
            SubType("modern", ("double wardrobe", "clothes closet", "fitted wardrobe"), 2.0),
            SubType("antique", ("antique wardrobe", "carved wardrobe"), 2.0),
            SubType("locker", ("locker", "metal locker"), 1.95),
        ),
        wardrobe,
        WOOD,
    ),
)
