"""Screenshot of the LoST panel in a real Blender window on a virtual screen (Xvfb).

    python docs/panel_screenshot.py [--prompt "a wooden chair"] [--tokens 8] [--out docs/panel.png]

Needs `blender`, `Xvfb` and `xdotool` on PATH (Debian: apt-get install blender xvfb xdotool) and
the built add-on (`python3 build.py addon`). Blender < 4.2 has no API to pick a sidebar tab, so
the LoST tab is clicked the way a person does (by xdotool).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ImageGrab

ROOT = Path(__file__).resolve().parents[1]
DISPLAY = ":77"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--prompt", default="a wooden chair")
    p.add_argument("--tokens", type=int, default=8)
    p.add_argument("--zip", type=Path, default=next(iter(sorted((ROOT / "dist").glob("lost_blender-*.zip"))), None))
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "panel.png")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--no-engine", action="store_true", help="as a newcomer: no interpreter set, no engine installed")
    p.add_argument(
        "--install-engine",
        action="store_true",
        help="as a newcomer: press Install engine (Default build) in the preferences, then generate with it",
    )
    p.add_argument("--prefs-out", type=Path, default=None, help="also a screenshot of the add-on's preferences")
    args = p.parse_args()
    if args.zip is None:
        sys.exit("no add-on zip in dist/: run `python3 build.py addon` first")
    tmp = Path(tempfile.mkdtemp())
    # a throw-away Blender user folder: the add-on installed here never reaches the user's own Blender
    env = {
        **os.environ,
        "DISPLAY": DISPLAY,
        "BLENDER_USER_CONFIG": str(tmp / "config"),
        "BLENDER_USER_SCRIPTS": str(tmp / "scripts"),
        "BLENDER_USER_EXTENSIONS": str(tmp / "extensions"),
    }
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1600x1000x24"], stderr=subprocess.DEVNULL)
    state, scene = tmp / "state", tmp / "scene.blend"
    state.write_text("starting\n")
    subprocess.run(
        [
            "blender",
            "-b",
            "--factory-startup",
            "--python-expr",  # opening a file skips the splash
            f"import bpy; bpy.ops.wm.save_as_mainfile(filepath={str(scene)!r})",
        ],
        check=True,
        capture_output=True,
    )
    blender = subprocess.Popen(
        [
            "blender",
            "--factory-startup",
            str(scene),
            "-P",
            str(ROOT / "docs" / "panel_screenshot_blender.py"),
            "--",
            str(args.zip.resolve()),
            "-" if args.no_engine else "install" if args.install_engine else sys.executable,
            str(state),
            args.prompt,
            str(args.tokens),
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + args.timeout
        while not state.read_text().startswith("ready"):
            if (
                args.install_engine
                and args.prefs_out
                and state.read_text().startswith("prefs-shown")
                and not args.prefs_out.exists()
            ):
                time.sleep(1.0)
                ImageGrab.grab(xdisplay=DISPLAY).save(args.prefs_out)  # the installer at work
                print(f"wrote {args.prefs_out}")
            if blender.poll() is not None or time.monotonic() > deadline:
                sys.exit("Blender ended or timed out before the result was shown")
            time.sleep(0.5)
        _, x, y = state.read_text().split()
        print(f"LoST tab at {x},{y}")
        drawn = state.with_suffix(".drawn")
        for _ in range(10):  # a key press gives the window the focus; the click then opens the LoST tab
            subprocess.run(
                [
                    "xdotool",
                    "mousemove",
                    "800",
                    "500",
                    "sleep",
                    "0.3",
                    "key",
                    "Escape",
                    "sleep",
                    "0.5",
                    "mousemove",
                    x,
                    y,
                    "sleep",
                    "0.5",
                    "click",
                    "1",
                    "sleep",
                    "1",
                ],
                env=env,
                check=True,
            )
            if drawn.exists():
                break
        else:
            sys.exit("could not open the LoST tab")
        subprocess.run(["xdotool", "mousemove", "700", "600"], env=env, check=True)
        time.sleep(2.0)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        ImageGrab.grab(xdisplay=DISPLAY).save(args.out)
        print(f"wrote {args.out}")
        if state.with_suffix(".json").exists():
            print("measured in Blender:", state.with_suffix(".json").read_text())
        if args.prefs_out and not args.prefs_out.exists():
            state.write_text("prefs\n")
            while not state.read_text().startswith("prefs-shown"):
                time.sleep(0.5)
            time.sleep(3.0)
            ImageGrab.grab(xdisplay=DISPLAY).save(args.prefs_out)
            print(f"wrote {args.prefs_out}")
        state.write_text("done\n")
        blender.wait(60)
    finally:
        for proc in (blender, xvfb):
            if proc.poll() is None:
                proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
