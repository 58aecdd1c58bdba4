"""Lighting, tools, instruments and everyday objects: lamps, hammers, guitars, pianos, drums,
balls, clocks, chess pieces, buckets."""

from __future__ import annotations

import math

from . import Category, SubType
from .parts import (
    around,
    box,
    cap,
    chance,
    cone,
    cut,
    cyl,
    disc,
    ell,
    pick,
    ring,
    shell,
    sphere,
    thin,
    u,
    vessel,
    words,
)

LAMP = ("brass", "metal", "black", "white", "modern", "vintage", "industrial")
TOOL = ("steel", "wooden", "old", "heavy", "red", "black")
INSTRUMENT = ("wooden", "black", "red", "white", "vintage", "shiny")


def lamp(rng, sub, t):
    if sub == "pendant":
        drop = u(rng, 0.5, 0.9)
        shade_r = u(rng, 0.15, 0.25)
        parts = [
            disc((0, drop + 0.35, 0), 0.07, 0.02),
            cyl((0, 0.3, 0), (0, drop + 0.35, 0), thin(0.008, t)),
            cone((0, 0.05, 0), (0, 0.32, 0), shade_r, shade_r * 0.25),
            cut(cone((0, 0.0, 0), (0, 0.28, 0), shade_r - 0.02, shade_r * 0.2)),
            sphere((0, 0.12, 0), 0.05),
            cyl((0, 0.12, 0), (0, 0.3, 0), thin(0.015, t)),
        ]  # the bulb on its socket
        return parts, words("hanging", with_=["a long cord", "a dome shade"])
    base_r = u(rng, 0.08, 0.12)
    if sub == "desk":
        h1, h2 = u(rng, 0.3, 0.4), u(rng, 0.25, 0.32)
        base_r *= 1.3
        elbow = (-0.1, h1, 0)
        head = (elbow[0] + h2 * 0.8, elbow[1] + h2 * 0.3, 0)
        parts = [
            disc((0, 0.015, 0), base_r, 0.015),
            cyl((0, 0, 0), elbow, thin(0.01, t)),
            cyl(elbow, head, thin(0.01, t)),
            sphere(elbow, thin(0.018, t)),
            cone((head[0], head[1] + 0.02, 0), (head[0] + 0.06, head[1] - 0.1, 0), 0.03, 0.07),
        ]
        return parts, words("adjustable", "angled", with_=["an arm", "a round base"])
    h = u(rng, 1.4, 1.7) if sub == "floor" else u(rng, 0.35, 0.5)
    base_r = base_r * (1.8 if sub == "floor" else 1.0)
    shade_h = h * (0.2 if sub == "floor" else 0.4)
    r_bot = u(rng, 0.15, 0.22) if sub == "floor" else u(rng, 0.1, 0.14)
    parts = [disc((0, 0.02, 0), base_r, 0.02)]
    if sub == "table":
        parts.append(ell((0, h * 0.3, 0), (base_r * 0.8, h * 0.25, base_r * 0.8)))
    r_top = r_bot * u(rng, 0.6, 0.9)
    wall = shell(0.008, t)
    parts += [
        cone((0, h - shade_h, 0), (0, h, 0), r_bot, r_top),
        cut(cone((0, h - shade_h - 0.01, 0), (0, h + 0.01, 0), r_bot - 2 * wall, r_top - 2 * wall)),
        sphere((0, h - shade_h * 0.5, 0), thin(0.03, t)),
        box(
            (0, h - shade_h * 0.5, 0), ((r_bot + r_top) / 2 - wall, thin(0.005, t), thin(0.005, t))
        ),  # the shade's spider
        cyl((0, 0, 0), (0, h - shade_h * 0.5, 0), thin(0.012, t)),
    ]  # the pole, after the shade is hollowed
    return parts, words("tall" if sub == "floor" else "small", with_=["a lampshade", "a round base"])


