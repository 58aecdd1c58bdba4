"""Build the prompt lexicon (lost_engine/lexicon.py) from a local WordNet 3.0, read with NLTK.

    python -m lost_engine.data.wordnet_lexicon --wordnet /usr/share/wordnet \\
        --latents .cache/latents/tiny_vae/train.safetensors --out lost_engine/weights/tiny_lexicon.json

WordNet: Debian's `wordnet-base` and `wordnet-sense-index` packages install it in /usr/share/wordnet
(any WordNet 3.0 dict folder works). The vocabulary is every word of the training captions in the
latent cache (or `--vocabulary-of` an earlier lexicon file), with `--people-words` the words of
people's captions (`descriptions.py`) that `train.text --distill` taught the encoder; the targets
are the object nouns those captions use. A WordNet noun (or phrase of up to three words) outside the
vocabulary maps to a target only when it is used as a noun more than as anything else, its most
common sense is a physical thing, and that sense is a kind of the target within `--max-depth`
hypernym links (pew -> bench): a rewrite never leaves the word's own category. A category's own
names are read as the category, except a general one above several categories' nouns ("vehicle":
cars, airplanes, rockets), which stays as typed. Nouns whose most
common sense is another thing (an animal, a food, an artifact no target covers, or a top class of
such things: "animal", "person") are listed as `others`, with the target nearest in the is-a graph
as a suggestion; so are the words that only modify the model's nouns ("shoe" of "shoe bench") and
the phrases of other things that hold a known word ("washing machine", "baseball cap").
Every other WordNet word that looks like a closed compound of known words ("carpet" = "car" +
"pet") is listed as a whole word, so that the lexicon splits only words WordNet does not know
("lampstand").
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import warnings
from collections import Counter, deque
from pathlib import Path
from typing import Callable, Hashable, Iterable

from ..lexicon import MAX_PHRASE, STOPWORDS, TYPO_RATIO, WORD, Lexicon, plural_stems
from .descriptions import kind_heads as people_kind_heads
from .descriptions import vocabulary as people_vocabulary
from .latents import load_latents
from .procedural import SYNONYMS, THING_NOUNS, WORLD

PHYSICAL = frozenset({"noun.artifact", "noun.object", "noun.plant"})  # lexicographer files of things
# things a prompt may name that the model cannot make: a prompt naming only these is outside its world
OTHER_THINGS = PHYSICAL | {"noun.animal", "noun.person", "noun.food", "noun.body"}
# a top-level class whose kinds are all of these names other things too ("animal", "person", "food"),
# where "object" or "organism", whose kinds include the world's, does not
OTHER_KINDS = frozenset({"noun.animal", "noun.person", "noun.food", "noun.body", "noun.substance"})
WORDNET_FILES = (
    "data.noun",
    "index.noun",
    "noun.exc",
    "index.sense",
    "cntlist.rev",
    "data.verb",
    "index.verb",
    "verb.exc",
    "data.adj",
    "index.adj",
    "adj.exc",
    "data.adv",
    "index.adv",
    "adv.exc",
)
# The lexicographer file names (WordNet's lexnames(5WN)); NLTK reads them from a `lexnames` file,
# which Debian's packages leave out.
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather "
    "adj.ppl"
).split()


def open_wordnet(root: Path, cache: Path = Path(".cache/nltk_data")):
    """An NLTK WordNet reader over a WordNet 3.0 dict folder. NLTK reads corpora only from private
    folders on its data path, so the files are copied into `cache` first."""
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    target = cache / "corpora" / "wordnet"
    target.mkdir(parents=True, exist_ok=True)
    for name in WORDNET_FILES:
        if not (Path(root) / name).is_file():
            raise FileNotFoundError(
                f"{root}: no WordNet file {name} (on Debian: apt install wordnet-base wordnet-sense-index)"
            )
        if not (target / name).is_file():
            shutil.copyfile(Path(root) / name, target / name)
    codes = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
    (target / "lexnames").write_text(
        "".join(f"{i:02d}\t{name}\t{codes[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))
    )
    for folder in (cache, cache / "corpora", target):
        folder.chmod(0o755)
    nltk.data.path.insert(0, str(cache.resolve()))
    with warnings.catch_warnings():  # "multilingual functions are not available": not used here
        warnings.simplefilter("ignore", UserWarning)
        return WordNetCorpusReader(nltk.data.find("corpora/wordnet"), None)


def distances_to_targets(
    starts: dict[Hashable, str], neighbours: Callable[[Hashable], Iterable[Hashable]], max_depth: int
) -> dict[Hashable, tuple[int, str]]:
    """Breadth-first search from every start node at once: node -> (links to the nearest start,
    that start's label). Ties between labels at one distance go to the label first in sort order."""
    best = {node: (0, label) for node, label in starts.items()}
    queue = deque(sorted(starts, key=lambda n: starts[n]))
    while queue:
        node = queue.popleft()
        depth, label = best[node]
        if depth == max_depth:
            continue
        for other in neighbours(node):
            if other not in best:
                best[other] = (depth + 1, label)
                queue.append(other)
    return best


def starts_below(
    starts: dict[Hashable, str], parents: Callable[[Hashable], Iterable[Hashable]], max_depth: int
) -> dict[Hashable, set[Hashable]]:
    """node -> the start nodes at most `max_depth` parent links below it (not counting itself)."""
    below: dict[Hashable, set[Hashable]] = {}
    for start in starts:
        level, seen = [start], {start}
        for _ in range(max_depth):
            level = [p for node in level for p in parents(node) if p not in seen]
            seen.update(level)
            for node in level:
                below.setdefault(node, set()).add(start)
    return below


def most_common_below(
    starts: dict[Hashable, str],
    weight: dict[Hashable, float],
    parents: Callable[[Hashable], Iterable[Hashable]],
    max_depth: int,
) -> dict[Hashable, str]:
    """node -> the label of the heaviest start node at most `max_depth` parent links below it
    (ties: the label first in sort order)."""
    return {
        node: min((-weight[s], starts[s]) for s in below)[1]
        for node, below in starts_below(starts, parents, max_depth).items()
    }


def sense_counts(wn, lemma: str) -> dict[str, int]:
    """How often WordNet's sense-tagged corpus uses the word as each part of speech (n, v, a, r, s)."""
    return {
        pos: sum(lemma_.count() for s in wn.synsets(lemma, pos) for lemma_ in s.lemmas() if lemma_.name() == lemma)
        for pos in "nvars"
    }


def noun_first(wn, lemma: str) -> bool:
    """Whether WordNet's sense-tagged corpus uses the word as a noun at least as often as as a verb,
    an adjective or an adverb ("stand", "flat" are not; "pew" is; untagged words count as nouns)."""
    counts = sense_counts(wn, lemma)
    return counts["n"] >= max(counts["v"], counts["a"] + counts["s"], counts["r"])


def used_as_noun(wn, word: str) -> bool:
    """Whether a known word, or its singular, is used as a noun in WordNet's sense-tagged corpus at
    least half as often as otherwise ("wood", "style", "legs", "cushions"; not "or", "eats", "retro").
    The words before such a noun modify it ("beech wood", "farmhouse style"). Words in -ing are left
    out: after a noun they are mostly verbs ("a cot standing in a room")."""
    if len(word) < 3 or word.endswith("ing"):
        return False
    for lemma in (word, *plural_stems(word)):
        counts = sense_counts(wn, lemma)
        if counts["n"] > 0 and 2 * counts["n"] >= max(counts["v"], counts["a"] + counts["s"], counts["r"]):
            return True
    return False


def build_lexicon(
    wn,
    captions: list[str],
    nouns: list[str],
    max_depth: int = 3,
    lemmas: Iterable[str] | None = None,
    source: str = "WordNet 3.0",
    attributes: Iterable[str] = (),
    categories: dict[str, list[str]] | None = None,
) -> Lexicon:
    """The lexicon of a caption set: `lemmas` (default: every WordNet noun) outside the captions'
    words and `attributes` (materials, colours: never rewritten), mapped onto `nouns` when the word
    is a noun first and its most common sense is a kind of a target (pew -> bench; the nearest
    target). General words above targets ("vehicle", "container") go to `general`, with the target
    below them that WordNet's corpus names most, and stay as typed. A tree named first as its wood
    ("cypress": timber, then the tree) or a material named first as its tree ("oak") goes to `woods`,
    read as the tree only where it heads a prompt. Words whose most common sense is
    some other thing go to `others`, each with the target nearest in the is-a graph (up and down
    links mixed: helicopter -> airplane) as a suggestion, or the target a later sense is a kind of
    ("chesterfield", first a person, then a sofa), else "". `categories` (category -> its
    nouns, the held-out one last: the model's world) is stored with the lexicon, and its nouns that
    the captions never used are read as the category's first noun ("pew" -> "bench") unless, like
    "vehicle", they are general words above several categories."""
    vocabulary = frozenset(w for caption in captions for w in WORD.findall(caption.lower()))
    known = vocabulary | {wn.morphy(w, "n") for w in vocabulary} - {None}  # "engines" makes "engine" known too
    materials = {w for a in attributes for w in WORD.findall(a.lower())}
    known |= materials

    def physical(synsets):
        return [s for s in synsets if s.lexname() in PHYSICAL]

    def parents(synset):
        return physical(synset.hypernyms() + synset.instance_hypernyms())

    def children(synset):
        return physical(synset.hyponyms() + synset.instance_hyponyms())

    category_of = {n: c for c, names in (categories or {}).items() for n in names}
    first_sense = {n: physical(wn.synsets(n.replace(" ", "_"), "n"))[:1] for n in set(nouns)}  # [] or [sense]
    anchors: dict = {}  # a noun's first sense that is a thing -> {(noun, its category)}
    for noun, senses in first_sense.items():
        for sense in senses:
            anchors.setdefault(sense, set()).add((noun, category_of.get(noun)))
    anchored = Counter(category_of.get(noun) for noun, senses in first_sense.items() if senses)

    def of_its_category(synset, noun: str) -> bool:
        """Whether a sense of a category's noun is of that category: no other category's noun lies
        two or more is-a links (up and down mixed, within max_depth + 2) nearer to it than the
        nearest of its own category's other nouns. "chopper", a motorbike's noun, is first a
        helicopter in WordNet, two links from the airplane, so helicopters must not be read as it;
        "pot", a link further from the saucepan than from the kettle, stays. A category none of whose
        other nouns WordNet knows gives no evidence: its noun's first sense stands."""
        own = category_of.get(noun)
        if anchored[own] < 2:  # only the noun itself
            return True
        depth = {}  # True (own category) / False (another) -> links to the nearest such noun
        seen, level = set(), [synset]
        for links in range(max_depth + 3):
            seen.update(level)
            for node in level:
                for n, c in anchors.get(node, ()):
                    if n != noun:
                        depth.setdefault(c == own, links)
            if True in depth:
                break
            level = [n for node in level for n in parents(node) + children(node) if n not in seen]
        return False not in depth or depth.get(True, max_depth + 3) < depth[False] + 2

    starts = {}
    for noun in sorted(set(nouns), key=lambda n: (-len(n), n)):  # a shared synset keeps the shorter noun
        for synset in first_sense[noun]:
            if of_its_category(synset, noun):  # else no word is read as it: "chopper"
                starts[synset] = noun
    kind_of = distances_to_targets(starts, children, max_depth)
    # a general word may sit one link further above a target than a kind sits below one: "vehicle"
    # is four hypernym links above "car"
    general = most_common_below(
        starts, {s: sum(lemma.count() for lemma in s.lemmas()) for s in starts}, parents, max_depth + 1
    )
    below = starts_below(starts, parents, max_depth + 1)

    def above_several(noun: str) -> bool:  # "vehicle": above car, airplane and rocket; "aircraft" is not
        first = physical(wn.synsets(noun.replace(" ", "_"), "n"))[:1]
        return bool(first) and len({category_of.get(starts[s]) for s in below.get(first[0], ())}) > 1

    near = distances_to_targets(starts, lambda s: parents(s) + children(s), max_depth)
    wood = wn.synset("wood.n.01")

    def tree_of_wood(word: str, senses) -> str | None:
        """The target a timber's name stands for as a noun: a world material whose first sense is a
        target's kind ("oak", the tree), or a word whose first sense is a wood and a later one the tree
        it comes from (WordNet lists "cypress", "mahogany", "maple" first as timber), unless it is a food too."""
        if word in materials and senses[0] in kind_of:
            return kind_of[senses[0]][1]
        if wood not in senses[0].closure(lambda s: s.hypernyms()) or any(s.lexname() == "noun.food" for s in senses):
            return None  # "a cherry", "a pecan": first their timber, but a prompt means the fruit
        trees = [kind_of[s] for s in senses[1:] if s in kind_of]
        return min(trees)[1] if trees else None

    def nearest_other(senses) -> str:
        """The suggestion for a word whose first sense is no target's kind: a later sense that is one
        ("chesterfield", first a person, then a sofa), else the first sense's neighbour in the graph."""
        later = [kind_of[s] for s in senses[1:] if s in kind_of]
        return min(later)[1] if later else near.get(senses[0], (0, ""))[1]

    def other_class(sense) -> bool:
        """A top-level class all of whose kinds are other things: "animal", "person", "food"."""
        kinds = {s.lexname() for s in sense.hyponyms()}
        return sense.lexname() == "noun.Tops" and bool(kinds) and kinds <= OTHER_KINDS and sense not in general

    # words that only modify the model's nouns ("shoe" of "shoe bench"): a prompt naming them alone names another thing
    world_nouns = [n for names in (categories or {}).values() for n in names] or list(nouns)
    modifiers = {w for n in world_nouns for w in n.split()[:-1]}
    vocabulary_heads = {n.split()[-1] for n in world_nouns}
    world_phrases = set(world_nouns)
    mapping, others, generic, woods = {}, {}, {}, {}
    for lemma in wn.all_lemma_names("n") if lemmas is None else lemmas:
        phrase = lemma.replace("_", " ").lower()
        words = phrase.split()
        if len(words) > MAX_PHRASE or not all(WORD.fullmatch(w) for w in words) or phrase in vocabulary:
            continue
        senses = wn.synsets(lemma, "n")
        if not senses or not noun_first(wn, lemma):
            continue
        if len(words) == 1 and (tree := tree_of_wood(phrase, senses)):
            woods[phrase] = tree
            continue
        if all(w in known for w in words):
            continue
        sense = senses[0]  # the most common sense only: "dog" is no furniture, "tea" no tree
        if sense in kind_of:
            mapping[phrase] = kind_of[sense][1]
        elif len(words) == 1 and sense in general:  # "container", "building": stays as typed
            generic[phrase] = general[sense]
        elif len(words) == 1 and (sense.lexname() in OTHER_THINGS or other_class(sense)):
            others[phrase] = nearest_other(senses)
        elif sense.lexname() in OTHER_THINGS and phrase not in world_phrases and any(w in known for w in words):
            others[phrase] = nearest_other(senses)  # "washing machine": "machine" alone is general
    for word in sorted(modifiers - vocabulary_heads):  # "shoe" of "shoe bench", "beer" of "beer stein"
        senses = wn.synsets(word, "n")
        if senses and noun_first(wn, word) and senses[0] not in kind_of and senses[0] not in general:
            # not a word with a sense near the world's things: "saloon" (a bar, then a car), "sectional"
            if (senses[0].lexname() in OTHER_THINGS or other_class(senses[0])) and not nearest_other(senses):
                others[word] = ""
    lexicon = Lexicon(
        vocabulary,
        mapping,
        f"{source}; kinds within {max_depth} is-a links; targets: {', '.join(sorted(set(nouns)))}",
        others=others,
        general=generic,
        categories=categories or {},
        woods=woods,
    )
    for names in lexicon.categories.values():  # a category's general name ("vehicle") stays as typed
        lexicon.mapping.update(
            {
                n: names[0]
                for n in names
                if not all(w in vocabulary for w in n.split())
                and n not in known
                and names[0] != n
                and not above_several(n)
            }
        )
    lexicon.nouns = frozenset(w for w in vocabulary | STOPWORDS if used_as_noun(wn, w))
    words = (
        {w.lower() for pos in "nvar" for w in wn.all_lemma_names(pos)}
        if lemmas is None
        else {w.lower() for w in lemmas}
    )
    lexicon.whole_words = frozenset(w for w in words if WORD.fullmatch(w) and lexicon.compound(w) is not None)
    targets = lexicon.typo_targets
    lexicon.lookalikes = frozenset(
        w for w in words if WORD.fullmatch(w) and difflib.get_close_matches(w, targets, n=1, cutoff=TYPO_RATIO)
    )
    return lexicon


def world_names(category: str) -> list[str]:
    """Every noun of a category of the procedural world (its sub-types' too), the held-out one last."""
    held_out = SYNONYMS[category][-1]
    return [*(n for n in THING_NOUNS[category] if n != held_out), held_out]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"), help="a WordNet 3.0 dict folder")
    p.add_argument(
        "--latents",
        type=Path,
        default=Path(".cache/latents/tiny_vae/train.safetensors"),
        help="the latent cache the text encoder trained on (its captions give the vocabulary)",
    )
    p.add_argument(
        "--nouns", default=None, help="comma-separated object nouns to map to (default: the procedural set's)"
    )
    p.add_argument(
        "--vocabulary-of",
        type=Path,
        default=None,
        help="rebuild an earlier lexicon file: its vocabulary and categories instead of the latent cache's captions",
    )
    p.add_argument(
        "--people-words",
        action="store_true",
        help="the text encoder also learned people's captions (train.text --distill): their words stay as typed",
    )
    p.add_argument("--max-depth", type=int, default=3)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    if args.vocabulary_of:
        earlier = Lexicon.load(args.vocabulary_of)
        captions, categories = sorted(earlier.vocabulary), earlier.categories
        nouns = [n for names in categories.values() for n in names[:-1]]  # the held-out noun is no target
    else:
        latents = load_latents(args.latents)  # the model's world: the categories its latents hold
        categories = {c: world_names(c) for c in latents.categories}
        captions, nouns = latents.captions, [n for names in categories.values() for n in names[:-1]]
    model = categories or SYNONYMS  # category -> its nouns, the held-out one last
    if args.people_words:
        captions = [*captions, *sorted(people_vocabulary(model, {names[-1] for names in model.values()}))]
    if args.nouns:
        nouns, categories = [n.strip() for n in args.nouns.split(",")], {}
    attributes = {w for c in WORLD.values() for m in c.materials for w in m.split()}
    lexicon = build_lexicon(
        open_wordnet(args.wordnet), captions, nouns, args.max_depth, attributes=attributes, categories=categories
    )
    if args.people_words:  # the descriptions' general nouns ("seat", "vessel") name no outside thing
        category_of = {n: c for c, names in model.items() for n in names}
        for head, category in people_kind_heads(model).items():
            lexicon.others.pop(head, None)
            if category_of.get(lexicon.mapping.get(head), category) != category:
                del lexicon.mapping[head]  # "vessel", the boats' held-out noun, is a vase's in descriptions
            lexicon.general.setdefault(head, model[category][0])
    lexicon.save(args.out)
    print(
        f"{len(lexicon.mapping)} nouns mapped onto {len(set(lexicon.mapping.values()))} of {len(set(nouns))} "
        f"targets; {len(lexicon.others)} other things; vocabulary {len(lexicon.vocabulary)} words; "
        f"{len(lexicon.whole_words)} whole words -> {args.out}"
    )


if __name__ == "__main__":
    main()
