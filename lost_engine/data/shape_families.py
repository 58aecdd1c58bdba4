"""Part-structured generators, one per category: rng -> (parts, caption words).

Units are free (y up, ground near y = 0); `procedural.make_shape` fits each result into the unit
cube. The words describe what varied ("tall", "three-legged", "with armrests") and feed captions.
"""
from __future__ import annotations

import math

import numpy as np

from .sdf import Part

Words = dict  # {"adj": [...], "with": [...]}


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _leg_corners(half_w: float, half_d: float, inset: float) -> list[tuple[float, float]]:
    return [(sx * (half_w - inset), sz * (half_d - inset)) for sx in (-1, 1) for sz in (-1, 1)]


def _legs(rng, half_w, half_d, top_y, radius, splay=0.0, square=False) -> list[Part]:
    parts = []
    for x, z in _leg_corners(half_w, half_d, radius * 1.5):
        foot = (x * (1 + splay), 0.0, z * (1 + splay))
        if square:
            parts.append(Part("box", dict(center=(x, top_y / 2, z), half=(radius, top_y / 2, radius))))
        else:
            parts.append(Part("cylinder", dict(a=foot, b=(x, top_y, z), radius=radius)))
    return parts


def chair(rng) -> tuple[list[Part], Words]:
    w, d, h = _u(rng, 0.35, 0.5), _u(rng, 0.35, 0.5), _u(rng, 0.4, 0.6)
    back_h, tilt = _u(rng, 0.4, 0.9), _u(rng, 0, 15)
    parts = [Part("box", dict(center=(0, h, 0), half=(w, 0.04, d), rounding=0.01))]
    words: Words = {"adj": [], "with": []}
    if rng.random() < 0.2:  # office chair: pedestal with a star base
        parts.append(Part("cylinder", dict(a=(0, 0.08, 0), b=(0, h, 0), radius=0.04)))
        for k in range(5):
            ang = 2 * math.pi * k / 5
            parts.append(Part("capsule", dict(a=(0, 0.05, 0), b=(0.4 * math.cos(ang), 0.03, 0.4 * math.sin(ang)), radius=0.03)))
        words["adj"].append("swivel")
    else:
        parts += _legs(rng, w, d, h, _u(rng, 0.025, 0.045), splay=_u(rng, 0, 0.15), square=rng.random() < 0.5)
    back_z = -d + 0.03
    top = (0, h + back_h * math.cos(math.radians(tilt)), back_z - back_h * math.sin(math.radians(tilt)))
    parts.append(Part("box", dict(center=(0, (h + top[1]) / 2, (back_z + top[2]) / 2),
                                  half=(w, back_h / 2, 0.03), rot=(0, -tilt, 0))))
    if rng.random() < 0.35:
        for sx in (-1, 1):
            parts.append(Part("box", dict(center=(sx * w, h + 0.2, 0), half=(0.03, 0.02, d))))
            parts.append(Part("box", dict(center=(sx * w, h + 0.1, d - 0.05), half=(0.03, 0.1, 0.03))))
        words["with"].append("armrests")
    words["adj"].append("high-backed" if back_h > 0.7 else "low-backed" if back_h < 0.5 else "")
    return parts, words


def stool(rng):
    h, r = _u(rng, 0.5, 1.1), _u(rng, 0.2, 0.32)
    n = int(rng.choice([3, 4]))
    parts = [Part("cylinder", dict(a=(0, h - 0.05, 0), b=(0, h, 0), radius=r))]
    spread = _u(rng, 1.0, 1.5)
    for k in range(n):
        ang = 2 * math.pi * k / n + 0.3
        top = (0.7 * r * math.cos(ang), h, 0.7 * r * math.sin(ang))
        foot = (spread * r * math.cos(ang), 0, spread * r * math.sin(ang))
        parts.append(Part("cylinder", dict(a=foot, b=top, radius=0.025)))
    words = {"adj": ["tall" if h > 0.8 else "short", f"{'three' if n == 3 else 'four'}-legged"], "with": []}
    if rng.random() < 0.5:
        parts.append(Part("torus", dict(center=(0, h * 0.35, 0), major=r * (0.7 + 0.3 * (spread - 1) * 0.65 / 0.5 + 0.1), minor=0.015)))
        words["with"].append("a footrest")
    return parts, words


