"""Operators of the LoST panel and preferences. Each one only sends a request, swaps meshes or
starts the installer thread; the work happens in the worker process (or pip) and arrives through
the session's timer."""

import os
from array import array

import bpy
from bpy_extras.io_utils import ExportHelper

from . import engine_env, installing, results, scene_meshes, worker_session
from .worker_session import Job, session


def _protocol():
    return worker_session.protocol()


def _levels(s) -> list[int]:
    """The level shown first: the full length (capped by what the model has)."""
    limit = (session.info or {}).get("max_tokens", s.length)
    return [min(s.length, limit)]


def _generation_fields(s, seed: int) -> dict:
    return {
        "seed": seed,
        "guidance": s.guidance,
        "steps": s.steps,
        "levels": _levels(s),
        "placement": {"z_up": True, "size_m": s.size or None},
    }


class LOST_OT_generate(bpy.types.Operator):
    bl_idname = "lost.generate"
    bl_label = "Generate"
    bl_description = "Generate a shape from the prompt at the 3D cursor (runs in the background)"

    @classmethod
    def poll(cls, context):
        return not context.scene.lost.busy

    def execute(self, context):
        s = context.scene.lost
        if not s.prompt.strip():
            self.report({"ERROR"}, 'Type a prompt first, e.g. "a wooden chair"')
            return {"CANCELLED"}
        session.variations = 0
        job = Job(
            _protocol().Op.GENERATE,
            context.scene.name,
            {"prompt": s.prompt, **_generation_fields(s, s.seed)},
            cursor=tuple(context.scene.cursor.location),
            frame=True,
        )
        if worker_session.send(context.scene, job, main=True) < 0:
            self.report({"ERROR"}, s.status)
            return {"CANCELLED"}
        return {"FINISHED"}


class LOST_OT_cancel(bpy.types.Operator):
    bl_idname = "lost.cancel"
    bl_label = "Cancel"
    bl_description = "Stop the running job"

    def execute(self, context):
        worker_session.cancel(context.scene)
        return {"FINISHED"}


class LOST_OT_variations(bpy.types.Operator):
    bl_idname = "lost.variations"
    bl_label = "Variations"
    bl_description = "Keep the first tokens of the shown result and resample the rest (the next seed after yours)"

    @classmethod
    def poll(cls, context):
        result = scene_meshes.result_of(results.target_object(context))
        return result is not None and result.get("prompt") and not context.scene.lost.busy

    def execute(self, context):
        s = context.scene.lost
        obj = results.target_object(context)
        base = scene_meshes.result_of(obj)
        session.variations += 1
        seed = s.seed + session.variations  # the artist's Seed field stays as typed
        fields = {
            **_generation_fields(s, seed),
            "prompt": base["prompt"],
            "keep": min(s.keep, base["shape"][0]),
            "base_seed": base["seed"],
            "placement": base["placement"],
        }
        job = Job(
            _protocol().Op.VARIATION,
            context.scene.name,
            fields,
            worker_session.tokens_array(base),
            cursor=tuple(obj.matrix_world.translation),
        )
        worker_session.send(context.scene, job, main=True)
        return {"FINISHED"}


class LOST_OT_keep(bpy.types.Operator):
    bl_idname = "lost.keep"
    bl_label = "Keep"
    bl_description = "Copy the shown level to a new object beside the preview, in the active collection"

    @classmethod
    def poll(cls, context):
        return scene_meshes.preview_object(context.scene) is not None

    def execute(self, context):
        preview = scene_meshes.preview_object(context.scene)
        result = scene_meshes.result_of(preview) or {}
        label = (result.get("prompt") or "mesh")[:24]
        obj = preview.copy()  # the custom properties (tokens, prompt, seed) come along
        obj.data = preview.data.copy()
        obj.name = f"LoST {label} k{result.get('level', context.scene.lost.tokens)}"
        collection = scene_meshes.active_collection(context)
        collection.objects.link(obj)
        kept_before = sum(1 for o in collection.objects if o.name.startswith("LoST ") and o not in (obj, preview))
        obj.matrix_world = preview.matrix_world.copy()
        obj.location.x += max(preview.dimensions.x, 0.1) * 1.25 * (1 + kept_before)  # beside the preview, in a row
        self.report({"INFO"}, f"Kept {obj.name!r} in {collection.name!r}")
        worker_session.set_status(context.scene, f"kept {obj.name}")
        return {"FINISHED"}


