"""The sidebar panel: View3D › N › LoST."""

import bpy

from . import installing, results, scene_meshes, worker_session


def _status(layout, s, width_chars: int) -> None:
    """The status, wrapped to the sidebar's width; the whole text in the Details popup/tooltip."""
    lines = installing.wrap(s.status, width_chars)
    col = layout.column(align=True)
    for i, line in enumerate(lines[:4]):
        col.label(text=line, icon=("ERROR" if s.status_is_error else "INFO") if i == 0 else "BLANK1")
    if len(lines) > 4 or s.status_detail != s.status:
        col.operator("lost.show_status", icon="TEXT", emboss=False)


class LOST_PT_main(bpy.types.Panel):
    bl_idname = "LOST_PT_main"
    bl_label = "LoST"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "LoST"

    def draw(self, context):
        s = context.scene.lost
        layout = self.layout
        scale = context.preferences.system.ui_scale
        width_chars = max(12, int((context.region.width - 50 * scale) / (7.5 * scale)))  # less the icon and margins
        if s.status == worker_session.NO_ENGINE:
            layout.label(text="No engine installed yet", icon="ERROR")
            layout.operator("lost.open_preferences", icon="PREFERENCES")
        layout.prop(s, "prompt", text="")
        col = layout.column(align=True)
        col.prop(s, "seed")
        col.prop(s, "guidance")
        col.prop(s, "size")
        col.prop(s, "length")
        col.prop(s, "steps")
        row = layout.row(align=True)
        row.enabled = not s.busy
        row.operator("lost.generate", icon="PLAY")
        if s.busy or s.busy_engine:
            if s.busy:
                layout.operator("lost.cancel", icon="CANCEL")
            layout.prop(s, "progress", text=f"{s.progress:.0%}", slider=True)
        if s.status and s.status != worker_session.NO_ENGINE:
            _status(layout, s, width_chars)
        target = results.target_object(context)
        box = layout.box()
        box.enabled = scene_meshes.result_of(target) is not None
        if target is not None:
            box.label(text=target.name, icon="OBJECT_DATA")
        box.prop(s, "tokens", slider=True)
        row = box.row(align=True)
        row.operator("lost.keep", icon="DUPLICATE")
        row.operator("lost.export", icon="EXPORT")
        row = box.row(align=True)
        row.prop(s, "keep")
        row.operator("lost.variations", icon="MOD_NOISE")
        layout.operator("lost.encode_selected", icon="MESH_DATA")


CLASSES = (LOST_PT_main,)
