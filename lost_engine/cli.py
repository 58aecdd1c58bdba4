"""Command line: `python -m lost_engine <command>`.

    info CKPT                      config and parameter count of a model file
    eval vae --ckpt CKPT [--data procedural|DIR] [--json PATH] [--markdown PATH] [--sheet PNG]
    eval rida --ckpt CKPT [--latents DIR] [--teacher-features DIR] [--json PATH] [--markdown PATH]
    demo [PROMPT] [--out DIR]      what works today: procedural previews + a VAE round trip
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent / "weights"
DEFAULT_VAE = WEIGHTS / "tiny_vae.safetensors"
DEFAULT_RIDA = WEIGHTS / "tiny_rida.safetensors"


def cmd_info(args) -> None:
    from .checkpoint import load_model, parameter_count, read_metadata

    meta = read_metadata(args.ckpt)
    model = load_model(args.ckpt)
    print(f"file:       {args.ckpt}")
    print(f"kind:       {meta['kind']}")
    print(f"parameters: {parameter_count(model):,}")
    print("config:     " + json.dumps(meta["config"], indent=2).replace("\n", "\n            "))
    if meta["extra"]:
        print("extra:      " + json.dumps(meta["extra"], indent=2).replace("\n", "\n            "))


def cmd_eval(args) -> None:
    args.ckpt = args.ckpt or {"vae": DEFAULT_VAE, "rida": DEFAULT_RIDA}[args.stage]
    if args.stage == "vae":
        from .evaluation import vae_eval

        vae_eval.run(args)
    elif args.stage == "rida":
        from .evaluation import rida_eval

        rida_eval.run(args)


def cmd_demo(args) -> None:
    from .demo import run_demo

    run_demo(args.prompt, args.out, args.vae)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lost_engine", description="LoST engine")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info", help="print a model file's config and parameter count")
    p.add_argument("ckpt", type=Path)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("eval", help="evaluate a trained stage")
    p.add_argument("stage", choices=("vae", "rida"))
    p.add_argument("--ckpt", type=Path, default=None, help="model file (default: the embedded one)")
    p.add_argument("--data", default="procedural", help="'procedural' (held-out split) or a mesh folder")
    p.add_argument("--per-category", type=int, default=12, help="held-out procedural shapes per category")
    p.add_argument("--resolution", type=int, default=128, help="marching-cubes resolution")
    p.add_argument("--per-shape", action="store_true", help="also list every shape")
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    p.add_argument("--markdown", type=Path, help="write the markdown table here")
    p.add_argument("--sheet", type=Path, help="contact sheet PNG: ground truth vs reconstruction")
    p.add_argument("--latents", type=Path, default=Path(".cache/latents/tiny_vae"), help="rida: latent cache")
    p.add_argument("--teacher-features", type=Path, default=Path(".cache/teacher/tiny_teacher"),
                   help="rida: teacher-feature cache")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("demo", help="run the main job on the embedded default model")
    p.add_argument("prompt", nargs="?", default="a wooden chair")
    p.add_argument("--out", type=Path, default=Path("out/demo"))
    p.add_argument("--vae", type=Path, default=DEFAULT_VAE)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (FileNotFoundError, ValueError) as exc:  # bad input: a clear message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
