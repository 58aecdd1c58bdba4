"""The demo job while text-to-shape generation is not trained yet.

It shows the parts that exist: a procedural shape of the category named in the prompt (if any),
its mesh, and its round trip through the embedded VAE (mesh -> latent triplane -> mesh), with a
contact sheet of the result.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

from .data.procedural import CATEGORIES, SYNONYMS, make_shape, shape_mesh
from .data.samples import SampleSpec, sample_analytic
from .geometry import contact_sheet, render_mesh, write_mesh


def category_of(prompt: str) -> str:
    """The category whose noun (or synonym) appears in the prompt; 'chair' if none does."""
    text = f" {prompt.lower()} "
    for category in CATEGORIES:
        if any(f" {noun} " in text for noun in sorted(SYNONYMS[category], key=len, reverse=True)):
            return category
    return "chair"


def run_demo(prompt: str, out: Path, vae_path: Path) -> None:
    if not prompt.strip():
        raise ValueError("empty prompt: describe a shape, e.g. \"a wooden chair\"")
    out.mkdir(parents=True, exist_ok=True)
    category = category_of(prompt)
    print(f"prompt {prompt!r} -> category {category!r} (text-to-shape generation lands with the GPT stage)")
    shape = make_shape(category, 0, "heldout")
    verts, faces = shape_mesh(shape, 128)
    gt_path = write_mesh(out / f"{category}_procedural.obj", verts, faces)
    images = [render_mesh(verts, faces, 96).shade.numpy()]
    summary = {"prompt": prompt, "category": category, "procedural_mesh": str(gt_path)}
    if vae_path.exists():
        from .checkpoint import load_model

        vae = load_model(vae_path, "triplane_vae")
        t0 = time.perf_counter()
        sample = sample_analytic(shape.csg, SampleSpec(), np.random.default_rng(0))
        with torch.no_grad():
            latent = vae.encode(torch.from_numpy(sample["surface"])[None], torch.from_numpy(sample["normals"])[None]).mean[0]
        rv, rf = vae.latent_to_mesh(latent, 128)
        summary["vae_seconds"] = round(time.perf_counter() - t0, 3)
        summary["vae_mesh"] = str(write_mesh(out / f"{category}_vae.obj", rv, rf))
        images.append(render_mesh(rv, rf, 96).shade.numpy())
    else:
        print(f"no VAE weights at {vae_path}: showing the procedural shape only")
    contact_sheet([list(views) for views in images], out / "contact_sheet.png",
                  ["procedural", "VAE"][: len(images)])
    summary["contact_sheet"] = str(out / "contact_sheet.png")
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
