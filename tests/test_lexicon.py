"""The prompt lexicon: unknown prompt nouns are read as the nearest known noun (WordNet)."""

import shutil
from pathlib import Path

import pytest

from lost_engine import WEIGHTS
from lost_engine.data.wordnet_lexicon import build_lexicon, distances_to_targets, most_common_below, open_wordnet
from lost_engine.lexicon import Lexicon, describe
from lost_engine.pipeline import LEXICON_FILE, Pipeline

LEX = Lexicon(
    frozenset("a wooden chair bench with side table".split()),
    {"pew": "bench", "church bench": "bench", "armchair": "chair", "side table": "table"},
)


def test_rewrite_replaces_unknown_nouns_only_and_keeps_the_rest_of_the_prompt():
    assert LEX.rewrite("A wooden Pew, with cushions!") == ("A wooden bench, with cushions!", [("Pew", "bench")])
    assert LEX.rewrite("a church bench") == ("a bench", [("church bench", "bench")])  # the longest phrase wins
    assert LEX.rewrite("a side table") == ("a side table", [])  # every word known: nothing to read differently
    assert LEX.rewrite("an armchair and a pew") == ("a chair and a bench", [("armchair", "chair"), ("pew", "bench")])
    assert LEX.rewrite("") == ("", [])
    assert describe([("pew", "bench")]) == 'read "pew" as "bench"'


def test_an_unknown_compound_is_read_as_its_object_part():
    lex = Lexicon(
        frozenset("a lamp sofa bed stand with".split()),
        {"couch": "sofa", "pew": "bench", "lantern": "lamp", "cot": "bed"},
        whole_words=frozenset({"bedstand"}),
    )
    assert lex.compound("lampstand") == "lamp"  # "stand" is no object noun: the object part wins
    assert lex.compound("sofabed") == "bed"  # two object nouns: the last part is the head
    assert lex.compound("couchbed") == "bed"  # an object noun beats a part the mapping reads
    assert lex.compound("pewstand") == "bench"  # a mapped part when it is the only object
    assert lex.compound("lamp-stand") == "lamp"
    assert lex.compound("bedstand") is None  # a real word (the builder lists it) is never split
    assert lex.compound("lampxyz") is None and lex.compound("lamp") is None and lex.compound("bedsofa2") is None
    assert lex.rewrite("a tall lampstand") == ("a tall lamp", [("lampstand", "lamp")])


def test_a_timber_s_name_is_read_as_its_tree_only_where_it_heads_the_prompt():
    lex = Lexicon(
        frozenset("a tall tree table chair of made with red leaves".split()),
        {},
        categories={"tree": ["tree"], "table": ["table"], "chair": ["chair"]},
        woods={"cypress": "tree"},
    )
    assert lex.rewrite("a tall cypress") == ("a tall tree", [("cypress", "tree")])
    assert lex.rewrite("a cypress with red leaves") == ("a tree with red leaves", [("cypress", "tree")])
    for material in ("a cypress table", "a table of cypress", "a chair made of cypress"):
        assert lex.rewrite(material) == (material, []), material  # the wood of a thing named with it
    assert lex.outside("a cypress table") == [] and "cypress" in lex.thing_words


def test_a_word_that_only_modifies_one_of_the_model_s_nouns_does_not_make_a_prompt_in_world():
    lex = Lexicon(
        frozenset("a an low poly office chair garden bench table".split()),
        {},
        categories={"chair": ["chair", "office chair"], "bench": ["bench", "garden bench"], "table": ["low table"]},
        others={"printer": "", "skull": "", "hose": "bench"},
    )
    assert lex.outside("an office printer") == [("printer", "")]  # "office" of "office chair" names no chair
    assert lex.outside("a low poly skull") == [("skull", "")]
    assert lex.outside("a garden hose") == [("hose", "bench")]
    for prompt in ("an office chair", "a garden bench", "a low table", "low tables", "a bench for the garden"):
        assert lex.outside(prompt) == [], prompt