def hammer(rng, sub, t):
    handle = {
        "claw": u(rng, 0.3, 0.34),
        "sledge": u(rng, 0.8, 0.9),
        "mallet": u(rng, 0.3, 0.35),
        "ball_peen": u(rng, 0.3, 0.35),
    }[sub]
    parts = [cap((0, 0.02, 0), (0, handle, 0), thin(0.014 if sub != "sledge" else 0.02, t))]
    y = handle + 0.02
    if sub == "mallet":
        parts.append(cyl((-0.07, y, 0), (0.07, y, 0), u(rng, 0.04, 0.05)))
        return parts, words("rubber", with_=["a round head"])
    if sub == "sledge":
        parts.append(box((0, y, 0), (0.13, 0.045, 0.045), rounding=0.01))
        return parts, words("heavy", "long-handled", with_=["a long handle"])
    parts += [cyl((0, y, 0), (0.07, y, 0), 0.016), box((0, y, 0), (0.025, 0.02, 0.02))]
    if sub == "claw":
        parts += [cap((-0.02, y, sz * 0.006), (-0.1, y - 0.04, sz * 0.012), thin(0.007, t)) for sz in (-1, 1)]
        return parts, words(pick(rng, ["steel", "carpenter's", ""]), with_=["a claw"])
    parts += [cyl((-0.02, y, 0), (-0.06, y, 0), 0.014), sphere((-0.065, y, 0), 0.016)]
    return parts, words("machinist's", with_=["a ball peen"])


def guitar(rng, sub, t):
    scale = {"acoustic": 1.0, "electric": 0.95, "bass": 1.12, "ukulele": 0.55}[sub]
    body_y = 0.22 * scale
    parts = []
    if sub == "electric":
        half_t = thin(0.025, t)  # a solid body: flat discs, whose edges are as thick as the body
        parts += [
            disc((0, body_y, 0), 0.17, half_t, "z"),
            disc((-0.06, body_y + 0.17, 0), 0.07, half_t, "z"),
            disc((0.07, body_y + 0.14, 0), 0.06, half_t, "z"),
        ]
    else:
        lower, upper = 0.19 * scale, 0.15 * scale
        depth = 0.05 * scale
        parts += [
            ell((0, body_y, 0), (lower, lower * 1.05, depth)),
            ell((0, body_y + lower * 1.3, 0), (upper, upper, depth)),
            cut(cyl((0, body_y + lower * 1.2, depth * 0.5), (0, body_y + lower * 1.2, depth * 1.5), 0.045 * scale)),
        ]
    neck_top = body_y + 0.75 * scale
    parts += [
        box((0, (body_y + neck_top) / 2 + 0.1, 0.01), (thin(0.025, t), (neck_top - body_y) / 2, thin(0.012, t))),
        box((0, neck_top + 0.08 * scale, 0.005), (thin(0.04, t), 0.08 * scale, thin(0.012, t))),
    ]
    if sub == "bass":
        parts.append(box((0, body_y - 0.02, 0.03), (0.05, 0.06, 0.01)))
    return parts, words(
        {"acoustic": "classical", "electric": "solid-body", "bass": "four-string", "ukulele": "small"}[sub],
        with_=["a sound hole" if sub in ("acoustic", "ukulele") else "a cutaway body", "a long neck"],
    )


def piano(rng, sub, t):
    if sub == "upright":
        w, d, h = u(rng, 0.7, 0.78), u(rng, 0.28, 0.32), u(rng, 1.1, 1.3)
        parts = [
            box((0, h / 2, -0.1), (w, h / 2, d - 0.1)),
            box((0, 0.72, d - 0.05), (w - 0.05, 0.03, 0.15)),
            box((0, 0.7, d + 0.02), (w - 0.08, 0.02, 0.08)),
        ]
        parts += [box((sx * (w - 0.06), 0.35, d), (0.03, 0.35, 0.03)) for sx in (-1, 1)]
        return parts, words("black", "upright", with_=["a keyboard", "two legs"])
    if sub == "digital":
        w = u(rng, 0.62, 0.7)
        parts = [box((0, 0.8, 0), (w, 0.04, 0.15), rounding=0.01)]
        for sx in (-1, 1):
            parts += [
                box((sx * (w - 0.1), 0.41, 0), (thin(0.02, t), 0.42, thin(0.02, t)), rot=(0, sx * 15, 0)),
                box((sx * (w - 0.1), 0.41, 0), (thin(0.02, t), 0.42, thin(0.02, t)), rot=(0, -sx * 15, 0)),
            ]
        return parts, words("electric", "portable", with_=["an x-shaped stand"])
    length, w = u(rng, 0.9, 1.3) if sub == "grand" else u(rng, 0.7, 0.85), u(rng, 0.72, 0.78)
    y = 0.65
    parts = [
        box((0, y + 0.15, -length * 0.1), (w, 0.15, length * 0.55), rounding=0.02),
        ell((-w * 0.2, y + 0.15, length * 0.05), (w * 0.85, 0.15, length * 0.9)),
        cut(box((0, y + 0.15, length * 0.95 + length * 0.5), (w * 2, 0.5, length * 0.5))),
        box((0, y + 0.12, length * 0.45 + 0.1), (w, 0.1, 0.14)),
    ]
    for x, z in ((-w * 0.8, length * 0.35), (w * 0.8, length * 0.35), (-w * 0.2, -length * 0.7)):
        parts.append(cone((x, 0, z), (x, y + 0.02, z), thin(0.035, t), thin(0.05, t)))
    lid_open = chance(rng, 0.6)
    if lid_open:  # hinged at the case's top edge on the straight side, raised 40 degrees
        parts.append(
            box((w * 0.9 - 0.225, y + 0.3 + 0.268, -length * 0.1), (thin(0.012, t), 0.35, length * 0.5), rot=(0, 0, 40))
        )
    return parts, words(
        "black", "concert" if sub == "grand" else "small", with_=["three legs", "an open lid" if lid_open else ""]
    )