def table(rng):
    low = rng.random() < 0.3
    h = _u(rng, 0.25, 0.4) if low else _u(rng, 0.6, 0.8)
    round_top = rng.random() < 0.35
    w, d = _u(rng, 0.5, 1.0), _u(rng, 0.4, 0.7)
    words = {"adj": ["low coffee" if low else "", "round" if round_top else "rectangular"], "with": []}
    if round_top:
        r = _u(rng, 0.45, 0.8)
        parts = [Part("cylinder", dict(a=(0, h - 0.04, 0), b=(0, h, 0), radius=r))]
        w = d = r * 0.7
    else:
        parts = [Part("box", dict(center=(0, h - 0.025, 0), half=(w, 0.025, d), rounding=0.01))]
    if rng.random() < 0.3:
        parts += [Part("cylinder", dict(a=(0, 0, 0), b=(0, h, 0), radius=0.05)),
                  Part("cylinder", dict(a=(0, 0, 0), b=(0, 0.04, 0), radius=min(w, d) * 0.6))]
        words["with"].append("a pedestal base")
    else:
        parts += _legs(rng, w, d, h, _u(rng, 0.025, 0.05), square=rng.random() < 0.5)
    return parts, words


def lamp(rng):
    h = _u(rng, 0.8, 1.4)
    base_r = _u(rng, 0.15, 0.3)
    parts = [Part("cylinder", dict(a=(0, 0, 0), b=(0, 0.04, 0), radius=base_r))]
    bent = rng.random() < 0.4
    top = (_u(rng, 0.2, 0.4), h, 0) if bent else (0, h, 0)
    if bent:
        mid = (0, h * 0.7, 0)
        parts += [Part("capsule", dict(a=(0, 0, 0), b=mid, radius=0.02)), Part("capsule", dict(a=mid, b=top, radius=0.02))]
    else:
        parts.append(Part("cylinder", dict(a=(0, 0, 0), b=top, radius=0.02)))
    shade_h, r_top, r_bot = _u(rng, 0.2, 0.35), _u(rng, 0.08, 0.15), _u(rng, 0.18, 0.32)
    parts.append(Part("cone", dict(a=(top[0], top[1] - shade_h * 0.6, 0), b=(top[0], top[1] + shade_h * 0.4, 0), ra=r_bot, rb=r_top)))
    return parts, {"adj": ["tall" if h > 1.2 else "", "desk" if bent else "floor"], "with": ["a conical shade"]}


def mug(rng):
    r, h, wall = _u(rng, 0.25, 0.4), _u(rng, 0.5, 0.9), _u(rng, 0.03, 0.05)
    parts = [Part("cylinder", dict(a=(0, 0, 0), b=(0, h, 0), radius=r)),
             Part("cylinder", dict(a=(0, wall, 0), b=(0, h + 0.1, 0), radius=r - wall), subtract=True)]
    handle = _u(rng, 0.12, 0.2) * h / 0.7
    parts.append(Part("torus", dict(center=(r, h * 0.5, 0), major=handle, minor=0.03, rot=(0, 90, 0))))
    return parts, {"adj": ["tall" if h / r > 2.2 else "wide"], "with": ["a handle"]}


def vase(rng):
    h, body = _u(rng, 0.7, 1.3), _u(rng, 0.2, 0.4)
    neck_r = _u(rng, 0.07, 0.15)
    parts = [Part("ellipsoid", dict(center=(0, h * 0.35, 0), radii=(body, h * 0.35, body))),
             Part("cone", dict(a=(0, h * 0.55, 0), b=(0, h, 0), ra=neck_r, rb=neck_r * _u(rng, 1.0, 1.8))),
             Part("cylinder", dict(a=(0, h * 0.6, 0), b=(0, h + 0.1, 0), radius=neck_r * 0.6), subtract=True)]
    return parts, {"adj": ["slender" if body < 0.28 else "round", "tall" if h > 1.0 else ""], "with": []}


