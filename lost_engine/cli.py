"""Command line: `python -m lost_engine <command>`.

info CKPT | --preset tiny|paper   config and parameter count of a model file, or of every stage at a preset
eval vae --ckpt CKPT [--data procedural|DIR] [--json PATH] [--markdown PATH] [--sheet PNG]
eval rida --ckpt CKPT [--latents DIR] [--teacher-features DIR] [--json PATH] [--markdown PATH]
eval tokenizer --ckpt CKPT [--baseline CKPT] [--compare NAME=CKPT …] [--json PATH] [--markdown PATH]
               [--sheet PNG] [--plot PNG]
eval gpt [--ckpt DIR] [--seeds N] [--json PATH] [--markdown PATH] [--sheet PNG]
encode MESH --tokens 1,2,4,16 --out DIR   a mesh -> tokens -> one decoded mesh per prefix length
generate "PROMPT" [--tokens 1,2,4,…] [--seed N] [--cfg S] [--steps N] [--format obj|ply|glb] --out DIR
curve LOG [LOG …] --out PNG [--key bce] [--smooth N]   training curve of consecutive phases (run folders or log.jsonl)
demo [PROMPT] [--out DIR]      the main job on the embedded model: generate with default settings
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import WEIGHTS
from .presets import PRESET_NAMES
from .evaluation.commands import add_eval_parser


PRESET_MODELS = ("triplane_vae", "rida_student", "text_encoder", "lost_tokenizer", "lost_gpt")


def preset_shapes(kind: str, c) -> str:
    """The sizes that matter of one stage's config."""
    if kind == "triplane_vae":
        return f"latent 3 x {c.latent_channels} x {c.latent_resolution} x {c.latent_resolution}, encoder {c.width} wide"
    if kind == "rida_student":
        tokens = 3 * (c.latent_resolution // c.patch) ** 2
        return f"{tokens} latent tokens, {c.depth} x {c.width}, teacher dim {c.teacher_dim}"
    if kind == "text_encoder":
        return f"{c.layers} x {c.width} / {c.heads} heads, context {c.context_length}, embedding {c.embed_dim}"
    if kind == "lost_tokenizer":
        return (
            f"{c.patch_tokens} triplane tokens ({c.patch}x{c.patch} patches), "
            f"{c.registers} registers of {c.token_dim}-d, "
            f"encoder {c.enc_depth}/{c.enc_width}/{c.enc_heads}, DiT {c.dec_depth}/{c.dec_width}/{c.dec_heads}"
        )
    return (
        f"{c.tokens} tokens of {c.token_dim}-d, {c.depth}/{c.width}/{c.heads} (depth/width/heads), "
        f"head {c.head_depth} x {c.head_width}"
    )


def cmd_info_preset(name: str) -> None:
    """Every stage's model at a preset, built on the meta device (no memory, no time)."""
    import torch

    from .checkpoint import model_classes, parameter_count

    print(f"preset {name!r}: training memory ~16 bytes/parameter (fp32 weights, grads, AdamW states) + activations")
    latent = {}  # the VAE's latent shape, which the RIDA student and the tokenizer read
    for kind in PRESET_MODELS:
        config_cls, model_cls = model_classes(kind)
        config = (
            config_cls.preset(name, **latent) if kind in ("rida_student", "lost_tokenizer") else config_cls.preset(name)
        )
        if kind == "triplane_vae":
            latent = {"latent_channels": config.latent_channels, "latent_resolution": config.latent_resolution}
        with torch.device("meta"):
            count = parameter_count(model_cls(config))
        print(
            f"  {kind:15s} {count / 1e6:8.1f} M parameters  {count * 16 / 2**30:6.1f} GiB  "
            f"{preset_shapes(kind, config)}"
        )


def cmd_info(args) -> None:
    from .checkpoint import load_model, parameter_count, read_metadata

    if args.preset:
        return cmd_info_preset(args.preset)
    if args.ckpt is None:
        raise SystemExit("info: give a model file or --preset tiny|paper")
    meta = read_metadata(args.ckpt)
    model = load_model(args.ckpt)
    print(f"file:       {args.ckpt}")
    print(f"kind:       {meta['kind']}")
    print(f"parameters: {parameter_count(model):,}")
    print("config:     " + json.dumps(meta["config"], indent=2).replace("\n", "\n            "))
    if meta["extra"]:
        print("extra:      " + json.dumps(meta["extra"], indent=2).replace("\n", "\n            "))


def progress_bar(desc: str):
    """A tqdm bar driven by the pipeline's progress(fraction, message) callback."""
    from tqdm import tqdm

    bar = tqdm(total=100, desc=desc, unit="%", bar_format="{l_bar}{bar}| {elapsed} {postfix}")

    def update(fraction: float, message: str) -> None:
        bar.n = round(100 * fraction)
        bar.set_postfix_str(message, refresh=True)

    return bar, update


def cmd_encode(args) -> None:
    import time

    from .geometry import read_mesh
    from .outputs import levels_sheet, parse_token_counts, write_levels, write_summary
    from .pipeline import Pipeline

    ks = parse_token_counts(args.tokens)
    verts, faces = read_mesh(args.mesh)
    pipe = Pipeline.load(args.weights, args.device, resolution=args.resolution, cleanup=_cleanup(args))
    ks = pipe.check_ks(ks)
    start = time.perf_counter()
    tokens, norm = pipe.tokens_from_mesh(verts, faces, args.seed)
    bar, update = progress_bar("decode")
    with bar:
        levels = pipe.decode(tokens, ks, args.steps, args.seed, progress=update)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.mesh.stem
    paths = write_levels(levels, args.out, stem, args.format, norm)
    unit_input = norm.apply(verts)
    levels_sheet(
        [(stem, [(unit_input, faces)] + [(lv.vertices, lv.faces) for lv in levels.values()])],
        args.out / f"{stem}_sheet.png",
    )
    write_summary(
        args.out / f"{stem}_summary.json",
        {
            "input": str(args.mesh),
            "tokens": ks,
            "steps": args.steps or pipe.steps,
            "seed": args.seed,
            "meshes": paths,
            "faces": {k: len(lv.faces) for k, lv in levels.items()},
            "seconds": round(time.perf_counter() - start, 3),
            "contact_sheet": str(args.out / f"{stem}_sheet.png"),
        },
    )
    print(f"wrote {len(paths)} meshes and {args.out / f'{stem}_sheet.png'}")


def cmd_generate(args) -> None:
    import re
    import time

    from .lexicon import describe
    from .outputs import levels_sheet, parse_token_counts, write_levels, write_summary
    from .pipeline import Pipeline

    if not args.prompt.strip():
        raise ValueError('empty prompt: describe a shape, e.g. "a wooden chair"')
    start = time.perf_counter()
    pipe = Pipeline.load(args.weights, args.device, resolution=args.resolution, cleanup=_cleanup(args))
    ks = pipe.check_ks(parse_token_counts(args.tokens) if args.tokens else pipe.tokenizer.config.prefix_lengths)
    load_seconds = time.perf_counter() - start
    bar, update = progress_bar("generate")
    with bar:
        result = pipe.generate(
            args.prompt, args.seed, args.cfg, args.temperature, args.gpt_steps, progress=lambda f, m: update(0.5 * f, m)
        )
        t0 = time.perf_counter()
        levels = pipe.decode(result.tokens, ks, args.steps, args.seed, progress=lambda f, m: update(0.5 + 0.5 * f, m))
        decode_seconds = time.perf_counter() - t0
    if result.rewrites:
        print(f"note: the text encoder does not know every word; {describe(list(result.rewrites))} (prompt lexicon)")
    for warning in result.warnings:
        print(f"warning: {warning}")
    args.out.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9]+", "_", args.prompt.lower()).strip("_")[:40] + f"_s{args.seed}"
    paths = write_levels(levels, args.out, stem, args.format)
    sheet = args.out / f"{stem}_sheet.png"
    levels_sheet([(f"k = {ks[0]}…{ks[-1]}", [(lv.vertices, lv.faces) for lv in levels.values()])], sheet)
    summary = {
        "prompt": args.prompt,
        "lexicon_rewrites": [list(r) for r in result.rewrites],
        "category": result.category,
        "warnings": list(result.warnings),
        "seed": args.seed,
        "cfg": args.cfg,
        "temperature": args.temperature,
        "tokens": ks,
        "decoder_steps": args.steps or pipe.steps,
        "device": str(pipe.device),
        "meshes": paths,
        "faces": {k: len(lv.faces) for k, lv in levels.items()},
        "contact_sheet": str(sheet),
        "seconds": {
            "load": round(load_seconds, 3),
            "text_and_gpt": round(result.seconds, 3),
            "decode_all_levels": round(decode_seconds, 3),
            "per_level": {k: round(lv.seconds, 3) for k, lv in levels.items()},
            "total": round(time.perf_counter() - start, 3),
        },
    }
    write_summary(args.out / f"{stem}_summary.json", summary)
    print(f"wrote {len(paths)} meshes, {sheet} and {args.out / f'{stem}_summary.json'}")


