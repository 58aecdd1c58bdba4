import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from lost_engine.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gpu_run_rehearsal_writes_its_files_and_weights_that_generate(tmp_path):
    out = tmp_path / "out"
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gpu_run.py"), "--smoke", "--out", str(out), "--work", str(tmp_path)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    minutes = (time.perf_counter() - start) / 60
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert minutes < 5, f"the rehearsal took {minutes:.1f} min"
    files = sorted(p.name for p in out.iterdir())
    zips = [f for f in files if f.startswith("weights-")]
    assert set(files) - set(zips) == {"eval.json", "eval.md", "sheet.png", "timing.log"} and zips
    assert len(files) <= 8 and all((out / f).stat().st_size <= 16 * 2**20 for f in files)

    report = json.loads((out / "eval.json").read_text())
    assert [row["status"] for row in report["timeline"]] == ["ok"] * len(report["timeline"])
    assert set(report["eval"]) == {"gpt", "tokenizer", "vae", "thin_parts", "rida"}
    assert {r["category"] for r in report["eval"]["gpt"]["per_category"]} == {"chair", "table", "lamp", "mug"}
    assert report["smoke"]["train_steps"][0]["stage"] == "vae" and report["eval"]["vae"]["mean"]["iou"] >= 0

    weights = tmp_path / "unpacked"
    for name in zips:
        zipfile.ZipFile(out / name).extractall(weights)
    assert sorted(p.name for p in weights.iterdir()) == sorted(
        f"tiny_{s}.safetensors" for s in ("vae", "teacher", "rida", "text", "tokenizer", "gpt")
    )
    pipe = Pipeline.load(weights, "cpu", resolution=24)
    result = pipe.generate("a wooden chair", seed=0)
    assert tuple(result.tokens.shape) == (pipe.max_tokens, pipe.tokenizer.config.token_dim)
    assert result.tokens.isfinite().all()