def test_lexicon_file_round_trip_and_a_corrupt_file_is_named(tmp_path):
    LEX.save(tmp_path / "lex.json")
    assert Lexicon.load(tmp_path / "lex.json") == Lexicon(LEX.vocabulary, LEX.mapping, LEX.source)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="bad.json"):
        Lexicon.load(tmp_path / "bad.json")


def test_a_general_word_goes_to_the_most_common_target_below_it():
    parents = {
        "car": ["motor vehicle"],
        "motor vehicle": ["vehicle"],
        "rocket": ["vehicle"],
        "vehicle": [],
        "sled": ["vehicle"],
    }
    below = most_common_below(
        {"car": "car", "rocket": "rocket"}, {"car": 71, "rocket": 2}, lambda n: parents[n], max_depth=2
    )
    assert below == {"motor vehicle": "car", "vehicle": "car"}  # not the nearer rocket: "a vehicle" is most often a car
    assert "vehicle" not in most_common_below({"car": "car"}, {"car": 1}, lambda n: parents[n], max_depth=1)


def test_breadth_first_search_finds_the_nearest_target_within_the_depth():
    graph = {
        "pew": ["bench"],
        "bench": ["pew", "seat"],
        "seat": ["bench", "chair"],
        "chair": ["seat", "armchair"],
        "armchair": ["chair"],
        "far": ["farther"],
        "farther": ["far"],
    }
    found = distances_to_targets({"bench": "bench", "chair": "chair"}, lambda n: graph[n], max_depth=2)
    assert found["pew"] == (1, "bench") and found["armchair"] == (1, "chair")
    assert found["seat"] == (1, "bench")  # a tie goes to the label first in sort order
    assert "far" not in found


def test_embedded_lexicon_reads_every_held_out_synonym_known_to_wordnet_as_its_category():
    lexicon = Lexicon.load(WEIGHTS / LEXICON_FILE)
    assert len(lexicon.categories) == 17  # the embedded model's own world, stored with it
    category_of = {noun: category for category, nouns in lexicon.categories.items() for noun in nouns[:-1]}
    assert not set(category_of) & set(lexicon.mapping)  # training nouns are never rewritten
    held_out = {
        "pew": "bench",
        "loveseat": "sofa",
        "fungus": "mushroom",
        "spacecraft": "rocket",
        "aircraft": "airplane",
        "carafe": "bottle",
        "amphora": "vase",
        "cot": "bed",
        "teacup": "mug",
        "armchair": "chair",
        "cabin": "house",
        "tabouret": "stool",
        "bookshelf": "shelf",
    }
    assert {word: category_of[lexicon.mapping[word]] for word in held_out} == held_out
    assert "red" not in lexicon.mapping and "dog" not in lexicon.mapping  # no thing-nouns in their first senses
    assert "oak" not in lexicon.mapping  # a material as well as a tree: stays as typed
    # car's held-out noun is a general word above the airplane and the rocket too: stays as typed
    assert lexicon.rewrite("a flying vehicle with a propeller") == ("a flying vehicle with a propeller", [])
    assert lexicon.general["vehicle"] == "car" and lexicon.outside("a flying vehicle with a propeller") == []
    # "lampstand" is not in WordNet 3.0: read as a compound; WordNet words that look like one stay as typed
    assert lexicon.rewrite("a lampstand") == ("a lamp", [("lampstand", "lamp")])
    assert lexicon.rewrite("a houseboat and a lighthouse")[1] == []


def test_pipeline_reads_the_prompt_through_the_lexicon(micro_weights, tmp_path):
    folder = tmp_path / "weights"
    shutil.copytree(micro_weights, folder)
    Lexicon(frozenset({"a", "chair"}), {"armchair": "chair"}).save(folder / LEXICON_FILE)
    pipe = Pipeline.load(folder, "cpu", resolution=24)
    read = pipe.generate("an armchair", seed=1)
    assert read.rewrites == (("armchair", "chair"),) and read.prompt == "an armchair" and read.read_as == "a chair"
    assert (read.tokens == pipe.generate("a chair", seed=1).tokens).all()
    assert Pipeline.load(micro_weights, "cpu").lexicon is None  # no file: prompts go in as typed


