"""The procedural world's categories: per category its nouns, sub-types and generator.

A generator is `build(rng, subtype, t) -> (parts, words)`: parts in metres (y up, standing on
y = 0), `t` the thinnest radius allowed (metres), words describing what varied for the caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class SubType:
    name: str
    nouns: tuple[str, ...]  # what people call it ("office chair", "swivel chair"); training captions use them
    size_m: float  # its typical longest side in metres (a test checks the instances against it)


@dataclass(frozen=True)
class Category:
    name: str
    group: str  # furniture, kitchenware, ... (the contact sheet's sections)
    nouns: tuple[str, ...]  # general nouns; the last is never used in training captions
    subtypes: tuple[SubType, ...]  # the first is the everyday one, whose size a bare category name gets
    build: Callable
    materials: tuple[str, ...] = ()

    def subtype(self, name: str) -> SubType:
        return next(s for s in self.subtypes if s.name == name)


def _all() -> tuple[Category, ...]:
    from . import buildings, furniture, kitchenware, objects, plants, vehicles

    return (
        *furniture.CATEGORIES,
        *kitchenware.CATEGORIES,
        *plants.CATEGORIES,
        *vehicles.CATEGORIES,
        *buildings.CATEGORIES,
        *objects.CATEGORIES,
    )


WORLD: dict[str, Category] = {c.name: c for c in _all()}
