"""Vehicles, aircraft and boats: cars, trucks, buses, bicycles, motorbikes, trains, airplanes,
rockets, boats. Length runs along x (front at +x), wheels' axles along z."""

from __future__ import annotations

import math

from . import Category, SubType
from .parts import around, box, cap, chance, cone, cut, cyl, disc, ell, pick, ring, sphere, thin, u, wheel, words

PAINT = ("red", "blue", "white", "black", "silver", "yellow", "green", "orange", "old", "new")


def _wheels(xs, half_track, r, t, width=None, spokes=0):
    width = width or 0.35 * r
    return [p for x in xs for z in (-half_track, half_track) for p in wheel(x, z, r, width, t, spokes)]


def car(rng, sub, t):
    length = {
        "sedan": u(rng, 2.2, 2.45),
        "hatchback": u(rng, 1.9, 2.1),
        "suv": u(rng, 2.25, 2.45),
        "sports": u(rng, 2.15, 2.3),
    }[sub]
    half_w = u(rng, 0.85, 0.95)
    r = u(rng, 0.3, 0.36) if sub != "suv" else u(rng, 0.38, 0.42)
    body_bottom = r * (0.6 if sub == "sports" else 0.8)
    body_h = {"sedan": 0.35, "hatchback": 0.38, "suv": 0.5, "sports": 0.25}[sub] * u(rng, 0.9, 1.1)
    parts = [box((0, body_bottom + body_h, 0), (length, body_h, half_w), rounding=0.12)]
    cab_l = {"sedan": 0.5, "hatchback": 0.55, "suv": 0.7, "sports": 0.38}[sub] * length
    cab_x = {"sedan": -0.05, "hatchback": -0.2, "suv": -0.12, "sports": -0.1}[sub] * length
    cab_h = {"sedan": 0.28, "hatchback": 0.3, "suv": 0.38, "sports": 0.18}[sub]
    parts.append(box((cab_x, body_bottom + 2 * body_h + cab_h * 0.8, 0), (cab_l, cab_h, half_w * 0.88), rounding=0.15))
    parts += _wheels((length * 0.66, -length * 0.66), half_w - 0.12, r, t)
    spoiler = sub == "sports" and chance(rng, 0.6)
    if spoiler:
        parts += [
            box((-length + 0.1, body_bottom + 2 * body_h + 0.15, 0), (0.1, 0.025, half_w * 0.9)),
            box((-length + 0.12, body_bottom + 2 * body_h + 0.07, 0), (0.03, 0.07, half_w * 0.6)),
        ]
    return parts, words(
        pick(rng, ["family", "compact", "fast", ""]) if sub != "sports" else "low",
        with_=["four wheels", "a spoiler" if spoiler else ""],
    )


def truck(rng, sub, t):
    r, half_w = u(rng, 0.45, 0.55), u(rng, 1.1, 1.25)
    cab_l, cab_h = u(rng, 0.9, 1.1), u(rng, 1.2, 1.4)
    if sub == "pickup":
        r, half_w, length = u(rng, 0.38, 0.42), u(rng, 0.9, 1.0), u(rng, 2.6, 2.9)
        parts = [
            box((0, r + 0.35, 0), (length, 0.3, half_w), rounding=0.08),
            box((length * 0.2, r + 0.95, 0), (length * 0.32, 0.32, half_w * 0.92), rounding=0.12),
            box((-length * 0.55, r + 0.72, 0), (length * 0.43, 0.1, half_w), rounding=0.02),
        ]
        parts += _wheels((length * 0.65, -length * 0.62), half_w - 0.15, r, t)
        return parts, words("rugged", with_=["an open bed", "four wheels"])
    length = u(rng, 3.4, 4.2) if sub == "semi" else u(rng, 2.8, 3.4)
    front = length - cab_l
    parts = [
        box((front, r + 0.2 + cab_h / 2, 0), (cab_l, cab_h / 2 + 0.2, half_w), rounding=0.12),
        box((-cab_l * 0.2, r + 0.25, 0), (length - cab_l * 0.3, 0.12, half_w * 0.8)),
    ]
    if sub == "dump":
        parts.append(box((-cab_l, r + 1.0, 0), (length - cab_l * 1.6, 0.6, half_w), rot=(0, 0, 6), rounding=0.04))
        parts.append(cut(box((-cab_l, r + 1.4, 0), (length - cab_l * 1.6 - 2 * t, 0.6, half_w - 2 * t), rot=(0, 0, 6))))
    else:
        box_h = u(rng, 1.1, 1.5)
        parts.append(
            box(
                (-cab_l * 1.1 if sub == "box" else -cab_l * 1.2, r + 0.45 + box_h, 0),
                (length - cab_l * 1.2, box_h, half_w),
                rounding=0.05,
            )
        )
    axles = (front + 0.1, -length * 0.55, -length * 0.8) if sub == "semi" else (front + 0.1, -length * 0.6)
    parts += _wheels(axles, half_w - 0.2, r, t)
    name = {"semi": "an articulated trailer", "box": "a cargo box", "dump": "a tipping bed"}[sub]
    return parts, words(pick(rng, ["heavy", "big", "long", ""]), with_=[name, f"{2 * len(axles)} wheels"])


