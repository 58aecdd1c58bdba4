"""The worker session: one `python -m lost_engine.worker` process serving this Blender, polled by a
`bpy.app.timers` callback so that Blender never waits on it.

Requests carry everything they need (the tokens of the result they decode), so a crashed worker is
restarted and the requests it was serving are sent again, and a reopened .blend is scrubbed from
the tokens stored on its objects. Every decoded level becomes a mesh datablock kept for the
session: scrubbing back to a level seen before is a pointer swap; while one decode is in flight,
further slider moves only remember the newest wanted level.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import bpy

from . import engine_env, scene_meshes
from .scene_meshes import result_of

HERE = Path(__file__).resolve().parent
POLL_SECONDS = 0.05
POLL_BUDGET_SECONDS = 0.03  # UI-thread time one timer call may take before leaving the rest for the next
MAX_RESTARTS = 3  # within RESTART_WINDOW seconds; then the artist is asked to look at the console
RESTART_WINDOW = 120.0


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


def requirements_text() -> str:
    for path in (HERE / "requirements.txt", engine_root() / "requirements.txt"):
        if path.is_file():
            return path.read_text()
    raise FileNotFoundError("requirements.txt is missing from the add-on")


# ---- which interpreter runs the worker -------------------------------------------------------------
_TORCH_CHECKED: dict[str, bool] = {}


def can_import_torch(python: str) -> bool:
    """Whether `python` exists and imports torch (checked once per interpreter per session)."""
    if python not in _TORCH_CHECKED:
        _TORCH_CHECKED[python] = engine_env.check_engine(python)["ok"]
    return _TORCH_CHECKED[python]


def candidates(package: str) -> list[str]:
    """Interpreters tried in order when none is set: the engine installed from the preferences,
    Blender's own Python (if someone put torch there), the checkout's .venv (developers)."""
    private = engine_env.env_python(engine_env.engine_folder(package))
    venv = engine_root() / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    return [str(p) for p in (private, Path(sys.executable), venv) if p.exists()]


def find_python(package: str, configured: str = "") -> str | None:
    """The interpreter for the worker, or None when no engine is installed."""
    if configured:
        return bpy.path.abspath(configured)
    return next((p for p in candidates(package) if can_import_torch(p)), None)


NO_ENGINE = "No engine installed: Preferences › Add-ons › LoST › Install engine"


# ---- the session ---------------------------------------------------------------------------------
@dataclass
class Job:
    op: str
    scene: str  # the scene that asked (results are applied there)
    fields: dict
    arrays: dict | None = None
    target: str = ""  # the object the result is for
    cursor: tuple = (0.0, 0.0, 0.0)  # where a generated result is placed
    frame: bool = False  # frame the view on the result when it first appears


@dataclass
class PanelState:
    """What the panel shows for one scene. Kept in Python, not in scene properties: writing a scene
    property redraws every 3D view (hundreds of milliseconds each with software GL), and progress
    arrives once per token; the panel reads this through read-only properties (properties.py)."""

    status: str = ""
    detail: str = ""  # the whole message: tooltip, Details popup, console
    error: bool = False
    progress: float = 0.0
    busy: bool = False  # a generate / variation / encode is running
    starting: bool = False  # the worker is starting (loading models)


@dataclass
class Session:
    package: str = ""
    client: object = None
    info: dict | None = None  # the worker's "ready" message
    jobs: dict = field(default_factory=dict)  # request id -> Job, in flight
    main_job: int | None = None  # the generate/variation/encode request (cancellable)
    meshes: dict = field(default_factory=dict)  # (result key, k, steps) -> mesh datablock name
    wanted: tuple | None = None  # (object name, k): the newest slider level waiting for a decode
    crashes: list = field(default_factory=list)  # times the worker died unasked
    variations: int = 0  # variations made since the last Generate (their seed offset)
    crash_note: str = ""  # why the worker last stopped unasked (until it serves again)
    crash_note_detail: str = ""  # its last lines on stderr
    panels: dict = field(default_factory=dict)  # scene name -> PanelState
    inbox: list = field(default_factory=list)  # messages received, not yet applied
    backlog: list = field(default_factory=list)  # [(job, header, arrays, levels still to build)]


session = Session()


def prefs():
    addon = bpy.context.preferences.addons.get(session.package)
    return addon.preferences if addon else None


def panel(scene) -> PanelState:
    return session.panels.setdefault(scene.name, PanelState())


def set_status(scene, message: str, detail: str = "", error: bool = False) -> None:
    """The panel's status line (wrapped there) and its full detail (tooltip, popup, console)."""
    state = panel(scene)
    state.status, state.detail, state.error = message, detail or message, error
    if error or detail:
        print(f"LoST: {detail or message}", file=sys.stderr)


