#!/usr/bin/env python3
"""Task runner (standard library only).

python3 build.py setup          create .venv and install pinned dependencies (idempotent)
python3 build.py test [ARGS]    setup, then ruff (lint and format check) and the whole pytest suite (ARGS go to pytest;
                                -m "not slow" is the fast subset)
python3 build.py demo [PROMPT]  setup, then the main job: text -> tokens -> one mesh per prefix level
python3 build.py addon          build dist/lost_blender-<version>.zip (add-on + engine + weights)
python3 build.py bench [ARGS]   setup, then the benchmarks -> bench/results.json, bench/results.md
python3 build.py gpu-smoke      setup, then one bf16 training step per stage at the paper preset and a
                                timed generation on a CUDA device (bench/gpu_smoke.json); exits 2 without one
python3 build.py gpu-run --out DIR [--smoke]
                                setup, then the prepared GPU run: smoke checks, the whole chain at the small
                                preset, every evaluation -> DIR (docs/gpu_run.md); --smoke rehearses it on a CPU
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def _digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def _run(cmd: list, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def setup() -> None:
    """Create .venv and install requirements.txt; a second run with unchanged pins does nothing."""
    if STAMP.exists() and STAMP.read_text().strip() == _digest() and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _run([PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", REQUIREMENTS])
    STAMP.write_text(_digest() + "\n")


def _engine(args: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    _run([PYTHON, *args], env=env)


def test(extra: list[str]) -> None:
    setup()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for check in (["check", "--quiet"], ["format", "--check", "--quiet"]):  # lint, then formatting
        print("+ ruff", *check[:1], flush=True)
        lint = subprocess.run([str(PYTHON), "-m", "ruff", *check, "."], cwd=ROOT, env=env)
        if lint.returncode != 0:
            sys.exit(lint.returncode)
    print("+ pytest tests", *extra, flush=True)
    result = subprocess.run([str(PYTHON), "-m", "pytest", "tests", *extra], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def demo(extra: list[str]) -> None:
    setup()
    _engine(["-m", "lost_engine", "demo", *extra])


ADDON = "lost_blender"  # the add-on's folder name inside the zip (= its module name)


def addon_version() -> str:
    return re.search(r'^version = "([^"]+)"', (ROOT / "blender_addon" / "blender_manifest.toml").read_text(), re.M)[1]


def build_addon(dist: Path = ROOT / "dist") -> Path:
    """One zip for Blender 4.2+ (extension: blender_manifest.toml) and older Blender (bl_info):
    a single folder lost_blender/ with the add-on, the engine package and the default weights."""
    dist.mkdir(parents=True, exist_ok=True)
    path = dist / f"{ADDON}-{addon_version()}.zip"
    tmp = path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder, prefix in ((ROOT / "blender_addon", ADDON), (ROOT / "lost_engine", f"{ADDON}/lost_engine")):
            for file in sorted(folder.rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
                    zf.write(file, f"{prefix}/{file.relative_to(folder).as_posix()}")
        zf.write(REQUIREMENTS, f"{ADDON}/requirements.txt")  # the pins the add-on's engine installer uses
    tmp.replace(path)
    return path


def addon(extra: list[str]) -> None:
    path = build_addon()
    print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB)")


def bench(extra: list[str]) -> None:
    setup()
    _engine([ROOT / "bench" / "run.py", *extra])


def gpu_smoke(extra: list[str]) -> None:
    setup()
    _engine([ROOT / "bench" / "gpu_smoke.py", *extra])


def gpu_run(extra: list[str]) -> None:
    setup()
    _engine([ROOT / "bench" / "gpu_run.py", *extra])


TASKS = {
    "setup": lambda extra: setup(),
    "test": test,
    "demo": demo,
    "addon": addon,
    "bench": bench,
    "gpu-smoke": gpu_smoke,
    "gpu-run": gpu_run,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    try:
        TASKS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:  # the command has printed why; pass its exit code on
        sys.exit(exc.returncode)


if __name__ == "__main__":
    main()
