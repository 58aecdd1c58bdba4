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

from ..data.procedural import make_shape, shape_mesh
from ..geometry import contact_sheet, count_parts, render_mesh
from ..metrics import frechet_distance, surface_metrics
from .classifier import ShapeClassifier, mesh_views, view_features
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
        truth = ground_truth(category, max(seeds, 2), classifier)
        meshes, correct_full, correct_one, parts_ok, seen_as = [], [], [], [], Counter()
        for seed in range(seeds):
            result = pipe.generate(prompt, seed=seed, guidance=guidance)
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
