"""Operators of the LoST panel. Each one only sends a request or swaps meshes; the work happens
in the worker process and arrives through engine.poll."""
from array import array

import bpy
from bpy_extras.io_utils import ExportHelper

from . import engine


def _levels(s) -> list[int]:
    """The level shown first: the full length (capped by what the model has)."""
    limit = (engine.session.info or {}).get("max_tokens", s.length)
    return [min(s.length, limit)]


class LOST_OT_generate(bpy.types.Operator):
    bl_idname = "lost.generate"
    bl_label = "Generate"
    bl_description = "Generate a shape from the prompt (runs in the background)"

    @classmethod
    def poll(cls, context):
        return not context.scene.lost.busy

    def execute(self, context):
        s = context.scene.lost
        if not s.prompt.strip():
            self.report({"ERROR"}, "Type a prompt first, e.g. \"a wooden chair\"")
            return {"CANCELLED"}
        engine.session.matrix = None
        engine.send(context.scene, "generate", main=True, prompt=s.prompt, seed=s.seed, guidance=s.guidance,
                    steps=s.steps, levels=_levels(s))
        return {"FINISHED"}


class LOST_OT_cancel(bpy.types.Operator):
    bl_idname = "lost.cancel"
    bl_label = "Cancel"
    bl_description = "Stop the running job"

    def execute(self, context):
        engine.cancel(context.scene)
        return {"FINISHED"}


class LOST_OT_variations(bpy.types.Operator):
    bl_idname = "lost.variations"
    bl_label = "Variations"
    bl_description = "Keep the first tokens of the current result and resample the rest with the next seed"

    @classmethod
    def poll(cls, context):
        s = context.scene.lost
        return s.has_result and not s.busy and engine.session.handle is not None

    def execute(self, context):
        s = context.scene.lost
        s.seed += 1
        engine.send(context.scene, "variation", main=True, handle=engine.session.handle, keep=s.keep, seed=s.seed,
                    guidance=s.guidance, steps=s.steps, levels=_levels(s))
        return {"FINISHED"}


class LOST_OT_keep(bpy.types.Operator):
    bl_idname = "lost.keep"
    bl_label = "Keep"
    bl_description = "Copy the current level to a new object"

    @classmethod
    def poll(cls, context):
        return engine.preview_object() is not None

    def execute(self, context):
        preview = engine.preview_object()
        obj = bpy.data.objects.new(f"LoST {context.scene.lost.prompt[:24]} k{context.scene.lost.tokens}", preview.data.copy())
        obj.matrix_world = preview.matrix_world.copy()
        context.scene.collection.objects.link(obj)
        return {"FINISHED"}


class LOST_OT_encode_selected(bpy.types.Operator):
    bl_idname = "lost.encode_selected"
    bl_label = "Encode selected"
    bl_description = "Tokenize the active mesh object so its own prefixes can be scrubbed"

    @classmethod
    def poll(cls, context):
        obj = context.active_object
        return obj is not None and obj.type == "MESH" and obj.name != engine.PREVIEW and not context.scene.lost.busy

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
        engine.session.matrix = obj.matrix_world.copy()
        s = context.scene.lost
        engine.send(context.scene, "encode", main=True, levels=_levels(s), steps=s.steps,
                    arrays={"vertices": ("f4", (len(verts) // 3, 3), verts.tobytes()),
                            "faces": ("i4", (len(tris) // 3, 3), tris.tobytes())})
        return {"FINISHED"}


class LOST_OT_export(bpy.types.Operator, ExportHelper):
    bl_idname = "lost.export"
    bl_label = "Export level"
    bl_description = "Write the current level's mesh to an OBJ file"
    filename_ext = ".obj"

    @classmethod
    def poll(cls, context):
        return engine.preview_object() is not None

    def execute(self, context):
        preview = engine.preview_object()
        selected = [o for o in context.view_layer.objects if o.select_get()]
        for o in context.view_layer.objects:
            o.select_set(o == preview)
        try:
            bpy.ops.wm.obj_export(filepath=self.filepath, export_selected_objects=True, export_materials=False)
        finally:
            for o in context.view_layer.objects:
                o.select_set(o in selected)
        self.report({"INFO"}, f"wrote {self.filepath}")
        return {"FINISHED"}


CLASSES = (LOST_OT_generate, LOST_OT_cancel, LOST_OT_variations, LOST_OT_keep, LOST_OT_encode_selected, LOST_OT_export)
