"""Distributed and interrupted training (CPU, gloo): a 2-process torchrun run equals a 1-process
run with twice the batch; a killed run resumes to the weights of an uninterrupted one."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from lost_engine.checkpoint import save_model
from lost_engine.data.latents import LatentSet, save_latents
from lost_engine.models.triplane_vae import TriplaneVAE, TriplaneVAEConfig
from lost_engine.sample_random import SampleRandom

pytestmark = pytest.mark.slow  # minutes of training or a Blender process: `-m "not slow"` skips it

ROOT = Path(__file__).resolve().parents[1]
MICRO = {
    "registers": 8,
    "token_dim": 8,
    "patch": 2,
    "enc_width": 32,
    "enc_depth": 1,
    "enc_heads": 2,
    "dec_width": 32,
    "dec_depth": 1,
    "dec_heads": 2,
}


@pytest.fixture(scope="module")
def latents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("latents")
    g = torch.Generator().manual_seed(0)
    save_latents(
        folder / "train.safetensors",
        LatentSet(
            torch.randn(20, 3, 4, 4, 4, generator=g),
            torch.arange(20) % 2,
            ["a", "b"],
            [f"c{i}" for i in range(20)],
            [f"k{i}" for i in range(20)],
        ),
    )
    return folder


def _args(latents, out, steps, batch, ckpt_every=100):
    sets = [a for f, v in MICRO.items() for a in ("--set", f"{f}={v}")]
    return [
        "--steps",
        str(steps),
        "--batch-size",
        str(batch),
        "--warmup",
        "2",
        "--lr",
        "3e-3",
        "--log-every",
        "1",
        "--ckpt-every",
        str(ckpt_every),
        "--threads",
        "1",
        "--semantic-weight",
        "0",
        "--latents",
        str(latents),
        "--out",
        str(out),
        "--resume",
        *sets,
    ]


def _train(args, nproc=1, wait=True, stage="tokenizer"):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    launcher = (
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(nproc), "--master_port", "29533"]
        if nproc > 1
        else [sys.executable]
    )
    proc = subprocess.Popen(
        [*launcher, "-m", f"train.{stage}", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if not wait:
        return proc
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]
    return out


def _state(out):
    return torch.load(Path(out) / "state.pt", map_location="cpu", weights_only=True)


def _losses(out):
    return [json.loads(line)["loss"] for line in (Path(out) / "log.jsonl").read_text().splitlines()]


def test_sample_random_draws_do_not_depend_on_how_a_batch_is_split():
    seeds = torch.tensor([5, 17, 99, 1234])
    whole = SampleRandom(seeds)
    parts = [SampleRandom(seeds[:1]), SampleRandom(seeds[1:])]
    assert torch.equal(whole.randn(3, 2), torch.cat([p.randn(3, 2) for p in parts]))
    assert torch.equal(whole.randint(7), torch.cat([p.randint(7) for p in parts]))
    assert not torch.equal(SampleRandom(seeds).rand(), SampleRandom(seeds + 1).rand())


@pytest.mark.parametrize("accum", [1, 2])
def test_two_process_torchrun_matches_one_process_with_twice_the_batch(latents, tmp_path, accum):
    """With accumulation, DDP syncs the gradients on the last micro-step only (no_sync before it)."""
    _train([*_args(latents, tmp_path / "one", 6, 8), "--grad-accum", str(accum)])
    _train([*_args(latents, tmp_path / "two", 6, 4), "--grad-accum", str(accum)], nproc=2)
    one, two = _state(tmp_path / "one"), _state(tmp_path / "two")
    assert one["step"] == two["step"] == 6
    for name, value in one["model"].items():
        assert torch.allclose(value, two["model"][name], atol=2e-5), name
    for name, value in one["ema"].items():
        assert torch.allclose(value.float(), two["ema"][name].float(), atol=2e-5), name
    assert _losses(tmp_path / "one") == pytest.approx(_losses(tmp_path / "two"), rel=1e-4)
    assert one["model"]["final.weight"].abs().sum() > 0  # it trained


def test_a_killed_run_resumes_to_the_weights_of_an_uninterrupted_run(latents, tmp_path):
    steps = 300
    _train(_args(latents, tmp_path / "whole", steps, 4, ckpt_every=10))
    proc = _train(_args(latents, tmp_path / "cut", steps, 4, ckpt_every=10), wait=False)
    state = tmp_path / "cut" / "state.pt"
    deadline = time.monotonic() + 300
    while not state.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    cut_at = _state(tmp_path / "cut")["step"]
    assert 0 < cut_at < steps
    out = _train(_args(latents, tmp_path / "cut", steps, 4, ckpt_every=10))
    assert f"resumed from {state} at step {cut_at}" in out
    whole, resumed = _state(tmp_path / "whole"), _state(tmp_path / "cut")
    assert resumed["step"] == steps
    for part in ("model", "ema"):
        for name, value in whole[part].items():
            assert torch.equal(value, resumed[part][name]), f"{part}.{name}"


def test_sigterm_stops_at_a_step_boundary_with_a_checkpoint(latents, tmp_path):
    proc = _train(_args(latents, tmp_path / "run", 100000, 4, ckpt_every=100000), wait=False)
    log = tmp_path / "run" / "log.jsonl"
    deadline = time.monotonic() + 300
    while (not log.exists() or len(log.read_text().splitlines()) < 3) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130
    step = _state(tmp_path / "run")["step"]
    assert step >= 3 and f"stopped by a signal at step {step}" in out


def test_the_vae_and_gpt_stages_run_under_two_process_torchrun(tmp_path):
    from lost_engine.checkpoint import load_model, save_model
    from lost_engine.data.prepare import prepare_folder
    from lost_engine.data.samples import SampleSpec
    from lost_engine.geometry import write_mesh
    from lost_engine.text import TextEncoder, TextEncoderConfig

    from conftest import icosphere

    for i in range(4):
        write_mesh(tmp_path / "meshes" / f"c{i % 2}" / f"m{i}.obj", *icosphere(2, 0.2 + 0.1 * i))
    prepare_folder(
        tmp_path / "meshes", tmp_path / "shards", spec=SampleSpec(surface_points=128, queries=256), progress=False
    )
    out = _train(
        [
            "--data",
            str(tmp_path / "shards"),
            "--steps",
            "2",
            "--batch-size",
            "2",
            "--queries",
            "64",
            "--surface-points",
            "64",
            "--log-every",
            "1",
            "--out",
            str(tmp_path / "vae"),
            "--latents",
            str(tmp_path / "lat"),
            "--export",
            str(tmp_path / "vae.safetensors"),
        ],
        nproc=2,
        stage="vae",
    )
    assert "step 2/2" in out and load_model(tmp_path / "vae.safetensors", "triplane_vae") is not None

    save_latents(
        tmp_path / "tokens" / "train.safetensors",
        LatentSet(
            torch.randn(8, 8, 4),
            torch.arange(8) % 2,
            ["a", "b"],
            ["a chair", "a lamp"] * 4,
            [f"k{i}" for i in range(8)],
        ),
    )
    text = save_model(
        tmp_path / "text.safetensors",
        "text_encoder",
        TextEncoder(TextEncoderConfig(context_length=16, width=32, layers=1, embed_dim=16)),
    )
    out = _train(
        [
            "--tokens",
            str(tmp_path / "tokens"),
            "--text",
            str(text),
            "--steps",
            "2",
            "--batch-size",
            "2",
            "--log-every",
            "1",
            "--out",
            str(tmp_path / "gpt"),
            "--export",
            str(tmp_path / "gpt.safetensors"),
            "--set",
            "width=32",
            "--set",
            "depth=1",
            "--set",
            "heads=2",
            "--set",
            "head_width=32",
            "--set",
            "head_depth=1",
        ],
        nproc=2,
        stage="gpt",
    )
    assert "step 2/2" in out and load_model(tmp_path / "gpt.safetensors", "lost_gpt").config.tokens == 8


def test_init_starts_a_run_from_an_export_and_leaves_mismatched_tensors_fresh(latents, tmp_path):
    base = tmp_path / "base.safetensors"
    _train(
        _args(latents, tmp_path / "base", 2, 4) + ["--export", str(base), "--tokens-cache", str(tmp_path / "tokens")]
    )
    log = _train(_args(latents, tmp_path / "tuned", 1, 4) + ["--init", str(base), "--set", "token_dim=4", "--lr", "0"])
    assert "fresh: cond_embed.weight, to_tokens.bias, to_tokens.weight" in log
    exported, tuned = load_file(str(base)), _state(tmp_path / "tuned")["model"]
    assert tuned["to_tokens.weight"].shape == (4, MICRO["enc_width"])
    same = [name for name in tuned if name in exported and exported[name].shape == tuned[name].shape]
    assert len(same) > 20 and all(torch.equal(tuned[name], exported[name]) for name in same)  # lr 0: still the export's
    vae = tmp_path / "vae.safetensors"
    save_model(
        vae, "triplane_vae", TriplaneVAE(TriplaneVAEConfig(latent_channels=4, latent_resolution=4, width=16, heads=2))
    )
    with pytest.raises(AssertionError, match="holds a TriplaneVAE"):  # a clear refusal, not a half-loaded model
        _train(_args(latents, tmp_path / "wrong", 1, 4) + ["--init", str(vae)])
