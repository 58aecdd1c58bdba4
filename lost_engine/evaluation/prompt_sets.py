"""People-written prompt sets (`docs/eval/prompts/`): reading the file and summing up outcomes per
category and per group, for the generation evaluation (`gpt_eval`) and the reading one (`text_eval`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_prompt_set(path: Path) -> list[dict]:
    """A people-written prompt set: tab-separated `category  group  prompt` lines, '#' comments;
    category "outside" for things outside the world."""
    rows = []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) != 3:
                raise ValueError(f"{path}:{number}: expected 'category<TAB>group<TAB>prompt', got {line!r}")
            rows.append(dict(zip(("category", "group", "prompt"), (f.strip() for f in fields))))
    return rows


def share(outcomes: list[dict], key: str) -> float:
    return float(np.mean([o[key] for o in outcomes])) if outcomes else float("nan")


def summarize(outcomes: list[dict], keys: tuple[str, ...]) -> dict:
    """Per-prompt outcomes (dicts with category, group, in_world and the `keys`) summed up: the
    in-world prompts' shares per category and per group, and over the three kinds of prompt."""
    inside = [o for o in outcomes if o["in_world"]]
    outside = [o for o in outcomes if o["category"] == "outside"]
    other = [o for o in outcomes if not o["in_world"] and o["category"] != "outside"]

    def rows(field: str) -> list[dict]:
        return [
            {field: value, "prompts": len(group), **{k: share(group, k) for k in keys}}
            for value in dict.fromkeys(o[field] for o in inside)
            for group in [[o for o in inside if o[field] == value]]
        ]

    return {
        "inside": inside,
        "outside": outside,
        "other_categories": other,
        "by_category": rows("category"),
        "by_group": rows("group"),
        "shares": {
            **{k: share(inside, k) for k in keys},
            "in_world_wrongly_flagged": share(inside, "flagged"),
            "outside_flagged": share(outside, "flagged"),
            "other_categories_flagged": share(other, "flagged"),
        },
    }
