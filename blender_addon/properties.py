"""Per-scene settings and state of the LoST panel."""

import bpy

TOKEN_FIELDS = ("tokens", "keep", "length")  # properties whose range is the model's token count


def _panel(group):
    from . import worker_session

    return worker_session.panel(group.id_data)


def _tokens_changed(self, context):
    from . import results

    results.show_level(context.scene, self.tokens)


def _token_property(name: str, limit: int):
    """The definition of one of TOKEN_FIELDS with the range 1..limit."""
    if name == "tokens":
        return bpy.props.IntProperty(
            name="Tokens",
            default=limit,
            min=1,
            max=limit,
            update=_tokens_changed,
            description="Show the decode of the first N tokens",
        )
    if name == "keep":
        return bpy.props.IntProperty(
            name="Keep",
            default=min(4, limit),
            min=1,
            max=limit,
            description="Variations keep this many tokens and resample the rest",
        )
    return bpy.props.IntProperty(
        name="Length", default=limit, min=1, max=limit, description="Tokens of the full shape (the slider's maximum)"
    )


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
    guidance: bpy.props.FloatProperty(
        name="Guidance", default=3.0, min=0.0, max=20.0, description="Classifier-free guidance scale (1 = none)"
    )
    size: bpy.props.FloatProperty(
        name="Size (0: real)",
        default=0.0,
        min=0.0,
        soft_max=100.0,
        unit="LENGTH",
        description="Largest dimension of the result; 0 = the real-world size of what the "
        "prompt names (a chair about 0.9 m, a mug 0.1 m)",
    )
    steps: bpy.props.IntProperty(
        name="Sampler steps",
        default=0,
        min=0,
        max=100,
        description="Decoder sampler steps; 0 = the model's own default (few = fast previews)",
    )
    length: _token_property("length", 32)
    tokens: _token_property("tokens", 32)
    keep: _token_property("keep", 32)
    # read-only views of the session's PanelState (worker_session.py says why it is not stored here)
    progress: bpy.props.FloatProperty(
        name="Progress", min=0.0, max=1.0, subtype="FACTOR", get=lambda self: _panel(self).progress
    )
    status: bpy.props.StringProperty(name="Status", get=lambda self: _panel(self).status)
    status_detail: bpy.props.StringProperty(name="Details", get=lambda self: _panel(self).detail)
    status_is_error: bpy.props.BoolProperty(get=lambda self: _panel(self).error)
    busy: bpy.props.BoolProperty(get=lambda self: _panel(self).busy)
    busy_engine: bpy.props.BoolProperty(get=lambda self: _panel(self).starting)


CLASSES = (LOST_PG_scene,)
