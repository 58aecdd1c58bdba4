import pytest
from lost_engine.data.teacher_features import load_teacher_features
from lost_engine.teachers import load_teacher
from train import teacher as train_teacher

pytestmark = pytest.mark.slow  # minutes of training or a Blender process: `-m "not slow"` skips it


def test_teacher_stage_trains_exports_and_caches_features(tmp_path):
    out = tmp_path / "teacher.safetensors"
    train_teacher.main(
        [
            "--data",
            "procedural:chair,mug,lamp,car,tree",
            "--per-category",
            "1",
            "--heldout-per-category",
            "1",
            "--steps",
            "2",
            "--batch-size",
            "4",
            "--render-cache",
            str(tmp_path / "r"),
            "--prep-workers",
            "1",
            "--out",
            str(tmp_path / "run"),
            "--export",
            str(out),
            "--features",
            str(tmp_path / "f"),
            "--log-every",
            "1",
        ]
    )
    teacher = load_teacher("render_ssl", out)
    assert teacher.extra["steps"] == 2 and "train.teacher" in teacher.extra["train_command"]
    for split in ("train", "heldout"):
        feats = load_teacher_features(tmp_path / "f" / "teacher" / f"{split}.safetensors")
        n = 5  # the categories asked for
        assert feats.global_.shape == (n, 192) and feats.tokens.shape == (n, 32, 192)
        assert len(set(feats.labels.tolist())) == n
