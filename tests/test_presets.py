"""The paper preset as users who train at scale see it: sizes, and the GPU smoke test's code path."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lost_engine.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]


def test_info_preset_paper_prints_each_stage_with_the_papers_shapes(capsys):
    assert cli(["info", "--preset", "paper"]) == 0
    out = capsys.readouterr().out
    for kind in ("triplane_vae", "rida_student", "text_encoder", "lost_tokenizer", "lost_gpt"):
        assert kind in out
    assert "latent 3 x 16 x 32 x 32" in out
    assert "768 triplane tokens (2x2 patches), 512 registers of 32-d" in out and "DiT 24/1024/16" in out
    assert "128 tokens of 32-d, 24/1024/16" in out
    tokenizer_line = next(line for line in out.splitlines() if "lost_tokenizer" in line)
    assert 400 < float(tokenizer_line.split()[1]) < 700  # millions of parameters


@pytest.mark.slow
def test_gpu_smoke_runs_every_stage_on_a_cpu_at_the_tiny_preset_and_needs_cuda_by_default(tmp_path):
    report = tmp_path / "smoke.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gpu_smoke.py"),
            "--preset",
            "tiny",
            "--device",
            "cpu",
            "--resolution",
            "24",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(report.read_text())
    assert [r["stage"] for r in figures["train_steps"]] == ["vae", "rida", "text", "tokenizer", "gpt"]
    assert all(r["step_seconds"] > 0 and r["loss"] == r["loss"] for r in figures["train_steps"])
    assert figures["generation"]["levels"] == [1, 2, 4, 8, 16, 32]
    if not torch.cuda.is_available():
        plain = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gpu_smoke.py")], capture_output=True, text=True, timeout=300
        )
        assert plain.returncode == 2 and "no CUDA device" in plain.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason="with CUDA, gpu-smoke runs the paper preset")
@pytest.mark.slow
def test_build_py_passes_a_commands_exit_code_on_without_a_traceback():
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "gpu-smoke"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 2 and "no CUDA device" in run.stderr and "Traceback" not in run.stderr
