"""How the text side reads prompts as people write them, without generating anything: seconds
instead of the minutes `eval gpt --prompts` takes, so that a text encoder can be judged before a
GPT is trained on it.

Each prompt goes the pipeline's way (the lexicon's rewrite, the outside-world check, the text
encoder). A prompt of a category the model makes is `read_as_named` when its embedding is nearer
(cosine) to the embedding of the category's own name ("a bench", the first noun of each category)
than to any other category's: the text-side counterpart of `eval gpt`'s `as_named`, since the GPT
turns nearby conditions into alike shapes. Prompts of things outside the world should be refused.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import torch
import torch.nn.functional as F

from ..data.procedural import article
from ..lexicon import Lexicon
from ..pipeline import OutsideWorld, model_categories, read_prompt
from .prompt_sets import read_prompt_set, summarize
from .report import markdown_table


class ZeroShotReader:
    """A pretrained sentence encoder read as a text encoder with no head: its own sentence features
    are the embeddings, so `eval text --zero-shot` measures what it knows before any training."""

    def __init__(self, backbone):
        self.backbone = backbone
        self.config = SimpleNamespace(context_length=backbone.max_length)

    def dropped_text(self, prompt: str) -> str:
        return self.backbone.dropped_text(prompt)

    def encode(self, prompts: list[str]) -> torch.Tensor:
        return self.backbone.embed(list(prompts))


def category_names(lexicon: Lexicon | None) -> dict[str, str]:
    """category -> the noun it is first called by (the model's own, else this world's)."""
    names = lexicon.categories if lexicon is not None and lexicon.categories else {}
    return {c: names.get(c, [c.replace("_", " ")])[0] for c in model_categories(lexicon)}


@torch.no_grad()
def evaluate_prompt_reading(text_encoder, lexicon: Lexicon | None, path: Path) -> tuple[str, dict]:
    start = time.perf_counter()
    names = category_names(lexicon)
    order = list(names)
    prototypes = F.normalize(text_encoder.encode([f"{article(n)} {n}" for n in names.values()]), dim=-1)  # (C, E)
    outcomes = []
    for row in read_prompt_set(path):
        text, _ = lexicon.rewrite(row["prompt"]) if lexicon is not None else (row["prompt"], [])
        outcome = {**row, "in_world": row["category"] in names, "read_as": text, "flagged": False}
        outcome.update(read_as_named=0.0, nearest="")
        try:
            read_prompt(text_encoder, lexicon, text)
        except OutsideWorld:
            outcome["flagged"] = True
        else:
            similarity = F.normalize(text_encoder.encode([text]), dim=-1)[0] @ prototypes.T  # (C,)
            outcome["nearest"] = order[int(similarity.argmax())]
            outcome["read_as_named"] = float(outcome["in_world"] and outcome["nearest"] == row["category"])
        outcomes.append(outcome)
    summed = summarize(outcomes, ("read_as_named", "flagged"))
    shares = summed["shares"]
    md = (
        f"Prompt reading (text side only): {path}, {len(summed['inside'])} prompts of the {len(names)} categories "
        f"this model makes, {len(summed['outside'])} of things outside the world, "
        f"{len(summed['other_categories'])} of world categories it does not make. read_as_named = share whose "
        "text embedding is nearest to that of the category's own name; flagged = share refused as outside.\n\n"
        f"**read_as_named {shares['read_as_named']:.3f}; in-world prompts wrongly flagged "
        f"{shares['in_world_wrongly_flagged']:.3f}; outside prompts flagged {shares['outside_flagged']:.3f}; "
        f"prompts of categories it does not make flagged {shares['other_categories_flagged']:.3f}**\n\n"
    )
    md += markdown_table(summed["by_group"], ("group", "prompts", "read_as_named", "flagged")) + "\n"
    md += markdown_table(summed["by_category"], ("category", "prompts", "read_as_named", "flagged"))
    misses = [o for o in summed["inside"] if o["read_as_named"] < 1.0]
    if misses:
        md += "\nIn-world prompts read as another thing or refused:\n\n" + markdown_table(
            misses, ("category", "group", "prompt", "read_as", "nearest", "flagged")
        )
    unflagged = [o for o in summed["outside"] if not o["flagged"]]
    if unflagged:
        md += "\nOutside prompts not refused:\n\n" + markdown_table(unflagged, ("prompt", "read_as", "nearest"))
    figures = {
        "summary": shares,
        "by_category": summed["by_category"],
        "by_group": summed["by_group"],
        "prompts": outcomes,
        "seconds": time.perf_counter() - start,
    }
    return md, figures
