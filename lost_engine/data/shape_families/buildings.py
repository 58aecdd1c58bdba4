"""Buildings: houses, towers, tents, huts."""

from __future__ import annotations

import math

from . import Category, SubType
from .parts import around, box, chance, cone, cut, cyl, ell, gable, sphere, thin, u, words

STONE = ("stone", "brick", "wooden", "white", "red", "old", "small", "big")


def house(rng, sub, t):
    w, d = u(rng, 3.5, 5.0), u(rng, 3.0, 4.0)
    if sub == "two_storey":
        wall_h, rise = u(rng, 5.2, 6.0), u(rng, 2.0, 2.8)
    elif sub == "bungalow":
        w, wall_h, rise = u(rng, 6.0, 7.5), u(rng, 2.6, 3.0), u(rng, 1.2, 1.6)
    elif sub == "a_frame":
        wall_h, rise = 0.4, u(rng, 5.5, 7.0)
    else:
        wall_h, rise = u(rng, 2.6, 3.2), u(rng, 2.2, 3.0)
    parts = [box((0, wall_h / 2, 0), (w, wall_h / 2, d)), gable((0, wall_h, 0), w + 0.3, d + 0.3, rise)]
    chimney = sub in ("cottage", "two_storey") and chance(rng, 0.7)
    if chimney:
        parts.append(box((w * 0.55, wall_h + rise * 0.7, -d * 0.35), (0.35, rise * 0.6, 0.35)))
    parts.append(cut(box((0, 1.05, d), (0.5, 1.05, 0.15))))  # the front door
    floors = 2 if sub == "two_storey" else 1
    for f in range(floors):
        for x in (-w * 0.55, w * 0.55):
            parts.append(cut(box((x, 1.5 + f * 2.7, d), (0.55, 0.6, 0.12))))
    return parts, words(
        {"cottage": "cosy", "two_storey": "family", "bungalow": "low", "a_frame": "steep-roofed"}[sub],
        with_=["a pitched roof", "a chimney" if chimney else "", f"{2 * floors} windows"],
    )


def tower(rng, sub, t):
    if sub == "lighthouse":
        h, r = u(rng, 18, 25), u(rng, 2.5, 3.2)
        gallery = thin(0.2, t)
        parts = [
            cone((0, 0, 0), (0, h, 0), r, r * 0.6),
            cyl((0, h, 0), (0, h + 2 * gallery, 0), r * 0.9),
            cyl((0, h + 2 * gallery, 0), (0, h + 2.4, 0), r * 0.5),
            cyl((0, h + 2.4, 0), (0, h + 2.4 + 2 * t, 0), r * 0.6),
            cone((0, h + 2.4 + 2 * t, 0), (0, h + 3.6, 0), r * 0.6, thin(0.1, t)),
        ]
        return parts, words("striped", "tall", with_=["a lantern room", "a gallery"])
    if sub == "water":
        h, r = u(rng, 18, 25), u(rng, 3.5, 4.5)
        parts = [ell((0, h, 0), (r, r * 0.7, r)), cone((0, h + r * 0.5, 0), (0, h + r * 0.9, 0), r * 0.7, thin(0.1, t))]
        for x, z in around(4, r * 0.8, math.pi / 4):
            parts.append(cyl((x * 1.3, 0, z * 1.3), (x, h, z), thin(0.3, t)))
        parts.append(cyl((0, 0, 0), (0, h, 0), thin(0.5, t)))
        return parts, words("tall", "steel", with_=["four legs", "a round tank"])
    if sub == "clock":
        h, w = u(rng, 15, 22), u(rng, 2.0, 2.6)
        parts = [
            box((0, h / 2, 0), (w, h / 2, w)),
            box((0, h + 0.3, 0), (w + 0.3, 0.3, w + 0.3)),
            cone((0, h + 0.6, 0), (0, h + 0.6 + w * 2.2, 0), w * 1.2, thin(0.1, t)),
        ]
        for sz in (-1, 1):
            parts += [cyl((0, h - w, sz * w), (0, h - w, sz * (w + 0.15)), w * 0.7)]
        return parts, words("old", "square", with_=["a clock face", "a spire"])
    if sub == "skyscraper":
        h, w, d = u(rng, 80, 150), u(rng, 10, 16), u(rng, 10, 16)
        parts = [box((0, h * 0.35, 0), (w, h * 0.35, d))]
        parts += [
            box((0, h * 0.7 + h * 0.125, 0), (w * 0.8, h * 0.125, d * 0.8)),
            box((0, h * 0.95 + h * 0.025, 0), (w * 0.6, h * 0.025, d * 0.6)),
            cyl((0, h, 0), (0, h * 1.1, 0), thin(0.6, t)),
        ]
        return parts, words("modern", "glass", with_=["setbacks", "an antenna"])
    h, r = u(rng, 12, 18), u(rng, 2.5, 3.5)
    parts = [cyl((0, 0, 0), (0, h, 0), r), cyl((0, h, 0), (0, h + 1.0, 0), r * 1.15)]
    for x, z in around(8, r * 1.15):
        parts.append(cut(box((x, h + 1.0, z), (0.4, 0.45, 0.4))))
    roof = chance(rng, 0.5)
    if roof:
        parts.append(cone((0, h + 0.9, 0), (0, h + 0.9 + r * 2, 0), r * 1.05, thin(0.1, t)))
    return parts, words("stone", "round", with_=["battlements", "a conical roof" if roof else ""])


