"""Blender side of the engine: the worker process, the polling timer and the decoded levels shown
in the viewport. Needs no torch: arrays arrive as bytes and go into meshes with foreach_set
(numpy, where Blender has it, only builds the face offsets faster).

One worker (`python -m lost_engine.worker`) serves the session and stays warm. The add-on never
waits on it: requests are sent, and a `bpy.app.timers` callback applies whatever has arrived.
Every decoded level becomes a mesh datablock kept for the session, so scrubbing back to a level
seen before is a pointer swap; a new level is requested from the worker, and while one decode is
in flight further slider moves only remember the newest wanted level.
"""
from __future__ import annotations

import subprocess
import sys
import threading
from array import array
from pathlib import Path

import bpy

try:
    import numpy
except ImportError:  # distribution builds of Blender (e.g. Debian's) may come without it
    numpy = None

HERE = Path(__file__).resolve().parent
PREVIEW = "LoST Preview"
POLL_SECONDS = 0.05


def engine_root() -> Path:
    """The folder holding `lost_engine`: bundled inside the add-on, or the repository checkout."""
    return HERE if (HERE / "lost_engine").is_dir() else HERE.parent


def protocol():
    """lost_engine.protocol (stdlib only), imported from the bundled or checked-out engine."""
    root = str(engine_root())
    if root not in sys.path:
        sys.path.append(root)
    from lost_engine import protocol  # stdlib-only module

    return protocol


_TORCH_CHECKED: dict[str, bool] = {}


def can_import_torch(python: str) -> bool:
    """Whether `python` exists and imports torch (checked once per interpreter per session)."""
    if python not in _TORCH_CHECKED:
        try:
            _TORCH_CHECKED[python] = subprocess.run([python, "-c", "import torch"], capture_output=True,
                                                    timeout=300).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _TORCH_CHECKED[python] = False
    return _TORCH_CHECKED[python]


def _auto_candidates() -> list[str]:
    venvs = [engine_root() / ".venv" / "bin" / "python", engine_root() / ".venv" / "Scripts" / "python.exe"]
    return [sys.executable, *(str(v) for v in venvs if v.exists())]


def worker_python(configured: str = "") -> str:
    """The interpreter for the worker: the one set in the preferences; else Blender's own Python
    if it can import torch; else the project's .venv when the add-on runs from a checkout."""
    if configured:
        return bpy.path.abspath(configured)
    for python in _auto_candidates():
        if can_import_torch(python):
            return python
    raise RuntimeError("no Python with torch found for the LoST worker: set Preferences › Add-ons › LoST › "
                       "Python interpreter (e.g. the project's .venv/bin/python)")


def prewarm():
    """Timer callback scheduled at registration: check the interpreters in a background thread,
    so that the first Generate does not wait for `import torch` checks on Blender's UI thread."""
    threading.Thread(target=lambda: [can_import_torch(p) for p in _auto_candidates()], daemon=True).start()
    return None


def _prefs():
    addon = bpy.context.preferences.addons.get(__package__)
    return addon.preferences if addon else None


class Session:
    def __init__(self):
        self.client = None
        self.info: dict | None = None          # the worker's "ready" message
        self.handle: int | None = None         # the result being scrubbed
        self.origin = ""                       # status prefix: "mesh: " for an encoded mesh, "pew→bench, " for a rewritten prompt
        self.meshes: dict[tuple[int, int], str] = {}  # (handle, k) -> mesh datablock name
        self.jobs: dict[int, str] = {}         # request id -> op, in flight
        self.main_job: int | None = None       # the generate/variation/encode request (cancellable)
        self.wanted: int | None = None         # newest slider level waiting for a decode
        self.matrix = None                     # world matrix of an encoded object
        self.timings: dict[str, float] = {}
        self.warm_up_tried = False             # the panel started (or tried to start) the worker


session = Session()


# ---- worker lifecycle ------------------------------------------------------------------------
def ensure_worker():
    if session.client is not None and session.client.alive:
        return session.client
    prefs = _prefs()
    args = ["--device", prefs.device if prefs else "auto", "--resolution", str(prefs.resolution if prefs else 96)]
    if prefs and prefs.weights:
        args += ["--weights", bpy.path.abspath(prefs.weights)]
    session.client = protocol().WorkerClient(worker_python(prefs.python if prefs else ""), str(engine_root()), args)
    session.info = None
    _start_timer()
    return session.client


