"""Named presets for model configs: one mechanism for every model.

A config dataclass inherits `Presets` and lists its presets in `PRESETS`; "tiny" is always the
dataclass's own defaults (the embedded CPU model).

    TriplaneVAEConfig.preset("paper", latent_channels=8)   # the paper preset with one field changed
"""

from __future__ import annotations

from typing import ClassVar


PRESET_NAMES = ("tiny", "small", "paper")  # tiny: 2 CPU cores; small: minutes on one GPU; paper: the paper


class Presets:
    PRESETS: ClassVar[dict[str, dict]] = {}  # preset name -> the fields that differ from tiny

    @classmethod
    def preset(cls, name: str, **overrides):
        if name != "tiny" and name not in cls.PRESETS:
            raise KeyError(f"unknown preset {name!r} for {cls.__name__} (known: {', '.join(['tiny', *cls.PRESETS])})")
        return cls(**{**cls.PRESETS.get(name, {}), **overrides})
