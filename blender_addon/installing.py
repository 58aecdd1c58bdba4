"""The engine installer as the preferences show it: one Installer at a time, its progress
redrawn by a timer, and the engine check."""

import bpy

from . import engine_env, worker_session


class State:
    installer: engine_env.Installer | None = None
    check: str = ""  # the last "Check engine" answer


def engine_folder():
    return engine_env.engine_folder(__package__)


def installed_python() -> str | None:
    python = engine_env.env_python(engine_folder())
    return str(python) if python.exists() else None


def start(variant: str) -> None:
    State.installer = engine_env.Installer(engine_folder(), worker_session.requirements_text(), variant)
    State.installer.start()
    bpy.app.timers.register(_watch, first_interval=0.5)


def _watch():
    worker_session.redraw()
    installer = State.installer
    if installer is None or installer.state == "running":
        return 0.5
    if installer.state == "done":
        worker_session._TORCH_CHECKED.clear()
        worker_session.restart(bpy.context.scene, "engine installed: starting it…")
    return None


def draw_engine_box(box, prefs) -> None:
    installer = State.installer
    python = installed_python()
    if installer is not None and installer.state == "running":
        box.label(text=f"Installing: {installer.message}", icon="SORTTIME")
        box.prop(bpy.context.window_manager, "lost_install_progress", text=f"{installer.fraction:.0%}", slider=True)
        box.operator("lost.cancel_install", icon="CANCEL")
    else:
        if installer is not None and installer.state in ("failed", "cancelled", "done"):
            for line in wrap(installer.message, 90):
                box.label(text=line, icon="ERROR" if installer.state == "failed" else "INFO")
        box.label(text=f"Installed in {engine_folder()}" if python else "No engine installed yet.")
        row = box.row()
        row.prop(prefs, "engine_variant")
        row = box.row()
        row.operator("lost.install_engine", text="Reinstall engine" if python else "Install engine", icon="IMPORT")
        row.operator("lost.check_engine", icon="VIEWZOOM")
        if installer is not None:
            row.operator("lost.open_install_log", icon="TEXT")
        box.label(text=engine_env.VARIANTS[prefs.engine_variant][1])
    if State.check:
        box.label(text=State.check, icon="INFO")
    box.prop(prefs, "python")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken at spaces (Blender labels do not wrap)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def _progress(self) -> float:
    return State.installer.fraction if State.installer is not None else 0.0


PROGRESS = bpy.props.FloatProperty(name="Progress", get=_progress, min=0.0, max=1.0, subtype="FACTOR")