def warm_up_soon() -> None:
    """The panel is shown: start the worker in the background, so that the first Generate finds the
    models loaded. Only once the interpreter check is done (never blocks drawing) and if enabled."""
    prefs = _prefs()
    if session.client is not None or session.warm_up_tried or (prefs and not prefs.warm_start):
        return
    if not (prefs and prefs.python) and not all(p in _TORCH_CHECKED for p in _auto_candidates()):
        return  # prewarm's background check is still running; the next redraw asks again
    session.warm_up_tried = True
    bpy.app.timers.register(_warm_up, first_interval=0.0)


def _warm_up():
    try:
        ensure_worker()
    except Exception as exc:  # shown now, before the artist presses Generate
        bpy.context.scene.lost.status = f"Worker unavailable: {exc}"
    return None


def shutdown() -> None:
    """Stop the worker and the timer, and free every cached level mesh (add-on unregister)."""
    for timer in (poll, prewarm, _warm_up):
        if bpy.app.timers.is_registered(timer):
            bpy.app.timers.unregister(timer)
    if session.client is not None:
        session.client.stop()
    _free_meshes(session.meshes.values())
    session.__init__()


def _start_timer() -> None:
    if not bpy.app.timers.is_registered(poll):
        bpy.app.timers.register(poll, first_interval=0.0, persistent=True)


def send(scene, op: str, main: bool = False, **fields) -> int:
    """Send a request; `main` marks the cancellable job the panel's progress bar follows."""
    s = scene.lost
    try:
        client = ensure_worker()
        request_id = client.send(op, **fields)
    except Exception as exc:  # missing interpreter, crashed worker: tell the artist, keep Blender running
        s.busy, s.status = False, f"Worker unavailable: {exc}"
        return -1
    session.jobs[request_id] = op
    if main:
        session.main_job = request_id
        s.busy, s.progress, s.status = True, 0.0, f"{op}…"
    _start_timer()
    return request_id


def cancel(scene) -> None:
    if session.main_job is not None and session.client is not None and session.client.alive:
        session.client.send("cancel", target=session.main_job)
        scene.lost.status = "cancelling…"


# ---- the timer ---------------------------------------------------------------------------------
def poll():
    """Apply what the worker sent; keep polling while anything is in flight."""
    client = session.client
    if client is None:
        return None
    scene = bpy.context.scene
    for header, arrays in client.poll():
        _on_message(scene, header, arrays)
    if session.client is None:
        return None
    return POLL_SECONDS if (session.jobs or session.info is None) else 1.0


def _on_message(scene, header: dict, arrays: dict) -> None:
    s = scene.lost
    kind, request_id = header.get("type"), header.get("id")
    if kind == "ready":
        session.info = header
        s.status = f"worker ready ({header['device']})"
        return
    if kind == "exit":
        lines = session.client.last_error_lines(3) if session.client else ""
        session.client, session.jobs, session.main_job = None, {}, None
        s.busy, s.status = False, f"The worker stopped. {lines}".strip()
        return
    if kind == "progress":
        if request_id == session.main_job:
            s.progress, s.status = header["fraction"], header["message"]
        return
    op = session.jobs.pop(request_id, None)
    if request_id == session.main_job:
        session.main_job, s.busy = None, False
    if kind == "error":
        s.status = f"Error: {header['message']}"
        if header.get("fatal"):
            session.client = None
    elif kind == "cancelled":
        s.status = "cancelled"
    elif kind == "result" and op in ("generate", "variation", "encode"):
        _new_result(scene, header, arrays)
    elif kind == "result" and op == "decode":
        _store_levels(header, arrays)
        s.status = _levels_status()
        _apply(scene, s.tokens)
    if op == "decode" and session.wanted is not None:  # newest slider position wins
        wanted, session.wanted = session.wanted, None
        show_level(scene, wanted)
    _redraw()


def _new_result(scene, header, arrays) -> None:
    s = scene.lost
    old = list(session.meshes.values())
    session.meshes.clear()
    session.handle = header["handle"]
    _store_levels(header, arrays)
    shown = max(header["levels"])
    s.has_result = True
    rewrites = "".join(f"{word}→{known}, " for word, known in header.get("rewrites") or [])  # the prompt lexicon's reading
    session.origin = "mesh: " if header.get("prompt") is None else rewrites
    s.status = _levels_status()
    _set_tokens_quietly(s, shown)
    _apply(scene, shown)
    _free_meshes(old)  # the previous result's levels; the preview now shows the new one
    prefetch = [k for k in (session.info or {}).get("prefix_lengths", []) if k <= s.length and (session.handle, k) not in session.meshes]
    if prefetch:  # decode the power-of-two levels in the background, one batch
        send(scene, "decode", handle=session.handle, levels=prefetch, steps=s.steps)


