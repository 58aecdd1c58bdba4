"""LoST for Blender: text-to-3D with Level-of-Semantics tokens (View3D › Sidebar › LoST).

Registration only; the engine runs in a worker process (see engine.py)."""

bl_info = {  # legacy add-on metadata for Blender < 4.2 (4.2+ reads blender_manifest.toml)
    "name": "LoST: text to 3D",
    "author": "LoST for Blender developers",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "View3D > Sidebar > LoST",
    "description": "Generate shapes from text and scrub their Level-of-Semantics tokens",
    "category": "Add Mesh",
}

if "bpy" in locals():  # script reload
    import importlib

    for _module in (properties, preferences, engine, operators, panels):  # noqa: F821
        importlib.reload(_module)

import bpy  # noqa: E402

from . import engine, operators, panels, preferences, properties  # noqa: E402

CLASSES = (*preferences.CLASSES, *properties.CLASSES, *operators.CLASSES, *panels.CLASSES)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.lost = bpy.props.PointerProperty(type=properties.LOST_PG_scene)
    bpy.app.timers.register(engine.prewarm, first_interval=1.0)


def unregister():
    engine.shutdown()
    del bpy.types.Scene.lost
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
