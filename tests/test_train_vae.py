import json

import pytest
import torch

from lost_engine.checkpoint import load_model
from lost_engine.cli import main as cli
from lost_engine.data.latents import load_latents
from train import vae as train_vae

pytestmark = pytest.mark.slow  # minutes of training or a Blender process: `-m "not slow"` skips it
SOME = ["--data", "procedural:chair,mug,lamp,car"]  # a few categories of the world: the stage, not the world, is tested


def test_vae_stage_trains_resumes_exports_latents_and_evaluates(tmp_path, capsys):
    common = [
        *SOME,
        "--per-category",
        "1",
        "--heldout-per-category",
        "1",
        "--batch-size",
        "2",
        "--cache",
        str(tmp_path / "c"),
        "--out",
        str(tmp_path / "run"),
        "--latents",
        str(tmp_path / "lat"),
        "--prep-workers",
        "1",
        "--export",
        str(tmp_path / "vae.safetensors"),
        "--log-every",
        "1",
        "--ckpt-every",
        "1",
    ]
    train_vae.main(["--steps", "2", *common])
    train_vae.main(["--steps", "3", "--resume", *common])
    out = capsys.readouterr().out
    assert "resumed from" in out and "at step 2" in out and "step 3/3" in out
    lat = load_latents(tmp_path / "lat" / "vae" / "train.safetensors")
    assert lat.latents.shape[0] == 4 and lat.latents.shape[1:] == (3, 8, 16, 16)
    assert abs(float(lat.latents.mean())) < 0.2 and 0.8 < float(lat.latents.std()) < 1.2  # normalised latents

    assert cli(["info", str(tmp_path / "vae.safetensors")]) == 0
    assert "triplane_vae" in capsys.readouterr().out
    report = tmp_path / "eval.json"
    assert (
        cli(
            [
                "eval",
                "vae",
                "--ckpt",
                str(tmp_path / "vae.safetensors"),
                "--per-category",
                "1",
                *SOME,
                "--resolution",
                "32",
                "--json",
                str(report),
                "--sheet",
                str(tmp_path / "sheet.png"),
            ]
        )
        == 0
    )
    figures = json.loads(report.read_text())
    assert [r["category"] for r in figures["per_category"]] == ["chair", "mug", "lamp", "car"] and 0 <= figures["mean"][
        "iou"
    ] <= 1
    assert (tmp_path / "sheet.png").exists() and figures["split"] == "heldout"
    for shape in figures["shapes"]:  # loose parts counted on both sides (the metric a broken leg moves)
        assert shape["gt_parts"] >= 1 and shape["parts_match"] == float(shape["parts"] == shape["gt_parts"])
        assert shape["chamfer_clean"] > 0
    assert (
        cli(
            [
                "eval",
                "vae",
                "--ckpt",
                str(tmp_path / "vae.safetensors"),
                "--per-category",
                "1",
                "--split",
                "train",
                *SOME,
                "--resolution",
                "32",
                "--json",
                str(report),
            ]
        )
        == 0
    )
    figures = json.loads(report.read_text())
    assert figures["split"] == "train" and all("_train_" in shape["key"] for shape in figures["shapes"])


def test_info_on_a_missing_checkpoint_exits_2_with_a_message(tmp_path, capsys):
    assert cli(["info", str(tmp_path / "nope.safetensors")]) == 2
    assert "nope.safetensors" in capsys.readouterr().err


def test_freeze_encoder_trains_the_decoder_only_and_keeps_the_latent_space(tmp_path):
    common = [
        *SOME,
        "--per-category",
        "1",
        "--heldout-per-category",
        "1",
        "--batch-size",
        "2",
        "--cache",
        str(tmp_path / "c"),
        "--prep-workers",
        "1",
        "--latents",
        str(tmp_path / "lat"),
        "--log-every",
        "1",
        "--ckpt-every",
        "5",
    ]
    train_vae.main(["--steps", "1", "--out", str(tmp_path / "a"), "--export", str(tmp_path / "a.safetensors"), *common])
    with pytest.raises(SystemExit, match="--init"):
        train_vae.main(["--steps", "1", "--freeze-encoder", "--out", str(tmp_path / "x"), *common])
    with pytest.raises(
        SystemExit, match="encoder must keep its config"
    ):  # a wider encoder cannot come from a.safetensors
        train_vae.main(
            [
                "--steps",
                "1",
                "--freeze-encoder",
                "--init",
                str(tmp_path / "a.safetensors"),
                "--set",
                "width=64",
                "--out",
                str(tmp_path / "x"),
                *common,
            ]
        )
    train_vae.main(
        [
            "--steps",
            "2",
            "--lr",
            "1e-2",
            "--warmup",
            "0",
            "--init",
            str(tmp_path / "a.safetensors"),
            "--freeze-encoder",
            "--out",
            str(tmp_path / "b"),
            "--export",
            str(tmp_path / "b.safetensors"),
            *common,
        ]
    )
    before, after = (
        load_model(tmp_path / "a.safetensors").state_dict(),
        load_model(tmp_path / "b.safetensors").state_dict(),
    )
    decoder = [name for name in before if name.startswith(train_vae.DECODER_PREFIXES)]
    assert decoder and all(not torch.equal(before[n], after[n]) for n in decoder if n.endswith("weight"))
    assert all(torch.equal(before[n], after[n]) for n in before if n not in decoder)  # encoder and latent_shift/scale
    for split in ("train", "heldout"):
        assert torch.equal(
            load_latents(tmp_path / "lat" / "a" / f"{split}.safetensors").latents,
            load_latents(tmp_path / "lat" / "b" / f"{split}.safetensors").latents,
        )
