import numpy as np
import pytest

from lost_engine.data.descriptions import (
    DESCRIPTIONS,
    KINDS,
    description,
    mentions,
    people_caption,
    plural,
    typo,
    vocabulary,
)
from lost_engine.data.procedural import CATEGORIES, WORLD


def test_every_category_of_the_world_is_described():
    assert set(DESCRIPTIONS) == set(CATEGORIES)
    assert all(all(group) for groups in DESCRIPTIONS.values() for group in groups)  # kinds, uses, parts


def test_descriptions_never_name_the_category_or_its_sub_types():
    rng = np.random.default_rng(0)
    for category, cat in WORLD.items():
        names = [category.replace("_", " "), cat.nouns[0], *(n for s in cat.subtypes for n in s.nouns)]
        for _ in range(30):
            text = description(category, rng)
            assert not mentions(text, names), (category, text)


def test_people_captions_of_every_kind_avoid_the_excluded_nouns():
    rng = np.random.default_rng(1)
    for kind in KINDS:
        texts = [people_caption("chair", "office", rng, kind, exclude={"armchair", "office chair"}) for _ in range(40)]
        assert not any(mentions(t, ["armchair", "office chair"]) for t in texts), kind
        assert all(t and t == " ".join(t.split()) for t in texts)
    with pytest.raises(ValueError, match="no caption"):
        people_caption("chair", "office", rng, "product", exclude={"chair", "seat", "office chair", "desk chair"})


def test_plurals_typos_and_whole_word_mentions():
    assert [plural(n) for n in ("bench", "shelf", "bus", "lorry", "key", "bar stool")] == [
        "benches", "shelves", "buses", "lorries", "keys", "bar stools",
    ]  # fmt: skip
    rng = np.random.default_rng(0)
    typos = {typo("chair", rng) for _ in range(50)}
    assert "chair" not in typos and all(abs(len(t) - 5) <= 1 and t[0] == "c" for t in typos)
    assert mentions("an oak chair", ["oak"]) and mentions("two oaks", ["oak"]) and not mentions("soak it", ["oak"])


def test_the_vocabulary_covers_what_the_captions_write_but_not_the_excluded_nouns():
    words = vocabulary(["chair", "stool"], exclude={"armchair"})
    assert {"backrest", "backless", "ergonomic", "walnut", "stools", "swivel"} <= words
    assert "armchair" not in words and "armchairs" not in words


def test_a_listing_is_a_title_cased_product_name_with_shop_extras():
    rng = np.random.default_rng(2)
    texts = [people_caption("stool", "bar", rng, "listing") for _ in range(60)]
    assert all(w[:1] == w[:1].upper() for t in texts for w in t.split())  # title case
    cat = WORLD["stool"]
    names = [*cat.nouns[:-1], *(n for s in cat.subtypes for n in s.nouns)]
    assert all(mentions(t.lower(), names) for t in texts)  # the thing is named; the rest is shop talk
    assert any("," in t or " - " in t for t in texts) and any(
        t.startswith(("Set Of", "Pack Of", "Pair Of", "2-", "4-")) for t in texts
    )
    assert {"pack", "inch", "assembly", "kitchen"} <= vocabulary(["stool"])  # the lexicon keeps them as typed
