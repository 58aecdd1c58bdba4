import json

import pytest
import torch
import torch.nn.functional as F

from lost_engine.cli import main as cli
from lost_engine.data.latents import LatentSet, save_latents
from lost_engine.data.teacher_features import TeacherFeatures, save_teacher_features
from lost_engine.models.rida import RIDAConfig, RIDAStudent, global_infonce, rank_loss, rida_loss, spatial_loss
from train import rida as train_rida

MICRO = RIDAConfig(
    latent_channels=4, latent_resolution=8, patch=2, width=32, depth=1, heads=2, teacher_dim=16, spatial_tokens=8
)


def _teacher(n=24, d=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = F.normalize(torch.randn(4, d, generator=g), dim=-1)
    return F.normalize(centers[torch.arange(n) % 4] + 0.3 * torch.randn(n, d, generator=g), dim=-1)


def test_rank_loss_is_zero_for_equal_relations_and_grows_when_shuffled():
    t = _teacher()
    rotated = t @ torch.linalg.qr(torch.randn(16, 16))[0]  # same relations, other coordinates
    assert rank_loss(rotated, t) < 1e-8
    assert rank_loss(t[torch.randperm(len(t))], t) > 0.3


def test_spatial_loss_is_zero_for_equal_affinities_and_grows_when_shuffled():
    tokens = F.normalize(torch.randn(4, 32, 16), dim=-1)
    assert spatial_loss(tokens, tokens, 8) < 1e-6
    assert spatial_loss(tokens[:, torch.randperm(32)], tokens, 8) > 1e-3


def test_global_infonce_is_lowest_when_student_matches_teacher():
    t = _teacher()
    scale = torch.tensor(2.0)
    equal = global_infonce(t, t, scale, positive=0.8, ignore=0.5)
    shuffled = global_infonce(t[torch.randperm(len(t), generator=torch.Generator().manual_seed(1))], t, scale, 0.8, 0.5)
    assert equal < shuffled - 0.5


def test_with_labels_a_caption_is_not_pushed_from_its_own_category_nor_pulled_to_another():
    t = torch.eye(4)  # four unrelated shapes: no pair is positive or ignored by similarity
    labels = torch.tensor([0, 0, 1, 1])
    toward_own = F.normalize(t + torch.eye(4)[[1, 0, 3, 2]], dim=-1)  # each student leans to its category's other
    toward_other = F.normalize(t + torch.eye(4)[[2, 3, 0, 1]], dim=-1)  # ... to a shape of the other category
    scale = torch.tensor(2.0)
    plain = [float(global_infonce(s, t, scale, 0.9, 0.5)) for s in (toward_own, toward_other)]
    aware = [float(global_infonce(s, t, scale, 0.9, 0.5, labels)) for s in (toward_own, toward_other)]
    assert plain[0] == pytest.approx(plain[1])
    assert aware[0] < aware[1] - 0.3


def test_gradients_reach_the_student_only():
    torch.manual_seed(0)
    model = RIDAStudent(MICRO)
    teacher_g = _teacher(8)
    teacher_t = torch.randn(8, 12, 16)
    loss, terms = rida_loss(model, torch.randn(8, 3, 4, 8, 8), teacher_g, teacher_t)
    loss.backward()
    assert set(terms) == {"global", "rank", "spatial"}
    assert teacher_g.grad is None and teacher_t.grad is None and not teacher_g.requires_grad
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None for g in grads) and sum(float(g.abs().sum()) for g in grads) > 0


def _caches(tmp_path, n_train=40, n_test=12):
    torch.manual_seed(0)
    for split, n in (("train", n_train), ("heldout", n_test)):
        labels = torch.arange(n) % 4
        latents = torch.randn(4, 3, 4, 8, 8)[labels] + 0.3 * torch.randn(n, 3, 4, 8, 8)
        keys = [f"{split}{i}" for i in range(n)]
        save_latents(
            tmp_path / "lat" / f"{split}.safetensors", LatentSet(latents, labels, list("abcd"), ["x"] * n, keys)
        )
        g = F.normalize(torch.eye(16)[labels] + 0.2 * torch.randn(n, 16), dim=-1)
        save_teacher_features(
            tmp_path / "tf" / f"{split}.safetensors",
            TeacherFeatures(g, torch.randn(n, 8, 16), labels, keys, list("abcd")),
        )


@pytest.mark.slow
def test_rida_stage_trains_on_caches_and_eval_reports_three_models(tmp_path):
    _caches(tmp_path)
    out = tmp_path / "rida.safetensors"
    train_rida.main(
        [
            "--latents",
            str(tmp_path / "lat"),
            "--teacher-features",
            str(tmp_path / "tf"),
            "--steps",
            "30",
            "--batch-size",
            "16",
            "--out",
            str(tmp_path / "run"),
            "--export",
            str(out),
            "--log-every",
            "10",
        ]
    )
    report = tmp_path / "rida.json"
    assert (
        cli(
            [
                "eval",
                "rida",
                "--ckpt",
                str(out),
                "--latents",
                str(tmp_path / "lat"),
                "--teacher-features",
                str(tmp_path / "tf"),
                "--json",
                str(report),
            ]
        )
        == 0
    )
    rows = {r["model"]: r for r in json.loads(report.read_text())["rows"]}
    assert len(rows) == 3 and rows["teacher (render views)"]["top1"] > 0.9
    assert all(0 <= r["mAP"] <= 1 for r in rows.values())
