"""Drives the installed add-on with the PyPI `bpy` module, headless; run by tests/test_addon.py in
its own process (bpy and the test process's torch stay apart).

    python tests/blender_addon_check.py ZIP MICRO_WEIGHTS OUT_JSON

Installs the zip as an extension and enables it; then, with the micro weights: generates, scrubs,
saves and reopens the .blend and scrubs again, kills the worker and scrubs again, presses Keep;
then switches to the bundled model (a preference change restarts the worker) and generates a
tall thing at a moved 3D cursor; finally disables and re-enables the add-on. Writes what it saw
as JSON. Blender's event loop does not run in bpy-as-a-module, so the add-on's timer callback
is called by hand (`pump`), and the time each call takes is what the UI would wait.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

import bpy

ZIP, WEIGHTS, OUT = sys.argv[1:4]
MODULE = "bl_ext.user_default.lost_blender"
report = {"ui_ms": []}


def mod(name):
    return sys.modules[f"{MODULE}.{name}"]


def pump(until, timeout=300.0):
    """Run the add-on's timer callback until `until()`, timing each call (UI-thread work)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        t = time.perf_counter()
        mod("worker_session").poll()
        report["ui_ms"].append(1000 * (time.perf_counter() - t))
        if until():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out; status: {bpy.context.scene.lost.status}")


def idle():
    session = mod("worker_session").session
    return not session.jobs and not session.backlog and not session.inbox and not bpy.context.scene.lost.busy


def preview():
    return bpy.data.objects.get("LoST Preview")


def scrub(k):
    t = time.perf_counter()
    bpy.context.scene.lost.tokens = k
    report["ui_ms"].append(1000 * (time.perf_counter() - t))
    pump(idle)
    return len(preview().data.vertices)


def bounds(obj):
    world = [obj.matrix_world @ v.co for v in obj.data.vertices]
    return [min(p[i] for p in world) for i in range(3)], [max(p[i] for p in world) for i in range(3)]


assert bpy.ops.extensions.package_install_files(filepath=ZIP, repo="user_default", enable_on_install=True) == {
    "FINISHED"
}
prefs = bpy.context.preferences.addons[MODULE].preferences
prefs.python, prefs.weights, prefs.resolution, prefs.device = sys.executable, WEIGHTS, 32, "cpu"
scene, s = bpy.context.scene, bpy.context.scene.lost
for obj in list(bpy.data.objects):  # the factory cube
    bpy.data.objects.remove(obj)
session = mod("worker_session").session

# ---- micro weights: generate, scrub, save and reopen, crash, keep --------------------------------------
t0 = time.perf_counter()
mod("worker_session").ensure_worker(scene)
report["status_while_starting"] = s.status
pump(lambda: session.info is not None)
report["worker_ready_seconds"] = time.perf_counter() - t0
report["tokens_max_micro"] = type(s).bl_rna.properties["tokens"].hard_max
s.prompt, s.seed, s.steps = "a tall lamp", 2, 2
t0 = time.perf_counter()
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and preview() is not None)
report["first_preview_seconds"] = time.perf_counter() - t0
pump(idle)  # the background prefetch of power-of-two levels
report["status_after_prefetch"] = s.status
report["counts"] = {k: scrub(k) for k in (8, 1, 2, 4, 3)}
t = time.perf_counter()
s.tokens = 1  # cached
report["cached_scrub_ms"] = 1000 * (time.perf_counter() - t)
report["variation_seed_field"] = None
assert bpy.ops.lost.variations() == {"FINISHED"}
pump(idle)
report["variation_seed_field"], report["variation_status"] = s.seed, s.status

blend = str(Path(tempfile.mkdtemp()) / "saved.blend")
s.tokens = 8
pump(idle)
count_saved = len(preview().data.vertices)
bpy.ops.wm.save_as_mainfile(filepath=blend)
bpy.ops.wm.open_mainfile(filepath=blend)
scene, s = bpy.context.scene, bpy.context.scene.lost
report["reopened_has_tokens"] = mod("scene_meshes").result_of(preview()) is not None
report["reopened_counts"] = {"saved": count_saved, "1": scrub(1), "8": scrub(8)}

