"""batch.py in a real Blender executable (`blender -b`), when one is installed (.ci/run installs
Debian's blender package where it can); skipped with the reason otherwise."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLENDER = shutil.which("blender")

pytestmark = pytest.mark.skipif(BLENDER is None, reason="no `blender` executable on PATH (Debian: apt-get install blender)")


def _blender(*args, env=None, timeout=600):
    return subprocess.run([BLENDER, "-b", "--factory-startup", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def _obj_counts(path: Path) -> tuple[int, int]:
    lines = path.read_text().splitlines()
    return sum(line.startswith("v ") for line in lines), sum(line.startswith("f ") for line in lines)


def test_batch_writes_a_mesh_per_prompt_and_level_and_a_blend_with_a_row_per_prompt(micro_weights, tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a tall lamp\n\na round table\n")  # the blank line is skipped
    out = tmp_path / "out"
    run = _blender("-P", str(ROOT / "blender_addon" / "batch.py"), "--", "--prompts", str(prompts), "--tokens", "1,4,8",
                   "--out", str(out), "--weights", str(micro_weights), "--device", "cpu", "--resolution", "24",
                   env={"LOST_PYTHON": sys.executable})
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    for stem in ("a_tall_lamp_s0", "a_round_table_s0"):
        for k in (1, 4, 8):
            verts, faces = _obj_counts(out / f"{stem}_k{k:03d}.obj")
            assert verts > 0 and faces > 0
    assert (out / "lost_batch.blend").is_file()
    listing = _blender(str(out / "lost_batch.blend"), "--python-expr",
                       "import bpy\nfor o in bpy.data.objects: print('OBJECT', o.name, round(o.location.x, 2), round(o.location.y, 2))")
    objects = {line.split()[1]: tuple(map(float, line.split()[2:])) for line in listing.stdout.splitlines()
               if line.startswith("OBJECT ")}
    assert len(objects) == 6
    assert objects["a_tall_lamp_s0_k1"] == (0.0, 0.0) and objects["a_tall_lamp_s0_k8"] == (5.0, 0.0)
    assert objects["a_round_table_s0_k4"] == (2.5, -2.5)  # one row per prompt, levels left to right


def test_batch_exits_nonzero_naming_the_failed_prompt_and_still_runs_the_rest(micro_weights, tmp_path):
    out = tmp_path / "out"
    run = _blender("-P", str(ROOT / "blender_addon" / "batch.py"), "--", "--prompt", " ", "--prompt", "a bench",
                   "--tokens", "2", "--out", str(out), "--weights", str(micro_weights), "--device", "cpu",
                   "--resolution", "24", env={"LOST_PYTHON": sys.executable})
    assert run.returncode == 1
    assert "FAILED ' '" in run.stderr and "empty prompt" in run.stderr
    assert (out / "a_bench_s0_k002.obj").is_file()


def test_batch_without_a_worker_interpreter_exits_nonzero_with_a_message(tmp_path):
    run = _blender("-P", str(ROOT / "blender_addon" / "batch.py"), "--", "--prompt", "a chair", "--out", str(tmp_path),
                   env={"LOST_PYTHON": str(tmp_path / "no-python")})
    assert run.returncode == 1
    assert "cannot start the worker" in run.stderr