def drum(rng, sub, t):
    if sub == "bongos":
        h = u(rng, 0.18, 0.22)
        parts = [
            cone((-0.1, 0, 0), (-0.1, h, 0), 0.07, 0.09),
            cone((0.11, 0, 0), (0.11, h, 0), 0.08, 0.1),
            box((0, h * 0.6, 0), (0.05, 0.02, 0.03)),
        ]
        return parts, words("small", "pair of", with_=["two drums joined"])
    if sub == "bass":
        r, depth = u(rng, 0.25, 0.3), u(rng, 0.18, 0.22)
        parts = [
            disc((0, r, 0), r, depth, "z"),
            ring((0, r, depth), r, thin(0.012, t), "z"),
            ring((0, r, -depth), r, thin(0.012, t), "z"),
        ]
        parts += [cyl((sx * r * 0.6, r * 0.5, 0), (sx * r * 1.1, 0, depth * 0.9), thin(0.012, t)) for sx in (-1, 1)]
        return parts, words("big", "kick", with_=["two legs"])
    if sub == "timpani":
        r = u(rng, 0.3, 0.36)
        parts = [
            ell((0, 0.65, 0), (r, r * 0.8, r)),
            cut(box((0, 0.65 + r, 0), (r * 1.2, r, r * 1.2))),
            cyl((0, 0.64, 0), (0, 0.66, 0), r + 0.01),
        ]
        parts += [cyl((x * 0.6, 0.55, z * 0.6), (x, 0, z), thin(0.015, t)) for x, z in around(3, r * 0.8)]
        return parts, words("copper", "large", with_=["a bowl-shaped body", "three legs"])
    r, depth = u(rng, 0.17, 0.19), u(rng, 0.06, 0.09)
    top = u(rng, 0.6, 0.7)
    parts = [
        cyl((0, top - depth, 0), (0, top + depth, 0), r),
        ring((0, top + depth, 0), r, thin(0.01, t)),
        cyl((0, 0, 0), (0, top - depth, 0), thin(0.012, t)),
    ]
    parts += [cyl((0, top * 0.3, 0), (x, 0, z), thin(0.01, t)) for x, z in around(3, 0.25)]
    parts += [
        cyl((x, top - depth, z), (x * 0.95, top - depth - 0.05, z * 0.95), thin(0.008, t))
        for x, z in around(3, r * 0.9)
    ]
    return parts, words("shallow", with_=["a stand", "a metal rim"])