def ensure_worker(scene):
    """The running worker, started if needed; None (and the reason in the panel) without an engine."""
    if session.client is not None and session.client.alive:
        return session.client
    p = prefs()
    python = find_python(session.package, p.python if p else "")
    if python is None:
        set_status(scene, NO_ENGINE, error=True)
        return None
    # torch leaves one core to Blender: on 2 cores, Generate -> first mesh 1.1-2.0 s with one torch
    # thread against 1.7-7.8 s with two, which fought Blender's own (software GL) drawing
    args = [
        "--device",
        p.device if p else "auto",
        "--resolution",
        str(p.resolution if p else 96),
        "--smooth",
        str(p.smooth if p else 0),
        "--max-faces",
        str(p.max_faces if p else 0),
        "--threads",
        str(max(1, (os.cpu_count() or 2) - 1)),
    ]
    if p and p.weights:
        args += ["--weights", bpy.path.abspath(p.weights)]
    try:
        session.client = protocol().WorkerClient(python, str(engine_root()), args)
    except protocol().WorkerError as exc:
        set_status(scene, "The engine could not start", str(exc), error=True)
        return None
    session.info = None
    panel(scene).starting = True
    set_status(
        scene,
        f"{session.crash_note}. Restarting the engine…" if session.crash_note else "starting the engine…",
        error=bool(session.crash_note),
    )
    start_timer()
    return session.client


def restart(scene, reason: str = "") -> None:
    """Stop the worker (settings changed) and start a new one; in-flight work is sent again."""
    pending = list(session.jobs.values())
    stop_worker()
    if reason:
        set_status(scene, reason)
    if ensure_worker(scene) is not None:
        for job in pending:
            _resend(job)


def stop_worker() -> None:
    if session.client is not None:
        session.client.stop()
    session.client, session.info, session.jobs, session.main_job = None, None, {}, None


def shutdown() -> None:
    """Stop the worker and the timer, and free every cached level mesh (add-on unregister)."""
    for timer in (poll, prewarm):
        if bpy.app.timers.is_registered(timer):
            bpy.app.timers.unregister(timer)
    stop_worker()
    scene_meshes.free_meshes(session.meshes.values())
    session.__init__(package=session.package)


def forget_meshes() -> None:
    """A new file was loaded: its meshes are other datablocks; the worker and its caches stay."""
    session.meshes.clear()
    session.jobs, session.main_job, session.wanted, session.backlog = {}, None, None, []


def prewarm():
    """Timer callback at registration: check the interpreters in a background thread (never on
    Blender's UI thread), then start the worker if warm start is on."""

    def check():
        for python in candidates(session.package):
            can_import_torch(python)

    threading.Thread(target=check, daemon=True).start()
    bpy.app.timers.register(_warm_when_checked, first_interval=0.5)
    return None


def _warm_when_checked():
    p = prefs()
    if p is None or not p.warm_start or session.client is not None:
        return None
    if not p.python and not all(c in _TORCH_CHECKED for c in candidates(session.package)):
        return 0.5  # the background check is still running
    ensure_worker(bpy.context.scene)
    return None


