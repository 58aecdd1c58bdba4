"""Drives the installed add-on with the PyPI `bpy` module, headless; run by tests/test_addon.py in
its own process (bpy and the test process's torch stay apart).

    python tests/blender_addon_check.py ZIP WEIGHTS OUT_JSON [RESOLUTION LENGTH STEPS]

Installs the zip as an extension, enables it, starts the worker as the panel does (warm start),
generates with the real worker, scrubs the Tokens property, presses Keep, then disables and
re-enables the add-on; writes what it saw as JSON.
"""
import json
import sys
import time

import bpy

ZIP, WEIGHTS, OUT = sys.argv[1:4]
RESOLUTION, LENGTH, STEPS = (int(v) for v in (sys.argv[4:7] or (32, 8, 2)))
MODULE = "bl_ext.user_default.lost_blender"


def engine():
    return sys.modules[f"{MODULE}.engine"]


def pump(until, timeout=300.0):
    """Run the add-on's timer callback (no event loop in bpy-as-a-module) until `until()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine().poll()
        if until():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out; status: {bpy.context.scene.lost.status}")


report = {}
assert bpy.ops.extensions.package_install_files(filepath=ZIP, repo="user_default", enable_on_install=True) == {"FINISHED"}
prefs = bpy.context.preferences.addons[MODULE].preferences
prefs.weights, prefs.resolution, prefs.device = WEIGHTS, RESOLUTION, "cpu"
scene = bpy.context.scene
s = scene.lost
s.prompt, s.seed, s.length, s.steps = "a tall lamp", 2, LENGTH, STEPS

# The panel's first draw starts the worker (warm start) once the interpreter check is done; here,
# without Blender's event loop, the check and the scheduled timer are run by hand.
t0 = time.perf_counter()
for python in engine()._auto_candidates():
    engine().can_import_torch(python)
engine().warm_up_soon()
assert bpy.app.timers.is_registered(engine()._warm_up)
bpy.app.timers.unregister(engine()._warm_up)
engine()._warm_up()
pump(lambda: engine().session.info is not None)
report["worker_ready_seconds"] = time.perf_counter() - t0

t0 = time.perf_counter()
assert bpy.ops.lost.generate() == {"FINISHED"}
pump(lambda: not s.busy and engine().preview_object() is not None)
report["first_preview_seconds"] = time.perf_counter() - t0
report["status"] = s.status
pump(lambda: not engine().session.jobs)  # the background prefetch of power-of-two levels
report["status_after_prefetch"] = s.status

counts, scrub_ms = {}, {}
for k in (LENGTH, 1, 2, 4, LENGTH, 3, 5):
    t = time.perf_counter()
    cached = (engine().session.handle, k) in engine().session.meshes
    s.tokens = k
    if cached:
        scrub_ms[k] = 1000 * (time.perf_counter() - t)
    else:
        pump(lambda: (engine().session.handle, k) in engine().session.meshes and not engine().session.jobs)
    counts[k] = len(engine().preview_object().data.vertices)
report["vertex_counts"] = counts
report["cached_scrub_ms"] = scrub_ms

before = {o.name for o in bpy.data.objects}
assert bpy.ops.lost.keep() == {"FINISHED"}
report["kept"] = sorted({o.name for o in bpy.data.objects} - before)

worker, poll, prewarm = engine().session.client.process, engine().poll, engine().prewarm
bpy.ops.preferences.addon_disable(module=MODULE)
worker.wait(30)
report["after_disable"] = {"panel_class": hasattr(bpy.types, "LOST_PT_main"), "scene_prop": hasattr(bpy.types.Scene, "lost"),
                           "worker_exit_code": worker.returncode,
                           "timer": bpy.app.timers.is_registered(poll) or bpy.app.timers.is_registered(prewarm)}
bpy.ops.preferences.addon_enable(module=MODULE)
report["after_enable"] = {"panel_class": hasattr(bpy.types, "LOST_PT_main"), "operator": hasattr(bpy.ops.lost, "generate")}
with open(OUT, "w") as f:
    json.dump(report, f, indent=2)
