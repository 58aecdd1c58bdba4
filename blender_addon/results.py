"""What the worker's answers do to the scene: a new result becomes the preview object (standing
on the floor at the 3D cursor, or in an encoded object's frame), decoded levels become cached
meshes, and the Tokens slider swaps between them."""

from __future__ import annotations

import bpy
from mathutils import Matrix

from . import scene_meshes, worker_session
from .scene_meshes import result_key, result_of
from .worker_session import Job, session, set_status


def target_object(context):
    """The object the Tokens slider scrubs: the active object if it holds a LoST result, else the preview."""
    obj = getattr(context, "active_object", None)
    return obj if result_of(obj) is not None else scene_meshes.preview_object(context.scene)


def new_result(scene, job: Job, header: dict, arrays: dict) -> None:
    """A generate / variation / encode answer: store it on the preview object and show it."""
    protocol = worker_session.protocol()
    k_shown = max(header["levels"])
    tokens = protocol.as_array(arrays["tokens"])
    shape = tuple(arrays["tokens"][1])
    encoded = job.op == protocol.Op.ENCODE
    placement = (
        {"z_up": True, "normalization": header["normalization"]}
        if encoded
        else {"z_up": True, "size_m": header["size_m"]}
    )
    record = {
        "prompt": header.get("prompt"),
        "seed": header.get("seed", job.fields.get("seed", 0)),
        "guidance": job.fields.get("guidance"),
        "steps": job.fields.get("steps", 0),
        "level": k_shown,
        "placement": placement,
        "category": header.get("category"),
        "read_as": header.get("read_as"),
        "source": job.target if encoded else "",
        "headline": _headline(job, header),
        "notes": _notes(header),
    }
    result = {**record, "tokens": tokens, "shape": shape}
    key = result_key(result)
    old = [name for (other, _, _), name in session.meshes.items() if other != key]
    mesh = _store_level(key, k_shown, record["steps"], header, arrays)
    preview = scene_meshes.ensure_preview(scene, _collection(scene), mesh)
    first_time = preview.get(scene_meshes.RECORD) is None
    if encoded:
        source = bpy.data.objects.get(job.target)
        preview.matrix_world = source.matrix_world.copy() if source is not None else Matrix.Identity(4)
    else:
        preview.matrix_world = Matrix.Translation(job.cursor)
        if (hider := scene_meshes.hidden_inside(scene, preview)) is not None:
            preview.location.x += (
                scene_meshes.world_bounds(hider)[1][0]
                - scene_meshes.world_bounds(preview)[0][0]
                + 0.1 * preview.dimensions.x
            )
            record["placed"] = f"placed beside {hider.name}: the 3D cursor is inside it"
    scene_meshes.store_result(preview, tokens, shape, record)
    context = bpy.context
    if preview.name in context.view_layer.objects:
        scene_meshes.select_only(context, preview)
        context.view_layer.update()  # frame the object where it now stands
        p = worker_session.prefs()
        if (first_time or job.frame) and (p is None or p.frame_new):
            scene_meshes.frame_view(context, preview)
    _set_tokens_quietly(scene.lost, k_shown)
    scene_meshes.free_meshes(old)  # the previous result's levels, unless kept objects use them
    session.meshes = {key_: name for key_, name in session.meshes.items() if name in bpy.data.meshes}
    set_status(
        scene, levels_status(preview, record["steps"]), _result_detail(header), error=bool(header.get("warnings"))
    )
    prefetch = [
        k
        for k in (session.info or {}).get("prefix_lengths", [])
        if k < k_shown and (key, k, record["steps"]) not in session.meshes
    ]
    if prefetch:  # decode the power-of-two levels in the background, one batch
        worker_session.decode(scene, preview, prefetch)


def _headline(job: Job, header: dict) -> str:
    protocol = worker_session.protocol()
    if job.op == protocol.Op.ENCODE:
        return f"encoded {job.target}"
    size = f", {header['size_m']:g} m" if header.get("size_m") else ""
    what = f"{header.get('category') or 'shape'}{size}"
    return f"{what}, variation seed {header['seed']}" if job.op == protocol.Op.VARIATION else what


