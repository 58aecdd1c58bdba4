"""Captions as people write prompts, for training the text encoder: descriptions that never name
the category, product names, styles and materials, plurals and typos.

The procedural captions (`procedural.make_caption`) name every shape by one of its nouns in a few
templates, so a text tower trained on them alone knows about a hundred words and reads a
description ("a backless seat on three legs") as noise. `people_caption` draws, for a shape of the
world, one of:

- a description: what the thing is (a general noun that is not the category's: "a seat", "a
  vessel"), what it is for ("for milking", "to keep wine in"), its parts ("a backrest and four
  legs") and where it is used, without the category's nouns;
- a product name: a sub-type's noun with styles and materials ("a mid-century walnut office chair");
- a plural or a count ("two bar stools", "a pair of ..."), and a typo in one word;
- filler people type around a prompt ("a low poly", "for my game", "realistic");
- a shop listing's title: the product name in title case with a pack, a size, a room or a selling
  point ("Set Of 2 Walnut Dining Chairs, 36 Inch, For Living Room").

The style, material and filler words are drawn for every category alike, so the encoder learns that
they do not decide what the thing is. The descriptions are written from what the things are and
do (as a dictionary defines them), not from any evaluation set.
"""

from __future__ import annotations

import re

import numpy as np

from .procedural import article
from .shape_families import WORLD
from .shape_families.parts import pick