def tent(rng, sub, t):
    if sub == "dome":
        r = u(rng, 1.1, 1.5)
        parts = [
            ell((0, 0, 0), (r, r * 0.85, r * 0.9)),
            cut(box((0, -r, 0), (r * 2, r, r * 2))),
            cut(ell((0, 0, r * 0.9), (0.35, 0.7, 0.15))),
        ]
        return parts, words("camping", "small", with_=["a round top", "a zipped door"])
    if sub == "teepee":
        h, r = u(rng, 3.0, 4.0), u(rng, 1.4, 1.8)
        parts = [cone((0, 0, 0), (0, h, 0), r, thin(0.05, t))]
        for x, z in around(5, 0.18):
            parts.append(cyl((0, h * 0.85, 0), (x * 4, h * 1.2, z * 4), thin(0.04, t)))
        parts.append(cut(cone((0, 0, r), (0, 1.0, r * 0.8), 0.45, 0.05)))
        return parts, words("native", "tall", with_=["poles at the top"])
    if sub == "bell":
        r, wall = u(rng, 2.0, 2.5), u(rng, 0.6, 0.9)
        parts = [
            cyl((0, 0, 0), (0, wall, 0), r),
            cone((0, wall, 0), (0, wall + r * 1.1, 0), r, thin(0.06, t)),
            cyl((0, 0, 0), (0, wall + r * 1.2, 0), thin(0.05, t)),
        ]
        return parts, words("round", "canvas", with_=["a centre pole"])
    length, half_w, h = u(rng, 1.0, 1.4), u(rng, 0.7, 0.9), u(rng, 1.0, 1.3)
    return [
        gable((0, 0, 0), length, half_w, h),
        cyl((length, 0, 0), (length, h + 0.15, 0), thin(0.03, t)),
        cyl((-length, 0, 0), (-length, h + 0.15, 0), thin(0.03, t)),
    ], words("small", "two-person", with_=["a ridge pole"])