@pytest.mark.skipif(
    not Path("/usr/share/wordnet/index.sense").is_file(),
    reason="no WordNet 3.0 in /usr/share/wordnet (Debian: wordnet-base, wordnet-sense-index)",
)
@pytest.mark.slow
def test_building_from_wordnet_maps_held_out_nouns_and_leaves_other_words(tmp_path):
    wn = open_wordnet(Path("/usr/share/wordnet"), tmp_path / "nltk_data")
    lexicon = build_lexicon(
        wn,
        ["a park bench", "a sofa", "a wooden chair with armrests"],
        ["bench", "sofa", "chair"],
        lemmas=[
            "pew",
            "loveseat",
            "armchair",
            "dog",
            "red",
            "bench",
            "armrest",
            "furniture",
            "parkbench",
            "chesterfield",
        ],
    )
    assert lexicon.mapping == {"pew": "bench", "loveseat": "sofa", "armchair": "chair"}
    assert lexicon.general == {"furniture": "chair"}  # kept as typed
    assert lexicon.others == {"dog": "", "chesterfield": "sofa"}  # first a person; its second sense is a sofa
    trees = build_lexicon(
        wn, ["a tree", "a chair"], ["tree", "chair"], lemmas=["cypress", "oak", "cherry"], attributes=["oak"]
    )
    assert trees.woods == {"cypress": "tree", "oak": "tree"}  # first timber then tree; a material, first a tree
    assert trees.others == {"cherry": "tree"}  # first timber too, but a prompt means the fruit
    vehicles = build_lexicon(
        wn,
        ["a motorbike", "a chopper", "an airplane"],
        ["motorbike", "chopper", "airplane"],
        lemmas=["helicopter", "minibike"],
        categories={"motorbike": ["motorbike", "chopper", "motorcycle"], "airplane": ["airplane", "aircraft"]},
    )
    # WordNet's chopper is first a helicopter, two links from the airplane: no word is read as it
    assert vehicles.mapping == {"minibike": "motorbike", "motorcycle": "motorbike", "aircraft": "airplane"}
    assert "helicopter" in vehicles.others
    assert lexicon.whole_words == {"parkbench"}  # a listed word that splits into known parts is kept whole
    benches = build_lexicon(
        wn,
        ["a shoe bench", "a saloon car", "a park bench", "a bench by a machine"],
        ["bench", "car"],
        lemmas=["animal", "person", "object", "organism", "car_park", "car_seat", "washing_machine", "park_bench"],
        categories={"bench": ["bench", "shoe bench", "park bench"], "car": ["car", "saloon car"]},
    )
    # top classes of other things are other things; "object" and "organism" are above the world's too
    assert {"animal", "person"} <= set(benches.others) and not {"object", "organism"} & set(benches.others)
    # a word that only modifies the model's nouns names another thing alone; "saloon" (first a bar,
    # later a car) does not
    # a phrase of another thing that holds a known word and an unknown one is another thing ("washing
    # machine", "car seat"); one the captions' words make up ("car park") is left to the text encoder
    assert benches.others == {"animal": "", "person": "", "shoe": "", "washing machine": "", "car seat": ""}
    assert benches.outside("a big washing machine") == [("washing machine", "")]
    read, rewrites = benches.rewrite("shoes for men")
    assert rewrites == [("shoes", "shoe")] and benches.outside(read) == [("shoe", "")]
    assert benches.outside("a shoe bench") == []
    assert benches.outside("a big grey animal with a long trunk") == [("animal", "")]
    assert lexicon.vocabulary == frozenset("a park bench sofa wooden chair with armrests".split())