def ball(rng, sub, t):
    if sub == "rugby":
        a = u(rng, 0.14, 0.15)
        parts = [
            ell((0, a * 0.62, 0), (a, a * 0.62, a * 0.62)),
            box((0, a * 1.24, 0), (a * 0.35, thin(0.004, t), thin(0.008, t))),
        ]
        return parts, words("oval", "leather", with_=["laces"])
    r = {"soccer": 0.11, "basketball": 0.12, "tennis": 0.033, "beach": u(rng, 0.2, 0.3)}[sub]
    parts = [sphere((0, r, 0), r)]
    if sub == "basketball":
        parts += [cut(ring((0, r, 0), r, thin(0.004, t) * 1.5, axis)) for axis in ("x", "y", "z")]
    elif sub == "tennis":
        parts.append(cut(ring((0, r, 0), r, thin(0.0015, t), "x")))
    elif sub == "soccer":
        for k in range(12):  # dimples at the panel centres, spread evenly (a Fibonacci sphere)
            y = 1 - 2 * (k + 0.5) / 12
            a, rr = k * 2.39996, math.sqrt(1 - y * y)
            parts.append(
                cut(sphere((rr * math.cos(a) * r * 1.12, r + y * r * 1.12, rr * math.sin(a) * r * 1.12), r * 0.2))
            )
    else:
        parts += [cut(ring((0, r, 0), r, thin(0.005, t), "x")), cut(ring((0, r, 0), r, thin(0.005, t), "z"))]
    return parts, words(
        {"soccer": "black and white", "basketball": "orange", "tennis": "yellow", "beach": "inflatable"}[sub],
        with_=["seams" if sub != "soccer" else "panels"],
    )


def clock(rng, sub, t):
    if sub == "grandfather":
        w, d, h = u(rng, 0.22, 0.26), u(rng, 0.13, 0.16), u(rng, 1.8, 2.1)
        parts = [
            box((0, h * 0.4, 0), (w * 0.8, h * 0.4, d * 0.8)),
            box((0, h * 0.88, 0), (w, h * 0.1, d)),
            box((0, 0.06, 0), (w, 0.06, d)),
            disc((0, h * 0.88, d), w * 0.75, 0.01, "z"),
        ]
        return parts, words("tall", "wooden", "antique", with_=["a pendulum case"])
    if sub == "alarm":
        r = u(rng, 0.055, 0.065)
        parts = [
            disc((0, r + 0.02, 0), r, 0.025, "z"),
            sphere((-r * 0.6, r * 2.0, 0), r * 0.35),
            sphere((r * 0.6, r * 2.0, 0), r * 0.35),
        ]
        parts += [cyl((sx * r * 0.5, 0, 0), (sx * r * 0.6, r * 0.5, 0), thin(0.006, t)) for sx in (-1, 1)]
        return parts, words("twin-bell", "retro", with_=["two bells", "little feet"])
    if sub == "mantel":
        w, h = u(rng, 0.18, 0.22), u(rng, 0.2, 0.26)
        parts = [
            box((0, h * 0.4, 0), (w, h * 0.4, 0.06), rounding=0.01),
            ell((0, h * 0.8, 0), (w * 0.7, h * 0.3, 0.055)),
            disc((0, h * 0.62, 0.06), w * 0.5, 0.008, "z"),
            box((0, 0.01, 0), (w + 0.02, 0.01, 0.07)),
        ]
        return parts, words("wooden", "arched", with_=["a round dial"])
    r = u(rng, 0.14, 0.2)
    parts = [
        disc((0, r, 0), r, 0.02, "z"),
        ring((0, r, 0.02), r, thin(0.012, t), "z"),
        cut(disc((0, r, 0.03), r * 0.85, 0.012, "z")),
        box((r * 0.2, r + r * 0.05, 0.025), (r * 0.3, thin(0.006, t), 0.005), rot=(0, 0, 30)),
        box((0, r + r * 0.3, 0.025), (thin(0.006, t), r * 0.35, 0.005)),
        disc((0, r, 0.025), thin(0.012, t), 0.008, "z"),
    ]
    return parts, words("round", "simple", with_=["two hands", "a rim"])


