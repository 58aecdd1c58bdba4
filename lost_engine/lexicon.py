"""The prompt lexicon: nouns the text encoder never read in training -> the nearest object noun it knows.

The embedded text tower is trained from scratch on the procedural captions (about a hundred
words), so a prompt noun outside them ("a pew") carries no meaning for it, where a pretrained
CLIP would know it. The lexicon supplies that general-language knowledge from WordNet: every
WordNet noun that the training captions never use is mapped to the closest training noun in
WordNet's is-a graph (pew -> bench, loveseat -> couch, carafe -> bottle), and prompts are read
through it before they reach the text encoder. Only nouns of physical things are mapped, and only
unknown words are rewritten: "a red chair" stays as it is. A closed compound that WordNet does not
know ("lampstand", "sofabed") is read as the object noun among its two parts.

The table is built once, offline, by `lost_engine/data/wordnet_lexicon.py` from a local WordNet;
at run time only its JSON file is read (`tiny_lexicon.json` next to the weights).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .checkpoint import CheckpointError, atomic_write

WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
MAX_PHRASE = 3  # longest WordNet phrase looked up ("chest of drawers")
MIN_PART = 3  # shortest part of a compound split ("lampstand" = "lamp" + "stand")


@dataclass
class Lexicon:
    vocabulary: frozenset[str]  # every word of the training captions
    mapping: dict[str, str]  # unknown noun or phrase (space-separated, lower case) -> known noun
    source: str = ""
    whole_words: frozenset[str] = frozenset()  # real words that look like compounds ("carpet"): never split
    categories: dict = field(default_factory=dict)  # category -> the nouns naming it, in the world the model learned

    @cached_property
    def objects(self) -> frozenset[str]:
        """The object nouns words are read as."""
        return frozenset(self.mapping.values())

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

    def rewrite(self, prompt: str) -> tuple[str, list[tuple[str, str]]]:
        """(the prompt with unknown nouns replaced, [(original, replacement), ...])."""
        lowered = prompt.lower()
        if len(lowered) != len(prompt):  # a few non-ASCII letters change length in lower()
            prompt = lowered
        words = [(m.group(), m.start(), m.end()) for m in WORD.finditer(lowered)]
        pieces, rewrites, cursor, i = [], [], 0, 0
        while i < len(words):
            for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                span = words[i : i + n]
                phrase = " ".join(w for w, _, _ in span)
                if phrase in self.mapping and any(w not in self.vocabulary for w, _, _ in span):
                    start, end = span[0][1], span[-1][2]
                    pieces += [prompt[cursor:start], self.mapping[phrase]]
                    rewrites.append((prompt[start:end], self.mapping[phrase]))
                    cursor, i = end, i + n
                    break
            else:
                word, start, end = words[i]
                if (noun := self.compound(word)) is not None:
                    pieces += [prompt[cursor:start], noun]
                    rewrites.append((prompt[start:end], noun))
                    cursor = end
                i += 1
        return "".join(pieces) + prompt[cursor:], rewrites

    def save(self, path: str | Path) -> None:
        data = {
            "source": self.source,
            "vocabulary": sorted(self.vocabulary),
            "mapping": dict(sorted(self.mapping.items())),
            "whole_words": sorted(self.whole_words),
            "categories": self.categories,
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
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{path}: not a readable lexicon file ({exc})") from exc


def describe(rewrites: list[tuple[str, str]]) -> str:
    """'read "pew" as "bench"', for logs and the add-on's status line."""
    return ", ".join(f'read "{a}" as "{b}"' for a, b in rewrites)