# category -> (what it is, what it is for or where, its parts); none of them names the category
DESCRIPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "chair": (
        ("seat", "seat for one", "piece of furniture"),
        ("for one person", "to sit on at a table", "for the dining room", "for sitting at a desk"),
        ("a backrest", "a back", "four legs", "a seat and a back", "armrests", "a high back"),
    ),
    "stool": (
        ("seat", "backless seat", "small seat", "tall seat"),
        ("without a back", "for a kitchen counter", "for a bar", "for milking", "to stand on"),
        ("three legs", "four legs", "a round seat", "a footrest", "no backrest", "a single post"),
    ),
    "table": (
        ("piece of furniture", "flat top", "flat surface", "tabletop"),
        ("to eat at", "where a family eats dinner", "for the living room", "to put things on", "for dining"),
        ("four legs", "a flat top", "a pedestal base", "a round top", "a rectangular top", "a central leg"),
    ),
    "desk": (
        ("piece of furniture", "work surface", "writing surface"),
        ("to work at", "for writing", "for a computer", "for homework", "for the office"),
        ("drawers", "a flat top", "four legs", "a drawer pedestal", "a modesty panel"),
    ),
    "sofa": (
        ("long seat", "upholstered seat", "padded seat", "seat for several people"),
        ("for the living room", "for two people", "for three people", "to relax on"),
        ("cushions", "armrests", "a back", "arms and a back", "soft cushions", "a chaise end"),
    ),
    "bed": (
        ("piece of furniture", "place to sleep"),
        ("to sleep on", "for the bedroom", "for two people", "for a child", "for sleeping"),
        ("a mattress", "a headboard", "a footboard", "a frame", "pillows", "a ladder", "four posts"),
    ),
    "bench": (
        ("long seat", "backless seat", "seat for several people", "wooden seat"),
        ("for a park", "for the garden", "for several people", "for a locker room", "for a hallway"),
        ("slats", "a long seat", "legs at each end", "a backrest", "armrests", "a storage box"),
    ),
    "shelf": (
        ("storage", "open storage", "storage unit", "piece of furniture"),
        ("for books", "to put things on", "for the wall", "to store things"),
        ("several levels", "boards", "three tiers", "five tiers", "uprights", "open sides"),
    ),
    "cabinet": (
        ("storage", "piece of furniture", "closed storage"),
        ("for the kitchen", "for clothes", "for files", "for the bedroom", "to store things"),
        ("doors", "drawers", "handles", "a closed front", "knobs"),
    ),
    "wardrobe": (
        ("tall storage", "tall cupboard", "piece of furniture"),
        ("for clothes", "to hang clothes in", "for the bedroom"),
        ("two doors", "tall doors", "a hanging rail", "a carved top", "handles"),
    ),
    "mug": (
        ("drinking vessel", "container", "heavy cup"),
        ("for coffee", "for hot drinks", "for tea", "for beer"),
        ("a handle", "a thick wall", "a round body", "a lid"),
    ),
    "cup": (
        ("drinking vessel", "small container", "glass"),
        ("for tea", "to drink from", "for wine", "for coffee to go"),
        ("a saucer", "a stem", "a handle", "a rim", "a lid"),
    ),
    "bowl": (
        ("round dish", "deep dish", "open container"),
        ("for soup", "for cereal", "for salad", "for fruit", "for rice"),
        ("a rim", "a round base", "a foot", "curved sides"),
    ),
    "plate": (
        ("flat dish", "round dish", "piece of crockery"),
        ("to eat from", "for dinner", "for serving food", "for cake"),
        ("a wide rim", "a flat base", "a raised edge", "a stand"),
    ),
    "teapot": (
        ("vessel", "pot", "container"),
        ("for brewing tea", "to make tea", "for boiling water", "for serving tea"),
        ("a spout", "a lid", "a handle", "a round body", "a knob on the lid"),
    ),
    "bottle": (
        ("container", "glass container", "vessel"),
        ("for wine", "for water", "for beer", "for olive oil", "for drinks"),
        ("a narrow neck", "a cap", "a cork", "a long neck", "a round shoulder"),
    ),
    "vase": (
        ("container", "decorative jar", "vessel", "ornament"),
        ("for flowers", "to hold flowers", "for decoration"),
        ("a wide mouth", "two handles", "a narrow neck", "a round belly", "a foot"),
    ),
    "jar": (
        ("container", "glass container", "storage container"),
        ("for jam", "for cookies", "to keep food in", "for preserves"),
        ("a lid", "a screw top", "a wide mouth", "straight sides"),
    ),
    "pot": (
        ("cooking vessel", "pan", "kitchen vessel"),
        ("for cooking", "to boil pasta", "for frying eggs", "for the stove", "for stew"),
        ("a long handle", "two handles", "a lid", "a flat bottom", "a thick base"),
    ),
    "tree": (
        ("plant", "tall plant", "woody plant", "evergreen"),
        ("in a forest", "in the garden", "growing in a park"),
        ("a trunk", "branches", "leaves", "a crown", "needles", "cones", "a wooden trunk"),
    ),
    "potted_plant": (
        ("plant", "houseplant", "green plant"),
        ("for the windowsill", "for the living room", "for the office", "growing indoors"),
        ("a pot", "leaves", "long leaves", "flowers", "a clay pot", "green leaves"),
    ),
    "mushroom": (
        ("fungus", "small plant", "toadstool"),
        ("growing on the forest floor", "in the woods", "growing in the grass"),
        ("a cap", "a stem", "white spots", "gills", "a round cap", "a thin stem"),
    ),
    "cactus": (
        ("desert plant", "succulent", "spiny plant"),
        ("in the desert", "for a sunny windowsill", "growing in sand"),
        ("spines", "arms", "ribs", "round pads", "a flower on top"),
    ),
    "car": (
        ("vehicle", "motor vehicle", "family vehicle"),
        ("for a family", "for racing", "to drive to work", "for the road", "for the city"),
        ("four wheels", "four doors", "two doors", "a windshield", "headlights", "a spoiler"),
    ),
    "truck": (
        ("vehicle", "heavy vehicle", "goods vehicle"),
        ("for carrying goods", "for deliveries", "for hauling loads", "for construction sites"),
        ("a cab", "a cargo bed", "six wheels", "a trailer", "a tipping bed", "a box body"),
    ),
    "bus": (
        ("vehicle", "large vehicle", "passenger vehicle"),
        ("for passengers", "for public transport", "for taking children to school", "for the city"),
        ("many windows", "two decks", "doors on the side", "six wheels", "a long body"),
    ),
    "bicycle": (
        ("two-wheeler", "vehicle", "pedal vehicle"),
        ("to ride to work", "for the city", "for racing", "for mountain trails"),
        ("two wheels", "pedals", "handlebars", "a saddle", "a frame", "a chain"),
    ),
    "motorbike": (
        ("two-wheeler", "motor vehicle", "vehicle"),
        ("for the road", "for racing", "for off-road riding", "for the city"),
        ("two wheels", "an engine", "handlebars", "a seat", "a fuel tank", "an exhaust"),
    ),
    "train": (
        ("vehicle", "rail vehicle", "engine"),
        ("for the railway", "on rails", "for passengers", "for freight"),
        ("wheels", "a smokestack", "a cab", "carriages", "a pantograph", "a long body"),
    ),
    "airplane": (
        ("flying machine", "aircraft", "flying vehicle"),
        ("that flies people across the world", "for flying", "for the air force", "for passengers"),
        ("wings", "a tail", "jet engines", "a propeller", "a fuselage", "a cockpit"),
    ),
    "rocket": (
        ("space vehicle", "craft for space travel", "projectile"),
        ("for space travel", "to fly to the moon", "launched into orbit", "for going to space"),
        ("fins", "a pointed nose", "boosters", "engines", "stages", "a nose cone"),
    ),
    "boat": (
        ("vessel", "watercraft", "ship"),
        ("for the sea", "for sailing", "for fishing", "on the water", "for rowing", "for cargo"),
        ("a hull", "a mast", "a sail", "oars", "a deck", "a cabin"),
    ),
    "house": (
        ("building", "home", "dwelling", "place to live"),
        ("for a family", "to live in", "in the countryside", "in the suburbs"),
        ("a roof", "a chimney", "windows", "a door", "a porch", "two floors", "a gabled roof"),
    ),
    "tower": (
        ("tall building", "tall structure", "structure"),
        ("for keeping watch", "to guide ships", "with a clock", "in a castle", "for offices"),
        ("a pointed roof", "battlements", "many floors", "a lantern room", "a spire", "windows"),
    ),
    "tent": (
        ("shelter", "portable shelter", "canvas shelter"),
        ("for camping", "for a night outdoors", "for festivals", "for the campsite"),
        ("poles", "guy ropes", "a door flap", "a fabric cover", "a dome"),
    ),
    "hut": (
        ("small building", "shelter", "simple shelter"),
        ("for tools", "in the garden", "on the beach", "made of snow", "in the woods"),
        ("a small door", "a roof", "one room", "a round wall", "a thatched roof"),
    ),
    "lamp": (
        ("light source", "light fitting", "light"),
        ("that lights up the room", "for reading", "for the desk", "standing in the corner", "for the bedside"),
        ("a shade", "a pole", "a base", "a bulb", "an arm", "a lampshade"),
    ),
    "hammer": (
        ("tool", "hand tool", "striking tool"),
        ("for driving nails", "for the workshop", "to hit things", "for carpentry"),
        ("a handle", "a heavy head", "a claw", "a wooden handle", "a steel head"),
    ),
    "guitar": (
        ("musical instrument", "string instrument", "instrument"),
        ("for playing music", "for a band", "to play songs", "for rock music"),
        ("strings", "a neck", "a sound hole", "a body", "frets", "tuning pegs"),
    ),
    "piano": (
        ("musical instrument", "instrument with keys", "instrument"),
        ("for playing music", "for a concert hall", "for lessons", "for the living room"),
        ("keys", "black and white keys", "pedals", "a lid", "a music stand", "three legs"),
    ),
    "drum": (
        ("musical instrument", "percussion instrument", "instrument"),
        ("for a band", "to keep the beat", "for an orchestra", "for marching"),
        ("a skin", "a drumhead", "a round shell", "drumsticks", "tension rods"),
    ),
    "ball": (
        ("sphere", "round toy", "toy"),
        ("for sports", "to kick", "to throw", "for the beach", "for a game"),
        ("panels", "seams", "stripes", "a round shape"),
    ),
    "clock": (
        ("timepiece", "instrument", "device"),
        ("that tells the time", "for the wall", "to wake you up", "for the mantelpiece"),
        ("a face", "hands", "numbers", "a pendulum", "a bell", "a dial"),
    ),
    "chess_piece": (
        ("game piece", "figure", "playing piece"),
        ("for a board game", "for playing chess", "for a chessboard"),
        ("a round base", "a crown", "a horse head", "a cross on top", "a turret top"),
    ),
    "bucket": (
        ("container", "open container", "vessel"),
        ("for water", "for carrying water", "for cleaning", "for the beach", "for ice"),
        ("a handle", "a wire handle", "a wide mouth", "tapered sides"),
    ),
}
STYLES = (
    "modern", "vintage", "antique", "rustic", "industrial", "minimalist", "retro", "classic", "mid-century",
    "scandinavian", "victorian", "cheap", "luxury", "handmade", "ergonomic", "elegant", "simple", "ornate",
    "cute", "futuristic", "traditional", "contemporary", "sturdy", "lightweight", "compact", "heavy", "tiny",
    "huge", "beautiful", "ugly", "shiny", "matte", "worn", "broken", "polished", "unpainted", "cozy", "fancy",
)  # fmt: skip
MATERIALS = (
    "wooden", "wood", "oak", "teak", "walnut", "pine", "birch", "bamboo", "metal", "steel", "iron", "cast iron",
    "aluminium", "brass", "copper", "chrome", "plastic", "glass", "ceramic", "porcelain", "clay", "stone",
    "marble", "concrete", "leather", "fabric", "velvet", "wicker", "rattan", "paper", "rubber", "carbon fiber",
)  # fmt: skip
COLOURS = (
    "red", "blue", "green", "yellow", "white", "black", "grey", "gray", "brown", "beige", "orange", "pink",
    "purple", "silver", "gold", "dark", "pale", "bright", "navy", "cream", "turquoise",
)  # fmt: skip
# what people type around the thing itself; it says nothing of what the thing is
FILLERS_BEFORE = (
    "a 3d model of", "3d render of", "low poly", "a realistic", "a cartoon", "a stylized", "high detail",
    "game asset:", "please make", "generate", "i want", "make me", "a photo of", "an image of", "a toy",
)  # fmt: skip
FILLERS_AFTER = (
    "for my game", "for a scene", "high quality", "low poly", "3d model", "game ready", "realistic",
    "with nice details", "in blender", "for printing", "pbr", "highly detailed", "isolated", "studio lighting",
)  # fmt: skip
COUNTS = ("two", "three", "a pair of", "a set of", "some", "several", "four")
# what a shop listing's title adds to the thing's name: packs, sizes, rooms, selling points; drawn
# for every category alike, so that none of it decides what the thing is
PACKS = ("set of 2", "set of 4", "pack of 2", "pack of 6", "2-pack", "4-pack", "pair of")
SIZES = (
    "small", "medium", "large", "extra large", "xl", "mini", "12 inch", "24 inch", "36 inch", "48 inch",
    "30 cm", "60 cm", "120 cm", "1 m", "8 oz", "16 oz", "1 l", "2 ft", "6 ft", "full size", "kids size",
)  # fmt: skip
ROOMS = (
    "for living room", "for bedroom", "for kitchen", "for home", "for office", "for home and office",
    "for outdoor use", "for kids", "for adults", "for garden", "for apartment", "for camping",
)  # fmt: skip
SELLING_POINTS = (
    "easy assembly", "heavy duty", "premium quality", "best seller", "free shipping", "new", "2024 model",
    "gift idea", "eco friendly", "durable", "space saving", "waterproof", "hand crafted", "official",
)  # fmt: skip
KINDS = ("description", "product", "attribute", "plural", "typo", "filler", "listing")