def bus(rng, sub, t):
    length = u(rng, 5.0, 6.0) if sub != "minibus" else u(rng, 2.8, 3.3)
    half_w, r = u(rng, 1.2, 1.3), u(rng, 0.48, 0.55)
    h = u(rng, 1.35, 1.5) if sub != "double_decker" else u(rng, 2.1, 2.3)
    y0 = r * 0.9
    parts = []
    if sub == "school":  # the bonnet, in front of the body
        parts.append(box((length - 0.6, y0 + 0.6, 0), (0.7, 0.6, half_w * 0.8), rounding=0.1))
        length -= 0.6
    parts.append(box((-0.6 if sub == "school" else 0, y0 + h, 0), (length, h, half_w), rounding=0.2))
    bx = -0.6 if sub == "school" else 0
    floors = 2 if sub == "double_decker" else 1
    for f in range(floors):  # window bands: shallow recesses along both sides
        wy = y0 + 2 * h * (0.65 if floors == 1 else 0.35 + 0.45 * f)
        for sz in (-1, 1):
            parts.append(cut(box((bx, wy, sz * half_w), (length - 0.4, 0.25, 0.03))))
    axles = (bx + length * 0.7, bx - length * 0.7) if sub != "minibus" else (length * 0.65, -length * 0.65)
    parts += _wheels(axles, half_w - 0.2, r, t)
    return parts, words(
        pick(rng, ["yellow", "red", "city", "long"]) if sub != "minibus" else "small",
        with_=["rows of windows", "two decks" if floors == 2 else ""],
    )


def bicycle(rng, sub, t):
    r = u(rng, 0.33, 0.36) if sub != "bmx" else u(rng, 0.25, 0.28)
    base = u(rng, 0.5, 0.56) if sub != "bmx" else 0.5
    front, rear = (base, 0), (-base, 0)
    tyre = thin(0.035 if sub == "mountain" else 0.022, t)
    parts = []
    for x in (front[0], rear[0]):
        parts += [ring((x, r, 0), r - tyre, tyre, "z"), disc((x, r, 0), thin(0.04, t), 0.04, "z")]
        spokes = pick(rng, [3, 5, 6])
        for k in range(spokes):
            a = 2 * math.pi * k / spokes + 0.3
            parts.append(
                cyl((x, r, 0), (x + (r - tyre) * math.cos(a), r + (r - tyre) * math.sin(a), 0), thin(0.008, t))
            )
    tube = thin(0.02 if sub != "mountain" else 0.028, t)
    seat = (-0.12, r + u(rng, 0.48, 0.58), 0)
    crank = (0.0, r * 0.85, 0)
    head = (base - 0.12, r + u(rng, 0.45, 0.55), 0)
    step = sub == "city"
    top_join = (seat[0] + 0.03, seat[1] - 0.1, 0)
    parts += [
        cyl(crank, (seat[0], seat[1], 0), tube),
        cyl(crank, (head[0] + 0.03, head[1] - 0.2, 0), tube),
        cyl((front[0], r, 0), head, tube),
        cyl((rear[0], r, 0), crank, tube),
        cyl((rear[0], r, 0), top_join, tube),
    ]
    if not step:
        parts.append(cyl(top_join, head, tube))
    parts += [
        disc(crank, thin(0.07, t), 0.02, "z"),
        ell((seat[0] - 0.02, seat[1] + 0.02, 0), (0.12, 0.03, 0.06)),
        cyl(head, (head[0] - 0.05, head[1] + 0.12, 0), tube),
    ]
    bar = (head[0] - 0.05, head[1] + 0.12, 0)
    if sub == "road":
        parts += [cyl((bar[0], bar[1], -0.2), (bar[0], bar[1], 0.2), tube)]
        parts += [cap((bar[0], bar[1], sz * 0.19), (bar[0] + 0.1, bar[1] - 0.12, sz * 0.19), tube) for sz in (-1, 1)]
    else:
        parts.append(cyl((bar[0], bar[1], -0.32), (bar[0], bar[1], 0.32), tube))
    if step and chance(rng, 0.6):
        parts.append(box((front[0] + 0.02, head[1] - 0.02, 0), (0.12, 0.08, 0.16)))
        return parts, words("dutch", "step-through", with_=["a front basket"])
    return parts, words(
        {"road": "racing", "mountain": "rugged", "city": "step-through", "bmx": "small"}[sub],
        with_=["two wheels", "drop handlebars" if sub == "road" else "straight handlebars"],
    )


