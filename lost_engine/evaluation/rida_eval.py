"""k-NN category retrieval with global embeddings: teacher vs trained student vs random student.

Queries are the held-out shapes, the database is the training set; similarity is cosine.
top-1: label of the nearest neighbour; mAP: mean over queries of the average precision of the
database ranking (relevant = same category).
"""

from __future__ import annotations

from pathlib import Path

import torch

from ..data.latents import load_latents
from ..data.teacher_features import load_teacher_features
from .report import markdown_table


def retrieval(query: torch.Tensor, query_labels: torch.Tensor, base: torch.Tensor, base_labels: torch.Tensor) -> dict:
    sim = torch.nn.functional.normalize(query, dim=-1) @ torch.nn.functional.normalize(base, dim=-1).T
    order = sim.argsort(dim=1, descending=True)
    relevant = (base_labels[order] == query_labels[:, None]).float()  # (Q, N) in ranking order
    top1 = float(relevant[:, 0].mean())
    hits = relevant.cumsum(1)
    ranks = torch.arange(1, relevant.shape[1] + 1)
    ap = (hits / ranks * relevant).sum(1) / relevant.sum(1).clamp(min=1)
    return {"top1": top1, "mAP": float(ap.mean())}


@torch.no_grad()
def _student_globals(model, latents: torch.Tensor, batch: int = 128) -> torch.Tensor:
    return torch.cat([model(latents[i : i + batch])[0] for i in range(0, len(latents), batch)])


def evaluate_rida(student, latents_dir: Path, teacher_dir: Path) -> tuple[str, dict]:
    from ..models.rida import RIDAStudent

    lat_tr, lat_te = load_latents(latents_dir / "train.safetensors"), load_latents(latents_dir / "heldout.safetensors")
    tf_tr, tf_te = (
        load_teacher_features(teacher_dir / "train.safetensors"),
        load_teacher_features(teacher_dir / "heldout.safetensors"),
    )
    torch.manual_seed(0)
    random_student = RIDAStudent(student.config).eval()
    rows = [
        {"model": "teacher (render views)", **retrieval(tf_te.global_, tf_te.labels, tf_tr.global_, tf_tr.labels)},
        {
            "model": "RIDA student (trained)",
            **retrieval(
                _student_globals(student, lat_te.latents),
                lat_te.labels,
                _student_globals(student, lat_tr.latents),
                lat_tr.labels,
            ),
        },
        {
            "model": "RIDA student (random init)",
            **retrieval(
                _student_globals(random_student, lat_te.latents),
                lat_te.labels,
                _student_globals(random_student, lat_tr.latents),
                lat_tr.labels,
            ),
        },
    ]
    chance = 1 / len(lat_tr.categories)
    md = (
        f"k-NN category retrieval, {len(lat_te.labels)} held-out queries against {len(lat_tr.labels)} training shapes, "
        f"{len(lat_tr.categories)} categories (chance top-1 = {chance:.3f})\n\n"
        + markdown_table(rows, ("model", "top1", "mAP"))
    )
    return md, {"rows": rows, "chance_top1": chance, "queries": len(lat_te.labels), "database": len(lat_tr.labels)}
