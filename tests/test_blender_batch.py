"""batch.py and the installed add-on in a real Blender executable (`blender -b`), when one is
installed (.ci/run installs Debian's blender package where it can); skipped with the reason otherwise."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parents[1]
BLENDER = shutil.which("blender")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BLENDER is None, reason="no `blender` executable on PATH (Debian: apt-get install blender)"),
]


def _blender(*args, env=None, timeout=600):
    return subprocess.run(
        [BLENDER, "-b", "--factory-startup", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def _obj_vertices(path: Path) -> list[tuple[float, float, float]]:
    return [tuple(map(float, line.split()[1:4])) for line in path.read_text().splitlines() if line.startswith("v ")]


def test_batch_writes_a_mesh_per_prompt_and_level_and_a_blend_with_a_row_per_prompt(micro_weights, tmp_path):
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a tall lamp\n\na round table\n")  # the blank line is skipped
    out = tmp_path / "out"
    run = _blender(
        "-P",
        str(ROOT / "blender_addon" / "batch.py"),
        "--",
        "--prompts",
        str(prompts),
        "--tokens",
        "1,4,8",
        "--out",
        str(out),
        "--weights",
        str(micro_weights),
        "--device",
        "cpu",
        "--resolution",
        "24",
        "--size",
        "2.0",
        env={"LOST_PYTHON": sys.executable},
    )
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    for stem in ("a_tall_lamp_s0", "a_round_table_s0"):
        for k in (1, 4, 8):
            verts = _obj_vertices(out / f"{stem}_k{k:03d}.obj")
            ys = [v[1] for v in verts]
            assert verts and abs(min(ys)) < 1e-3  # +Y up in the file: the shape stands on y = 0
            assert min(v[2] for v in verts) < -0.05  # and is centred in the floor plane
    assert (out / "lost_batch.blend").is_file()
    listing = _blender(
        str(out / "lost_batch.blend"),
        "--python-expr",
        "import bpy\nfor o in bpy.data.objects: print('OBJECT', o.name, round(o.location.x, 2), round(o.location.y, 2),"
        " round(min((o.matrix_world @ v.co).z for v in o.data.vertices), 3))",
    )
    objects = {
        line.split()[1]: tuple(map(float, line.split()[2:]))
        for line in listing.stdout.splitlines()
        if line.startswith("OBJECT ")
    }
    assert len(objects) == 6
    assert objects["a_tall_lamp_s0_k1"] == (0.0, 0.0, 0.0) and objects["a_tall_lamp_s0_k8"] == (5.0, 0.0, 0.0)
    assert objects["a_round_table_s0_k4"] == (2.5, -2.5, 0.0)  # a row per prompt, levels left to right, on the floor


def test_batch_exits_nonzero_naming_the_failed_prompt_and_still_runs_the_rest(micro_weights, tmp_path):
    out = tmp_path / "out"
    run = _blender(
        "-P",
        str(ROOT / "blender_addon" / "batch.py"),
        "--",
        "--prompt",
        " ",
        "--prompt",
        "a bench",
        "--tokens",
        "2",
        "--out",
        str(out),
        "--weights",
        str(micro_weights),
        "--device",
        "cpu",
        "--resolution",
        "24",
        "--format",
        "ply",
        env={"LOST_PYTHON": sys.executable},
    )
    assert run.returncode == 1
    assert "FAILED ' '" in run.stderr and "empty prompt" in run.stderr
    _assert_stands_on_y0(out / "a_bench_s0_k002.ply")


def _assert_stands_on_y0(path: Path):
    import trimesh

    mesh = trimesh.load(path, force="mesh")
    assert len(mesh.faces) > 0 and abs(mesh.bounds[0][1]) < 1e-3 and mesh.bounds[0][2] < -0.05


def test_batch_glb_files_are_y_up_as_gltf_expects_or_it_says_why_not(micro_weights, tmp_path):
    probe = _blender("--python-expr", "import numpy")
    has_numpy = "ModuleNotFoundError" not in probe.stdout + probe.stderr
    run = _blender(
        "-P",
        str(ROOT / "blender_addon" / "batch.py"),
        "--",
        "--prompt",
        "a bench",
        "--tokens",
        "4",
        "--out",
        str(tmp_path),
        "--weights",
        str(micro_weights),
        "--device",
        "cpu",
        "--resolution",
        "24",
        "--format",
        "glb",
        env={"LOST_PYTHON": sys.executable},
    )
    if not has_numpy:  # Debian's Blender: its glTF exporter cannot run
        assert run.returncode == 1 and "GLB export needs numpy" in run.stderr
        return
    assert run.returncode == 0, run.stderr[-2000:]
    _assert_stands_on_y0(tmp_path / "a_bench_s0_k004.glb")


def test_batch_without_an_engine_exits_nonzero_saying_how_to_get_one(tmp_path):
    run = _blender(
        "-P",
        str(ROOT / "blender_addon" / "batch.py"),
        "--",
        "--prompt",
        "a chair",
        "--out",
        str(tmp_path),
        env={"LOST_PYTHON": str(tmp_path / "no-python")},
    )
    assert run.returncode == 1 and "cannot start the worker" in run.stderr
    help_text = _blender("-P", str(ROOT / "blender_addon" / "batch.py"), "--", "--help").stdout
    assert "LOST_PYTHON" in help_text and "--python" in help_text and "--format" in help_text


def _installed_addon(tmp_path: Path) -> tuple[dict, Path]:
    """The zip installed into Blender 3.4's legacy add-on folder of a throw-away user folder."""
    env = {"BLENDER_USER_CONFIG": str(tmp_path / "config"), "BLENDER_USER_SCRIPTS": str(tmp_path / "scripts")}
    zip_path = build.build_addon(tmp_path / "dist")
    run = _blender(
        "--python-expr",
        f"import bpy; bpy.ops.preferences.addon_install(filepath={str(zip_path)!r}); "
        "bpy.ops.preferences.addon_enable(module='lost_blender'); bpy.ops.wm.save_userpref()",
        env=env,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    addon = tmp_path / "scripts" / "addons" / "lost_blender"
    assert (addon / "batch.py").is_file() and (addon / "requirements.txt").is_file()
    return env, addon


@pytest.mark.slow
def test_the_engine_installer_builds_a_working_environment_that_the_installed_batch_uses(tmp_path):
    """The real install (pip, the pinned torch: minutes and several GB), then a generation with it."""
    env, addon = _installed_addon(tmp_path)
    where = _blender(
        "--python-expr", "import bpy; print('FOLDER', bpy.utils.user_resource('CONFIG', path='lost_blender'))", env=env
    )
    folder = Path(next(line.split(" ", 1)[1] for line in where.stdout.splitlines() if line.startswith("FOLDER ")))
    sys.path.insert(0, str(addon))
    try:
        import engine_env
    finally:
        sys.path.remove(str(addon))
    installer = engine_env.Installer(folder / "engine", (addon / "requirements.txt").read_text(), "default")
    assert installer.run() == "done", installer.message + "\n" + installer.log.read_text()[-3000:]
    assert installer.message.startswith("engine installed: torch 2.14.1")
    assert "Collecting torch" in installer.log.read_text() or "torch" in installer.log.read_text()
    out = tmp_path / "out"
    run = _blender(
        "-P",
        str(addon / "batch.py"),
        "--",
        "--prompt",
        "a wooden chair",
        "--tokens",
        "32",
        "--out",
        str(out),
        "--device",
        "cpu",
        "--resolution",
        "48",
        env={**env, "LOST_PYTHON": ""},
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ok 'a wooden chair': chair, 0.9 m" in run.stdout
    ys = [v[1] for v in _obj_vertices(out / "a_wooden_chair_s0_k032.obj")]
    assert abs(min(ys)) < 1e-3 and 0.6 < max(ys) < 1.0  # a chair about 0.9 m tall, standing on y = 0


def test_an_unreachable_package_index_fails_plainly_and_leaves_no_half_environment(tmp_path):
    env, addon = _installed_addon(tmp_path)
    sys.path.insert(0, str(addon))
    try:
        import engine_env
    finally:
        sys.path.remove(str(addon))
    installer = engine_env.Installer(
        tmp_path / "engine",
        "torch==2.14.1\nnumpy==1.26.4\npytest==9.2.0\n",
        "default",
        index_url="http://127.0.0.1:9/simple",
    )
    assert installer.requirements == ["torch==2.14.1", "numpy==1.26.4"]  # the worker's packages only
    assert installer.run() == "failed"
    assert "could not be reached" in installer.message
    assert not (tmp_path / "engine").exists() and not (tmp_path / "engine.partial").exists()
    assert "127.0.0.1" in installer.log.read_text()