def hut(rng, sub, t):
    if sub == "igloo":
        r = u(rng, 1.4, 1.8)
        parts = [
            sphere((0, 0, 0), r),
            cut(box((0, -r, 0), (r * 2, r, r * 2))),
            cyl((0, 0.55, r * 0.7), (0, 0.55, r + 0.7), 0.55),
            cut(cyl((0, 0.55, r * 0.5), (0, 0.55, r + 0.8), 0.4)),
        ]
        return parts, words("snow", "round", with_=["an entrance tunnel"])
    if sub == "round":
        r, wall = u(rng, 1.8, 2.4), u(rng, 1.8, 2.2)
        eave = wall - 0.2
        parts = [
            cyl((0, 0, 0), (0, wall, 0), r),
            cyl((0, eave, 0), (0, eave + 2 * t, 0), r * 1.25),
            cone((0, eave + 2 * t, 0), (0, wall + r * 1.0, 0), r * 1.25, thin(0.05, t)),
            cut(box((0, 0.9, r), (0.45, 0.9, 0.3))),
        ]
        return parts, words("mud", "thatched", with_=["a conical roof"])
    w, d = (u(rng, 0.8, 1.0), u(rng, 0.8, 1.0)) if sub == "beach" else (u(rng, 1.0, 1.5), u(rng, 0.8, 1.2))
    wall = u(rng, 2.0, 2.4)
    parts = [box((0, wall / 2, 0), (w, wall / 2, d))]
    if sub == "beach":
        parts.append(gable((0, wall, 0), d + 0.1, w + 0.1, u(rng, 0.8, 1.0), rot=(90, 0, 0)))
        parts.append(cut(box((0, 1.0, d), (w * 0.6, 0.9, 0.08))))
        return parts, words("striped", "colourful", with_=["a pitched roof", "double doors"])
    rise = u(rng, 0.3, 0.5)
    parts.append(
        box((0, wall + rise / 2, 0), (w + 0.15, 0.06, d + 0.15), rot=(0, math.degrees(math.atan2(rise, 2 * d)), 0))
    )
    parts.append(cut(box((w * 0.3, 0.95, d), (0.4, 0.95, 0.1))))
    return parts, words("wooden", "garden", with_=["a sloping roof", "a door"])


CATEGORIES = (
    Category(
        "house",
        "buildings",
        ("house", "home", "dwelling"),
        (
            SubType("cottage", ("cottage", "country house"), 10.5),
            SubType("two_storey", ("two-storey house", "townhouse", "family house"), 10.5),
            SubType("bungalow", ("bungalow", "ranch house"), 15.0),
            SubType("a_frame", ("a-frame house", "chalet"), 10.0),
        ),
        house,
        STONE,
    ),
    Category(
        "tower",
        "buildings",
        ("tower", "steeple"),
        (
            SubType("castle", ("castle tower", "turret", "watchtower"), 18.0),
            SubType("lighthouse", ("lighthouse",), 25.0),
            SubType("clock", ("clock tower", "bell tower"), 25.0),
            SubType("water", ("water tower",), 28.0),
            SubType("skyscraper", ("skyscraper", "office tower", "high-rise"), 130.0),
        ),
        tower,
        STONE,
    ),
    Category(
        "tent",
        "buildings",
        ("tent", "marquee"),
        (
            SubType("dome", ("dome tent", "camping tent", "igloo tent"), 2.6),
            SubType("ridge", ("ridge tent", "pup tent", "a-frame tent"), 2.4),
            SubType("teepee", ("teepee", "tipi", "wigwam"), 4.5),
            SubType("bell", ("bell tent", "yurt"), 4.7),
        ),
        tent,
        ("canvas", "orange", "green", "blue", "small", "big"),
    ),
    Category(
        "hut",
        "buildings",
        ("hut", "shack", "cabin"),
        (
            SubType("round", ("round hut", "mud hut", "rondavel"), 5.5),
            SubType("shed", ("garden shed", "shed", "tool shed"), 3.0),
            SubType("beach", ("beach hut", "bathing hut"), 3.3),
            SubType("igloo", ("igloo", "snow hut"), 4.2),
        ),
        hut,
        ("wooden", "old", "small", "rustic", "white"),
    ),
)
