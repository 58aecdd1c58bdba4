"""Table- and kitchenware: mugs, cups, bowls, plates, teapots, bottles, vases, jars, pots and pans."""

from __future__ import annotations

from . import Category, SubType
from .parts import box, chance, cone, cut, cyl, disc, ell, pick, ring, shell, sphere, thin, u, vessel, words

CERAMIC = ("ceramic", "porcelain", "white", "blue", "red", "black", "glazed", "clay")
GLASS = ("glass", "green", "clear", "brown", "plastic", "blue")
METAL = ("steel", "copper", "cast-iron", "aluminium", "black", "enamel")


def _side_handle(x, y, size, t, axis="z"):
    """A loop handle on the side of a vessel at (x, y)."""
    return ring((x, y, 0), size, thin(0.18 * size, t), axis)


def mug(rng, sub, t):
    if sub == "travel":
        r, h = u(rng, 0.038, 0.045), u(rng, 0.17, 0.22)
        parts = [
            cone((0, 0, 0), (0, h, 0), r * 0.8, r),
            disc((0, h + 0.01, 0), r + 0.004, 0.012),
            cyl((0, h + 0.02, r * 0.5), (0, h + 0.03, r * 0.5), thin(0.008, t)),
        ]
        return parts, words("insulated", "tall", with_=["a lid"])
    r, h = (u(rng, 0.045, 0.055), u(rng, 0.12, 0.16)) if sub == "beer" else (u(rng, 0.04, 0.048), u(rng, 0.085, 0.11))
    wall = shell(u(rng, 0.004, 0.006), t)
    parts = vessel(r, r, h, wall) + [_side_handle(r + 0.3 * h * 0.4, h * 0.5, h * 0.3, t)]
    if sub == "beer":
        parts.append(disc((0, 0.006, 0), r + 0.006, 0.006))
    return parts, words("large" if sub == "beer" else pick(rng, ["tall", "wide", ""]), with_=["a handle"])


def cup(rng, sub, t):
    if sub == "paper":
        r, h = u(rng, 0.04, 0.048), u(rng, 0.1, 0.14)
        parts = [cone((0, 0, 0), (0, h, 0), r * 0.72, r), disc((0, h + 0.004, 0), r + 0.003, 0.008)]
        return parts, words("disposable", "takeaway", with_=["a lid"])
    if sub == "goblet":
        r, h = u(rng, 0.04, 0.05), u(rng, 0.15, 0.2)
        stem = h * u(rng, 0.4, 0.5)
        parts = [disc((0, 0.004, 0), r * 0.9, 0.004), cyl((0, 0, 0), (0, stem, 0), thin(0.006, t))]
        parts += vessel(r * 0.5, r, h - stem, shell(0.003, t), y0=stem)
        return parts, words("stemmed", with_=["a stem", "a round foot"])
    r, h = u(rng, 0.04, 0.046), u(rng, 0.05, 0.065)
    parts = [disc((0, 0.004, 0), u(rng, 0.07, 0.08), 0.004)] + vessel(r * 0.6, r, h, shell(0.003, t), y0=0.008)
    parts.append(_side_handle(r + 0.012, 0.008 + h * 0.55, h * 0.26, t))
    return parts, words("dainty", with_=["a saucer", "a handle"])


def bowl(rng, sub, t):
    if sub == "salad":
        r, h = u(rng, 0.13, 0.17), u(rng, 0.08, 0.11)
        parts = vessel(r * 0.55, r, h, shell(0.006, t))
        return parts, words("wide", "large", with_=["a flared rim"])
    if sub == "footed":
        r, h = u(rng, 0.1, 0.13), u(rng, 0.07, 0.09)
        foot = u(rng, 0.03, 0.06)
        parts = [disc((0, 0.005, 0), r * 0.5, 0.005), cyl((0, 0, 0), (0, foot, 0), thin(0.012, t))]
        parts += vessel(r * 0.4, r, h, shell(0.005, t), y0=foot)
        return parts, words("footed", with_=["a pedestal foot"])
    r, h = u(rng, 0.07, 0.09), u(rng, 0.055, 0.07)
    return vessel(r * 0.6, r, h, shell(0.004, t)) + [disc((0, 0.003, 0), r * 0.55, 0.003)], words("deep", "round")


