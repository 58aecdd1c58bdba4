"""Tokenizer quality as a function of the prefix length k, on held-out procedural shapes.

For every held-out shape: VAE latent -> tokens -> decode of each k in {1, 2, 4, ..., K} (one
batch, one seed) -> VAE -> marching cubes. Per k:
    chamfer   Chamfer ×10^-2 to the true surface       fscore  F-score@0.02
    iou       volume IoU on 20k uniform points          semantic  teacher cosine between the
    accuracy  frozen classifier's category accuracy               renders of decode and truth
on the renders of the decoded mesh. Reference rows: the ground-truth mesh itself (classifier
sanity check), the VAE's own reconstruction (the ceiling every decode is bounded by), and another
held-out shape of the same category in place of the decode (what "a right-category shape, but not
this one" scores: the floor a decode must beat to carry more than its category).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.samples import SampleSpec
from ..data.sources import open_source
from ..geometry import contact_sheet, render_mesh
from ..metrics import mesh_metrics
from .classifier import ShapeClassifier, mesh_views, view_features
from .reference import Reference, reference_for
from .report import markdown_table

METRICS = ("chamfer", "fscore", "iou", "semantic", "accuracy")
SHEET_VIEW = [(30.0, 25.0)]


@dataclass
class HeldoutShape:
    key: str
    category: str
    label: int
    latent: torch.Tensor  # (3, C, R, R) normalised VAE latent (posterior mean)
    reference: Reference
    feature: torch.Tensor  # (D,) teacher global feature of the ground-truth mesh's views


@torch.no_grad()
def heldout_shapes(
    vae, teacher, per_category: int, categories: list[str], only: list[str] | None = None
) -> list[HeldoutShape]:
    source = open_source("procedural", "heldout", per_category)
    spec, shapes = SampleSpec(), []
    items = [it for it in source.items if only is None or it.category in only]
    for item in tqdm(items, desc="held-out shapes", unit="shape"):
        sample = source.sample(item, spec)
        latent = vae.encode(torch.from_numpy(sample["surface"])[None], torch.from_numpy(sample["normals"])[None]).mean[
            0
        ]
        ref = reference_for(item)
        feature = view_features(teacher, mesh_views(ref.vertices, ref.faces)[None])[0]
        shapes.append(HeldoutShape(item.key, item.category, categories.index(item.category), latent, ref, feature))
    return shapes


@torch.no_grad()
def score_latents(
    vae, latents: torch.Tensor, shape: HeldoutShape, classifier: ShapeClassifier, resolution: int
) -> tuple[list[dict], list[np.ndarray]]:
    """Metrics of each decoded latent (n, 3, C, R, R) against one shape, and a picture of each."""
    planes = vae.decode(latents)
    occupancy = (
        vae.occupancy(planes, torch.from_numpy(shape.reference.queries)[None].expand(len(latents), -1, -1)) > 0
    ).numpy()
    meshes = [vae.planes_to_mesh(p, resolution, sparse=True) for p in planes]
    views = torch.stack([mesh_views(v, f) for v, f in meshes])
    feats = view_features(classifier.teacher, views)
    predicted = classifier.logits_from_features(feats).argmax(-1)
    out = []
    for (verts, faces), occ, feat, pred in zip(meshes, occupancy, feats, predicted):
        m = mesh_metrics(verts, faces, shape.reference, occ)
        out.append({**m, "semantic": float(feat @ shape.feature), "accuracy": float(pred == shape.label)})
    pictures = [_picture(v, f) for v, f in meshes]
    return out, pictures


def _picture(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    if len(faces) == 0:
        return np.zeros((64, 64), np.float32)
    return render_mesh(verts, faces, 64, views=SHEET_VIEW).shade[0].clamp(0, 1).numpy()


def _mean(ms: list[dict]) -> dict:
    return {k: float(np.mean([m[k] for m in ms])) for k in METRICS}


OTHER_SHAPE = "same category, other shape"


def other_shape_metrics(shape: HeldoutShape, other: HeldoutShape, classifier: ShapeClassifier) -> dict:
    """The metrics of `other` (a ground-truth shape) scored as if it were a decode of `shape`."""
    ref, alt = shape.reference, other.reference
    m = mesh_metrics(alt.vertices, alt.faces, ref, alt.occupancy)  # both on the same query points
    predicted = classifier.logits_from_features(other.feature[None]).argmax(-1)
    return {**m, "semantic": float(other.feature @ shape.feature), "accuracy": float(predicted == shape.label)}


@torch.no_grad()
def evaluate_tokenizer(
    models: dict,
    vae,
    classifier: ShapeClassifier,
    per_category: int = 3,
    resolution: int = 96,
    steps: int | None = None,
    seed: int = 0,
    sheet: Path | None = None,
    plot: Path | None = None,
    only: list[str] | None = None,
) -> tuple[str, dict]:
    """models: {name: LoSTTokenizer} evaluated on the same shapes, same seed; `only`: a subset of categories."""
    start = time.perf_counter()
    steps_of = {name: steps or model.config.sample_steps for name, model in models.items()}
    ks = next(iter(models.values())).config.prefix_lengths
    shapes = heldout_shapes(vae, classifier.teacher, per_category, classifier.categories, only)
    results: dict[tuple[str, int], list[dict]] = defaultdict(list)
    per_category_results: dict[tuple[str, int, str], list[dict]] = defaultdict(list)
    sheet_rows, sheet_labels, shown = [], [], set()
    by_category = defaultdict(list)
    for shape in shapes:
        by_category[shape.category].append(shape)
    other_of = {
        s.key: same[(i + 1) % len(same)] if len(same) > 1 else None  # the next shape of its category, cyclically
        for same in by_category.values()
        for i, s in enumerate(same)
    }
    for shape in tqdm(shapes, desc="eval tokenizer", unit="shape"):
        gt_pred = classifier.logits_from_features(shape.feature[None]).argmax(-1)
        results[("ground truth", 0)].append(
            {"chamfer": 0.0, "fscore": 1.0, "iou": 1.0, "semantic": 1.0, "accuracy": float(gt_pred == shape.label)}
        )
        (vae_m,), (vae_pic,) = score_latents(vae, shape.latent[None], shape, classifier, resolution)
        results[("vae", 0)].append(vae_m)
        if other_of[shape.key] is not None:
            results[(OTHER_SHAPE, 0)].append(other_shape_metrics(shape, other_of[shape.key], classifier))
        rows_pics = {}
        for name, model in models.items():
            decoded = model.decode_prefixes(model.encode(shape.latent[None]), ks, steps, seed)
            ms, pics = score_latents(vae, decoded, shape, classifier, resolution)
            for k, m in zip(ks, ms):
                results[(name, k)].append(m)
                per_category_results[(name, k, shape.category)].append(m)
            rows_pics[name] = pics
        if sheet and shape.category not in shown:
            shown.add(shape.category)
            gt_pic = _picture(shape.reference.vertices, shape.reference.faces)
            for i, (name, pics) in enumerate(rows_pics.items()):
                lead = [gt_pic, vae_pic] if i == 0 else [np.zeros_like(gt_pic)] * 2
                sheet_rows.append(lead + pics)
                sheet_labels.append(f"{shape.category} {name}")
    rows = [{"model": name, "k": k or "-", "shapes": len(ms), **_mean(ms)} for (name, k), ms in results.items()]
    categories = [
        {"model": name, "k": k, "category": c, **_mean(ms)} for (name, k, c), ms in per_category_results.items()
    ]
    md = (
        f"Tokenizer prefix decodes on {len(shapes)} held-out procedural shapes ({per_category} per category), "
        f"sampler steps {sampler_steps_text(steps_of)}, seed {seed}, marching cubes "
        f"{resolution}^3. Chamfer ×10^-2, F-score@0.02, volume IoU; semantic = teacher cosine between renders of "
        f"decode and ground truth; accuracy = frozen classifier on the decode's renders.\n\n"
    )
    md += markdown_table(rows, ("model", "k", "shapes", *METRICS))
    if sheet and sheet_rows:
        Path(sheet).parent.mkdir(parents=True, exist_ok=True)
        contact_sheet(sheet_rows, sheet, sheet_labels)
        md += f"\nContact sheet (ground truth | VAE | k = {', '.join(map(str, ks))}): {sheet}\n"
    if plot:
        plot_metrics(rows, list(models), ks, plot)
        md += f"\nMetrics vs k: {plot}\n"
    figures = {
        "ks": ks,
        "rows": rows,
        "per_category": categories,
        "shapes": len(shapes),
        "resolution": resolution,
        "steps": steps_of,
        "seed": seed,
        "seconds": time.perf_counter() - start,
    }
    return md, figures


def sampler_steps_text(steps_of: dict[str, int]) -> str:
    """'8' when every model decodes with the same number of steps, else 'LoS 1, geometric-only 8'."""
    if len(set(steps_of.values())) == 1:
        return str(next(iter(steps_of.values())))
    return ", ".join(f"{name} {n}" for name, n in steps_of.items())


def plot_metrics(rows: list[dict], names: list[str], ks: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(METRICS), figsize=(4 * len(METRICS), 3.4))
    by = {(r["model"], r["k"]): r for r in rows}
    for ax, metric in zip(axes, METRICS):
        for name in names:
            ax.plot(ks, [by[(name, k)][metric] for k in ks], marker="o", label=name)
        ax.axhline(by[("vae", "-")][metric], color="grey", linestyle="--", label="VAE reconstruction")
        ax.set_xscale("log", base=2)
        ax.set_xticks(ks, [str(k) for k in ks])
        ax.set_xlabel("tokens k")
        ax.set_title(metric)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