def motorbike(rng, sub, t):
    r = u(rng, 0.3, 0.34) if sub != "scooter" else u(rng, 0.2, 0.24)
    base = u(rng, 0.7, 0.78) if sub != "scooter" else u(rng, 0.55, 0.62)
    tyre = thin(0.08 * (1.3 if sub == "dirt" else 1.0), t)
    parts = []
    for x in (base, -base):
        parts += wheel(x, 0, r, 0.04, t, tyre=tyre)
    if sub == "scooter":
        parts += [
            box((-0.15, r + 0.15, 0), (base * 0.75, 0.1, 0.16), rounding=0.06),
            box((-0.25, r + 0.4, 0), (0.35, 0.16, 0.18), rounding=0.1),
            box((base - 0.15, r + 0.45, 0), (0.08, 0.4, 0.2), rot=(0, 0, -15), rounding=0.05),
            cyl((base - 0.25, r + 0.95, -0.28), (base - 0.25, r + 0.95, 0.28), thin(0.02, t)),
            cyl((base, r, 0), (base - 0.25, r + 0.95, 0), thin(0.03, t)),
        ]
        return parts, words("small", "retro", with_=["a step-through floor"])
    tank_y = r + 0.5
    parts += [
        cyl((base, r, 0), (base - 0.25, tank_y + 0.3, 0), thin(0.03, t)),
        cyl((base - 0.25, tank_y + 0.3, 0), (0.2, tank_y, 0), thin(0.03, t)),
        ell((0.2, tank_y, 0), (0.3, 0.14, 0.16)),
        box((-0.05, r + 0.2, 0), (0.3, 0.18, 0.14), rounding=0.06),
        cyl((-base, r, 0), (-0.1, r + 0.25, 0), thin(0.035, t)),
    ]
    bar_y = tank_y + 0.32
    parts.append(cyl((base - 0.25, bar_y, -0.34), (base - 0.25, bar_y, 0.34), thin(0.02, t)))
    if sub == "sport":
        parts += [
            ell((base - 0.35, tank_y + 0.02, 0), (0.35, 0.22, 0.2)),
            box((-0.4, tank_y + 0.05, 0), (0.35, 0.05, 0.13), rot=(0, 0, 10)),
        ]
        return parts, words("fast", "sleek", with_=["a fairing"])
    if sub == "cruiser":
        parts += [
            box((-0.3, tank_y - 0.08, 0), (0.25, 0.05, 0.16), rounding=0.03),
            cyl((-0.1, r + 0.15, 0.12), (-base - 0.2, r + 0.2, 0.12), thin(0.04, t)),
        ]
        return parts, words("heavy", "classic", with_=["chrome exhaust pipes"])
    parts.append(box((-0.35, tank_y + 0.02, 0), (0.4, 0.04, 0.1), rot=(0, 0, 8)))
    return parts, words("off-road", with_=["knobby tyres", "long suspension"])


