"""Inside a real Blender window (run by docs/panel_screenshot.py): install the built add-on zip,
generate from a prompt, scrub to a level, and hand over to the driver for the screenshot.

    blender --factory-startup -P docs/panel_screenshot_blender.py -- ZIP PYTHON STATE_FILE PROMPT TOKENS

Talks to the driver through STATE_FILE: writes "ready X Y" (where the LoST sidebar tab lies, in X
screen coordinates) when the panel shows a result, touches STATE_FILE.drawn whenever the LoST
panel is drawn, and quits once the driver writes "done".
"""
import sys
from pathlib import Path

import bpy

ZIP, PYTHON, STATE, PROMPT, TOKENS = sys.argv[sys.argv.index("--") + 1:]
STATE = Path(STATE)


def install() -> str:
    if bpy.app.version >= (4, 2, 0):
        bpy.ops.extensions.package_install_files(filepath=ZIP, repo="user_default", enable_on_install=True)
        module = "bl_ext.user_default.lost_blender"
    else:  # legacy add-on install (e.g. Debian's Blender 3.4)
        bpy.ops.preferences.addon_install(filepath=ZIP, overwrite=True)
        bpy.ops.preferences.addon_enable(module="lost_blender")
        module = "lost_blender"
    bpy.context.preferences.addons[module].preferences.python = PYTHON
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


def start():
    install()
    watch_panel()
    for obj in list(bpy.data.objects):  # the factory cube would hide the result
        if obj.type == "MESH":
            bpy.data.objects.remove(obj)
    window, area, region = view3d()
    area.spaces[0].show_region_ui = True
    scene = bpy.context.scene
    scene.lost.prompt = PROMPT
    with bpy.context.temp_override(window=window, area=area, region=region):
        bpy.ops.lost.generate()
    bpy.app.timers.register(wait_for_result, first_interval=1.0)


def wait_for_result():
    s = bpy.context.scene.lost
    if s.busy or not s.has_result:
        return 0.5
    s.tokens = int(TOKENS)
    bpy.app.timers.register(frame_and_hand_over, first_interval=3.0)
    return None


def frame_and_hand_over():
    window, area, region = view3d()
    preview = bpy.data.objects.get("LoST Preview")
    if preview is not None:
        for obj in bpy.context.view_layer.objects:
            obj.select_set(obj == preview)
        bpy.context.view_layer.objects.active = preview
        with bpy.context.temp_override(window=window, area=area, region=region):
            bpy.ops.view3d.view_selected()
    sidebar = next(r for r in area.regions if r.type == "UI")
    scale = bpy.context.preferences.system.ui_scale
    # the tab strip is the sidebar's right edge; LoST is the fourth tab (Item, Tool, View, LoST)
    x = sidebar.x + sidebar.width - round(12 * scale)
    y = window.height - (sidebar.y + sidebar.height) + round(149 * scale)
    STATE.write_text(f"ready {x} {y}\n")
    bpy.app.timers.register(wait_for_done, first_interval=0.5)
    return None


def wait_for_done():
    if STATE.read_text().startswith("done"):
        bpy.ops.wm.quit_blender()
        return None
    return 0.5


bpy.app.timers.register(start, first_interval=2.0)
