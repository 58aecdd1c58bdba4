import json
import os
import subprocess
import sys
from pathlib import Path

import build
from lost_engine.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]


def test_addon_zip_installs_generates_scrubs_keeps_and_reregisters(micro_weights, tmp_path):
    zip_path = build.build_addon(tmp_path / "dist")
    out = tmp_path / "report.json"
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(tmp_path / "blender_user"), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "blender_addon_check.py"), str(zip_path), str(micro_weights),
                           str(out)], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text())

    pipe = Pipeline.load(micro_weights, "cpu", resolution=32)
    tokens = pipe.generate("a tall lamp", seed=2, guidance=3.0).tokens
    expected = {str(k): len(level.vertices) for k, level in pipe.decode(tokens, [1, 2, 3, 4, 5, 8], steps=2, seed=2).items()}
    assert report["vertex_counts"] == {k: expected[k] for k in report["vertex_counts"]}
    assert len(set(report["vertex_counts"].values())) > 1  # the preview really changes with the slider
    assert report["status_after_prefetch"] == "4 levels ready (1–8)"
    assert report["kept"] and report["kept"][0].startswith("LoST")
    assert report["after_disable"] == {"panel_class": False, "scene_prop": False, "worker_exit_code": 0, "timer": False}
    assert report["after_enable"] == {"panel_class": True, "operator": True}
    print(f"worker ready {report['worker_ready_seconds']:.2f} s; first preview {report['first_preview_seconds']:.2f} s; "
          f"cached scrub ms {report['cached_scrub_ms']}")