def plate(rng, sub, t):
    if sub == "platter":
        a, b, h, wall = u(rng, 0.2, 0.25), u(rng, 0.13, 0.17), 0.03, shell(0.01, t)
        parts = [
            box((0, h / 2, 0), (a, h / 2, b), rounding=h / 2 * 0.9),
            cut(box((0, h / 2 + wall, 0), (a - wall, h / 2, b - wall), rounding=h / 2 * 0.5)),
        ]
        return parts, words("rectangular", "large", with_=["rounded corners"])
    if sub == "cake_stand":
        r, h = u(rng, 0.13, 0.16), u(rng, 0.08, 0.14)
        parts = [
            disc((0, 0.005, 0), r * 0.5, 0.005),
            cyl((0, 0, 0), (0, h, 0), thin(0.012, t)),
            disc((0, h, 0), r, 0.006),
            ring((0, h + 0.006, 0), r - 0.005, thin(0.004, t)),
        ]
        return parts, words("tall" if h > 0.11 else "", with_=["a stem"])
    r = u(rng, 0.12, 0.14)
    deep = sub == "soup"
    parts = vessel(r * 0.6, r, 0.035 if deep else 0.022, shell(0.012, t))  # thicker than china: a plate is all rim
    return parts, words("deep" if deep else "flat", "round", with_=["a wide rim"])


def teapot(rng, sub, t):
    r = u(rng, 0.08, 0.1)
    if sub == "kettle":
        h = u(rng, 0.15, 0.2)
        parts = [
            cone((0, 0, 0), (0, h, 0), r * 1.1, r * 0.6),
            disc((0, h, 0), r * 0.4, 0.01),
            ring((0, h + 0.04, 0), r * 0.55, thin(0.008, t), "z"),
            cone((r * 0.8, h * 0.3, 0), (r * 1.6, h * 0.8, 0), 0.018, thin(0.008, t)),
        ]
        return parts, words("stovetop", "metal", with_=["a top handle", "a spout"])
    if sub == "tall":
        parts = [
            ell((0, r * 0.9, 0), (r, r * 0.9, r)),
            cone((0, r * 1.5, 0), (0, r * 2.6, 0), r * 0.55, r * 0.25),
            cone((0, r * 2.6, 0), (0, r * 3.0, 0), r * 0.28, thin(0.01, t)),
            disc((0, 0.006, 0), r * 0.7, 0.006),
        ]
        parts += [
            cone((r * 0.7, r * 0.6, 0), (r * 1.9, r * 2.0, 0), r * 0.2, thin(0.008, t)),
            _side_handle(-r * 1.0, r * 1.3, r * 0.45, t),
        ]
        return parts, words("moroccan", "tall", with_=["a long spout", "a pointed lid"])
    parts = [
        ell((0, r * 0.75, 0), (r * 1.1, r * 0.75, r * 1.1)),
        disc((0, r * 1.45, 0), r * 0.5, 0.008),
        sphere((0, r * 1.55, 0), thin(0.012, t)),
        disc((0, 0.006, 0), r * 0.7, 0.006),
        cone((r * 0.8, r * 0.5, 0), (r * 1.7, r * 1.2, 0), r * 0.22, thin(0.008, t)),
        _side_handle(-r * 1.15, r * 0.8, r * 0.42, t),
    ]
    return parts, words("round", pick(rng, ["china", "classic", ""]), with_=["a spout", "a handle", "a lid"])


def bottle(rng, sub, t):
    if sub == "beer":
        r, h = u(rng, 0.028, 0.032), u(rng, 0.22, 0.25)
        body, neck_r = h * 0.55, thin(0.011, t)
    elif sub == "water":
        r, h = u(rng, 0.033, 0.04), u(rng, 0.2, 0.26)
        body, neck_r = h * 0.78, r * 0.7
    else:
        r, h = u(rng, 0.036, 0.04), u(rng, 0.29, 0.33)
        body, neck_r = h * 0.62, thin(0.013, t)
    parts = [
        cyl((0, 0, 0), (0, body, 0), r),
        cone((0, body, 0), (0, body + (h - body) * 0.4, 0), r, neck_r),
        cyl((0, body, 0), (0, h, 0), neck_r),
    ]
    capped = sub == "water" or chance(rng, 0.5)
    if capped:
        parts.append(cyl((0, h - 0.01, 0), (0, h + 0.012, 0), neck_r * 1.15))
    return parts, words(
        "slim" if r < 0.035 else "", with_=["a cap" if capped else "", "a long neck" if sub == "wine" else ""]
    )


