"""The sidebar panel: View3D › N › LoST."""
import bpy

from . import engine


class LOST_PT_main(bpy.types.Panel):
    bl_idname = "LOST_PT_main"
    bl_label = "LoST"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "LoST"

    def draw(self, context):
        engine.warm_up_soon()
        s = context.scene.lost
        layout = self.layout
        layout.prop(s, "prompt", text="")
        col = layout.column(align=True)
        col.prop(s, "seed")
        col.prop(s, "guidance")
        col.prop(s, "length")
        col.prop(s, "steps")
        row = layout.row(align=True)
        row.enabled = not s.busy
        row.operator("lost.generate", icon="PLAY")
        if s.busy:
            layout.operator("lost.cancel", icon="CANCEL")
            layout.prop(s, "progress", text=s.status or "working", slider=True)
        elif s.status:
            layout.label(text=s.status, icon="INFO")
        box = layout.box()
        box.enabled = s.has_result
        box.prop(s, "tokens", slider=True)
        row = box.row(align=True)
        row.operator("lost.keep", icon="DUPLICATE")
        row.operator("lost.export", icon="EXPORT")
        row = box.row(align=True)
        row.prop(s, "keep")
        row.operator("lost.variations", icon="MOD_NOISE")
        layout.operator("lost.encode_selected", icon="MESH_DATA")


CLASSES = (LOST_PT_main,)
