"""Per-scene settings and state of the LoST panel."""
import bpy

TOKEN_FIELDS = ("tokens", "keep", "length")  # properties whose range is the model's token count


def _tokens_changed(self, context):
    from . import results

    results.show_level(context.scene, self.tokens)


def _token_property(name: str, limit: int):
    """The definition of one of TOKEN_FIELDS with the range 1..limit."""
    if name == "tokens":
        return bpy.props.IntProperty(name="Tokens", default=limit, min=1, max=limit, update=_tokens_changed,
                                     description="Show the decode of the first N tokens")
    if name == "keep":
        return bpy.props.IntProperty(name="Keep", default=min(4, limit), min=1, max=limit,
                                     description="Variations keep this many tokens and resample the rest")
    return bpy.props.IntProperty(name="Length", default=limit, min=1, max=limit,
                                 description="Tokens of the full shape (the slider's maximum)")


def set_token_limit(limit: int) -> None:
    """Give the token properties the model's range (called when the worker says how many it has)."""
    rna = LOST_PG_scene.bl_rna.properties
    if rna["tokens"].hard_max == limit:
        return
    for name in TOKEN_FIELDS:
        setattr(LOST_PG_scene, name, _token_property(name, limit))


class LOST_PG_scene(bpy.types.PropertyGroup):
    prompt: bpy.props.StringProperty(name="Prompt", default="a wooden chair", description="What to generate")
    seed: bpy.props.IntProperty(name="Seed", default=0, min=0)
    guidance: bpy.props.FloatProperty(name="Guidance", default=3.0, min=0.0, max=20.0,
                                      description="Classifier-free guidance scale (1 = none)")
    size: bpy.props.FloatProperty(name="Size (0: real)", default=0.0, min=0.0, soft_max=100.0, unit="LENGTH",
                                  description="Largest dimension of the result; 0 = the real-world size of what the "
                                              "prompt names (a chair about 0.9 m, a mug 0.1 m)")
    steps: bpy.props.IntProperty(name="Sampler steps", default=0, min=0, max=100,
                                 description="Decoder sampler steps; 0 = the model's own default (few = fast previews)")
    length: _token_property("length", 32)
    tokens: _token_property("tokens", 32)
    keep: _token_property("keep", 32)
    progress: bpy.props.FloatProperty(name="Progress", default=0.0, min=0.0, max=1.0, subtype="FACTOR")
    status: bpy.props.StringProperty(name="Status", default="")
    status_detail: bpy.props.StringProperty(name="Details", default="")
    status_is_error: bpy.props.BoolProperty(default=False)
    busy: bpy.props.BoolProperty(default=False)
    busy_engine: bpy.props.BoolProperty(default=False)  # the worker is starting (loading models)
    has_result: bpy.props.BoolProperty(default=False)


CLASSES = (LOST_PG_scene,)