def bottle(rng):
    h, r = _u(rng, 0.8, 1.4), _u(rng, 0.15, 0.3)
    body_h = h * _u(rng, 0.5, 0.65)
    neck_r = _u(rng, 0.05, 0.09)
    parts = [Part("cylinder", dict(a=(0, 0, 0), b=(0, body_h, 0), radius=r)),
             Part("cone", dict(a=(0, body_h, 0), b=(0, body_h + (h - body_h) * 0.4, 0), ra=r, rb=neck_r)),
             Part("cylinder", dict(a=(0, body_h, 0), b=(0, h, 0), radius=neck_r))]
    words = {"adj": ["slim" if r < 0.2 else "wide"], "with": []}
    if rng.random() < 0.5:
        parts.append(Part("cylinder", dict(a=(0, h - 0.08, 0), b=(0, h + 0.02, 0), radius=neck_r * 1.3)))
        words["with"].append("a cap")
    return parts, words


def sofa(rng):
    w, d, seat_h = _u(rng, 0.8, 1.3), _u(rng, 0.35, 0.5), _u(rng, 0.3, 0.45)
    back_h = _u(rng, 0.3, 0.5)
    parts = [Part("box", dict(center=(0, seat_h / 2 + 0.05, 0), half=(w, seat_h / 2, d), rounding=0.05)),
             Part("box", dict(center=(0, seat_h + back_h / 2, -d + 0.08), half=(w, back_h / 2 + 0.05, 0.08), rounding=0.05))]
    words = {"adj": ["long" if w > 1.1 else "small"], "with": []}
    if rng.random() < 0.8:
        arm_h = _u(rng, 0.1, 0.25)
        for sx in (-1, 1):
            parts.append(Part("box", dict(center=(sx * (w + 0.05), (seat_h + arm_h) / 2 + 0.05, 0),
                                          half=(0.08, (seat_h + arm_h) / 2, d), rounding=0.04)))
        words["with"].append("armrests")
    n_cush = int(rng.integers(2, 4))
    for k in range(n_cush):
        cx = -w + (2 * k + 1) * w / n_cush
        parts.append(Part("box", dict(center=(cx, seat_h + 0.07, 0.05), half=(w / n_cush - 0.03, 0.05, d - 0.1), rounding=0.04)))
    return parts, words


def bed(rng):
    w, length, h = _u(rng, 0.5, 0.9), _u(rng, 0.9, 1.2), _u(rng, 0.25, 0.4)
    parts = [Part("box", dict(center=(0, h, 0), half=(w, 0.1, length), rounding=0.04)),
             Part("box", dict(center=(0, h * 0.5, 0), half=(w, 0.05, length)))]
    parts += _legs(rng, w, length, h, 0.04, square=True)
    head_h = _u(rng, 0.4, 0.8)
    parts.append(Part("box", dict(center=(0, head_h / 2 + 0.05, -length), half=(w + 0.03, head_h / 2 + 0.05, 0.04))))
    words = {"adj": ["double" if w > 0.7 else "single"], "with": ["a headboard"]}
    if rng.random() < 0.5:
        parts.append(Part("box", dict(center=(0, h * 0.75, length), half=(w + 0.03, h * 0.75, 0.04))))
        words["with"].append("a footboard")
    for sx in ((-0.5, 0.5) if w > 0.7 else (0.0,)):
        parts.append(Part("ellipsoid", dict(center=(sx * w, h + 0.13, -length + 0.25), radii=(0.25, 0.07, 0.14))))
    return parts, words


def bench(rng):
    w, d, h = _u(rng, 0.9, 1.4), _u(rng, 0.15, 0.25), _u(rng, 0.35, 0.5)
    parts = [Part("box", dict(center=(0, h, 0), half=(w, 0.035, d), rounding=0.01))]
    if rng.random() < 0.5:
        for sx in (-1, 1):
            parts.append(Part("box", dict(center=(sx * (w - 0.12), h / 2, 0), half=(0.03, h / 2, d * 0.9))))
    else:
        parts += _legs(rng, w, d, h, 0.03)
    words = {"adj": ["long" if w > 1.2 else ""], "with": []}
    if rng.random() < 0.4:
        parts.append(Part("box", dict(center=(0, h + 0.3, -d), half=(w, 0.12, 0.025))))
        parts += [Part("box", dict(center=(sx * (w - 0.12), h + 0.15, -d), half=(0.025, 0.15, 0.025))) for sx in (-1, 1)]
        words["with"].append("a backrest")
    return parts, words


