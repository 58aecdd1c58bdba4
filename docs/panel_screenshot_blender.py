"""Inside a real Blender window (run by docs/panel_screenshot.py): install the built add-on zip,
generate from a prompt in the default scene (cube included), scrub to a level, and hand over to
the driver for the screenshot. While it runs, a 10 ms timer measures the longest time Blender's
UI thread was kept from it (what the add-on blocks), and Generate -> first mesh is timed on a
warm engine; both are written to STATE_FILE.json.

    blender --factory-startup -P docs/panel_screenshot_blender.py -- ZIP PYTHON STATE_FILE PROMPT TOKENS

Talks to the driver through STATE_FILE: writes "ready X Y" (where the LoST sidebar tab lies, in X
screen coordinates) when the panel shows a result, touches STATE_FILE.drawn whenever the LoST
panel is drawn, and quits once the driver writes "done".
"""

import json
import sys
import time
from pathlib import Path

import bpy

ZIP, PYTHON, STATE, PROMPT, TOKENS = sys.argv[sys.argv.index("--") + 1 :]
STATE = Path(STATE)
MODULE = [""]


def install() -> str:
    if bpy.app.version >= (4, 2, 0):
        bpy.ops.extensions.package_install_files(filepath=ZIP, repo="user_default", enable_on_install=True)
        module = "bl_ext.user_default.lost_blender"
    else:  # legacy add-on install (e.g. Debian's Blender 3.4)
        bpy.ops.preferences.addon_install(filepath=ZIP, overwrite=True)
        bpy.ops.preferences.addon_enable(module="lost_blender")
        module = "lost_blender"
    if PYTHON not in ("-", "install"):  # "-": as a newcomer has it, no engine yet; "install": press Install engine
        bpy.context.preferences.addons[module].preferences.python = PYTHON
    MODULE[0] = module
    return module


def view3d():
    window = bpy.context.window_manager.windows[0]
    area = next(a for a in window.screen.areas if a.type == "VIEW_3D")
    return window, area, next(r for r in area.regions if r.type == "WINDOW")


def watch_panel() -> None:
    """Record in STATE_FILE.drawn when the LoST panel is really drawn (the tab is open)."""
    panel = bpy.types.LOST_PT_main
    draw = panel.draw

    def traced(self, context):
        STATE.with_suffix(".drawn").touch()
        draw(self, context)

    panel.draw = traced


MEASURED = {"max_gap_ms": 0.0, "max_addon_callback_ms": 0.0, "generate_to_mesh_s": []}


def time_addon_poll() -> None:
    """Wrap the add-on's timer callback to record its longest call (the add-on's own UI-thread time)."""
    module = sys.modules[f"{MODULE[0]}.worker_session"]
    poll = module.poll

    def timed():
        t = time.perf_counter()
        try:
            return poll()
        finally:
            spent = 1000 * (time.perf_counter() - t)
            MEASURED["max_addon_callback_ms"] = max(MEASURED["max_addon_callback_ms"], spent)
            if spent > 20:
                MEASURED.setdefault("slow_polls", []).append((round(t - MEASURED.get("started", t), 2), round(spent)))

    if bpy.app.timers.is_registered(poll):
        bpy.app.timers.unregister(poll)
    module.poll = timed
    module.start_timer()


_last_tick = [0.0]


def tick():
    """Every 10 ms: how long since the last call (the UI thread's longest stall while we watch)."""
    now = time.perf_counter()
    if _last_tick[0]:
        gap = 1000 * (now - _last_tick[0]) - 10
        MEASURED["max_gap_ms"] = max(MEASURED["max_gap_ms"], gap)
        if gap > 100:
            MEASURED.setdefault("stalls", []).append((round(now - MEASURED.get("started", now), 2), round(gap)))
    _last_tick[0] = now
    return 0.01


def start():
    install()
    watch_panel()
    window, area, region = view3d()
    area.spaces[0].show_region_ui = True
    scene = bpy.context.scene
    scene.lost.prompt = PROMPT
    first = {"-": press_generate_without_engine, "install": press_install_engine}.get(PYTHON, wait_for_engine)
    bpy.app.timers.register(first, first_interval=4.0)


def show_preferences():
    bpy.ops.screen.userpref_show()
    bpy.context.preferences.active_section = "ADDONS"
    bpy.ops.preferences.addon_show(module=MODULE[0])
    bpy.app.timers.register(scroll_preferences, first_interval=0.5)


