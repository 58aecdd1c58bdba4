"""Building results in the scene: mesh datablocks from the worker's buffers, the preview object
(placed, shaded, with a material), and the result record every LoST object carries so that a
saved .blend can be scrubbed again. Needs neither numpy nor torch."""

from __future__ import annotations

import hashlib
import json
import math
from array import array

import bpy
from mathutils import Vector

PREVIEW = "LoST Preview"
MATERIAL = "LoST Material"
SMOOTH_ANGLE = math.radians(35.0)
TOKENS, TOKEN_SHAPE, RECORD = "lost_tokens", "lost_token_shape", "lost_record"  # custom properties on objects


# ---- meshes ------------------------------------------------------------------------------------
def build_mesh(name: str, verts: array, faces: array):
    """A mesh datablock from flat vertex (3V floats) and triangle (3F ints) buffers, no Python loop
    over elements. Blender 4+ stores positions and corner vertices as attributes (writing them is
    a copy); older Blender's MeshVertex/MeshLoop properties are the fallback. Smooth shaded by
    angle, with the LoST material."""
    mesh = bpy.data.meshes.new(name)
    n_faces = len(faces) // 3
    mesh.vertices.add(len(verts) // 3)
    position = mesh.attributes.get("position")
    (position.data if position is not None else mesh.vertices).foreach_set(
        "vector" if position is not None else "co", verts
    )
    mesh.loops.add(len(faces))
    corner_vert = mesh.attributes.get(".corner_vert")
    if corner_vert is not None:
        corner_vert.data.foreach_set("value", faces)
    else:
        mesh.loops.foreach_set("vertex_index", faces)
    mesh.polygons.add(n_faces)
    mesh.polygons.foreach_set("loop_start", array("i", range(0, 3 * n_faces, 3)))
    if not bpy.types.MeshPolygon.bl_rna.properties["loop_total"].is_readonly:  # Blender < 4.0 needs it set
        mesh.polygons.foreach_set("loop_total", array("i", [3]) * n_faces)
    mesh.update()
    shade_smooth_by_angle(mesh)
    mesh.materials.append(default_material())
    return mesh


def shade_smooth_by_angle(mesh) -> None:
    """Smooth shading with edges sharper than SMOOTH_ANGLE kept sharp (Blender 4.1+ and older)."""
    if hasattr(mesh, "set_sharp_from_angle"):  # 4.1+
        mesh.shade_smooth()
        mesh.set_sharp_from_angle(angle=SMOOTH_ANGLE)
        return
    mesh.polygons.foreach_set("use_smooth", array("b", [1]) * len(mesh.polygons))
    mesh.use_auto_smooth = True
    mesh.auto_smooth_angle = SMOOTH_ANGLE


def default_material():
    material = bpy.data.materials.get(MATERIAL)
    if material is None:
        material = bpy.data.materials.new(MATERIAL)
        material.diffuse_color = (0.8, 0.62, 0.45, 1.0)  # a light wood tone, also the viewport colour
        material.roughness = 0.6
        material.use_nodes = True
        bsdf = material.node_tree.nodes.get("Principled BSDF")
        if bsdf is not None:
            bsdf.inputs["Base Color"].default_value = material.diffuse_color
            bsdf.inputs["Roughness"].default_value = 0.6
    return material


def free_meshes(names) -> None:
    """Remove cached level meshes nothing uses any more (kept objects own copies)."""
    for name in names:
        mesh = bpy.data.meshes.get(name)
        if mesh is not None and mesh.users == 0:
            bpy.data.meshes.remove(mesh)


# ---- objects -----------------------------------------------------------------------------------
def preview_object(scene=None):
    obj = bpy.data.objects.get(PREVIEW)
    return obj if obj is not None and (scene is None or obj.name in scene.objects) else None


def ensure_preview(scene, collection, mesh):
    """The preview object, made in `collection` if the scene has none."""
    obj = preview_object(scene)
    if obj is None:
        obj = bpy.data.objects.new(PREVIEW, mesh)
        collection.objects.link(obj)
    else:
        obj.data = mesh
    return obj


def active_collection(context):
    layer = getattr(context, "view_layer", None)
    return layer.active_layer_collection.collection if layer is not None else context.scene.collection


def select_only(context, obj) -> None:
    for other in context.view_layer.objects:
        other.select_set(other == obj)
    context.view_layer.objects.active = obj


FRAME_MARGIN = 1.6  # the view's distance after View Selected, times this: the whole object with room around it


def frame_view(context, obj) -> None:
    """Frame every 3D viewport on `obj` (skipped where there is no window: blender -b)."""
    view = context.preferences.view
    smooth, view.smooth_view = view.smooth_view, 0  # no animation, so the margin below is not overwritten
    try:
        for window in getattr(context.window_manager, "windows", []):
            for area in window.screen.areas:
                region = next((r for r in area.regions if r.type == "WINDOW"), None)
                if area.type != "VIEW_3D" or region is None:
                    continue
                with context.temp_override(window=window, area=area, region=region):
                    bpy.ops.view3d.view_selected()
                area.spaces.active.region_3d.view_distance *= FRAME_MARGIN
    finally:
        view.smooth_view = smooth


def world_bounds(obj) -> tuple[list[float], list[float]]:
    """(min xyz, max xyz) of the object's bounding box in world space."""
    corners = [obj.matrix_world @ Vector(corner) for corner in obj.bound_box]
    return [min(c[i] for c in corners) for i in range(3)], [max(c[i] for c in corners) for i in range(3)]


def hidden_inside(scene, obj):
    """A visible mesh object whose bounding box wholly contains obj's (a new result inside the
    default cube), or None."""
    bpy.context.view_layer.update()  # the new mesh's bounding box and matrix
    lo, hi = world_bounds(obj)
    for other in scene.objects:
        if other is obj or other.type != "MESH" or not other.visible_get() or result_of(other) is not None:
            continue
        olo, ohi = world_bounds(other)
        if all(olo[i] <= lo[i] and hi[i] <= ohi[i] for i in range(3)):
            return other
    return None


# ---- the result record ---------------------------------------------------------------------------
def store_result(obj, tokens: array, shape: tuple[int, int], record: dict) -> None:
    """Tokens (K × D floats), prompt, seed and settings on the object: they are saved in the .blend."""
    obj[TOKENS] = tokens.tolist()
    obj[TOKEN_SHAPE] = list(shape)
    obj[RECORD] = json.dumps(record)


def result_of(obj) -> dict | None:
    """{'tokens': array('f'), 'shape': (K, D), **record} of a LoST object, or None."""
    if obj is None or TOKENS not in obj or RECORD not in obj:
        return None
    try:
        record = json.loads(obj[RECORD])
        tokens = array("f", obj[TOKENS])
        shape = tuple(int(v) for v in obj[TOKEN_SHAPE])
    except (ValueError, TypeError, KeyError):
        return None
    return {**record, "tokens": tokens, "shape": shape} if len(tokens) == shape[0] * shape[1] else None


def result_key(result: dict) -> str:
    """Identifies what a decode of this result looks like: its tokens and its placement."""
    digest = hashlib.sha1(result["tokens"].tobytes())
    digest.update(json.dumps(result.get("placement"), sort_keys=True).encode())
    return digest.hexdigest()[:16]
