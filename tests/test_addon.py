"""The installed add-on, driven by tests/blender_addon_check.py with the PyPI bpy module."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import build

pytestmark = pytest.mark.slow  # minutes of training or a Blender process: `-m "not slow"` skips it

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report(micro_weights, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("addon")
    zip_path = build.build_addon(tmp / "dist")
    out = tmp / "report.json"
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(tmp / "blender_user"), "OMP_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "blender_addon_check.py"), str(zip_path), str(micro_weights), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text())


def test_a_tall_thing_stands_upright_on_the_cursor_at_its_real_size_smooth_with_a_material(report):
    lo, hi = report["bundled"]["lo"], report["bundled"]["hi"]
    extent = [h - low for h, low in zip(hi, lo)]
    assert extent[2] == max(extent)  # Z up
    assert abs(lo[2] - 0.5) < 1e-4  # bottom on the cursor's z
    assert abs((lo[0] + hi[0]) / 2 - 1.0) < 1e-3 and abs((lo[1] + hi[1]) / 2 - 2.0) < 1e-3  # centred on it in x/y
    assert 1.0 < extent[2] < 1.7  # a floor lamp is about 1.5 m
    b = report["bundled"]
    assert b["smooth"] and b["material"] == ["LoST Material"] and b["selected"] and b["active"]
    assert b["status"].startswith("lamp, 1.55 m: 6 levels ready (1–32)")


def test_the_tokens_slider_spans_the_models_tokens(report):
    assert report["tokens_max_micro"] == 8 and report["tokens_max_bundled"] == 32


def test_scrubbing_changes_the_preview_and_is_instant_once_decoded(report):
    assert report["status_after_prefetch"] == "shape, 1 m: 4 levels ready (1–8)"
    assert len(set(report["counts"].values())) > 1
    assert report["cached_scrub_ms"] < 50 and report["max_ui_ms"] < 100


def test_a_reopened_blend_scrubs_again_from_the_tokens_on_its_object(report):
    counts = report["reopened_counts"]
    assert report["reopened_has_tokens"] and counts["8"] == counts["saved"] and counts["1"] != counts["8"]


def test_a_killed_worker_is_reported_restarted_and_scrubbing_goes_on(report):
    assert report["status_after_kill"].startswith("The engine stopped (exit code -9). Restarted: engine ready")
    assert report["count_after_kill"] > 0 and "ready" in report["status_after_recovery"]


def test_keep_puts_a_scrubbable_copy_beside_the_preview_in_the_active_collection(report):
    kept = report["kept"]
    assert kept["name"].startswith("LoST a tall lamp") and kept["collections"] == ["Props"] and kept["has_tokens"]
    assert kept["dx"] >= kept["preview_width"] and kept["status"] == f"kept {kept['name']}"


def test_variations_report_their_seed_and_leave_the_seed_field_alone(report):
    assert report["variation_seed_field"] == 2 and "variation seed 3" in report["variation_status"]


def test_the_panel_says_when_a_prompt_is_not_understood_or_cut(report):
    assert "this model does not know 'dragon'; it makes: chair, stool" in report["unknown_prompt_status"]
    assert "longer than the text encoder reads" in report["long_prompt_status"]
    assert report["status_while_starting"] == "starting the engine…"


def test_preferences_survive_disabling_and_the_worker_stops_with_the_add_on(report):
    assert report["after_disable"] == {"panel_class": False, "scene_prop": False, "worker_exit_code": 0}
    assert report["after_enable"]["panel_class"] and report["after_enable"]["resolution"] == 32
    assert report["after_enable"]["python"] == sys.executable


def test_an_encoded_mesh_comes_back_in_its_objects_frame_and_later_generates_go_to_the_cursor(report):
    enc = report["encoded"]
    assert enc["matrix_difference"] < 1e-5 and enc["status"].startswith("encoded Cube")
    assert all(abs(c - want) < 0.5 for c, want in zip(enc["centre"], (5.0, 1.0, 2.0)))
    x, y, z = report["generated_after_encode_location"]
    assert (round(x, 3), round(y, 3), round(z, 3)) == (-3.0, 0.0, 0.0)