def vase(rng, sub, t):
    wall = shell(0.0, t)
    if sub == "cylinder":
        r, h = u(rng, 0.05, 0.08), u(rng, 0.25, 0.4)
        return vessel(r, r * u(rng, 1.0, 1.25), h, thin(0.005, wall)), words("tall", "slender" if r < 0.065 else "")
    if sub == "bud":
        r, h = u(rng, 0.035, 0.05), u(rng, 0.12, 0.18)
        parts = [
            ell((0, h * 0.3, 0), (r, h * 0.3, r)),
            cyl((0, h * 0.4, 0), (0, h, 0), thin(0.008, t)),
            cone((0, h * 0.9, 0), (0, h * 1.02, 0), thin(0.009, t), thin(0.014, t)),
        ]
        return parts, words("small", "round", with_=["a narrow neck"])
    r, h = u(rng, 0.1, 0.14), u(rng, 0.35, 0.5)
    parts = [
        ell((0, h * 0.42, 0), (r, h * 0.4, r)),
        cone((0, h * 0.7, 0), (0, h, 0), r * 0.45, r * 0.6),
        cone((0, 0, 0), (0, h * 0.1, 0), r * 0.5, r * 0.55),
        cut(cyl((0, h * 0.6, 0), (0, h * 1.1, 0), r * 0.45 - wall)),
    ]
    for sx in (-1, 1):
        parts.append(ring((sx * r * 0.62, h * 0.78, 0), r * 0.25, thin(0.012, t), "z"))
    return parts, words("classical", "large", with_=["two handles"])


def jar(rng, sub, t):
    r = u(rng, 0.04, 0.055)
    if sub == "cookie":
        r, h = u(rng, 0.08, 0.1), u(rng, 0.15, 0.2)
        parts = [
            ell((0, h * 0.45, 0), (r, h * 0.48, r)),
            disc((0, h * 0.9, 0), r * 0.7, 0.015),
            sphere((0, h * 0.9 + 0.025, 0), thin(0.015, t)),
        ]
        return parts, words("round", "big", with_=["a lid with a knob"])
    if sub == "canister":
        h = u(rng, 0.15, 0.25)
        parts = [cyl((0, 0, 0), (0, h, 0), r), disc((0, h + 0.01, 0), r + 0.004, 0.012)]
        return parts, words("tall" if h > 0.2 else "", with_=["a lid"])
    h = u(rng, 0.11, 0.15)
    parts = [
        cyl((0, 0, 0), (0, h * 0.85, 0), r),
        cone((0, h * 0.85, 0), (0, h * 0.93, 0), r, r * 0.82),
        disc((0, h * 0.96, 0), r * 0.86, h * 0.05),
    ]
    return parts, words("glass", with_=["a screw lid"])


def pot(rng, sub, t):
    wall = shell(0.004, t)
    if sub == "frying":
        r = u(rng, 0.12, 0.15)
        parts = vessel(r * 0.8, r, 0.045, wall) + [
            cyl((r * 0.95, 0.035, 0), (r * 0.95 + u(rng, 0.18, 0.22), 0.05, 0), thin(0.012, t))
        ]
        return parts, words("flat", "non-stick", with_=["a long handle"])
    if sub == "wok":
        r = u(rng, 0.16, 0.19)
        parts = [
            ell((0, r * 0.5, 0), (r, r * 0.5, r)),
            cut(ell((0, r * 0.5 + wall, 0), (r - wall, r * 0.5, r - wall))),
            cut(box((0, r * 0.75, 0), (r * 1.2, r * 0.25, r * 1.2))),
            disc((0, 0.006, 0), r * 0.35, 0.006),
            cyl((r * 0.9, r * 0.45, 0), (r * 0.9 + 0.18, r * 0.52, 0), thin(0.012, t)),
        ]
        return parts, words("round-bottomed", with_=["a long handle"])
    r, h = (u(rng, 0.09, 0.11), u(rng, 0.08, 0.11)) if sub == "saucepan" else (u(rng, 0.12, 0.15), u(rng, 0.15, 0.2))
    parts = vessel(r, r, h, wall) if sub == "saucepan" else [cyl((0, 0, 0), (0, h, 0), r)]  # lidded: no hidden hollow
    if sub == "saucepan":
        parts.append(cyl((r * 0.95, h * 0.85, 0), (r + u(rng, 0.15, 0.2), h * 0.95, 0), thin(0.011, t)))
        return parts, words("small", with_=["a long handle"])
    parts += [
        disc((0, h + 0.007, 0), r + 0.004, 0.008),
        sphere((0, h + 0.022, 0), thin(0.012, t)),
    ]  # the lid on the rim
    parts += [ring((sx * (r + 0.01), h * 0.8, 0), 0.02, thin(0.006, t), "z") for sx in (-1, 1)]
    return parts, words("large", "deep", with_=["a lid", "two handles"])


