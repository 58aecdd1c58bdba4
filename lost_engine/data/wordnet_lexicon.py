"""Build the prompt lexicon (lost_engine/lexicon.py) from a local WordNet 3.0, read with NLTK.

    python -m lost_engine.data.wordnet_lexicon --wordnet /usr/share/wordnet \\
        --latents .cache/latents/tiny_vae/train.safetensors --out lost_engine/weights/tiny_lexicon.json

WordNet: Debian's `wordnet-base` and `wordnet-sense-index` packages install it in /usr/share/wordnet
(any WordNet 3.0 dict folder works). The vocabulary is every word of the training captions in the
latent cache; the targets are the object nouns those captions use. Each WordNet noun (or phrase of
up to three words) outside the vocabulary maps to the target nearest to one of its three most
common senses in the is-a graph (hypernym and hyponym links, physical things only), within `--max-depth` links
(see build_lexicon for the order of preference). Every other WordNet word that looks like a closed
compound of known words ("carpet" = "car" + "pet") is listed as a whole word, so that the lexicon
splits only words WordNet does not know ("lampstand").
"""

from __future__ import annotations

import argparse
import shutil
import warnings
from collections import deque
from pathlib import Path
from typing import Callable, Hashable, Iterable

from ..lexicon import MAX_PHRASE, WORD, Lexicon
from .latents import load_latents
from .procedural import THING_NOUNS, training_nouns

PHYSICAL = frozenset({"noun.artifact", "noun.object", "noun.plant"})  # lexicographer files of things
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


def most_common_below(
    starts: dict[Hashable, str],
    weight: dict[Hashable, float],
    parents: Callable[[Hashable], Iterable[Hashable]],
    max_depth: int,
) -> dict[Hashable, str]:
    """node -> the label of the heaviest start node at most `max_depth` parent links below it
    (ties: the label first in sort order)."""
    best: dict[Hashable, tuple[float, str]] = {}
    for start, label in starts.items():
        level, seen = [start], {start}
        for _ in range(max_depth):
            level = [p for node in level for p in parents(node) if p not in seen]
            seen.update(level)
            for node in level:
                if node not in best or (-weight[start], label) < (-best[node][0], best[node][1]):
                    best[node] = (weight[start], label)
    return {node: label for node, (_, label) in best.items()}


def build_lexicon(
    wn,
    captions: list[str],
    nouns: list[str],
    max_depth: int = 3,
    senses: int = 3,
    lemmas: Iterable[str] | None = None,
    source: str = "WordNet 3.0",
) -> Lexicon:
    """The lexicon of a caption set: `lemmas` (default: every WordNet noun) outside the captions'
    words, mapped onto `nouns`. For each of a word's most common senses, in this order of preference:
    1. the sense is a kind of a target (pew -> bench): the nearest such target;
    2. the sense is a general word above targets (vehicle -> car): the most common of them, by
       WordNet's sense-tagged corpus counts;
    3. otherwise the target nearest in the is-a graph, up and down links mixed (toadstool -> mushroom)."""
    vocabulary = frozenset(w for caption in captions for w in WORD.findall(caption.lower()))
    known = vocabulary | {wn.morphy(w, "n") for w in vocabulary} - {None}  # "engines" makes "engine" known too

    def physical(synsets):
        return [s for s in synsets if s.lexname() in PHYSICAL]

    def parents(synset):
        return physical(synset.hypernyms() + synset.instance_hypernyms())

    def children(synset):
        return physical(synset.hyponyms() + synset.instance_hyponyms())

    starts = {}
    for noun in sorted(set(nouns), key=lambda n: (-len(n), n)):  # a shared synset keeps the shorter noun
        for synset in physical(wn.synsets(noun.replace(" ", "_"), "n"))[:1]:  # its first sense that is a thing
            starts[synset] = noun
    kind_of = distances_to_targets(starts, children, max_depth)
    # a general word may sit one link further above a target than a kind sits below one: "vehicle"
    # is four hypernym links above "car"
    general = most_common_below(
        starts, {s: sum(lemma.count() for lemma in s.lemmas()) for s in starts}, parents, max_depth + 1
    )
    near = distances_to_targets(starts, lambda s: parents(s) + children(s), max_depth)
    mapping = {}
    for lemma in wn.all_lemma_names("n") if lemmas is None else lemmas:
        phrase = lemma.replace("_", " ").lower()
        words = phrase.split()
        if len(words) > MAX_PHRASE or not all(WORD.fullmatch(w) for w in words) or all(w in known for w in words):
            continue
        # (preference, distance, sense rank, target); only the word's most common senses: "dog" is no furniture
        found = []
        for rank, synset in enumerate(wn.synsets(lemma, "n")[:senses]):
            if synset in kind_of:
                found.append((0, kind_of[synset][0], rank, kind_of[synset][1]))
            elif synset in general:
                found.append((1, 0, rank, general[synset]))
            elif synset in near:
                found.append((2, near[synset][0], rank, near[synset][1]))
        if found:
            mapping[phrase] = min(found)[3]
    lexicon = Lexicon(
        vocabulary, mapping, f"{source}; max {max_depth} is-a links; targets: {', '.join(sorted(set(nouns)))}"
    )
    words = (
        {w.lower() for pos in "nvar" for w in wn.all_lemma_names(pos)}
        if lemmas is None
        else {w.lower() for w in lemmas}
    )
    lexicon.whole_words = frozenset(w for w in words if WORD.fullmatch(w) and lexicon.compound(w) is not None)
    return lexicon


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
    p.add_argument("--max-depth", type=int, default=3)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    nouns = [n.strip() for n in args.nouns.split(",")] if args.nouns else training_nouns()
    lexicon = build_lexicon(open_wordnet(args.wordnet), load_latents(args.latents).captions, nouns, args.max_depth)
    if not args.nouns:  # the procedural world: the model's categories travel with its lexicon
        lexicon.categories = {c: list(n) for c, n in THING_NOUNS.items()}
    lexicon.save(args.out)
    print(
        f"{len(lexicon.mapping)} nouns mapped onto {len(set(lexicon.mapping.values()))} of {len(set(nouns))} "
        f"targets; vocabulary {len(lexicon.vocabulary)} words; {len(lexicon.whole_words)} whole words -> {args.out}"
    )


if __name__ == "__main__":
    main()