def scroll_preferences():
    """Down to the add-on's own settings (the preferences window opens at the add-on's header)."""
    window = bpy.context.window_manager.windows[-1]
    area = next((a for a in window.screen.areas if a.type == "PREFERENCES"), None)
    if area is None:
        return 0.2
    region = next(r for r in area.regions if r.type == "WINDOW")
    with bpy.context.temp_override(window=window, area=area, region=region):
        bpy.ops.view2d.scroll_down(deltay=300)
    return None


def press_install_engine():
    """As a newcomer: the preferences, the Default build (what pip resolves here), Install engine."""
    show_preferences()
    bpy.context.preferences.addons[MODULE[0]].preferences.engine_variant = "default"
    bpy.ops.lost.install_engine("EXEC_DEFAULT")
    bpy.app.timers.register(watch_install, first_interval=1.0)


def watch_install():
    installer = sys.modules[f"{MODULE[0]}.installing"].State.installer
    if installer.state == "running" and installer.fraction > 0.2 and not STATE.read_text().startswith("prefs-shown"):
        STATE.write_text("prefs-shown\n")  # the driver takes the installing screenshot now
    if installer.state == "running":
        return 1.0
    print(f"installer: {installer.state}: {installer.message}")
    for window in bpy.context.window_manager.windows[1:]:  # close the preferences window
        with bpy.context.temp_override(window=window):
            bpy.ops.wm.window_close()
    bpy.app.timers.register(wait_for_engine, first_interval=1.0)
    return None


def press_generate_without_engine():
    window, area, region = view3d()
    with bpy.context.temp_override(window=window, area=area, region=region):
        try:
            bpy.ops.lost.generate()
        except RuntimeError as exc:  # the operator's error report, as the artist sees it in the status bar
            print(exc)
    bpy.app.timers.register(frame_and_hand_over, first_interval=1.0)


def wait_for_engine():
    session = sys.modules[f"{MODULE[0]}.worker_session"].session
    if session.info is None:
        return 0.5
    bpy.app.timers.register(tick, first_interval=0.01)
    time_addon_poll()
    generate()
    return None


def generate():
    window, area, region = view3d()
    MEASURED["started"] = time.perf_counter()
    with bpy.context.temp_override(window=window, area=area, region=region):
        bpy.ops.lost.generate()
    bpy.app.timers.register(wait_for_result, first_interval=0.01)


def wait_for_result():
    s = bpy.context.scene.lost
    preview = bpy.data.objects.get("LoST Preview")
    if preview is None or s.busy:
        return 0.01
    MEASURED["generate_to_mesh_s"].append(time.perf_counter() - MEASURED["started"])
    if len(MEASURED["generate_to_mesh_s"]) < 3:  # warm: the same prompt again (the first paid for warm-up)
        s.seed += 1
        bpy.app.timers.register(generate, first_interval=1.0)
        return None
    s.seed = 0
    bpy.app.timers.register(final_result, first_interval=1.0)
    return None


def final_result():
    window, area, region = view3d()
    with bpy.context.temp_override(window=window, area=area, region=region):
        bpy.ops.lost.generate()
    bpy.app.timers.register(scrub, first_interval=1.0)


def scrub():
    s = bpy.context.scene.lost
    session = sys.modules[f"{MODULE[0]}.worker_session"].session
    if s.busy or session.jobs or session.backlog:
        return 0.2
    t = time.perf_counter()
    s.tokens = int(TOKENS)
    MEASURED["scrub_ms"] = 1000 * (time.perf_counter() - t)
    STATE.with_suffix(".json").write_text(json.dumps(MEASURED, indent=1))
    bpy.app.timers.register(frame_and_hand_over, first_interval=3.0)
    return None


def frame_and_hand_over():
    window, area, region = view3d()
    sidebar = next(r for r in area.regions if r.type == "UI")
    scale = bpy.context.preferences.system.ui_scale
    # the tab strip is the sidebar's right edge; LoST is the fourth tab (Item, Tool, View, LoST)
    x = sidebar.x + sidebar.width - round(12 * scale)
    y = window.height - (sidebar.y + sidebar.height) + round(149 * scale)
    STATE.write_text(f"ready {x} {y}\n")
    bpy.app.timers.register(wait_for_done, first_interval=0.5)
    return None


def wait_for_done():
    state = STATE.read_text()
    if state.startswith("prefs\n"):  # the driver wants the add-on's preferences on screen
        show_preferences()
        STATE.write_text("prefs-shown\n")
    if state.startswith("done"):
        bpy.ops.wm.quit_blender()
        return None
    return 0.5


bpy.app.timers.register(start, first_interval=2.0)