def chess_piece(rng, sub, t):
    r = u(rng, 0.018, 0.022)
    parts = [
        disc((0, 0.006, 0), r, 0.006),
        ring((0, 0.014, 0), r * 0.8, r * 0.2),
        cone((0, 0.012, 0), (0, 0.05, 0), r * 0.7, r * 0.35),
    ]
    top = 0.05
    if sub == "pawn":
        parts += [disc((0, top, 0), r * 0.55, 0.003), sphere((0, top + r * 0.6, 0), r * 0.55)]
        return parts, words("small", "round-headed")
    if sub == "rook":
        parts[2] = cone((0, 0.012, 0), (0, top, 0), r * 0.7, r * 0.55)
        parts += [cyl((0, top, 0), (0, top + 0.012, 0), r * 0.7)]
        parts += [
            cut(box((0, top + 0.012, 0), (r * 0.12, 0.005, r * 0.8))),
            cut(box((0, top + 0.012, 0), (r * 0.8, 0.005, r * 0.12))),
        ]
        return parts, words("castle-shaped", with_=["battlements"])
    if sub == "knight":
        parts += [
            box((0, top + 0.012, 0.0), (r * 0.35, 0.014, r * 0.5), rot=(0, -15, 0)),
            box((0, top + 0.024, r * 0.35), (r * 0.3, r * 0.3, r * 0.55), rot=(0, 30, 0)),
        ]
        return parts, words("horse-headed")
    if sub == "bishop":
        parts += [
            disc((0, top, 0), r * 0.55, 0.003),
            ell((0, top + r * 0.8, 0), (r * 0.42, r * 0.8, r * 0.42)),
            sphere((0, top + r * 1.7, 0), r * 0.15),
            cut(box((0, top + r * 1.0, 0), (r * 0.6, r * 0.08, r * 0.08), rot=(0, 0, 40))),
        ]
        return parts, words("mitred", with_=["a slit"])
    tall = 0.02 if sub == "king" else 0.014
    parts[2] = cone((0, 0.012, 0), (0, top + tall, 0), r * 0.7, r * 0.3)
    parts += [cone((0, top + tall, 0), (0, top + tall + 0.012, 0), r * 0.35, r * 0.6)]
    if sub == "king":
        cross = top + tall + 0.012 + r * 0.4
        parts += [
            box((0, cross, 0), (r * 0.12, r * 0.45, r * 0.12)),
            box((0, cross + r * 0.1, 0), (r * 0.3, r * 0.12, r * 0.12)),
        ]
        return parts, words("tallest", with_=["a cross"])
    parts += [sphere((x, top + tall + 0.013, z), r * 0.12) for x, z in around(6, r * 0.5)] + [
        sphere((0, top + tall + 0.016, 0), r * 0.2)
    ]
    return parts, words("crowned", with_=["a crown"])


def bucket(rng, sub, t):
    wall = shell(0.003, t)
    if sub == "mop":
        w, d, h = u(rng, 0.18, 0.22), u(rng, 0.14, 0.16), u(rng, 0.25, 0.3)
        parts = [
            box((0, h / 2 + 0.03, 0), (w, h / 2, d), rounding=0.02),
            cut(box((0, h / 2 + 0.06, 0), (w - wall, h / 2, d - wall))),
            box((w * 0.4, h + 0.06, 0), (w * 0.45, 0.06, d), rounding=0.01),
        ]
        parts += [sphere((sx * (w - 0.03), 0.03, sz * (d - 0.03)), 0.03) for sx in (-1, 1) for sz in (-1, 1)]
        return parts, words("yellow", "plastic", with_=["a wringer", "four wheels"])
    if sub == "ice":
        r, h = u(rng, 0.1, 0.12), u(rng, 0.2, 0.24)
        parts = vessel(r * 0.8, r, h, wall) + [
            ring((sx * (r + 0.005), h * 0.8, 0), 0.025, thin(0.005, t), "z") for sx in (-1, 1)
        ]
        return parts, words("silver", "polished", with_=["two handles"])
    if sub == "sand":
        r, h = u(rng, 0.07, 0.09), u(rng, 0.11, 0.14)
        parts = vessel(r * 0.8, r, h, wall) + [
            cut(box((x, h, z), (0.012, 0.012, 0.03), rot=(math.degrees(math.atan2(z, x)), 0, 0)))
            for x, z in around(6, r)
        ]
        parts.append(ring((0, h, 0), r, thin(0.003, t), "x"))
        return parts, words("toy", "colourful", with_=["a handle", "a castle rim"])
    r, h = u(rng, 0.13, 0.16), u(rng, 0.25, 0.3)
    parts = vessel(r * 0.8, r, h, wall) + [ring((0, h, 0), r * 0.98, thin(0.004, t), "z")]
    return parts, words("galvanised", "metal", with_=["a wire handle"])


