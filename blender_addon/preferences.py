"""Add-on preferences: model folder, device, mesh resolution, worker interpreter, warm start."""
import bpy


class LOST_AP_preferences(bpy.types.AddonPreferences):
    bl_idname = __package__

    weights: bpy.props.StringProperty(
        name="Model folder", subtype="DIR_PATH", default="",
        description="Folder with tiny_vae/tiny_tokenizer/tiny_gpt/tiny_text .safetensors (empty: the bundled model)")
    device: bpy.props.EnumProperty(
        name="Device", default="auto",
        items=[("auto", "Auto", "CUDA when available, else CPU"), ("cuda", "CUDA", "NVIDIA GPU"), ("cpu", "CPU", "Processor")])
    resolution: bpy.props.IntProperty(name="Mesh resolution", default=96, min=32, max=512,
                                      description="Marching-cubes grid size of decoded meshes")
    warm_start: bpy.props.BoolProperty(
        name="Start the engine when the panel opens", default=True,
        description="Load the models in the background as soon as the LoST panel is shown, so the first Generate "
                    "does not wait for them")
    python: bpy.props.StringProperty(
        name="Python interpreter", subtype="FILE_PATH", default="",
        description="Python with torch for the worker process (empty: the project's .venv if present, else Blender's own)")

    def draw(self, context):
        layout = self.layout
        layout.prop(self, "weights")
        layout.prop(self, "device")
        layout.prop(self, "resolution")
        layout.prop(self, "python")
        layout.prop(self, "warm_start")
        layout.label(text="Empty: Blender's own Python if it has torch, else the project's .venv.")
        layout.label(text="Changes apply when the worker restarts (reload the add-on).")


CLASSES = (LOST_AP_preferences,)
