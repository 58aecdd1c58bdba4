"""Text-to-shape generation as a user sees it: prompt following, one piece, realism, diversity.

For every category, one caption in the held-out wording (the synonym never used in training
captions, e.g. "a loveseat …") is generated with several seeds, and as many held-out ground-truth
shapes of the category are drawn. Per generation (the full-length decode, after the pipeline's
cleanup of loose parts under 1% of the surface):
    accuracy     the frozen shape classifier puts it in the prompted category (also for 1 token)
    parts_ok     it has the ground truth's number of loose parts (the commonest count among the
                 category's ground-truth shapes; 1 for almost every category): a chair whose legs
                 came off, or a slab floating under a seat, fails it where accuracy may not
Per category: diversity = mean pairwise Chamfer (×10^-2) between the seeds, and diversity_ratio =
that over the ground-truth shapes' own mean pairwise Chamfer. Over all categories: the Fréchet
distance between the teacher's global features of the generations' renders and of the ground
truth's (the paper's FID, with the loaded teacher).
"""

from __future__ import annotations

import itertools
from collections import Counter
import time
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.procedural import article, make_shape, shape_mesh
from ..geometry import contact_sheet, count_parts, render_mesh
from ..metrics import frechet_distance, surface_metrics
from ..pipeline import OutsideWorld
from .classifier import ShapeClassifier, mesh_views, view_features
from .prompt_sets import read_prompt_set, summarize
from .report import markdown_table
from .vae_eval import MIN_PART


def heldout_prompt(category: str, index: int = 0) -> str:
    return make_shape(category, index, "heldout").caption


@torch.no_grad()
def ground_truth(category: str, count: int, classifier: ShapeClassifier, resolution: int = 96) -> dict:
    """`count` held-out shapes of a category: meshes, teacher features (count, D), commonest part count."""
    meshes = [shape_mesh(make_shape(category, i, "heldout"), resolution) for i in range(count)]
    parts = Counter(count_parts(v, f, MIN_PART) for v, f in meshes).most_common(1)[0][0]
    features = view_features(classifier.teacher, torch.stack([mesh_views(v, f) for v, f in meshes]))
    return {"meshes": meshes, "features": features, "parts": parts}


def refused_row(category: str, prompt: str, message: str) -> dict:
    """The table row of a category whose held-out prompt the pipeline refused as outside its world."""
    return {
        "category": category,
        "prompt": prompt,
        "read_as": "",
        **dict.fromkeys(("accuracy_full", "accuracy_1_token", "parts_ok", "diversity_chamfer", "diversity_ratio"), 0.0),
        "gt_parts": "",
        "classified_as": f"refused ({message.split(';')[0]})",
    }


def pairwise_chamfer(meshes: list[tuple[np.ndarray, np.ndarray]], n_points: int = 4000) -> float:
    pairs = list(itertools.combinations([m for m in meshes if len(m[1])], 2))
    return float(np.mean([surface_metrics(*a, *b, n_points=n_points)["chamfer"] for a, b in pairs])) if pairs else 0.0