def train(rng, sub, t):
    half_w, r = u(rng, 1.3, 1.45), 0.45
    if sub == "steam":
        length = u(rng, 5.5, 6.5)
        y = 2 * r
        parts = [
            cyl((-length * 0.35, y + 1.0, 0), (length * 0.8, y + 1.0, 0), 0.95),
            box((-length * 0.7, y + 1.4, 0), (length * 0.3, 1.4, half_w), rounding=0.1),
            box((0, y - 0.05, 0), (length, 0.2, half_w * 0.9)),
            cone((length * 0.6, y + 1.8, 0), (length * 0.6, y + 3.0, 0), 0.28, 0.4),
            sphere((length * 0.2, y + 1.9, 0), 0.4),
            cone((length, y - 0.2, 0), (length + 0.5, 0.1, 0), 0.9, 0.2),
        ]
        parts += _wheels(
            (-length * 0.8, -length * 0.45, 0.0, length * 0.35, length * 0.7), half_w * 0.85, r, t, width=0.12
        )
        return parts, words("black", "old", with_=["a tall chimney", "ten wheels"])
    length = u(rng, 7.0, 8.5)
    h = u(rng, 1.6, 1.9)
    y0 = 2 * r + 0.1
    if sub == "bullet":
        parts = [
            box((-0.5, y0 + h, 0), (length - 0.5, h, half_w), rounding=0.5),
            ell((length - 1.0, y0 + h * 0.9, 0), (2.2, h * 0.9, half_w * 0.95)),
        ]
    elif sub == "tram":
        length = u(rng, 6.0, 7.0)
        parts = [
            box((0, y0 + h, 0), (length, h, half_w), rounding=0.3),
            box((0, y0 + 2 * h + 0.3, 0), (0.6, 0.2, 0.5)),
            cyl((0, y0 + 2 * h + 0.5, 0), (0.4, y0 + 2 * h + 1.3, 0), thin(0.06, t)),
        ]
    else:
        parts = [
            box((0, y0 + h, 0), (length, h, half_w), rounding=0.15),
            box((length * 0.7, y0 + 2 * h + 0.2, 0), (length * 0.25, 0.3, half_w * 0.8)),
        ]
    for sz in (-1, 1):
        parts.append(cut(box((0, y0 + h * 1.35, sz * half_w), (length * 0.8, h * 0.22, 0.04))))
    parts.append(box((0, y0 - 0.05, 0), (length * 0.9, 0.15, half_w * 0.9)))  # the chassis, down onto the wheels
    parts += _wheels((-length * 0.8, -length * 0.6, length * 0.6, length * 0.8), half_w * 0.85, r, t, width=0.12)
    return parts, words(
        {"bullet": "streamlined", "tram": "electric", "diesel": "heavy"}[sub], with_=["a row of windows"]
    )


