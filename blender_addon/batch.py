"""Headless batch generation inside Blender:

    blender -b -P blender_addon/batch.py -- --prompt "a wooden chair" --tokens 1,4,16,32 --out DIR [--seed N]
    blender -b -P blender_addon/batch.py -- --prompts prompts.txt --tokens 1,4,16,32 --out DIR

Writes DIR/<prompt>_s<seed>_k<kkk>.obj for every prompt × prefix length and DIR/lost_batch.blend
with one row of objects per prompt (levels left to right). A failed prompt is reported and the
rest still run; the exit code is 1 if any failed. The worker interpreter is found as in the
add-on (LOST_PYTHON overrides it).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import bpy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import engine  # noqa: E402  (the add-on's engine module, used here without registering the add-on)

SPACING = 2.5


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="blender -b -P batch.py --", description="LoST batch generation")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--prompt", action="append", help="a prompt (repeatable)")
    src.add_argument("--prompts", type=Path, help="a text file with one prompt per line")
    p.add_argument("--tokens", default="1,4,16,32", help="prefix lengths, comma-separated")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--weights", default="", help="model folder (default: the bundled model)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--resolution", type=int, default=96)
    return p.parse_args(argv)


def prompts_of(args) -> list[str]:
    if args.prompts:
        return [line.strip() for line in args.prompts.read_text().splitlines() if line.strip()]
    return args.prompt


def export_obj(obj, path: Path) -> None:
    bpy.ops.object.select_all(action="DESELECT")
    obj.select_set(True)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.wm.obj_export(filepath=str(path), export_selected_objects=True, export_materials=False)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    ks = [int(k) for k in args.tokens.split(",") if k.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.read_factory_settings(use_empty=True)  # the .blend holds the generated rows only
    protocol = engine.protocol()
    worker_args = ["--device", args.device, "--resolution", str(args.resolution)]
    if args.weights:
        worker_args += ["--weights", args.weights]
    client = protocol.WorkerClient(os.environ.get("LOST_PYTHON") or engine.worker_python(), str(engine.engine_root()), worker_args)
    failed = []
    try:
        ready, _ = client.wait(0, timeout=300)
        if ready.get("type") != "ready":
            print(f"error: {ready.get('message')}", file=sys.stderr)
            return 1
        for row, prompt in enumerate(prompts_of(args)):
            header, arrays = client.wait(client.send("generate", prompt=prompt, seed=args.seed, guidance=args.guidance,
                                                     levels=ks), timeout=1800)
            if header["type"] != "result":
                print(f"FAILED {prompt!r}: {header.get('message', header['type'])}", file=sys.stderr)
                failed.append(prompt)
                continue
            stem = re.sub(r"[^a-z0-9]+", "_", prompt.lower()).strip("_")[:40] + f"_s{args.seed}"
            for col, k in enumerate(header["levels"]):
                mesh = engine.build_mesh(f"{stem}_k{k}", protocol.as_array(arrays[f"v{k}"]), protocol.as_array(arrays[f"f{k}"]))
                obj = bpy.data.objects.new(f"{stem}_k{k}", mesh)
                bpy.context.scene.collection.objects.link(obj)
                export_obj(obj, args.out / f"{stem}_k{k:03d}.obj")  # at the origin: the file holds the mesh as decoded
                obj.location = (col * SPACING, -row * SPACING, 0.0)
            read_as = "".join(f", read {word!r} as {known!r}" for word, known in header.get("rewrites") or [])
            print(f"ok {prompt!r}: levels {header['levels']}{read_as}")
    finally:
        client.stop()
    bpy.ops.wm.save_as_mainfile(filepath=str(args.out / "lost_batch.blend"))
    if failed:
        print(f"{len(failed)} prompt(s) failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    try:
        code = main(argv)
    except RuntimeError as exc:  # no interpreter with torch, the worker died or timed out
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    sys.exit(code)  # Blender exits with this code (an uncaught exception would exit 0)