@torch.no_grad()
def evaluate_gpt(
    pipe,
    classifier: ShapeClassifier,
    seeds: int = 4,
    guidance: float = 3.0,
    sheet: Path | None = None,
    only: list[str] | None = None,
) -> tuple[str, dict]:
    start = time.perf_counter()
    k_full = pipe.max_tokens
    rows, pictures, labels = [], [], []
    generated_features, true_features = [], []
    for category in tqdm(only or pipe.categories, desc="eval gpt", unit="category"):
        prompt = heldout_prompt(category)
        try:
            results = [pipe.generate(prompt, seed=seed, guidance=guidance) for seed in range(seeds)]
        except OutsideWorld as exc:  # counts as not followed, and the table says why
            rows.append(refused_row(category, prompt, str(exc)))
            continue
        truth = ground_truth(category, max(seeds, 2), classifier)
        meshes, correct_full, correct_one, parts_ok, seen_as = [], [], [], [], Counter()
        for seed, result in enumerate(results):
            levels = pipe.decode(result.tokens, [1, k_full], seed=seed)
            views = torch.stack([mesh_views(levels[k].vertices, levels[k].faces) for k in (1, k_full)])
            features = view_features(classifier.teacher, views)  # (2, D): 1 token, full length
            predicted = classifier.logits_from_features(features).argmax(-1)
            target = classifier.categories.index(category)
            correct_one.append(float(predicted[0] == target)), correct_full.append(float(predicted[1] == target))
            full = levels[k_full]
            parts_ok.append(float(count_parts(full.vertices, full.faces, MIN_PART) == truth["parts"]))
            meshes.append((full.vertices, full.faces))
            generated_features.append(features[1])
            seen_as[classifier.categories[int(predicted[1])]] += 1
        true_features.append(truth["features"])
        diversity, true_diversity = pairwise_chamfer(meshes), pairwise_chamfer(truth["meshes"])
        rows.append(
            {
                "category": category,
                "prompt": prompt,
                "read_as": result.read_as,
                "accuracy_full": float(np.mean(correct_full)),
                "accuracy_1_token": float(np.mean(correct_one)),
                "parts_ok": float(np.mean(parts_ok)),
                "gt_parts": truth["parts"],
                "diversity_chamfer": diversity,
                "diversity_ratio": diversity / true_diversity if true_diversity > 0 else 0.0,
                "classified_as": ", ".join(f"{c} {n}" for c, n in seen_as.most_common()),
            }
        )
        if sheet:
            pictures.append(
                [
                    render_mesh(v, f, 64, views=[(30.0, 25.0)]).shade[0].clamp(0, 1).numpy()
                    if len(f)
                    else np.zeros((64, 64), np.float32)
                    for v, f in meshes
                ]
            )
            labels.append(category)
    averaged = ("accuracy_full", "accuracy_1_token", "parts_ok", "diversity_chamfer", "diversity_ratio")
    mean = {
        "category": "**mean**",
        "prompt": "",
        "read_as": "",
        "classified_as": "",
        **{k: float(np.mean([r[k] for r in rows])) for k in averaged},
    }
    fd = frechet_distance(torch.stack(generated_features).numpy(), torch.cat(true_features).numpy())
    md = (
        f"Text-to-shape on held-out wordings, {seeds} seeds per category, guidance {guidance}, full length = "
        f"{k_full} tokens, tokenizer decoder sampler steps {pipe.steps}. accuracy = share of generations the frozen "
        f"classifier puts in the prompted category; parts_ok = share with the ground truth's number of loose "
        f"parts (gt_parts; parts under 1% of the area ignored) after cleanup; "
        f"diversity = mean pairwise Chamfer ×10^-2 between seeds, diversity_ratio = that over the ground truth's "
        f"own; classified_as = the classifier's "
        f"categories for the full-length generations (count of seeds). read_as = the prompt after the prompt lexicon "
        f"(nouns the text encoder never saw in training, read as the nearest known noun in WordNet).\n\n"
        f"**Fréchet distance** (teacher features of the generations' renders vs the held-out ground truth's, "
        f"{len(generated_features)} vs {sum(len(t) for t in true_features)} shapes): {fd:.4f}\n\n"
    )
    md += markdown_table(
        rows + [mean],
        (
            "category",
            "prompt",
            "read_as",
            "accuracy_full",
            "accuracy_1_token",
            "parts_ok",
            "gt_parts",
            "diversity_chamfer",
            "diversity_ratio",
            "classified_as",
        ),
    )
    if sheet and pictures:
        Path(sheet).parent.mkdir(parents=True, exist_ok=True)
        contact_sheet(pictures, sheet, labels)
        md += f"\nContact sheet (one row per category, seeds 0..{seeds - 1}): {sheet}\n"
    figures = {
        "per_category": rows,
        "mean": mean,
        "frechet_distance": fd,
        "seeds": seeds,
        "guidance": guidance,
        "tokens": k_full,
        "steps": pipe.steps,
        "seconds": time.perf_counter() - start,
    }
    return md, figures


def full_length_features(pipe, teacher, results) -> torch.Tensor:
    """The teacher's features (N, D) of the full-length decodes of N generations."""
    k_full = pipe.max_tokens
    levels = [pipe.decode(r.tokens, [k_full], seed=r.seed)[k_full] for r in results]
    return view_features(teacher, torch.stack([mesh_views(level.vertices, level.faces) for level in levels]))


@torch.no_grad()
def named_prototypes(pipe, classifier: ShapeClassifier, seeds: int, guidance: float) -> torch.Tensor:
    """(C, D) unit mean teacher features of the model's full-length generations for "a <noun>", the
    first noun of each of its categories (`pipe.categories` order), `seeds` seeds each."""
    names = pipe.lexicon.categories if pipe.lexicon is not None and pipe.lexicon.categories else {}
    rows = []
    for category in pipe.categories:
        noun = names.get(category, [category.replace("_", " ")])[0]
        results = [pipe.generate(f"{article(noun)} {noun}", seed=s, guidance=guidance) for s in range(seeds)]
        rows.append(
            torch.nn.functional.normalize(full_length_features(pipe, classifier.teacher, results).mean(0), dim=-1)
        )
    return torch.stack(rows)