session.client.process.kill()
session.client.process.wait(30)
pump(lambda: session.info is not None and session.client is not None)
report["status_after_kill"] = s.status
report["count_after_kill"] = scrub(5)
report["status_after_recovery"] = s.status

collection = bpy.data.collections.new("Props")
scene.collection.children.link(collection)
bpy.context.view_layer.active_layer_collection = bpy.context.view_layer.layer_collection.children["Props"]
before = {o.name for o in bpy.data.objects}
assert bpy.ops.lost.keep() == {"FINISHED"}
kept = bpy.data.objects[sorted({o.name for o in bpy.data.objects} - before)[0]]
report["kept"] = {
    "name": kept.name,
    "collections": [c.name for c in kept.users_collection],
    "dx": kept.location.x - preview().location.x,
    "preview_width": preview().dimensions.x,
    "has_tokens": mod("scene_meshes").result_of(kept) is not None,
    "status": s.status,
}

# ---- encode a mesh of the scene: the result comes back in its frame; a later Generate goes to the cursor -----
bpy.ops.mesh.primitive_cube_add(size=2.0, location=(5.0, 1.0, 2.0), rotation=(0.0, 0.0, 0.7))
source = bpy.context.active_object
assert bpy.ops.lost.encode_selected() == {"FINISHED"}
pump(lambda: not s.busy and idle())
lo, hi = bounds(preview())
report["encoded"] = {
    "matrix_difference": max(
        abs(a - b) for ra, rb in zip(preview().matrix_world, source.matrix_world) for a, b in zip(ra, rb)
    ),
    "centre": [(a + b) / 2 for a, b in zip(lo, hi)],
    "status": s.status,
}
scene.cursor.location = (-3.0, 0.0, 0.0)
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and idle())
report["generated_after_encode_location"] = list(preview().location)
scene.cursor.location = (0.0, 0.0, 0.0)

# ---- the bundled model: a tall thing stands upright on the cursor ------------------------------------
prefs.weights = ""  # restarts the worker
pump(lambda: session.info is not None)
report["tokens_max_bundled"] = type(s).bl_rna.properties["tokens"].hard_max
scene.cursor.location = (1.0, 2.0, 0.5)
s.prompt, s.seed, s.steps, s.length = "a tall floor lamp", 0, 0, report["tokens_max_bundled"]
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and idle())
lo, hi = bounds(preview())
mesh = preview().data
report["bundled"] = {
    "lo": lo,
    "hi": hi,
    "status": s.status,
    "smooth": all(p.use_smooth for p in mesh.polygons),
    "material": [m.name for m in mesh.materials],
    "selected": preview().select_get(),
    "active": bpy.context.view_layer.objects.active == preview(),
}
s.prompt = "a fierce dragon"
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and idle())
report["unknown_prompt_status"] = s.status
s.prompt = "a wooden chair with " + "very " * 60 + "long legs"
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and idle())
report["long_prompt_status"] = s.status

# ---- preferences survive disable / enable ------------------------------------------------------------
worker = session.client.process
bpy.ops.preferences.addon_disable(module=MODULE)
worker.wait(30)
report["after_disable"] = {
    "panel_class": hasattr(bpy.types, "LOST_PT_main"),
    "scene_prop": hasattr(bpy.types.Scene, "lost"),
    "worker_exit_code": worker.returncode,
}
bpy.ops.preferences.addon_enable(module=MODULE)
prefs = bpy.context.preferences.addons[MODULE].preferences
report["after_enable"] = {
    "panel_class": hasattr(bpy.types, "LOST_PT_main"),
    "python": prefs.python,
    "resolution": prefs.resolution,
}
mod("worker_session").shutdown()
report["max_ui_ms"] = max(report.pop("ui_ms"))
with open(OUT, "w") as f:
    json.dump(report, f, indent=2)