def airplane(rng, sub, t):
    if sub == "glider":
        length, r, span = u(rng, 3.5, 4.2), 0.3, u(rng, 7.5, 9.0)
        chord, sweep = 0.5, 0
    elif sub == "fighter":
        length, r, span = u(rng, 7.0, 8.0), 0.6, u(rng, 4.5, 5.5)
        chord, sweep = 2.0, u(rng, 35, 50)
    elif sub == "propeller":
        length, r, span = u(rng, 3.8, 4.4), 0.55, u(rng, 5.0, 5.6)
        chord, sweep = 0.75, 0
    else:
        length, r, span = u(rng, 16, 19), 1.9, u(rng, 16, 18)
        chord, sweep = 3.0, u(rng, 25, 35)
    y = (
        max(r + 0.2 * length / 8, 1.2) if sub == "propeller" else r + 0.2 * length / 8
    )  # the propeller clears the ground
    parts = [
        cap((-length, y, 0), (length, y, 0), r),
        cone((-length - 0.4 * length / 4, y + r * 0.5, 0), (-length, y, 0), r * 0.3, r),
    ]
    wing_x = 0.1 * length if sub != "fighter" else -0.2 * length
    wing_half_t = thin(0.06 * chord, t)
    for sz in (-1, 1):
        tip_x = wing_x - math.tan(math.radians(sweep)) * span
        parts.append(
            box(((wing_x + tip_x) / 2, y, sz * span / 2), (chord, wing_half_t, span / 2), rot=(sz * sweep, 0, 0))
        )
        parts.append(
            box((-length * 0.9 - 0.1 * chord, y + r * 0.3, sz * span * 0.18), (chord * 0.5, wing_half_t, span * 0.18))
        )
    parts.append(
        box((-length * 0.9, y + r + span * 0.12, 0), (chord * 0.55, span * 0.12, wing_half_t), rot=(0, 0, -25))
    )
    extra = ""
    if sub == "airliner":
        for sz in (-1, 1):
            ex = wing_x - math.tan(math.radians(sweep)) * span * 0.35
            parts += [
                cyl((ex - 1.5, y - r * 0.8, sz * span * 0.35), (ex + 1.5, y - r * 0.8, sz * span * 0.35), 0.7),
                box((ex, y - r * 0.4, sz * span * 0.35), (0.8, r * 0.4, 0.15)),
            ]  # the pylon
        extra = "two jet engines"
    elif sub == "propeller":
        parts += [disc((length + 0.15, y, 0), thin(0.12, t), 0.1, "x"), box((length + 0.25, y, 0), (0.04, 1.0, 0.08))]
        parts += [cyl((0.4, 0, sz * 0.8), (0.4, y, sz * 0.5), thin(0.05, t)) for sz in (-1, 1)]
        parts.append(cyl((-length * 0.95, 0, 0), (-length * 0.95, y, 0), thin(0.04, t)))  # the tail wheel's strut
        extra = "a propeller"
    return parts, words(
        {"airliner": "passenger", "fighter": "swept-wing", "propeller": "small", "glider": "long-winged"}[sub],
        with_=[extra],
    )


def rocket(rng, sub, t):
    if sub == "heavy":
        h, r = u(rng, 60, 80), u(rng, 4.0, 5.0)
        parts = [cyl((0, 3, 0), (0, h * 0.8, 0), r), cone((0, h * 0.8, 0), (0, h, 0), r, thin(0.2, t))]
        for x, z in around(pick(rng, [2, 4]), r * 1.9):
            parts += [
                cyl((x, 1, z), (x, h * 0.55, z), r * 0.6),
                cone((x, h * 0.55, z), (x, h * 0.65, z), r * 0.6, thin(0.2, t)),
                box((x / 2, h * 0.4, z / 2), (max(abs(x) / 2, 0.3), 0.5, max(abs(z) / 2, 0.3))),
            ]
        parts.append(cone((0, 0, 0), (0, 3, 0), r * 0.8, r * 0.5))
        return parts, words("huge", "white", with_=["side boosters"])
    if sub == "missile":
        h, r = u(rng, 6, 9), u(rng, 0.35, 0.5)
        parts = [cyl((0, 0.8, 0), (0, h * 0.85, 0), r), cone((0, h * 0.85, 0), (0, h, 0), r, thin(0.02, t))]
        for k in range(4):
            a = 90 * k + 45
            c = (math.cos(math.radians(a)) * (r + 0.3), 1.2, -math.sin(math.radians(a)) * (r + 0.3))
            parts.append(box(c, (0.4, 0.5, thin(0.03, t)), rot=(a, 0, 0)))
        parts.append(cyl((0, 0, 0), (0, 0.8, 0), r * 0.9))
        return parts, words("slim", "grey", with_=["four fins"])
    h, r = u(rng, 8, 14), u(rng, 0.7, 1.0)
    nose = u(rng, 2.0, 3.5)
    parts = [
        ell((0, h * 0.5, 0), (r * 1.1, h * 0.5, r * 1.1)),
        cone((0, h * 0.85, 0), (0, h + nose, 0), r * 0.8, thin(0.05, t)),
    ]
    n = pick(rng, [3, 4])
    fin = u(rng, 1.0, 1.6)
    for k in range(n):
        a = 360 * k / n
        c = (
            math.cos(math.radians(a)) * (0.4 * r + fin / 2),
            fin * 0.8,
            -math.sin(math.radians(a)) * (0.4 * r + fin / 2),
        )
        parts.append(box(c, (fin / 2, fin * 0.8, thin(0.08, t)), rot=(a, 0, 0)))
    parts.append(cone((0, 0, 0), (0, 0.8, 0), r * 0.7, r * 0.9))
    return parts, words("retro", "classic", with_=[f"{'three' if n == 3 else 'four'} fins"])