class LOST_OT_encode_selected(bpy.types.Operator):
    bl_idname = "lost.encode_selected"
    bl_label = "Encode selected"
    bl_description = "Tokenize the active mesh object so its own prefixes can be scrubbed"

    @classmethod
    def poll(cls, context):
        obj = context.active_object
        return (
            obj is not None and obj.type == "MESH" and obj.name != scene_meshes.PREVIEW and not context.scene.lost.busy
        )

    def execute(self, context):
        obj = context.active_object
        mesh = obj.evaluated_get(context.evaluated_depsgraph_get()).to_mesh()
        try:
            mesh.calc_loop_triangles()
            verts, tris = array("f", [0.0]) * (3 * len(mesh.vertices)), array("i", [0]) * (3 * len(mesh.loop_triangles))
            mesh.vertices.foreach_get("co", verts)
            mesh.loop_triangles.foreach_get("vertices", tris)
        finally:
            obj.to_mesh_clear()
        if not tris:
            self.report({"ERROR"}, f"{obj.name} has no faces to encode")
            return {"CANCELLED"}
        s = context.scene.lost
        job = Job(
            _protocol().Op.ENCODE,
            context.scene.name,
            {"levels": _levels(s), "steps": s.steps, "placement": {"z_up": True}},
            {
                "vertices": ("f4", (len(verts) // 3, 3), verts.tobytes()),
                "faces": ("i4", (len(tris) // 3, 3), tris.tobytes()),
            },
            target=obj.name,
        )
        worker_session.send(context.scene, job, main=True)
        return {"FINISHED"}


EXPORTERS = {  # format -> (operator path, keyword for "selected only"); each writes its own +Y-up convention
    "OBJ": (("wm", "obj_export"), {"export_selected_objects": True, "export_materials": False}),
    "PLY": (("wm", "ply_export"), {"export_selected_objects": True, "forward_axis": "NEGATIVE_Z", "up_axis": "Y"}),
    "GLB": (("export_scene", "gltf"), {"use_selection": True, "export_format": "GLB"}),
}


def can_export(fmt: str) -> str:
    """'' if this Blender can write `fmt`, else why not (Blender's glTF exporter needs numpy, which
    some distribution builds of Blender, Debian's among them, leave out)."""
    if fmt == "GLB":
        try:
            import numpy  # noqa: F401
        except ImportError:
            return "GLB export needs numpy in Blender's Python, and this Blender build has none: use OBJ or PLY"
    return ""


def export_object(obj, path: str, fmt: str) -> None:
    """Write one object with Blender's own exporter (Z-up scene -> the format's +Y up)."""
    if why := can_export(fmt):
        raise RuntimeError(why)
    (group, name), options = EXPORTERS[fmt]
    if fmt == "PLY" and bpy.app.version < (4, 0, 0):  # the PLY add-on's exporter before Blender 4.0
        group, name, options = "export_mesh", "ply", {"use_selection": True, "axis_forward": "-Z", "axis_up": "Y"}
    context = bpy.context
    selected = [o for o in context.view_layer.objects if o.select_get()]
    active = context.view_layer.objects.active
    scene_meshes.select_only(context, obj)
    try:
        getattr(getattr(bpy.ops, group), name)(filepath=path, **options)
    finally:
        for o in context.view_layer.objects:
            o.select_set(o in selected)
        context.view_layer.objects.active = active


class LOST_OT_export(bpy.types.Operator, ExportHelper):
    bl_idname = "lost.export"
    bl_label = "Export level"
    bl_description = "Write the shown level's mesh to an OBJ, PLY or GLB file (+Y up, as those formats expect)"
    filename_ext = ".obj"
    fmt: bpy.props.EnumProperty(name="Format", items=[(f, f, f"{f} file") for f in EXPORTERS], default="OBJ")

    @classmethod
    def poll(cls, context):
        return results.target_object(context) is not None

    def execute(self, context):
        if why := can_export(self.fmt):
            self.report({"ERROR"}, why)
            return {"CANCELLED"}
        path = os.path.splitext(self.filepath)[0] + "." + self.fmt.lower()
        export_object(results.target_object(context), path, self.fmt)
        self.report({"INFO"}, f"wrote {path}")
        return {"FINISHED"}


class LOST_OT_show_status(bpy.types.Operator):
    bl_idname = "lost.show_status"
    bl_label = "Details"
    bl_description = "Show the whole message"

    @classmethod
    def description(cls, context, properties):
        return context.scene.lost.status_detail or "no message"

    def execute(self, context):
        lines = installing.wrap(context.scene.lost.status_detail, 70)
        context.window_manager.popup_menu(
            lambda menu, _: [menu.layout.label(text=line) for line in lines], title="LoST", icon="INFO"
        )
        return {"FINISHED"}


class LOST_OT_open_preferences(bpy.types.Operator):
    bl_idname = "lost.open_preferences"
    bl_label = "Install the engine…"
    bl_description = "Open this add-on's preferences, where the engine is installed"

    def execute(self, context):
        bpy.ops.screen.userpref_show()
        context.preferences.active_section = "EXTENSIONS" if bpy.app.version >= (4, 2, 0) else "ADDONS"
        bpy.ops.preferences.addon_show(module=__package__)
        return {"FINISHED"}


class LOST_OT_install_engine(bpy.types.Operator):
    bl_idname = "lost.install_engine"
    bl_label = "Install engine"
    bl_description = (
        "Create a private Python environment for the engine and install PyTorch and the other packages into it"
    )

    @classmethod
    def poll(cls, context):
        return installing.State.installer is None or installing.State.installer.state != "running"

    def invoke(self, context, event):  # say what it downloads before starting
        return context.window_manager.invoke_props_dialog(self, width=460)

    def draw(self, context):
        prefs = context.preferences.addons[__package__].preferences
        label, description, _ = engine_env.VARIANTS[prefs.engine_variant]
        col = self.layout.column(align=True)
        col.label(text=f"Install the engine: {label}", icon="IMPORT")
        for line in installing.wrap(description, 70):
            col.label(text=line)
        col.label(text=f"Into {installing.engine_folder()}")

    def execute(self, context):
        prefs = context.preferences.addons[__package__].preferences
        installing.start(prefs.engine_variant)
        return {"FINISHED"}


class LOST_OT_cancel_install(bpy.types.Operator):
    bl_idname = "lost.cancel_install"
    bl_label = "Cancel"
    bl_description = "Stop the installation (the half-made environment is removed; the log stays)"

    def execute(self, context):
        if installing.State.installer is not None:
            installing.State.installer.cancel()
        return {"FINISHED"}


class LOST_OT_check_engine(bpy.types.Operator):
    bl_idname = "lost.check_engine"
    bl_label = "Check engine"
    bl_description = "Report the engine's torch version and device"

    def execute(self, context):
        prefs = context.preferences.addons[__package__].preferences
        python = worker_session.find_python(__package__, prefs.python)
        installing.State.check = (
            engine_env.describe_check(engine_env.check_engine(python)) if python else worker_session.NO_ENGINE
        )
        self.report({"INFO"}, installing.State.check)
        return {"FINISHED"}


class LOST_OT_open_install_log(bpy.types.Operator):
    bl_idname = "lost.open_install_log"
    bl_label = "Log"
    bl_description = "Open the installation log in Blender's text editor"

    def execute(self, context):
        installer = installing.State.installer
        if installer is None or not installer.log.exists():
            self.report({"ERROR"}, "no installation log yet")
            return {"CANCELLED"}
        bpy.data.texts.load(str(installer.log))
        self.report({"INFO"}, f"log loaded as a text: {installer.log.name}")
        return {"FINISHED"}


CLASSES = (
    LOST_OT_generate,
    LOST_OT_cancel,
    LOST_OT_variations,
    LOST_OT_keep,
    LOST_OT_encode_selected,
    LOST_OT_export,
    LOST_OT_show_status,
    LOST_OT_open_preferences,
    LOST_OT_install_engine,
    LOST_OT_cancel_install,
    LOST_OT_check_engine,
    LOST_OT_open_install_log,
)
