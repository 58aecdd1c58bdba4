"""Per-scene settings and state of the LoST panel."""
import bpy

from . import engine


def _tokens_changed(self, context):
    engine.show_level(context.scene, self.tokens)


class LOST_PG_scene(bpy.types.PropertyGroup):
    prompt: bpy.props.StringProperty(name="Prompt", default="a wooden chair", description="What to generate")
    seed: bpy.props.IntProperty(name="Seed", default=0, min=0)
    guidance: bpy.props.FloatProperty(name="Guidance", default=3.0, min=0.0, max=20.0,
                                      description="Classifier-free guidance scale (1 = none)")
    length: bpy.props.IntProperty(name="Length", default=32, min=1, max=512,
                                  description="Tokens of the full shape (the slider's maximum)")
    steps: bpy.props.IntProperty(name="Sampler steps", default=0, min=0, max=100,
                                 description="Decoder sampler steps; 0 = the model's own default (few = fast previews)")
    tokens: bpy.props.IntProperty(name="Tokens", default=32, min=1, max=512, update=_tokens_changed,
                                  description="Show the decode of the first N tokens")
    keep: bpy.props.IntProperty(name="Keep", default=4, min=1, max=512,
                                description="Variations keep this many tokens and resample the rest")
    progress: bpy.props.FloatProperty(name="Progress", default=0.0, min=0.0, max=1.0, subtype="FACTOR")
    status: bpy.props.StringProperty(name="Status", default="")
    busy: bpy.props.BoolProperty(default=False)
    has_result: bpy.props.BoolProperty(default=False)


CLASSES = (LOST_PG_scene,)