def start_timer() -> None:
    if not bpy.app.timers.is_registered(poll):
        bpy.app.timers.register(poll, first_interval=0.0, persistent=True)


# ---- requests ------------------------------------------------------------------------------------
def send(scene, job: Job, main: bool = False) -> int:
    """Send a request; `main` marks the cancellable job the panel's progress bar follows."""
    client = ensure_worker(scene)
    if client is None:
        return -1
    try:
        request_id = client.send(job.op, arrays=job.arrays, **job.fields)
    except protocol().WorkerError as exc:
        set_status(scene, "The engine stopped", str(exc), error=True)
        return -1
    session.jobs[request_id] = job
    if main:
        _cancel_prefetches(client, request_id)
        session.main_job = request_id
        panel(scene).busy, panel(scene).progress = True, 0.0
        if session.info is not None:
            set_status(scene, f"{job.op}…")
    start_timer()
    return request_id


def _cancel_prefetches(client, newest: int) -> None:
    """A new generate/variation/encode goes first: decodes still queued for an older result are
    cancelled (the worker serves one request at a time)."""
    for request_id, job in list(session.jobs.items()):
        if request_id != newest and job.op == protocol().Op.DECODE:
            client.send(protocol().Op.CANCEL, target=request_id)


def _resend(job: Job) -> None:
    scene = bpy.data.scenes.get(job.scene)
    if scene is not None:
        was_main = job.op in protocol().Op.NEW_RESULT
        send(scene, job, main=was_main)


def cancel(scene) -> None:
    if session.main_job is not None and session.client is not None and session.client.alive:
        session.client.send(protocol().Op.CANCEL, target=session.main_job)
        set_status(scene, "cancelling…")


def tokens_array(result: dict) -> dict:
    return {"tokens": ("f4", result["shape"], result["tokens"].tobytes())}


def decode(scene, obj, levels: list[int]) -> int:
    """Ask for levels of the result stored on `obj`."""
    result = result_of(obj)
    steps = scene.lost.steps
    job = Job(
        protocol().Op.DECODE,
        scene.name,
        {"seed": result["seed"], "levels": levels, "steps": steps, "placement": result["placement"]},
        tokens_array(result),
        obj.name,
    )
    return send(scene, job)


# ---- the timer -----------------------------------------------------------------------------------
def poll():
    """Apply what the worker sent, within a time budget per call (Blender's UI waits while this
    runs): decoded levels become meshes one at a time, the rest waits for the next call."""
    from . import results

    if session.client is not None:
        session.inbox.extend(session.client.poll())
    start = time.perf_counter()
    while (session.inbox or session.backlog) and time.perf_counter() - start < POLL_BUDGET_SECONDS:
        if session.backlog:
            job, header, arrays, levels = session.backlog[0]
            results.build_level(job, header, arrays, levels.pop(0))
            if not levels:
                session.backlog.pop(0)
                _decode_finished(_scene_of(job), job)
        else:
            _on_message(*session.inbox.pop(0))
    if _last_redraw[1]:
        redraw()
    if session.client is None and not session.inbox and not session.backlog:
        return None
    busy = session.jobs or session.info is None or session.inbox or session.backlog
    return 0.0 if session.inbox or session.backlog else POLL_SECONDS if busy else 0.5


def _decode_finished(scene, job: Job) -> None:
    from . import results

    results.after_decode(scene, job)
    redraw(now=True)
    if session.wanted is not None:
        name, k = session.wanted  # the newest slider position wins
        session.wanted = None
        results.show_level(scene, k, bpy.data.objects.get(name))


def _scene_of(job: Job | None):
    scene = bpy.data.scenes.get(job.scene) if job is not None else None
    return scene or bpy.context.scene


