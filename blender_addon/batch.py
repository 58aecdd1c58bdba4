"""Headless batch generation inside Blender:

    blender -b -P batch.py -- --prompt "a wooden chair" --tokens 1,4,16,32 --out DIR [--seed N] [--format obj]
    blender -b -P batch.py -- --prompts prompts.txt --tokens 1,4,16,32 --out DIR

(batch.py lies in the installed add-on's folder, or in blender_addon/ of a checkout.) Writes
DIR/<prompt>_s<seed>_k<kkk>.<format> for every prompt × prefix length, each in its format's own
axis convention (+Y up), and DIR/lost_batch.blend with one row of objects per prompt (levels left
to right), standing on the floor, Z up, at their real-world size. A failed prompt is reported and
the rest still run; the exit code is 1 if any failed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import traceback
from pathlib import Path

import bpy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
addon = importlib.import_module(HERE.name)  # the add-on's modules, used without registering it
engine_env, operators, scene_meshes, worker_session = (
    addon.engine_env,
    addon.operators,
    addon.scene_meshes,
    addon.worker_session,
)

GAP = 1.25  # objects in a row are this many times the largest one's width apart


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="blender -b -P batch.py --",
        description="LoST batch generation",
        epilog="The engine: --python, else the environment LOST_PYTHON, else the engine installed from the add-on's "
        "preferences (Install engine), else a checkout's .venv.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--prompt", action="append", help="a prompt (repeatable)")
    src.add_argument("--prompts", type=Path, help="a text file with one prompt per line")
    p.add_argument("--tokens", default="1,4,16,32", help="prefix lengths, comma-separated")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--format", default="obj", choices=[f.lower() for f in operators.EXPORTERS], help="mesh file format")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--size", type=float, default=0.0, help="largest dimension in metres (0: the real-world size)")
    p.add_argument("--weights", default="", help="model folder (default: the bundled model)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--resolution", type=int, default=96)
    p.add_argument("--smooth", type=int, default=0, help="Taubin smoothing passes on every mesh (0: none)")
    p.add_argument("--max-faces", type=int, default=0, help="decimate every mesh to this many faces (0: no budget)")
    p.add_argument("--python", default="", help="a Python with torch for the worker (default: see below)")
    return p.parse_args(argv)


def prompts_of(args) -> list[str]:
    if args.prompts:
        return [line.strip() for line in args.prompts.read_text().splitlines() if line.strip()]
    return args.prompt


def engine_python(args) -> str:
    worker_session.session.package = engine_env.package_of(HERE)
    python = args.python or os.environ.get("LOST_PYTHON") or worker_session.find_python(worker_session.session.package)
    if not python:
        raise RuntimeError(
            "no engine found: install it in Blender (Preferences › Add-ons › LoST › Install engine), "
            "or pass --python / set LOST_PYTHON to a Python with torch"
        )
    return python


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if why := operators.can_export(args.format.upper()):
        raise RuntimeError(why)
    ks = [int(k) for k in args.tokens.split(",") if k.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.read_factory_settings(use_empty=True)  # the .blend holds the generated rows only
    protocol = worker_session.protocol()
    worker_args = ["--device", args.device, "--resolution", str(args.resolution)]
    worker_args += ["--smooth", str(args.smooth), "--max-faces", str(args.max_faces)]
    if args.weights:
        worker_args += ["--weights", args.weights]
    client = protocol.WorkerClient(engine_python(args), str(worker_session.engine_root()), worker_args)
    failed, y = [], 0.0
    try:
        ready, _ = client.wait(0, timeout=300)
        if ready.get("type") != "ready":
            print(f"error: {ready.get('message')}", file=sys.stderr)
            return 1
        for prompt in prompts_of(args):
            header, arrays = client.wait(
                client.send(
                    protocol.Op.GENERATE,
                    prompt=prompt,
                    seed=args.seed,
                    guidance=args.guidance,
                    levels=ks,
                    placement={"z_up": True, "size_m": args.size or None},
                ),
                timeout=1800,
            )
            if header["type"] != "result":
                print(f"FAILED {prompt!r}: {header.get('message', header['type'])}", file=sys.stderr)
                failed.append(prompt)
                continue
            stem = re.sub(r"[^a-z0-9]+", "_", prompt.lower()).strip("_")[:40] + f"_s{args.seed}"
            gap = GAP * header["size_m"]
            for col, k in enumerate(header["levels"]):
                mesh = scene_meshes.build_mesh(
                    f"{stem}_k{k}", protocol.as_array(arrays[f"v{k}"]), protocol.as_array(arrays[f"f{k}"])
                )
                obj = bpy.data.objects.new(f"{stem}_k{k}", mesh)
                bpy.context.scene.collection.objects.link(obj)
                operators.export_object(obj, str(args.out / f"{stem}_k{k:03d}.{args.format}"), args.format.upper())
                obj.location = (col * gap, y, 0.0)
            y -= gap
            notes = [
                *(f"read {a!r} as {b!r}" for a, b in header.get("rewrites") or []),
                *(header.get("warnings") or []),
            ]
            print(
                f"ok {prompt!r}: {header.get('category') or 'shape'}, {header['size_m']:g} m, levels {header['levels']}"
                + "".join(f"; {note}" for note in notes)
            )
    finally:
        client.stop()
    bpy.ops.wm.save_as_mainfile(filepath=str(args.out / "lost_batch.blend"))
    if failed:
        print(f"{len(failed)} prompt(s) failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    try:
        code = main(argv)
    except (RuntimeError, OSError) as exc:  # no engine, the worker died or timed out
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    except Exception:  # a bug: say where, and never exit 0
        traceback.print_exc()
        code = 1
    sys.exit(code)  # Blender exits with this code (an uncaught exception would exit 0)