CATEGORIES = (
    Category(
        "mug",
        "kitchenware",
        ("mug", "tankard"),
        (
            SubType("coffee", ("coffee mug", "tea mug"), 0.13),
            SubType("travel", ("travel mug", "thermos mug"), 0.23),
            SubType("beer", ("beer mug", "beer stein"), 0.2),
        ),
        mug,
        CERAMIC,
    ),
    Category(
        "cup",
        "kitchenware",
        ("cup", "beaker"),
        (
            SubType("tea", ("teacup", "cup and saucer"), 0.16),
            SubType("paper", ("paper cup", "takeaway cup", "coffee cup"), 0.14),
            SubType("goblet", ("goblet", "chalice", "wine glass"), 0.2),
        ),
        cup,
        CERAMIC,
    ),
    Category(
        "bowl",
        "kitchenware",
        ("bowl", "basin"),
        (
            SubType("cereal", ("cereal bowl", "soup bowl", "rice bowl"), 0.17),
            SubType("salad", ("salad bowl", "serving bowl", "mixing bowl"), 0.32),
            SubType("footed", ("footed bowl", "fruit bowl"), 0.24),
        ),
        bowl,
        CERAMIC,
    ),
    Category(
        "plate",
        "kitchenware",
        ("plate", "dish"),
        (
            SubType("dinner", ("dinner plate", "flat plate"), 0.26),
            SubType("soup", ("soup plate", "deep plate"), 0.26),
            SubType("platter", ("platter", "serving platter"), 0.45),
            SubType("cake_stand", ("cake stand", "cake plate"), 0.3),
        ),
        plate,
        CERAMIC,
    ),
    Category(
        "teapot",
        "kitchenware",
        ("teapot", "tea kettle"),
        (
            SubType("round", ("round teapot", "china teapot"), 0.25),
            SubType("tall", ("moroccan teapot", "tall teapot"), 0.3),
            SubType("kettle", ("kettle", "stovetop kettle"), 0.3),
        ),
        teapot,
        CERAMIC,
    ),
    Category(
        "bottle",
        "kitchenware",
        ("bottle", "flask", "carafe"),
        (
            SubType("wine", ("wine bottle",), 0.32),
            SubType("water", ("water bottle", "sports bottle"), 0.25),
            SubType("beer", ("beer bottle", "soda bottle"), 0.24),
        ),
        bottle,
        GLASS,
    ),
    Category(
        "vase",
        "kitchenware",
        ("vase", "amphora"),
        (
            SubType("cylinder", ("flower vase", "cylinder vase"), 0.35),
            SubType("urn", ("urn", "handled vase"), 0.45),
            SubType("bud", ("bud vase", "bottle vase"), 0.16),
        ),
        vase,
        CERAMIC,
    ),
    Category(
        "jar",
        "kitchenware",
        ("jar", "crock"),
        (
            SubType("mason", ("mason jar", "jam jar"), 0.14),
            SubType("cookie", ("cookie jar", "biscuit jar"), 0.22),
            SubType("canister", ("canister", "storage jar"), 0.21),
        ),
        jar,
        GLASS,
    ),
    Category(
        "pot",
        "kitchenware",
        ("pot", "pan", "skillet"),
        (
            SubType("saucepan", ("saucepan", "sauce pan"), 0.4),
            SubType("frying", ("frying pan", "fry pan"), 0.5),
            SubType("stock", ("stock pot", "cooking pot", "casserole"), 0.32),
            SubType("wok", ("wok",), 0.55),
        ),
        pot,
        METAL,
    ),
)