def test_the_embedded_lexicon_does_no_harm_to_words_that_are_not_things():
    """The rewrites issue 22 found (container -> car, flat -> cup, ceramic -> cup, glass -> cup, tea -> tree,
    stand -> shelf, "an oak" -> "an tree", "a workbench table" -> "a table table") no longer happen."""
    lexicon = Lexicon.load(WEIGHTS / LEXICON_FILE)
    for prompt in (
        "a tall container for flowers",
        "a flat surface",
        "a ceramic urn on a glass table",
        "a tea cup",
        "a tv stand",
        "an oak table",
        "a table made of oak",
        "a workbench table",
        "dining chairs, solid beech wood",  # beech, a kind of tree, as the material of "wood"
        "kitchen table, farmhouse style",
    ):
        text, rewrites = lexicon.rewrite(prompt)
        assert all(old in ("urn", "flowers") for old, _ in rewrites), (prompt, rewrites)  # urn: vase's held-out noun
    assert lexicon.rewrite("a workbench") == ("a table", [("workbench", "table")])  # a kind of table, alone
    assert lexicon.rewrite("a carafe, glass")[1] == [("carafe", "bottle")]  # a comma ends the noun phrase


def test_plurals_and_misspellings_are_read_as_the_model_s_nouns_and_reported():
    lexicon = Lexicon.load(WEIGHTS / LEXICON_FILE)
    assert lexicon.rewrite("wodden chiar") == ("wodden chair", [("chiar", "chair")])
    assert lexicon.rewrite("church pews") == ("church bench", [("pews", "bench")])
    assert lexicon.rewrite("three amphorae") == ("three vase", [("amphorae", "vase")])  # "three" is no typo of "tree"
    assert all(old != "bunch" for old, _ in lexicon.rewrite("a bunch of roses")[1])  # a word, not "bench"
    assert lexicon.rewrite("barstol") == ("stool", [("barstol", "stool")])  # a word run into a misspelt noun
    # plurals the text encoder learned (people's captions) stay as typed; others are read as singulars
    assert lexicon.rewrite("bud vases") == ("bud vases", []) and lexicon.rewrite("two cots")[0] == "two bed"


def test_a_prompt_about_things_outside_the_world_is_refused_with_what_the_model_makes(micro_weights, tmp_path):
    from lost_engine.pipeline import OutsideWorld

    folder = tmp_path / "weights"
    shutil.copytree(micro_weights, folder)
    shutil.copy(WEIGHTS / LEXICON_FILE, folder / LEXICON_FILE)
    pipe = Pipeline.load(folder, "cpu", resolution=24)
    with pytest.raises(OutsideWorld, match=r"does not know 'dragon'; it makes: chair, stool"):
        pipe.generate("a fierce dragon")
    with pytest.raises(OutsideWorld, match=r"does not know 'helicopter'.*nearest: plane"):
        pipe.generate("a helicopter")
    for prompt in (
        "an elephant",
        "a bunch of bananas",
        "a smartphone",
        "a cat in the forest",
        "a big grey animal with a long trunk",  # a top class of other things
        "a washing machine",  # a phrase of another thing, though "machine" alone is general
    ):
        with pytest.raises(OutsideWorld):
            pipe.generate(prompt)
    for prompt in (
        "a red dragon chair",
        "a glass container with a narrow neck",
        "a wooden chiar",
        "pine tre",  # "pine" is known: the unknown "tre" alone does not make it outside
        "round cafe tables",  # a plural of the model's noun names it
        "a flat top on four legs where a family eats dinner",  # a description in words the encoder learned
        "a decorative jar with two handles, greek style",  # "jar" is one of the descriptions' general nouns
        "the thing that grows in the forest after rain, with a cap",  # "grows" is a verb, the forest a setting
    ):
        assert pipe.generate(prompt).tokens.isfinite().all()  # named or generic things: generated


def test_real_words_that_look_like_the_model_s_nouns_are_never_corrected():
    lexicon = Lexicon.load(WEIGHTS / LEXICON_FILE)
    for prompt in ("a chair in dark walnut", "a teddy bear", "a bunch of grapes", "three shelves"):
        assert all(old not in ("dark", "bear", "bunch", "three") for old, _ in lexicon.rewrite(prompt)[1]), prompt


def test_a_world_category_s_names_end_with_its_held_out_noun():
    from lost_engine.data.procedural import SYNONYMS
    from lost_engine.data.wordnet_lexicon import world_names

    names = world_names("tree")
    assert names[0] == "tree" and names[-1] == SYNONYMS["tree"][-1] == "sapling"
    assert "oak" in names and "pine tree" in names and names.count("sapling") == 1  # the sub-types' nouns too