def _notes(header: dict) -> list[str]:
    """What the person should know about how the prompt was read."""
    rewrites = ", ".join(f"“{a}” as “{b}”" for a, b in header.get("rewrites") or [])
    return [*([f"read {rewrites}"] if rewrites else []), *(header.get("warnings") or [])]


def _result_detail(header: dict) -> str:
    lines = [f"prompt: {header.get('prompt')}", f"read as: {header.get('read_as')}", *(header.get("warnings") or [])]
    return "\n".join(line for line in lines if not line.endswith("None"))


def _collection(scene):
    context = bpy.context
    if getattr(context, "scene", None) == scene:
        return scene_meshes.active_collection(context)
    return scene.collection


def _store_level(key: str, k: int, steps: int, header: dict, arrays: dict):
    protocol = worker_session.protocol()
    cache_key = (key, k, steps)
    mesh = bpy.data.meshes.get(session.meshes.get(cache_key, ""))
    if mesh is not None:
        return mesh
    mesh = scene_meshes.build_mesh(
        f"LoST {key[:6]} k{k}", protocol.as_array(arrays[f"v{k}"]), protocol.as_array(arrays[f"f{k}"])
    )
    session.meshes[cache_key] = mesh.name
    return mesh


def build_level(job: Job, header: dict, arrays: dict, k: int) -> None:
    """One decoded level of a decode answer -> a cached mesh of the result on the job's object."""
    result = result_of(bpy.data.objects.get(job.target))
    if result is not None:
        _store_level(result_key(result), k, job.fields["steps"], header, arrays)


def after_decode(scene, job: Job) -> None:
    obj = bpy.data.objects.get(job.target)
    if obj is not None and not scene.lost.busy:
        apply_level(scene, obj, scene.lost.tokens)
        result = result_of(obj)
        set_status(
            scene, levels_status(obj, scene.lost.steps), scene.lost.status_detail, error=bool(result.get("notes"))
        )


def show_level(scene, k: int, obj=None) -> None:
    """The Tokens slider moved: show level k now if seen before, else request it (coalesced)."""
    obj = obj or target_object(bpy.context)
    result = result_of(obj)
    if result is None:
        return
    if apply_level(scene, obj, k):
        return
    if session.backlog or any(job.op == worker_session.protocol().Op.DECODE for job in session.jobs.values()):
        session.wanted = (obj.name, k)
        return
    worker_session.decode(scene, obj, [k])


def apply_level(scene, obj, k: int) -> bool:
    """Swap obj's mesh to its cached level k; False when that level is not decoded yet."""
    result = result_of(obj)
    if result is None:
        return False
    mesh = bpy.data.meshes.get(session.meshes.get((result_key(result), k, scene.lost.steps), ""))
    if mesh is None:
        return False
    if obj.data == mesh and result.get("level") == k:
        return True  # already shown: no write, so no needless viewport redraw
    obj.data = mesh
    record = {key: value for key, value in result.items() if key not in ("tokens", "shape")}
    record["level"] = k
    scene_meshes.store_result(obj, result["tokens"], result["shape"], record)
    if scene.lost.status_is_error and not record.get("notes"):  # a later action that works clears an old error
        set_status(scene, levels_status(obj, scene.lost.steps))
    return True


def levels_status(obj, steps: int) -> str:
    """E.g. 'chair, 0.9 m: 6 levels ready (1–32)' and what the prompt's reading needs to say."""
    result = result_of(obj)
    key = result_key(result)
    ks = sorted(k for key_, k, steps_ in session.meshes if key_ == key and steps_ == steps)
    span = f"{ks[0]}–{ks[-1]}" if len(ks) > 1 else f"{ks[0]}" if ks else ""
    levels = f"{len(ks)} level{'s' if len(ks) != 1 else ''} ready ({span})"
    placed = [result["placed"]] if result.get("placed") else []
    return "; ".join([f"{result.get('headline') or obj.name}: {levels}", *placed, *(result.get("notes") or [])])


def _set_tokens_quietly(s, k: int) -> None:
    s["tokens"] = k  # an ID-property write: the slider's update callback does not run
