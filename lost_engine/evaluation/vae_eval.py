"""VAE reconstruction quality: IoU, Chamfer ×10^-2 and F-score per category, plus a contact sheet."""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.samples import SampleSpec
from ..data.sources import open_source
from ..geometry import contact_sheet, render_mesh
from ..metrics import mesh_metrics
from .reference import reference_for
from .report import markdown_table

METRICS = ("iou", "chamfer", "fscore")


@torch.no_grad()
def evaluate_vae(vae, data: str = "procedural", per_category: int = 12, resolution: int = 128,
                 sheet: Path | None = None, per_shape: bool = False, split: str = "heldout") -> tuple[str, dict]:
    """`split` train measures fitting (the first shapes the VAE trained on), heldout generalisation."""
    source = open_source(data, split, per_category)
    spec = SampleSpec()
    per_cat: dict[str, list[dict]] = defaultdict(list)
    shapes, pictures, labels = [], [], []
    shown = defaultdict(int)
    start = time.perf_counter()
    for item in tqdm(source.items, desc="eval vae", unit="shape"):
        try:
            sample = source.sample(item, spec)
            ref = reference_for(item)
        except Exception as exc:  # a bad file is reported, never fatal
            print(f"skipped {item.source}: {exc}")
            continue
        post = vae.encode(torch.from_numpy(sample["surface"])[None], torch.from_numpy(sample["normals"])[None])
        planes = vae.decode(post.mean)
        occ = (vae.occupancy(planes, torch.from_numpy(ref.queries)[None]) > 0).squeeze(0).numpy()
        verts, faces = vae.latent_to_mesh(post.mean[0], resolution)
        m = mesh_metrics(verts, faces, ref, occ)
        per_cat[item.category].append(m)
        shapes.append({"key": item.key, "category": item.category, **m})
        if sheet and shown[item.category] < 2:
            shown[item.category] += 1
            gt = render_mesh(ref.vertices, ref.faces, 64, views=[(30.0, 25.0)]).shade[0].numpy()
            rec = render_mesh(verts, faces, 64, views=[(30.0, 25.0)]).shade[0].numpy() if len(faces) else np.zeros_like(gt)
            pictures.append([gt, rec]), labels.append(item.category)
    rows = [{"category": c, "shapes": len(ms), **{k: float(np.mean([m[k] for m in ms])) for k in METRICS}}
            for c, ms in per_cat.items()]
    all_ms = [m for ms in per_cat.values() for m in ms]
    mean = {"category": "**mean**", "shapes": len(all_ms), **{k: float(np.mean([m[k] for m in all_ms])) for k in METRICS}}
    md = f"VAE reconstruction on {data} {split} shapes (marching cubes {resolution}^3; Chamfer ×10^-2, F-score@0.02, volume IoU on 20k uniform points)\n\n"
    md += markdown_table(rows + [mean], ("category", "shapes", "iou", "chamfer", "fscore"))
    if per_shape:
        md += "\n" + markdown_table(shapes, ("key", "iou", "chamfer", "fscore"))
    if sheet and pictures:
        # pair rows: ground truth | reconstruction, two shapes side by side per row
        rows_img = [pictures[i][0:2] + (pictures[i + 1][0:2] if i + 1 < len(pictures) else []) for i in range(0, len(pictures), 2)]
        contact_sheet(rows_img, sheet, [labels[i] for i in range(0, len(pictures), 2)])
        md += f"\nContact sheet (ground truth | reconstruction, two shapes per row): {sheet}\n"
    figures = {"data": data, "split": split, "resolution": resolution, "per_category": rows, "mean": mean, "shapes": shapes,
               "seconds": time.perf_counter() - start}
    return md, figures