def boat(rng, sub, t):
    length = {
        "sailing": u(rng, 3.5, 5.0),
        "rowing": u(rng, 1.5, 2.2),
        "motor": u(rng, 3.0, 4.0),
        "ship": u(rng, 40, 60),
    }[sub]
    beam = length * {"ship": 0.16, "rowing": 0.4}.get(sub, 0.3)  # a rowing boat: beamy, a bow blunt enough to keep
    depth = beam * (0.5 if sub != "ship" else 0.9)
    parts = [
        ell((0, depth, 0), (length, depth, beam)),
        cut(box((0, depth * 2.0, 0), (length * 1.1, depth, beam * 1.1))),
    ]
    if sub == "rowing":
        parts.append(cut(box((-length * 1.05, depth, 0), (length * 0.13, depth * 2, beam * 2))))  # a flat transom
        parts.append(cut(ell((0, depth + 2 * t, 0), (length * 0.75, depth, beam - 3 * t))))  # solid at bow and stern
        parts += [box((x, depth * 0.85, 0), (0.1, 0.02, beam * 0.85)) for x in (-length * 0.4, 0.0, length * 0.4)]
        parts += [
            cyl((0, depth, sz * beam * 0.8), (length * 0.1, depth * 0.2, sz * (beam + 0.8)), thin(0.025, t))
            for sz in (-1, 1)
        ]
        return parts, words("wooden", "small", with_=["two oars", "three seats"])
    parts.append(box((0, depth, 0), (length * 0.95, thin(0.02, t) + depth * 0.05, beam * 0.95)))
    if sub == "sailing":
        parts += [box((0, depth * 0.2, 0), (length * 0.2, depth * 0.6, thin(0.04, t)))]  # the keel
        parts += _sail(length * 0.15, depth + 0.5, length * 0.75, length * u(rng, 1.1, 1.5), t)
        return parts, words("white", with_=["a tall mast", "a triangular sail"])
    if sub == "motor":
        parts += [
            box((-length * 0.15, depth * 1.3, 0), (length * 0.35, depth * 0.35, beam * 0.75), rounding=0.1),
            box((-length * 0.98, depth * 0.8, 0), (0.12, depth * 0.6, 0.15)),
        ]
        return parts, words("fast", "sleek", with_=["a cabin", "an outboard motor"])
    deck = depth * 1.05  # the superstructure stands on the deck
    parts += [
        box((-length * 0.7, deck + length * 0.05, 0), (length * 0.12, length * 0.05, beam * 0.8)),
        cyl((-length * 0.7, deck + length * 0.09, 0), (-length * 0.7, deck + length * 0.17, 0), length * 0.025),
    ]
    n = int(rng.integers(3, 7))
    for k in range(n):
        parts.append(box((-length * 0.4 + k * length * 0.22, deck + 1.2, 0), (length * 0.09, 1.3, beam * 0.8)))
    return parts, words("large", with_=[f"{n} stacks of containers", "a bridge"])


def _sail(mast_x, boom_y, foot, height, t):
    """Mast, boom and a triangular mainsail: a thin slab whose upper aft half is cut away along
    the diagonal from the boom's end to the masthead (the mast ends at the masthead)."""
    half_t = thin(0.03, t)
    slab = box((mast_x - foot / 2, boom_y + height / 2, 0), (foot / 2, height / 2, half_t))
    angle = math.degrees(math.atan2(height, foot))
    normal = (-math.sin(math.radians(angle)), math.cos(math.radians(angle)))
    mid = (mast_x - foot / 2, boom_y + height / 2)
    big = max(foot, height)  # the cut spans exactly the diagonal, so it reaches nothing below the boom
    away = cut(
        box(
            (mid[0] + normal[0] * big, mid[1] + normal[1] * big, 0),
            (math.hypot(foot, height) / 2, big, half_t * 4),
            rot=(0, 0, angle),
        )
    )
    return [
        cyl((mast_x, boom_y - 0.6, 0), (mast_x, boom_y + height, 0), thin(0.05, t)),
        box((mast_x - foot / 2, boom_y, 0), (foot / 2, thin(0.03, t), thin(0.03, t))),
        slab,
        away,
    ]


