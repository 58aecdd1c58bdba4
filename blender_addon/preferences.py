"""Add-on preferences: the engine (install, check, interpreter), model folder, device, mesh
resolution and cleanup (smoothing, face budget), warm start and framing. They are also written to
settings.json in the add-on's user folder and read back at registration, because Blender forgets an
add-on's preferences when it is disabled. A change that concerns the worker restarts it at once."""

import json

import bpy

from . import engine_env, installing, worker_session

SAVED = (
    "weights",
    "device",
    "resolution",
    "smooth",
    "max_faces",
    "python",
    "warm_start",
    "frame_new",
    "engine_variant",
)
_restoring = False


def settings_file():
    return engine_env.user_folder(__package__) / "settings.json"


def _save(prefs) -> None:
    if _restoring:
        return
    try:
        settings_file().write_text(json.dumps({name: getattr(prefs, name) for name in SAVED}, indent=1))
    except OSError as exc:
        print(f"LoST: could not save the preferences: {exc}")


def restore(prefs) -> None:
    """Preferences from settings.json (after the add-on was disabled and enabled again)."""
    global _restoring
    try:
        saved = json.loads(settings_file().read_text())
    except (OSError, ValueError):
        return
    _restoring = True
    try:
        for name in SAVED:
            if name in saved:
                try:
                    setattr(prefs, name, saved[name])
                except (TypeError, ValueError):
                    pass
    finally:
        _restoring = False


def _saved(self, context):
    _save(self)


def _worker_setting(self, context):
    _save(self)
    if _restoring:
        return
    if worker_session.session.client is not None:
        worker_session.restart(context.scene, "settings changed: restarting the engine…")
    elif self.warm_start:  # e.g. an interpreter set after "no engine": start it now, the old error goes
        worker_session.ensure_worker(context.scene)


class LOST_AP_preferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    engine_variant: bpy.props.EnumProperty(
        name="Build",
        default="cpu",
        update=_saved,
        items=[(key, label, description) for key, (label, description, _) in engine_env.VARIANTS.items()],
    )
    python: bpy.props.StringProperty(
        name="Python interpreter",
        subtype="FILE_PATH",
        default="",
        update=_worker_setting,
        description="A Python with torch for the worker (empty: the engine installed here)",
    )
    weights: bpy.props.StringProperty(
        name="Model folder",
        subtype="DIR_PATH",
        default="",
        update=_worker_setting,
        description="Folder with tiny_vae/tiny_tokenizer/tiny_gpt/tiny_text .safetensors (empty: the bundled model)",
    )
    device: bpy.props.EnumProperty(
        name="Device",
        default="auto",
        update=_worker_setting,
        items=[
            ("auto", "Auto", "CUDA when available, else CPU"),
            ("cuda", "CUDA", "NVIDIA GPU"),
            ("cpu", "CPU", "Processor"),
        ],
    )
    resolution: bpy.props.IntProperty(
        name="Mesh resolution",
        default=96,
        min=32,
        max=512,
        update=_worker_setting,
        description="Marching-cubes grid size of decoded meshes",
    )
    smooth: bpy.props.IntProperty(
        name="Smoothing",
        default=0,
        min=0,
        max=50,
        update=_worker_setting,
        description="Taubin smoothing passes on every generated mesh (0: none; smooths without shrinking)",
    )
    max_faces: bpy.props.IntProperty(
        name="Face budget",
        default=0,
        min=0,
        max=1_000_000,
        update=_worker_setting,
        description="Decimate every generated mesh to at most this many faces (0: keep all)",
    )
    warm_start: bpy.props.BoolProperty(
        name="Start the engine with Blender",
        default=True,
        update=_saved,
        description="Load the models in the background when the add-on starts, so the first Generate does not wait",
    )
    frame_new: bpy.props.BoolProperty(
        name="Frame new results",
        default=True,
        update=_saved,
        description="Frame the 3D view on a result when it first appears",
    )

    def draw(self, context):
        layout = self.layout
        box = layout.box()
        box.label(text="Engine", icon="SCRIPTPLUGINS")
        installing.draw_engine_box(box, self)
        layout.prop(self, "weights")
        layout.prop(self, "device")
        layout.prop(self, "resolution")
        row = layout.row()
        row.prop(self, "smooth")
        row.prop(self, "max_faces")
        layout.prop(self, "warm_start")
        layout.prop(self, "frame_new")


CLASSES = (LOST_AP_preferences,)