CATEGORIES = (
    Category(
        "lamp",
        "lighting",
        ("lamp", "light", "lampstand"),
        (
            SubType("floor", ("floor lamp", "standard lamp"), 1.55),
            SubType("desk", ("desk lamp", "reading lamp", "anglepoise lamp"), 0.6),
            SubType("table", ("table lamp", "bedside lamp"), 0.45),
            SubType("pendant", ("pendant lamp", "ceiling lamp", "hanging lamp"), 1.1),
        ),
        lamp,
        LAMP,
    ),
    Category(
        "hammer",
        "tools and instruments",
        ("hammer", "gavel"),
        (
            SubType("claw", ("claw hammer",), 0.36),
            SubType("sledge", ("sledgehammer", "sledge hammer"), 0.9),
            SubType("mallet", ("mallet", "rubber mallet"), 0.38),
            SubType("ball_peen", ("ball-peen hammer", "ball pein hammer"), 0.37),
        ),
        hammer,
        TOOL,
    ),
    Category(
        "guitar",
        "tools and instruments",
        ("guitar", "lute"),
        (
            SubType("acoustic", ("acoustic guitar", "classical guitar"), 1.0),
            SubType("electric", ("electric guitar",), 0.95),
            SubType("bass", ("bass guitar", "electric bass"), 1.15),
            SubType("ukulele", ("ukulele",), 0.55),
        ),
        guitar,
        INSTRUMENT,
    ),
    Category(
        "piano",
        "tools and instruments",
        ("piano", "pianoforte"),
        (
            SubType("grand", ("grand piano", "concert grand"), 2.2),
            SubType("upright", ("upright piano",), 1.5),
            SubType("baby_grand", ("baby grand", "baby grand piano"), 1.8),
            SubType("digital", ("digital piano", "keyboard", "electric piano"), 1.35),
        ),
        piano,
        INSTRUMENT,
    ),
    Category(
        "drum",
        "tools and instruments",
        ("drum", "tom-tom"),
        (
            SubType("snare", ("snare drum", "snare"), 0.75),
            SubType("bass", ("bass drum", "kick drum"), 0.62),
            SubType("timpani", ("timpani", "kettle drum"), 1.0),
            SubType("bongos", ("bongos", "bongo drums"), 0.4),
        ),
        drum,
        INSTRUMENT,
    ),
    Category(
        "ball",
        "everyday objects",
        ("ball", "volleyball"),
        (
            SubType("soccer", ("football", "soccer ball"), 0.22),
            SubType("basketball", ("basketball",), 0.24),
            SubType("rugby", ("rugby ball", "american football"), 0.3),
            SubType("tennis", ("tennis ball",), 0.066),
            SubType("beach", ("beach ball",), 0.5),
        ),
        ball,
        ("red", "white", "blue", "yellow", "striped", "new", "old"),
    ),
    Category(
        "clock",
        "everyday objects",
        ("clock", "timepiece"),
        (
            SubType("wall", ("wall clock", "kitchen clock"), 0.34),
            SubType("alarm", ("alarm clock",), 0.16),
            SubType("grandfather", ("grandfather clock", "longcase clock"), 1.95),
            SubType("mantel", ("mantel clock", "table clock"), 0.42),
        ),
        clock,
        ("wooden", "brass", "black", "white", "red", "old"),
    ),
    Category(
        "chess_piece",
        "everyday objects",
        ("chess piece", "chessman"),
        (
            SubType("pawn", ("pawn", "chess pawn"), 0.075),
            SubType("rook", ("rook", "chess rook"), 0.07),
            SubType("knight", ("chess knight", "knight piece"), 0.085),
            SubType("bishop", ("chess bishop", "bishop piece"), 0.09),
            SubType("queen", ("chess queen",), 0.085),
            SubType("king", ("chess king",), 0.1),
        ),
        chess_piece,
        ("black", "white", "wooden", "marble", "ivory"),
    ),
    Category(
        "bucket",
        "everyday objects",
        ("bucket", "pail"),
        (
            SubType("metal", ("water bucket", "metal bucket", "galvanised bucket"), 0.32),
            SubType("mop", ("mop bucket",), 0.5),
            SubType("ice", ("ice bucket", "champagne bucket"), 0.25),
            SubType("sand", ("sand bucket", "beach bucket", "toy bucket"), 0.2),
        ),
        bucket,
        ("red", "blue", "plastic", "metal", "old"),
    ),
)