CATEGORIES = (
    Category(
        "car",
        "vehicles",
        ("car", "automobile", "motorcar"),
        (
            SubType("sedan", ("sedan", "saloon car"), 4.6),
            SubType("hatchback", ("hatchback", "small car", "city car"), 4.0),
            SubType("suv", ("suv", "jeep", "off-roader"), 4.7),
            SubType("sports", ("sports car", "race car", "supercar"), 4.4),
        ),
        car,
        PAINT,
    ),
    Category(
        "truck",
        "vehicles",
        ("truck", "lorry"),
        (
            SubType("pickup", ("pickup truck", "pickup"), 5.6),
            SubType("box", ("box truck", "delivery truck", "moving van"), 6.3),
            SubType("semi", ("semi truck", "articulated truck", "tractor trailer"), 7.7),
            SubType("dump", ("dump truck", "tipper truck"), 6.3),
        ),
        truck,
        PAINT,
    ),
    Category(
        "bus",
        "vehicles",
        ("bus", "omnibus"),
        (
            SubType("city", ("city bus", "single-decker bus"), 11.0),
            SubType("double_decker", ("double-decker bus", "double-decker"), 11.0),
            SubType("school", ("school bus",), 11.0),
            SubType("minibus", ("minibus", "shuttle bus"), 6.1),
        ),
        bus,
        PAINT,
    ),
    Category(
        "bicycle",
        "vehicles",
        ("bicycle", "bike", "cycle"),
        (
            SubType("road", ("road bike", "racing bicycle"), 1.75),
            SubType("mountain", ("mountain bike", "mtb"), 1.75),
            SubType("city", ("city bike", "dutch bike", "cruiser bicycle"), 1.75),
            SubType("bmx", ("bmx", "bmx bike"), 1.55),
        ),
        bicycle,
        PAINT,
    ),
    Category(
        "motorbike",
        "vehicles",
        ("motorbike", "motorcycle", "moped"),
        (
            SubType("sport", ("sport bike", "racing motorcycle", "superbike"), 2.1),
            SubType("cruiser", ("cruiser motorcycle", "chopper"), 2.1),
            SubType("scooter", ("scooter", "vespa"), 1.6),
            SubType("dirt", ("dirt bike", "motocross bike"), 2.1),
        ),
        motorbike,
        PAINT,
    ),
    Category(
        "train",
        "vehicles",
        ("train", "locomotive", "railcar"),
        (
            SubType("steam", ("steam locomotive", "steam engine", "steam train"), 13.0),
            SubType("diesel", ("diesel locomotive", "freight locomotive"), 16.0),
            SubType("bullet", ("bullet train", "high-speed train"), 16.0),
            SubType("tram", ("tram", "streetcar", "trolley"), 13.0),
        ),
        train,
        PAINT,
    ),
    Category(
        "airplane",
        "aircraft and boats",
        ("airplane", "plane", "aeroplane", "aircraft"),
        (
            SubType("airliner", ("airliner", "passenger jet", "jumbo jet"), 36.0),
            SubType("propeller", ("propeller plane", "cessna", "light plane"), 10.8),
            SubType("fighter", ("fighter jet", "fighter plane", "warplane"), 15.5),
            SubType("glider", ("glider", "sailplane"), 16.5),
        ),
        airplane,
        PAINT,
    ),
    Category(
        "rocket",
        "aircraft and boats",
        ("rocket", "spaceship", "spacecraft"),
        (
            SubType("classic", ("space rocket", "retro rocket", "toy rocket"), 13.0),
            SubType("heavy", ("launch vehicle", "heavy rocket", "booster rocket"), 70.0),
            SubType("missile", ("missile", "ballistic missile"), 7.5),
        ),
        rocket,
        PAINT,
    ),
    Category(
        "boat",
        "aircraft and boats",
        ("boat", "ship", "vessel"),
        (
            SubType("sailing", ("sailboat", "sailing boat", "yacht"), 8.5),
            SubType("rowing", ("rowboat", "rowing boat", "dinghy"), 3.7),
            SubType("motor", ("motorboat", "speedboat"), 7.0),
            SubType("ship", ("cargo ship", "container ship", "freighter"), 100.0),
        ),
        boat,
        PAINT,
    ),
)
