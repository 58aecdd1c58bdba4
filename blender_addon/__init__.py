"""LoST for Blender: text-to-3D with Level-of-Semantics tokens (View3D › Sidebar › LoST).

Registration only: the engine runs in a worker process (worker_session.py) on a private Python
environment the preferences install (engine_env.py, installing.py); results are built in the
scene by results.py and scene_meshes.py."""

bl_info = {  # legacy add-on metadata for Blender < 4.2 (4.2+ reads blender_manifest.toml)
    "name": "LoST: text to 3D",
    "author": "LoST for Blender developers",
    "version": (0, 2, 0),
    "blender": (3, 4, 0),
    "location": "View3D > Sidebar > LoST",
    "description": "Generate shapes from text and scrub their Level-of-Semantics tokens",
    "category": "Add Mesh",
}

if "bpy" in locals():  # script reload
    import importlib

    for _module in (
        engine_env,
        scene_meshes,
        worker_session,
        results,
        installing,
        properties,
        preferences,
        operators,
        panels,
    ):
        importlib.reload(_module)

import bpy
from bpy.app.handlers import persistent

from . import (
    engine_env,
    installing,
    operators,
    panels,
    preferences,
    properties,
    results,
    scene_meshes,
    worker_session,
)

CLASSES = (*preferences.CLASSES, *properties.CLASSES, *operators.CLASSES, *panels.CLASSES)


@persistent
def _file_loaded(_):
    worker_session.forget_meshes()


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.lost = bpy.props.PointerProperty(type=properties.LOST_PG_scene)
    bpy.types.WindowManager.lost_install_progress = installing.PROGRESS
    bpy.app.handlers.load_post.append(_file_loaded)
    worker_session.session.package = __package__
    addon = bpy.context.preferences.addons.get(__package__)
    if addon is not None:
        preferences.restore(addon.preferences)
    bpy.app.timers.register(worker_session.prewarm, first_interval=1.0)


def unregister():
    worker_session.shutdown()
    if _file_loaded in bpy.app.handlers.load_post:
        bpy.app.handlers.load_post.remove(_file_loaded)
    del bpy.types.WindowManager.lost_install_progress
    del bpy.types.Scene.lost
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