@torch.no_grad()
def evaluate_prompt_set(
    pipe, classifier: ShapeClassifier, path: Path, seeds: int = 2, guidance: float = 3.0
) -> tuple[str, dict]:
    """Prompt following on prompts as people write them. A prompt of a category the model makes is
    followed when the classifier puts its full-length generation in that category (a prompt the
    pipeline refuses as outside its world counts as not followed, and as wrongly flagged); every
    other prompt should be refused (OutsideWorld). `as_named`: the share of its generations whose
    teacher features lie nearest to what the model makes for the category's own name (its
    `named_prototypes`): whether the prompt was read as the thing, whatever the classifier, trained
    on shapes of the world as it is now, makes of the model's shapes."""
    start = time.perf_counter()
    rows = read_prompt_set(path)
    known = set(pipe.categories)
    order = list(pipe.categories)
    prototypes = named_prototypes(pipe, classifier, seeds, guidance)  # (C, D)
    per_prompt = []
    for row in tqdm(rows, desc="eval prompts", unit="prompt"):
        outcome = {
            **row,
            "in_world": row["category"] in known,
            "flagged": False,
            "followed": 0.0,
            "as_named": 0.0,
            "read_as": "",
        }
        try:
            results = [pipe.generate(row["prompt"], seed=seed, guidance=guidance) for seed in range(seeds)]
        except OutsideWorld as exc:
            outcome.update(flagged=True, message=str(exc))
        else:
            outcome["read_as"] = results[0].read_as
            if outcome["in_world"]:
                features = full_length_features(pipe, classifier.teacher, results)  # (seeds, D)
                predicted = classifier.logits_from_features(features).argmax(-1)
                target = classifier.categories.index(row["category"])
                outcome["followed"] = float((predicted == target).float().mean())
                outcome["classified_as"] = ", ".join(classifier.categories[int(p)] for p in predicted)
                nearest = (features @ prototypes.T).argmax(-1)
                outcome["as_named"] = float((nearest == order.index(row["category"])).float().mean())
                outcome["nearest_named"] = ", ".join(order[int(n)] for n in nearest)
        per_prompt.append(outcome)
    summed = summarize(per_prompt, ("followed", "as_named", "flagged"))
    inside, outside, other_categories = summed["inside"], summed["outside"], summed["other_categories"]
    by_category, by_group = summed["by_category"], summed["by_group"]
    summary = {
        "followed": summed["shares"]["followed"],
        "as_named": summed["shares"]["as_named"],
        **{k: summed["shares"][k] for k in ("in_world_wrongly_flagged", "outside_flagged", "other_categories_flagged")},
        "worst_category": min((r["followed"], r["category"]) for r in by_category)[1] if by_category else "",
    }
    md = (
        f"Prompts as people write them: {path} ({len(inside)} prompts of the {len(known)} categories this model "
        f"makes, {len(outside)} of things outside the world, {len(other_categories)} of world categories this "
        f"model does not make), {seeds} seeds each, guidance {guidance}. followed = share of generations the "
        f"frozen classifier puts in the prompt's category (refused prompts count as not followed); flagged = "
        f"share the pipeline refused as outside its world; as_named = share of generations nearest (teacher "
        f'features) to what the model makes for the category\'s own name, {seeds} seeds of "a <noun>".\n\n'
        f"**followed {summary['followed']:.3f}; as_named {summary['as_named']:.3f}; in-world prompts wrongly flagged "
        f"{summary['in_world_wrongly_flagged']:.3f}; "
        f"outside prompts flagged {summary['outside_flagged']:.3f}; prompts of categories it does not make flagged "
        f"{summary['other_categories_flagged']:.3f}**\n\n"
    )
    md += markdown_table(by_group, ("group", "prompts", "followed", "as_named", "flagged")) + "\n"
    md += markdown_table(by_category, ("category", "prompts", "followed", "as_named", "flagged"))
    misses = [p for p in inside if min(p["followed"], p["as_named"]) < 1.0]
    if misses:
        md += "\nIn-world prompts not (always) followed:\n\n" + markdown_table(
            misses,
            (
                "category",
                "group",
                "prompt",
                "read_as",
                "followed",
                "as_named",
                "flagged",
                "classified_as",
                "nearest_named",
            ),
        )
    unflagged = [p for p in outside if not p["flagged"]]
    if unflagged:
        md += "\nOutside prompts generated anyway:\n\n" + markdown_table(unflagged, ("prompt", "read_as"))
    figures = {
        "summary": summary,
        "by_category": by_category,
        "by_group": by_group,
        "prompts": per_prompt,
        "seeds": seeds,
        "guidance": guidance,
        "seconds": time.perf_counter() - start,
    }
    return md, figures