# ---- levels and meshes ---------------------------------------------------------------------------
def show_level(scene, k: int) -> None:
    """The Tokens slider moved: show level k now if seen before, else request it (coalesced)."""
    if session.handle is None:
        return
    if (session.handle, k) in session.meshes:
        _apply(scene, k)
        return
    if any(op == "decode" for op in session.jobs.values()):
        session.wanted = k
        return
    send(scene, "decode", handle=session.handle, levels=[k], steps=scene.lost.steps)


def _levels_status() -> str:
    """E.g. '6 levels ready (1–32)' for the result being scrubbed (short: the sidebar is narrow)."""
    ks = sorted(k for handle, k in session.meshes if handle == session.handle)
    span = f"{ks[0]}–{ks[-1]}" if len(ks) > 1 else f"{ks[0]}"
    return f"{session.origin}{len(ks)} level{'s' if len(ks) > 1 else ''} ready ({span})"


def _store_levels(header, arrays) -> None:
    as_array = protocol().as_array
    for k in header["levels"]:
        name = f"LoST level {header['handle']}:{k}"
        verts, faces = as_array(arrays[f"v{k}"]), as_array(arrays[f"f{k}"])
        session.meshes[(header["handle"], k)] = build_mesh(name, verts, faces).name


def build_mesh(name: str, verts: array, faces: array):
    """A mesh datablock from flat vertex (3V floats) and triangle (3F ints) buffers, no Python
    loop over elements. Blender 4+ stores positions and corner vertices as attributes, and
    writing those is a copy (~30× faster than the MeshVertex/MeshLoop properties older Blender
    offers, which remain the fallback)."""
    mesh = bpy.data.meshes.new(name)
    n_faces = len(faces) // 3
    mesh.vertices.add(len(verts) // 3)
    position = mesh.attributes.get("position")
    if position is not None:
        position.data.foreach_set("vector", verts)
    else:
        mesh.vertices.foreach_set("co", verts)
    mesh.loops.add(len(faces))
    corner_vert = mesh.attributes.get(".corner_vert")
    if corner_vert is not None:
        corner_vert.data.foreach_set("value", faces)
    else:
        mesh.loops.foreach_set("vertex_index", faces)
    mesh.polygons.add(n_faces)
    starts = numpy.arange(0, 3 * n_faces, 3, dtype=numpy.int32) if numpy is not None else array("i", range(0, 3 * n_faces, 3))
    mesh.polygons.foreach_set("loop_start", starts)
    if not bpy.types.MeshPolygon.bl_rna.properties["loop_total"].is_readonly:  # Blender < 4.0 needs it set
        mesh.polygons.foreach_set("loop_total", array("i", [3]) * n_faces)
    mesh.update()
    return mesh


def _apply(scene, k: int) -> None:
    name = session.meshes.get((session.handle, k))
    if name is None or name not in bpy.data.meshes:
        return
    obj = bpy.data.objects.get(PREVIEW)
    if obj is None:
        obj = bpy.data.objects.new(PREVIEW, bpy.data.meshes[name])
        scene.collection.objects.link(obj)
    else:
        obj.data = bpy.data.meshes[name]
    if session.matrix is not None:
        obj.matrix_world = session.matrix


def preview_object():
    return bpy.data.objects.get(PREVIEW)


def _free_meshes(names) -> None:
    """Remove cached level meshes nothing uses any more (Keep makes copies, so kept objects stay)."""
    for name in names:
        mesh = bpy.data.meshes.get(name)
        if mesh is not None and mesh.users == 0:
            bpy.data.meshes.remove(mesh)


def _set_tokens_quietly(s, k: int) -> None:
    session_handle = session.handle
    session.handle = None  # the update callback sees no result and does nothing
    s.tokens = k
    session.handle = session_handle


def _redraw() -> None:
    for window in getattr(bpy.context.window_manager, "windows", []):
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                area.tag_redraw()