def shelf(rng):
    w, d, h = _u(rng, 0.4, 0.8), _u(rng, 0.15, 0.3), _u(rng, 0.8, 1.5)
    n = int(rng.integers(3, 7))
    parts = [Part("box", dict(center=(sx * w, h / 2, 0), half=(0.025, h / 2, d))) for sx in (-1, 1)]
    for k in range(n):
        y = 0.03 + k * (h - 0.06) / (n - 1)
        parts.append(Part("box", dict(center=(0, y, 0), half=(w, 0.02, d))))
    words = {"adj": ["tall" if h > 1.2 else "short", f"{n}-tier"], "with": []}
    if rng.random() < 0.5:
        parts.append(Part("box", dict(center=(0, h / 2, -d), half=(w, h / 2, 0.015))))
        words["with"].append("a back panel")
    return parts, words


def car(rng):
    length, w, h = _u(rng, 0.8, 1.1), _u(rng, 0.35, 0.45), _u(rng, 0.15, 0.25)
    wheel_r = _u(rng, 0.12, 0.18)
    body_y = wheel_r + h * 0.6
    parts = [Part("box", dict(center=(0, body_y, 0), half=(length, h, w), rounding=0.06))]
    cab_l, cab_h = length * _u(rng, 0.4, 0.65), _u(rng, 0.12, 0.22)
    cab_x = _u(rng, -0.2, 0.1) * length
    parts.append(Part("box", dict(center=(cab_x, body_y + h + cab_h, 0), half=(cab_l, cab_h, w * 0.9), rounding=0.08)))
    for sx in (-1, 1):
        for sz in (-1, 1):
            x, z = sx * length * 0.65, sz * w
            parts.append(Part("cylinder", dict(a=(x, wheel_r, z - 0.05), b=(x, wheel_r, z + 0.05), radius=wheel_r)))
    words = {"adj": ["long" if length > 1.0 else "compact", "low" if cab_h < 0.15 else ""], "with": []}
    if rng.random() < 0.3:
        parts.append(Part("box", dict(center=(-length + 0.05, body_y + h + 0.12, 0), half=(0.04, 0.015, w))))
        words["with"].append("a spoiler")
    return parts, words


def airplane(rng):
    length, r = _u(rng, 0.9, 1.2), _u(rng, 0.07, 0.12)
    parts = [Part("capsule", dict(a=(-length, 0, 0), b=(length, 0, 0), radius=r))]
    span, chord, sweep = _u(rng, 0.7, 1.2), _u(rng, 0.12, 0.25), _u(rng, 0, 35)
    for sz in (-1, 1):
        parts.append(Part("box", dict(center=(-math.tan(math.radians(sweep)) * span * 0.5, 0, sz * span / 2),
                                      half=(chord, 0.015, span / 2), rot=(sz * sweep, 0, 0))))
    parts.append(Part("box", dict(center=(-length + 0.1, r + 0.15, 0), half=(0.1, 0.15, 0.015), rot=(0, 0, -20))))
    for sz in (-1, 1):
        parts.append(Part("box", dict(center=(-length + 0.08, 0, sz * 0.2), half=(0.07, 0.012, 0.2))))
    words = {"adj": ["swept-wing" if sweep > 20 else "straight-wing"], "with": []}
    if rng.random() < 0.6:
        for sz in (-1, 1):
            z = sz * span * 0.35
            x = -math.tan(math.radians(sweep)) * span * 0.35 + 0.05
            parts.append(Part("cylinder", dict(a=(x - 0.12, -0.07, z), b=(x + 0.12, -0.07, z), radius=0.045)))
        words["with"].append("jet engines")
        words["adj"].append("jet")
    return parts, words