def plural(noun: str) -> str:
    """'bench' -> 'benches', 'shelf' -> 'shelves', 'bus' -> 'buses', for the last word of a noun."""
    head, _, last = noun.rpartition(" ")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif last.endswith("f"):
        last = last[:-1] + "ves"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def typo(word: str, rng: np.random.Generator) -> str:
    """`word` with one letter dropped, doubled or swapped with the next (words under 4 letters stay)."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = int(rng.integers(1, len(word) - 1))
    how = int(rng.integers(0, 3))
    if how == 0:
        return word[:i] + word[i + 1 :]
    if how == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _modifiers(rng: np.random.Generator, category: str) -> list[str]:
    """Zero to three of: a style, a colour, a material (the category's own materials more often)."""
    own = WORLD[category].materials
    mods = []
    if rng.random() < 0.4:
        mods.append(pick(rng, STYLES))
    if rng.random() < 0.35:
        mods.append(pick(rng, COLOURS))
    if rng.random() < 0.45:
        mods.append(pick(rng, own if own and rng.random() < 0.5 else MATERIALS))
    return mods


def description(category: str, rng: np.random.Generator) -> str:
    """'a backless seat on three legs for milking': what it is, for and has, not its name."""
    kinds, uses, parts = DESCRIPTIONS[category]
    kind = pick(rng, kinds)
    if rng.random() < 0.5:
        kind = " ".join([*_modifiers(rng, category)[:1], kind])
    chosen = [parts[int(i)] for i in rng.permutation(len(parts))[: int(rng.integers(1, 3))]]
    has = " and ".join(chosen)
    use = pick(rng, uses)
    form = int(rng.integers(0, 5))
    if form == 0:
        return f"{article(kind)} {kind} {use} with {has}"
    if form == 1:
        return f"{article(kind)} {kind} with {has} {use}"
    if form == 2:
        return f"{kind} {use}"
    if form == 3:
        return f"something {use}, with {has}"
    return f"{article(kind)} {kind} with {has}"


def product(category: str, subtype: str, rng: np.random.Generator) -> str:
    """'mid-century walnut office chair': a sub-type's or the category's noun with modifiers."""
    cat = WORLD[category]
    nouns = cat.subtype(subtype).nouns if rng.random() < 0.7 else cat.nouns[:-1]
    noun = pick(rng, nouns)
    text = " ".join([*_modifiers(rng, category), noun])
    if rng.random() < 0.3:
        text += f" with {pick(rng, DESCRIPTIONS[category][2])}"
    return text


def listing(category: str, subtype: str, rng: np.random.Generator) -> str:
    """'Set of 2 Modern Walnut Dining Chairs, 36 Inch, for Living Room': a product name as a shop
    lists it, in title case, with a pack or size and a room or selling point after commas."""
    name = product(category, subtype, rng).split(" with ")[0]
    if rng.random() < 0.3:
        name = f"{pick(rng, PACKS)} {plural(name)}"
    extras = [pick(rng, group) for group in (SIZES, ROOMS, SELLING_POINTS) if rng.random() < 0.45]
    text = ", ".join([name, *extras]) if rng.random() < 0.7 else " - ".join([name, *extras])
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def mentions(text: str, phrases) -> bool:
    """Whether `text` contains one of `phrases` or its plural as whole words ("oak" in "an oak chair"
    and "oaks", not in "soak")."""

    def words(phrase: str) -> str:
        return " " + " ".join(re.findall(r"[a-z]+", phrase.lower())) + " "

    padded = words(text)
    return any(words(p) in padded or words(plural(p)) in padded for p in phrases)


def people_caption(
    category: str, subtype: str, rng: np.random.Generator, kind: str | None = None, exclude=frozenset()
) -> str:
    """A caption of a `category` shape of `subtype` as a person might write it; `kind` one of KINDS
    (default: drawn). No caption mentions a phrase of `exclude` (the model's held-out nouns, which
    evaluations use as unseen wordings) as whole words."""
    for _ in range(100):
        text = _people_caption(category, subtype, rng, kind or pick(rng, KINDS))
        if not mentions(text, exclude):
            return text
    raise ValueError(f"no caption of {category!r} without {sorted(exclude)}")


def _people_caption(category: str, subtype: str, rng: np.random.Generator, kind: str) -> str:
    if kind == "description":
        return description(category, rng)
    if kind == "listing":
        return listing(category, subtype, rng)
    text = product(category, subtype, rng)
    if kind == "attribute":
        text = " ".join([pick(rng, STYLES), pick(rng, COLOURS), pick(rng, MATERIALS), text])
    elif kind == "plural":
        base = product(category, subtype, rng).split(" with ")[0]
        count = pick(rng, COUNTS)
        text = plural(base) if rng.random() < 0.3 else f"{count} {plural(base)}"
    elif kind == "typo":
        words = text.split()
        i = int(rng.integers(0, len(words)))
        words[i] = typo(words[i], rng)
        text = " ".join(words)
    elif kind == "filler":
        text = f"{pick(rng, FILLERS_BEFORE)} {text}" if rng.random() < 0.5 else f"{text}, {pick(rng, FILLERS_AFTER)}"
    if kind in ("product", "attribute", "typo") and rng.random() < 0.5:
        text = f"{article(text)} {text}"
    return " ".join(text.split())


def vocabulary(categories, exclude=frozenset()) -> set[str]:
    """Every word `people_caption` can write for `categories` (typos aside) in phrases that do not
    mention `exclude`: the prompt lexicon must leave them as typed, as the text encoder learned them."""
    phrases = [*STYLES, *MATERIALS, *COLOURS, *FILLERS_BEFORE, *FILLERS_AFTER, *COUNTS, "something", "with", "and"]
    phrases += [*PACKS, *SIZES, *ROOMS, *SELLING_POINTS]
    for category in categories:
        cat = WORLD[category]
        phrases += [*(p for group in DESCRIPTIONS[category] for p in group), *cat.materials, *cat.nouns[:-1]]
        for s in cat.subtypes:
            phrases += [*s.nouns, *(plural(n) for n in s.nouns)]
        phrases += [plural(n) for n in cat.nouns[:-1]]
    kept = [p for p in phrases if not mentions(p, exclude)]
    return {w for p in kept for w in re.findall(r"[a-z]+(?:[-'][a-z]+)*", p.lower())}


def kind_heads(categories) -> dict[str, str]:
    """The head noun of each general noun the descriptions call a category's things ("seat" of "a
    backless seat", "jar" of "decorative jar", "piece" is no head of "piece of furniture": "furniture"
    is) -> the first category that uses it: prompts made of such words describe the model's things."""
    heads = {}
    for category in categories:
        for kind in DESCRIPTIONS[category][0]:
            words = re.findall(r"[a-z]+", kind.lower())
            cut = next((i for i, w in enumerate(words) if w in ("for", "with", "to")), len(words))
            head = words[-1] if "of" in words[:cut] else words[cut - 1]
            heads.setdefault(head, category)
    return heads
