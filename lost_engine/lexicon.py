"""The prompt lexicon: nouns the text encoder never read in training -> the nearest object noun it knows.

The embedded text tower is trained from scratch on the procedural captions (about a hundred
words), so a prompt noun outside them ("a pew") carries no meaning for it, where a pretrained
CLIP would know it. The lexicon supplies that general-language knowledge from WordNet: every
WordNet noun that the training captions never use is mapped to the closest training noun in
WordNet's is-a graph (pew -> bench, loveseat -> couch, carafe -> bottle), and prompts are read
through it before they reach the text encoder. Only nouns of physical things are mapped, and only
unknown words are rewritten: "a red chair" stays as it is. A closed compound that WordNet does not
know ("lampstand", "sofabed") is read as the object noun among its two parts.

The lexicon never does harm: a word is rewritten only when it is a noun first (not "flat", "stand"),
its most common sense is a physical thing, and that sense is a kind of the noun it is read as (pew is a
bench), so the rewrite stays in the word's own category. A word that modifies a following noun ("oak
table", "workbench table", "beech wood", "farmhouse style") stays as typed, as do the world's
materials and colours; a tree whose name is also its timber ("cypress", "mahogany", "oak") is read as
the tree only where it heads the prompt ("a tall cypress"), not where it is the material of a thing
named with it ("a table of mahogany"). A plural ("chairs") is read as its singular and a misspelt
object noun ("chiar", ratio >= 0.75, not a word the lexicon knows otherwise) as that noun; every
rewrite is reported. Nouns and phrases of other things (dragon, elephant, helicopter, washing
machine) are listed in `others` with the nearest thing the model makes, so that a prompt naming only
them is reported as outside the model's world.

The table is built once, offline, by `lost_engine/data/wordnet_lexicon.py` from a local WordNet;
at run time only its JSON file is read (`tiny_lexicon.json` next to the weights).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .checkpoint import CheckpointError, atomic_write

WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
ARTICLE = re.compile(r"(^|\W)(?:a|an) $", re.IGNORECASE)  # the article right before a rewritten noun
PHRASE_BREAK = re.compile(r"(,|;|\b(?:with|on|in|of|for|and|or|under|beside|near|next to|by|that|which|where)\b)")
# Phrases these open tell where, what for, what with or what happens ("in the forest", "for my cat",
# "that grows"): what they name is not the thing the prompt asks for.
SETTING = frozenset("with on in for under beside near by that which where".split()) | {"next to"}
DETERMINERS = frozenset("a an the my your our their this these those some".split())
# Words of a prompt that name nothing: never reported as unknown.
STOPWORDS = frozenset(
    "a an the and or of for with without to on in at by from into onto over under near beside next its it "
    "this that these those some something one two three four five six seven eight nine ten pair set lots "
    "very really quite big small large little tall short long low high wide old new my your our their "
    "which who where what made looks like kind sort type model shape object thing style".split()
)
MAX_PHRASE = 3  # longest WordNet phrase looked up ("chest of drawers")
MIN_PART = 3  # shortest part of a compound split ("lampstand" = "lamp" + "stand")
TYPO_RATIO = 0.75  # difflib similarity from which an unknown word is read as the object noun it resembles
TYPO_MIN_LENGTH = 4  # shorter words are too alike to correct ("cap" / "cup")
PLURALS = (("ies", "y"), ("ves", "f"), ("ves", "fe"), ("i", "us"), ("es", ""), ("s", ""))  # suffix -> singular
INFLECTIONS = (*PLURALS, ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


@dataclass
class Lexicon:
    vocabulary: frozenset[str]  # every word of the training captions
    mapping: dict[str, str]  # unknown noun or phrase (space-separated, lower case) -> known noun
    source: str = ""
    whole_words: frozenset[str] = frozenset()  # real words that look like compounds ("carpet"): never split
    categories: dict = field(default_factory=dict)  # category -> the nouns naming it, in the world the model learned
    others: dict = field(default_factory=dict)  # noun of a thing the model cannot make -> nearest it can ("" if none)
    lookalikes: frozenset[str] = frozenset()  # English words that look like the model's nouns: never "corrected"
    general: dict = field(default_factory=dict)  # general noun above the model's things ("container") -> commonest
    woods: dict = field(default_factory=dict)  # a tree's name that is also its timber ("cypress", "oak") -> tree noun
    nouns: frozenset[str] = frozenset()  # known words used mostly as nouns ("wood", "style"): modified by a word before

    @cached_property
    def objects(self) -> frozenset[str]:
        """The object nouns words are read as."""
        return frozenset(self.mapping.values())

    @cached_property
    def thing_words(self) -> frozenset[str]:
        """Single words that name a thing: the model's nouns, the mapped nouns and the other things'."""
        return frozenset(
            self.own_words | {k for k in self.mapping if " " not in k} | set(self.others) | set(self.woods)
        )

    @cached_property
    def own_words(self) -> frozenset[str]:
        """Single words that name what the model makes: its nouns' words and the mapped-to nouns."""
        return frozenset({w for n in self._category_nouns for w in n.split()} | self.objects)

    @cached_property
    def own_heads(self) -> frozenset[str]:
        """The head (last) word of each noun the model makes: "chair" of "office chair", not "office"."""
        return frozenset({n.split()[-1] for n in self._category_nouns} | self.objects)

    @cached_property
    def _category_nouns(self) -> list[str]:
        return [n for names in self.categories.values() for n in names]

    @cached_property
    def typo_targets(self) -> list[str]:
        """What a misspelt word may be read as: the words of the model's nouns and the mapped-to nouns."""
        return sorted(self.own_words)

    def known(self, word: str) -> bool:
        return (
            word in self.vocabulary
            or word in self.own_words
            or word in self.mapping
            or word in self.others
            or word in self.general
            or word in self.whole_words
            or word in self.woods
        )

    def singular(self, word: str) -> str | None:
        """The known singular of an unknown plural ("benches" -> "bench", "shelves" -> "shelf")."""
        if self.known(word):
            return None
        stems = plural_stems(word)
        own = [s for s in stems if s in self.own_words or s in self.mapping]  # "vases": vase, not vas
        return (own or [s for s in stems if s in self.thing_words] or [None])[0]

    def english(self, word: str) -> bool:
        """A word WordNet knows, as typed or inflected ("sailing", "bunches"), of those that could pass
        for a misspelling of the model's nouns (the lexicon lists only those)."""
        stems = [word] + [word[: -len(end)] + add for end, add in INFLECTIONS if word.endswith(end)]
        return any(stem in self.lookalikes or self.known(stem) for stem in stems) or word in STOPWORDS

    def correction(self, word: str) -> str | None:
        """The object noun an unknown word is a misspelling of ("chiar" -> "chair"), or None."""
        if len(word) < TYPO_MIN_LENGTH or self.english(word) or self.compound(word) is not None:
            return None
        return self._closest(word) or self._misspelt_compound(word)

    def _closest(self, word: str) -> str | None:
        close = difflib.get_close_matches(word, self.typo_targets, n=2, cutoff=TYPO_RATIO)
        if not close:
            return None
        ratios = [difflib.SequenceMatcher(None, word, c).ratio() for c in close]
        return close[0] if len(close) == 1 or ratios[0] > ratios[1] else None  # a tie is no confident reading

    def _misspelt_compound(self, word: str) -> str | None:
        """A known word run together with a misspelt object noun ("barstol" -> stool): the noun."""
        for cut in range(MIN_PART, len(word) - TYPO_MIN_LENGTH + 1):
            head, rest = word[:cut], word[cut:]
            if head in self.vocabulary and not self.english(rest) and (noun := self._closest(rest)):
                return noun
        return None

    def compound(self, word: str) -> str | None:
        """The object noun an unknown closed compound stands for, or None. Both parts must be known
        words; a part that is itself an object noun beats one the mapping reads as one, and of two
        equals the last wins (the English head): "lampstand" -> lamp, "sofabed" -> bed."""
        if word in self.vocabulary or word in self.mapping or word in self.whole_words:
            return None
        best = None  # (object noun itself, is the last part, the noun it reads as)
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            parts = (word[:cut].rstrip("-"), word[cut:].lstrip("-"))
            if not all(p in self.vocabulary or p in self.mapping for p in parts):
                continue
            for last, part in enumerate(parts):
                candidate = (part in self.objects, last, self.mapping.get(part, part))
                if (part in self.objects or part in self.mapping) and (best is None or candidate > best):
                    best = candidate
        return best[2] if best else None

    def _own(self, word: str) -> bool:
        """Whether a word, or its singular, names what the model makes ("chair", "tables"; not the
        "office" of "an office printer")."""
        return any(w in self.own_heads for w in (word, *plural_stems(word)))

    def rewrite(self, prompt: str) -> tuple[str, list[tuple[str, str]]]:
        """(the prompt with unknown nouns replaced, [(original, replacement), ...])."""
        lowered = prompt.lower()
        if len(lowered) != len(prompt):  # a few non-ASCII letters change length in lower()
            prompt = lowered
        words = [(m.group(), m.start(), m.end()) for m in WORD.finditer(lowered)]
        pieces, rewrites, cursor, i = [], [], 0, 0

        def replace(start: int, end: int, noun: str) -> None:
            nonlocal cursor
            before = ARTICLE.sub(lambda m: m[1] + ("an" if noun[:1] in "aeiou" else "a") + " ", prompt[cursor:start])
            pieces.extend([before, noun])
            rewrites.append((prompt[start:end], noun))
            cursor = end

        def names_a_thing(j: int) -> bool:
            return j < len(words) and (words[j][0] in self.thing_words or self.singular(words[j][0]) is not None)

        def before_a_noun(j: int) -> bool:  # "oak table", "beech wood", "farmhouse style": a modifier
            if j >= len(words) or lowered[words[j - 1][2] : words[j][1]].strip():  # "a carafe, glass": no
                return False
            return names_a_thing(j) or words[j][0] in self.nouns

        def head_of_prompt(j: int) -> bool:  # "a tall cypress", not "cypress table" or "a table of cypress"
            return not before_a_noun(j + 1) and not any(names_a_thing(k) for k in range(j))

        while i < len(words):
            for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                span = words[i : i + n]
                phrase = " ".join(w for w, _, _ in span)
                if (
                    phrase in self.mapping
                    and any(w not in self.vocabulary for w, _, _ in span)
                    and not before_a_noun(i + n)  # "oak table": a noun before a noun modifies it
                ):
                    replace(span[0][1], span[-1][2], self.mapping[phrase])
                    i += n
                    break
            else:
                word, start, end = words[i]
                noun = self.singular(word) or self.compound(word) or self.correction(word)
                if (noun or word) in self.woods and head_of_prompt(i):
                    noun = self.woods[noun or word]
                if noun is not None:
                    if noun in self.mapping and not before_a_noun(i + 1):
                        noun = self.mapping[noun]
                    replace(start, end, noun)
                i += 1
        return "".join(pieces) + prompt[cursor:], rewrites

    def outside(self, text: str) -> list[tuple[str, str]]:
        """What a read prompt is about when that is outside the model's world: [(word, the nearest
        thing the model makes or "")] for the words of the first phrase that names a thing, if those
        are things the model cannot make ("dragon", "a bunch of bananas"), or else, in a phrase with
        no word the model knows, the words no dictionary knows where they stand as a noun (first in
        the prompt or after an article: "a smartphone", not "that grows"); [] when the first such
        phrase names a thing the model makes, or none does. Phrases of setting, purpose or company
        ("in the forest", "for my dog", "with a cap") decide nothing: "a thing that grows in the
        forest, with a cap" is not outside."""
        pieces = PHRASE_BREAK.split(text.lower())  # [phrase, break, phrase, ...]
        for index in range(0, len(pieces), 2):
            opened_by = pieces[index - 1] if index else ""
            if opened_by in SETTING:
                continue
            sequence = WORD.findall(pieces[index])
            phrases, covered = self._other_phrases(sequence)  # "a washing machine": not the general "machine"
            words = list(dict.fromkeys(sequence))
            if any(self._own(w) or w in self.general for w in words if w not in covered):  # "a container": generic
                return []
            found = phrases + [(w, self.others[w]) for w in words if w in self.others and w not in covered]
            as_noun = index == 0 or any(w in DETERMINERS for w in words)
            unknown = [w for w in words if not self.english(w) and len(w) > 2]
            if not found and as_noun and unknown and not any(self.known(w) for w in words if w not in STOPWORDS):
                found = [(w, "") for w in unknown]  # "a smartphone"; not "pine tre", where "pine" is known
            if found:
                return found
        return []

    def _other_phrases(self, words: list[str]) -> tuple[list[tuple[str, str]], set[str]]:
        """([(phrase, nearest)] for the phrases of other things in `words`, longest first, and their words)."""
        found, covered, i = [], set(), 0
        while i < len(words):
            for n in range(min(MAX_PHRASE, len(words) - i), 1, -1):
                phrase = " ".join(words[i : i + n])
                if phrase in self.others:
                    found.append((phrase, self.others[phrase]))
                    covered.update(words[i : i + n])
                    i += n - 1
                    break
            i += 1
        return found, covered

    def save(self, path: str | Path) -> None:
        data = {
            "source": self.source,
            "vocabulary": sorted(self.vocabulary),
            "mapping": dict(sorted(self.mapping.items())),
            "whole_words": sorted(self.whole_words),
            "categories": self.categories,
            "others": dict(sorted(self.others.items())),
            "lookalikes": " ".join(sorted(self.lookalikes)),
            "general": dict(sorted(self.general.items())),
            "woods": dict(sorted(self.woods.items())),
            "nouns": " ".join(sorted(self.nouns)),
        }
        atomic_write(Path(path), lambda tmp: Path(tmp).write_text(json.dumps(data, indent=0)))

    @classmethod
    def load(cls, path: str | Path) -> "Lexicon":
        try:
            data = json.loads(Path(path).read_text())
            return cls(
                frozenset(data["vocabulary"]),
                dict(data["mapping"]),
                data.get("source", ""),
                frozenset(data.get("whole_words", ())),
                {c: list(n) for c, n in data.get("categories", {}).items()},
                dict(data.get("others", {})),
                frozenset(data.get("lookalikes", "").split()),
                dict(data.get("general", {})),
                dict(data.get("woods", {})),
                frozenset(data.get("nouns", "").split()),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{path}: not a readable lexicon file ({exc})") from exc


def plural_stems(word: str) -> list[str]:
    """The singulars a word may be the plural of ("shelves" -> shelf, shelfe, ...), longest suffix first."""
    return [word[: -len(end)] + add for end, add in PLURALS if word.endswith(end) and len(word) > len(end) + 1]


def describe(rewrites: list[tuple[str, str]]) -> str:
    """'read "pew" as "bench"', for logs and the add-on's status line."""
    return ", ".join(f'read "{a}" as "{b}"' for a, b in rewrites)