def rocket(rng):
    h, r = _u(rng, 1.0, 1.6), _u(rng, 0.1, 0.18)
    nose = _u(rng, 0.2, 0.4)
    parts = [Part("cylinder", dict(a=(0, 0.1, 0), b=(0, h, 0), radius=r)),
             Part("cone", dict(a=(0, h, 0), b=(0, h + nose, 0), ra=r, rb=0.005))]
    n = int(rng.choice([3, 4]))
    fin = _u(rng, 0.12, 0.25)
    for k in range(n):
        ang = 360 * k / n
        c = (math.cos(math.radians(ang)) * (r + fin / 2), 0.2, -math.sin(math.radians(ang)) * (r + fin / 2))
        parts.append(Part("box", dict(center=c, half=(fin / 2, 0.15, 0.012), rot=(ang, 0, 0))))
    words = {"adj": ["tall" if h > 1.3 else "", f"{'three' if n == 3 else 'four'}-finned"], "with": []}
    if rng.random() < 0.35:
        for sx in (-1, 1):
            parts += [Part("cylinder", dict(a=(sx * (r + 0.07), 0.05, 0), b=(sx * (r + 0.07), h * 0.5, 0), radius=0.06)),
                      Part("cone", dict(a=(sx * (r + 0.07), h * 0.5, 0), b=(sx * (r + 0.07), h * 0.5 + 0.12, 0), ra=0.06, rb=0.005))]
        words["with"].append("side boosters")
    return parts, words


def mushroom(rng):
    n = int(rng.choice([1, 1, 2, 3]))
    parts = []
    for k in range(n):
        x = 0.0 if k == 0 else _u(rng, -0.4, 0.4)
        z = 0.0 if k == 0 else _u(rng, -0.4, 0.4)
        s = 1.0 if k == 0 else _u(rng, 0.4, 0.7)
        h, cap = _u(rng, 0.3, 0.6) * s, _u(rng, 0.25, 0.45) * s
        parts.append(Part("cone", dict(a=(x, 0, z), b=(x, h, z), ra=_u(rng, 0.06, 0.1) * s, rb=0.05 * s)))
        parts.append(Part("ellipsoid", dict(center=(x, h, z), radii=(cap, cap * _u(rng, 0.4, 0.7), cap))))
    return parts, {"adj": ["flat-capped" if n == 1 else ""], "with": [] if n == 1 else ["a cluster of caps"]}


def tree(rng):
    h = _u(rng, 0.4, 0.7)
    parts = [Part("cone", dict(a=(0, 0, 0), b=(0, h, 0), ra=_u(rng, 0.06, 0.1), rb=0.05))]
    if rng.random() < 0.5:  # conifer: stacked cones
        n = int(rng.integers(2, 5))
        for k in range(n):
            y = h * 0.6 + k * 0.25
            parts.append(Part("cone", dict(a=(0, y, 0), b=(0, y + 0.45, 0), ra=0.45 - 0.07 * k, rb=0.01)))
        words = {"adj": ["pine", "tall" if n >= 4 else ""], "with": []}
    else:  # broadleaf: a cluster of spheres
        for _ in range(int(rng.integers(3, 7))):
            c = (_u(rng, -0.3, 0.3), h + _u(rng, 0.1, 0.5), _u(rng, -0.3, 0.3))
            parts.append(Part("sphere", dict(center=c, radius=_u(rng, 0.2, 0.35))))
        words = {"adj": ["leafy", "round"], "with": []}
    return parts, words


def house(rng):
    w, d, h = _u(rng, 0.5, 0.8), _u(rng, 0.4, 0.7), _u(rng, 0.4, 0.7)
    eave = d + 0.05  # the roof is a square prism turned 45 degrees: its ridge sits eave above the walls
    parts = [Part("box", dict(center=(0, h / 2, 0), half=(w, h / 2, d))),
             Part("box", dict(center=(0, h, 0), half=(w + 0.05, eave / math.sqrt(2), eave / math.sqrt(2)), rot=(0, 45, 0)))]
    words = {"adj": ["small" if w < 0.6 else "large"], "with": ["a gabled roof"]}
    if rng.random() < 0.5:
        parts.append(Part("box", dict(center=(w * 0.5, h + eave * 0.6, -d * 0.3), half=(0.06, eave * 0.5, 0.06))))
        words["with"].append("a chimney")
    parts.append(Part("box", dict(center=(0, 0.15, d), half=(0.08, 0.15, 0.05)), subtract=True))
    return parts, words