def cmd_curve(args) -> None:
    from .evaluation.curves import phase_label, plot_curves

    labels = args.label or [phase_label(log) for log in args.logs]
    if len(labels) != len(args.logs):
        raise ValueError(f"{len(args.logs)} logs but {len(labels)} --label")
    for phase in plot_curves(args.logs, labels, args.key, args.smooth, args.out):
        print(
            f"{phase['phase']}: steps {phase['first_step']}-{phase['last_step']}, {args.key} "
            f"{phase['start']:.4f} -> {phase['end']:.4f} (mean of {args.smooth} logged batches)"
        )
    print(f"wrote {args.out}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lost_engine", description="LoST engine")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info", help="print a model file's config and parameter count, or every model of a preset")
    p.add_argument("ckpt", type=Path, nargs="?")
    p.add_argument("--preset", choices=PRESET_NAMES, help="every stage's model at this preset: parameters and shapes")
    p.set_defaults(func=cmd_info)

    add_eval_parser(sub)

    p = sub.add_parser("encode", help="tokenize a mesh and decode prefixes of its tokens")
    p.add_argument("mesh", type=Path, help="OBJ/PLY/OFF/STL/GLB file")
    p.add_argument("--tokens", default="1,2,4,8,16,32", help="prefix lengths, comma-separated")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--format", default="obj", choices=("obj", "ply", "glb"))
    p.add_argument("--steps", type=int, default=None, help="sampler steps (default: the tokenizer's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resolution", type=int, default=96, help="marching-cubes resolution")
    _cleanup_options(p)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--weights", type=Path, default=WEIGHTS, help="folder of model files")
    p.set_defaults(func=cmd_encode)

    p = sub.add_parser("generate", help="text -> tokens -> one mesh per prefix length")
    p.add_argument("prompt")
    p.add_argument("--tokens", default=None, help="prefix lengths, comma-separated (default: 1, 2, 4, …, K)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cfg", type=float, default=3.0, help="classifier-free guidance scale (1 = none)")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=None, help="tokenizer decoder sampler steps")
    p.add_argument("--gpt-steps", type=int, default=None, help="GPT diffusion-head sampler steps")
    p.add_argument("--format", default="obj", choices=("obj", "ply", "glb"))
    p.add_argument("--resolution", type=int, default=96, help="marching-cubes resolution")
    _cleanup_options(p)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--weights", type=Path, default=WEIGHTS, help="folder of model files")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("curve", help="plot a training curve from run folders' log.jsonl, phases in order")
    p.add_argument(
        "logs", type=Path, nargs="+", help="run folders or log.jsonl files, one per phase, in training order"
    )
    p.add_argument("--key", default="loss", help="the logged value to plot (e.g. loss, bce, denoise)")
    p.add_argument("--smooth", type=int, default=16, help="trailing mean over this many logged batches")
    p.add_argument("--label", action="append", help="one name per phase (default: the run folder's)")
    p.add_argument("--out", type=Path, required=True, help="PNG to write")
    p.set_defaults(func=cmd_curve)

    p = sub.add_parser("demo", help="the main job on the embedded default model (generate, default settings)")
    p.add_argument("prompt", nargs="?", default="a wooden chair")
    p.add_argument("--out", type=Path, default=Path("out/demo"))
    p.add_argument("--weights", type=Path, default=WEIGHTS, help="folder of model files")
    p.set_defaults(
        func=cmd_generate,
        tokens=None,
        seed=0,
        cfg=3.0,
        temperature=1.0,
        steps=None,
        gpt_steps=None,
        format="obj",
        resolution=96,
        device="auto",
        smooth=0,
        max_faces=0,
    )
    return parser


def _cleanup_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--smooth", type=int, default=0, help="Taubin smoothing passes on every mesh (0: none)")
    p.add_argument("--max-faces", type=int, default=0, help="decimate every mesh to this many faces (0: no budget)")


def _cleanup(args):
    from .geometry import MeshCleanup

    return MeshCleanup(smooth_iterations=args.smooth, max_faces=args.max_faces)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (FileNotFoundError, ValueError) as exc:  # bad input: a clear message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