def _on_message(header: dict, arrays: dict) -> None:
    kind, request_id = header.get("type"), header.get("id")
    job = session.jobs.get(request_id)
    scene = _scene_of(job)
    if kind == "ready":
        _on_ready(scene, header)
    elif kind == "exit":
        _on_exit(scene)
    elif kind == "progress":
        if request_id == 0:
            set_status(
                scene,
                f"{session.crash_note + '. ' if session.crash_note else ''}starting the engine: {header['message']}…",
                error=bool(session.crash_note),
            )
        elif request_id == session.main_job:
            panel(scene).progress = header["fraction"]
            set_status(scene, header["message"])
        redraw()
        return
    else:
        _on_answer(scene, kind, request_id, header, arrays)
    redraw(now=True)


def _on_ready(scene, header: dict) -> None:
    from . import properties

    session.info = header
    properties.set_token_limit(header["max_tokens"])
    for state in session.panels.values():
        state.starting = False
    ready = f"engine ready ({header['device']}, {header['max_tokens']} tokens)"
    if session.crash_note:
        set_status(scene, f"{session.crash_note}. Restarted: {ready}", session.crash_note_detail, error=True)
    elif not panel(scene).busy:
        set_status(scene, ready)


def _on_exit(scene) -> None:
    client = session.client
    code = client.process.poll() if client else None
    detail = client.last_error_lines(6) if client else ""
    pending = list(session.jobs.values())
    session.client, session.info, session.jobs, session.main_job = None, None, {}, None
    for state in session.panels.values():
        state.busy = state.starting = False
    now = time.monotonic()
    session.crashes = [t for t in session.crashes if now - t < RESTART_WINDOW] + [now]
    why = f"The engine stopped (exit code {code})" + (f": {detail.splitlines()[-1]}" if detail else "")
    if len(session.crashes) > MAX_RESTARTS:
        set_status(scene, f"{why}. It keeps stopping: see the system console", detail, error=True)
        return
    session.crash_note, session.crash_note_detail = why, detail
    if ensure_worker(scene) is not None:
        for job in pending:
            _resend(job)


def _on_answer(scene, kind: str, request_id, header: dict, arrays: dict) -> None:
    from . import results

    job = session.jobs.pop(request_id, None)
    if kind == "result":
        session.crash_note = ""  # serving again
    was_main = request_id == session.main_job
    if was_main:
        session.main_job = None
        panel(scene).busy = False
    if kind == "error":
        set_status(scene, f"Error: {header['message']}", header["message"], error=True)
        if header.get("fatal"):
            stop_worker()
    elif kind == "cancelled":
        if was_main:  # a superseded prefetch is cancelled without a word
            set_status(scene, "cancelled")
    elif kind == "result" and job is not None and job.op in protocol().Op.NEW_RESULT:
        results.new_result(scene, job, header, arrays)
    elif kind == "result" and job is not None and job.op == protocol().Op.DECODE:
        session.backlog.append((job, header, arrays, list(header["levels"])))  # built by poll, one per step
        return
    if job is not None and job.op == protocol().Op.DECODE:
        _decode_finished(scene, job)


REDRAW_SECONDS = 1.0  # progress redraws the panel at most this often (it arrives once per token)
_last_redraw = [0.0, False]  # time of the last redraw, one is pending


def redraw(now: bool = False) -> None:
    """Redraw the sidebars and the preferences, never the whole 3D view (a changed mesh redraws it
    anyway); unless `now`, at most every REDRAW_SECONDS: with region overlap, redrawing the sidebar
    redraws the viewport under it, which takes hundreds of milliseconds with software GL."""
    if not now and time.monotonic() - _last_redraw[0] < REDRAW_SECONDS:
        _last_redraw[1] = True  # poll() redraws once the interval has passed
        return
    _last_redraw[:] = [time.monotonic(), False]
    for window in getattr(bpy.context.window_manager, "windows", []):
        for area in window.screen.areas:
            if area.type == "PREFERENCES":
                area.tag_redraw()
            elif area.type == "VIEW_3D":
                for region in area.regions:
                    if region.type == "UI":
                        region.tag_redraw()
