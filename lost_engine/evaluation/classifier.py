"""The frozen shape classifier of the evaluations: a linear probe on the frozen teacher's global
features of K rendered views, trained once on ground-truth renders of the training shapes and
cached next to the render cache (keyed by the teacher file's hash).

It answers "which category does this decoded / generated shape look like?" for the tokenizer and
GPT evaluations, and `shape_semantics` gives the teacher embedding used by the semantic score.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..data.procedural import WORLD_DIGEST
from ..data.tensor_file import read_tensor_file, write_tensor_file
from ..geometry import DEFAULT_VIEWS, render_mesh


@torch.no_grad()
def view_features(teacher, views: torch.Tensor, batch: int = 64) -> torch.Tensor:
    """Views of N shapes (N, K, H, W), uint8 or float in [0, 1] -> unit global features (N, D)."""
    views = views.float() / 255.0 if views.dtype == torch.uint8 else views.float()
    return torch.cat([teacher.shape_features(views[i : i + batch])[0] for i in range(0, len(views), batch)])


def mesh_views(vertices: np.ndarray, faces: np.ndarray, resolution: int = 64) -> torch.Tensor:
    """The teacher's K views of a mesh in the unit cube: (K, res, res) in [0, 1]; blank if empty."""
    if len(faces) == 0:
        return torch.zeros(len(DEFAULT_VIEWS), resolution, resolution)
    return render_mesh(vertices, faces, resolution, DEFAULT_VIEWS).shade.clamp(0, 1)


class ShapeClassifier:
    """Logistic regression on standardised teacher features: logits = ((f − mean) / std) W^T + b."""

    def __init__(
        self,
        teacher,
        weight: torch.Tensor,
        bias: torch.Tensor,
        categories: list[str],
        mean: torch.Tensor | None = None,
        std: torch.Tensor | None = None,
    ):
        self.teacher, self.weight, self.bias, self.categories = teacher, weight, bias, list(categories)
        self.mean = mean if mean is not None else torch.zeros(weight.shape[1])
        self.std = std if std is not None else torch.ones(weight.shape[1])

    def logits_from_features(self, feats: torch.Tensor) -> torch.Tensor:
        return (feats - self.mean) / self.std @ self.weight.T + self.bias

    def predict(self, views: torch.Tensor) -> torch.Tensor:
        """(N, K, H, W) -> category indices (N,)."""
        return self.logits_from_features(view_features(self.teacher, views)).argmax(-1)

    @classmethod
    def fit(
        cls,
        teacher,
        views: torch.Tensor,
        labels: torch.Tensor,
        categories: list[str],
        steps: int = 500,
        weight_decay: float = 1e-3,
    ) -> "ShapeClassifier":
        """Multinomial logistic regression on the standardised features (full batch, L-BFGS)."""
        feats = view_features(teacher, views)
        mean, std = feats.mean(0), feats.std(0).clamp(min=1e-6)
        x = (feats - mean) / std
        weight = torch.zeros(len(categories), feats.shape[1], requires_grad=True)
        bias = torch.zeros(len(categories), requires_grad=True)
        opt = torch.optim.LBFGS([weight, bias], max_iter=steps, line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = F.cross_entropy(x @ weight.T + bias, labels) + weight_decay * weight.square().sum()
            loss.backward()
            return loss

        opt.step(closure)
        return cls(teacher, weight.detach(), bias.detach(), categories, mean, std)

    def save(self, path: Path) -> None:
        write_tensor_file(
            path,
            {"weight": self.weight, "bias": self.bias, "mean": self.mean, "std": self.std},
            {"categories": self.categories},
        )

    @classmethod
    def load(cls, teacher, path: Path) -> "ShapeClassifier":
        t, lists = read_tensor_file(path, "the shape classifier: classifier_for writes it")
        return cls(teacher, t["weight"], t["bias"], lists["categories"], t["mean"], t["std"])


def file_digest(path: Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]


def classifier_for(
    teacher,
    teacher_path: Path,
    per_category: int = 30,
    cache_root: Path = Path(".cache"),
    workers: int = 2,
    data: str = "procedural",
) -> ShapeClassifier:
    """The cached classifier of this teacher, trained on first use on `per_category` training
    shapes per category of `data` ('procedural' or 'procedural:a,b,…'; their renders come from the
    render cache)."""
    from ..data.renders import build_render_set

    subset = "" if data == "procedural" else "-" + hashlib.sha1(data.encode()).hexdigest()[:8]
    path = (
        Path(cache_root)
        / "classifier"
        / f"{Path(teacher_path).stem}-{file_digest(teacher_path)}-{WORLD_DIGEST}-{per_category}{subset}.safetensors"
    )
    if path.is_file():
        return ShapeClassifier.load(teacher, path)
    views, items, categories = build_render_set(
        data, "train", per_category, Path(cache_root) / "renders", workers=workers
    )
    labels = torch.tensor([categories.index(it.category) for it in items])
    classifier = ShapeClassifier.fit(teacher, views, labels, list(categories))
    classifier.save(path)
    return classifier
