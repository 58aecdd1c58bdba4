"""Benchmarks of the default model (run by `python3 build.py bench`).

Writes bench/results.json, bench/results.md and bench/decode_vs_k.png:
  - prompt -> first preview mesh (generate + decode of the full length), full generation (all
    power-of-two levels), one new prefix decode (uncached), cached scrub and mesh handoff into
    Blender (bpy module, in a subprocess), peak memory;
  - decode cost vs prefix length k;
  - Chamfer vs decoder sampler steps on held-out shapes;
  - the optimised path (all levels in one batch, few steps, coarse-to-fine grid) against the
    straightforward one (one level at a time, full step count, dense grid): time ratio and Chamfer.
Timings are medians of --runs repetitions after a warm-up; machine, threads and device are recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lost_engine.data.samples import SampleSpec  # noqa: E402
from lost_engine.data.sources import open_source  # noqa: E402
from lost_engine.evaluation.reference import reference_for  # noqa: E402
from lost_engine.evaluation.report import markdown_table  # noqa: E402
from lost_engine.metrics import surface_metrics  # noqa: E402
from lost_engine.pipeline import Pipeline  # noqa: E402


def timed(fn, runs: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "runs": runs, "all_s": times}


def heldout_tokens(pipe: Pipeline, n_shapes: int):
    """(tokens (K, D), reference) of the first held-out shape of n categories."""
    source = open_source("procedural", "heldout", 1)
    out = []
    for item in source.items[:n_shapes]:
        sample = source.sample(item, SampleSpec())
        with torch.no_grad():
            latent = pipe.vae.encode(
                torch.from_numpy(sample["surface"])[None].to(pipe.device),
                torch.from_numpy(sample["normals"])[None].to(pipe.device),
            ).mean
            out.append((pipe.tokenizer.encode(latent)[0], reference_for(item), item.category))
    return out


def chamfer(level, ref) -> float:
    return surface_metrics(level.vertices, level.faces, ref.vertices, ref.faces, ref.surface)["chamfer"]


def bench_device(device: str, args) -> dict:
    pipe = Pipeline.load(device=device, resolution=args.resolution)
    ks, k_full = pipe.tokenizer.config.prefix_lengths, pipe.max_tokens
    seeds = iter(range(10_000))
    out = {"device": str(pipe.device), "resolution": args.resolution, "decoder_steps": pipe.steps, "ks": ks}

    def first_preview():
        seed = next(seeds)
        pipe.decode(pipe.generate(args.prompt, seed).tokens, [k_full], seed=seed)

    def all_levels():
        seed = next(seeds)
        pipe.decode(pipe.generate(args.prompt, seed).tokens, ks, seed=seed)

    out["prompt_to_first_preview"] = timed(first_preview, args.runs)
    out["prompt_to_all_levels"] = timed(all_levels, args.runs)
    tokens = pipe.generate(args.prompt, 0).tokens

    def new_prefix(k):
        def run():
            pipe._cache.clear()
            pipe.decode(tokens, [k], seed=0)

        return run

    out["one_new_prefix"] = timed(new_prefix(k_full // 2), args.runs)
    out["decode_vs_k"] = [
        {"k": k, **{key: v for key, v in timed(new_prefix(k), args.runs).items() if key == "median_s"}}
        for k in range(1, k_full + 1)
        if k in ks or k % 4 == 0 or k == 3
    ]
    levels = pipe.decode(tokens, ks, seed=0)
    out["faces_per_level"] = {k: len(level.faces) for k, level in levels.items()}

    shapes = heldout_tokens(pipe, args.shapes)
    out["chamfer_vs_steps"] = []
    for steps in (1, 2, 4, 8, 16, 32, 50):
        pipe._cache.clear()
        start = time.perf_counter()
        values = [chamfer(pipe.decode(t, [k_full], steps=steps, seed=0)[k_full], ref) for t, ref, _ in shapes]
        out["chamfer_vs_steps"].append(
            {
                "steps": steps,
                "chamfer": float(np.mean(values)),
                "seconds_per_shape": (time.perf_counter() - start) / len(shapes),
            }
        )

    straight = Pipeline(pipe.vae, pipe.tokenizer, device=device, resolution=args.resolution, sparse_grid=False)
    rows = []
    for t, ref, category in shapes:
        pipe._cache.clear()
        start = time.perf_counter()
        fast = pipe.decode(t, ks, seed=0)
        t_fast = time.perf_counter() - start
        start = time.perf_counter()
        slow = {k: straight.decode(t, [k], steps=args.full_steps, seed=0)[k] for k in ks}
        t_slow = time.perf_counter() - start
        rows.append(
            {
                "category": category,
                "optimised_s": t_fast,
                "straightforward_s": t_slow,
                "optimised_chamfer": float(np.mean([chamfer(fast[k], ref) for k in ks])),
                "straightforward_chamfer": float(np.mean([chamfer(slow[k], ref) for k in ks])),
            }
        )
    out["optimised_vs_straightforward"] = {
        "rows": rows,
        "speedup": float(np.sum([r["straightforward_s"] for r in rows]) / np.sum([r["optimised_s"] for r in rows])),
        "optimised_chamfer": float(np.mean([r["optimised_chamfer"] for r in rows])),
        "straightforward_chamfer": float(np.mean([r["straightforward_chamfer"] for r in rows])),
        "straightforward": f"one level at a time, {args.full_steps} sampler steps, dense grid",
        "optimised": f"all {len(ks)} levels in one batch, {pipe.steps} sampler steps, coarse-to-fine grid",
    }

    big = Pipeline(pipe.vae, pipe.tokenizer, device=device, resolution=args.handoff_resolution)
    level = big.decode(tokens, [k_full], seed=0)[k_full]
    with tempfile.TemporaryDirectory() as tmp:
        np.savez(Path(tmp) / "mesh.npz", vertices=level.vertices, faces=level.faces)
        proc = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "blender_handoff.py"),
                str(Path(tmp) / "mesh.npz"),
                str(Path(tmp) / "handoff.json"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        out["blender_handoff"] = (
            json.loads((Path(tmp) / "handoff.json").read_text())
            if proc.returncode == 0
            else {"error": proc.stderr[-500:]}
        )
    out["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.compile:
        out["torch_compile"] = compile_check(pipe, tokens, ks, args.runs)
    return out


def compile_check(pipe: Pipeline, tokens: torch.Tensor, ks: list[int], runs: int) -> dict:
    """Does torch.compile pay? All levels decoded eagerly, then with the DiT step and the VAE's
    occupancy network compiled: compile time (the first call) and the median afterwards."""

    def decode():
        pipe._cache.clear()
        pipe.decode(tokens, ks, seed=0)

    eager = timed(decode, runs)["median_s"]
    tok, vae = pipe.tokenizer, pipe.vae
    tok.predict_v, vae.occupancy = torch.compile(tok.predict_v), torch.compile(vae.occupancy, dynamic=True)
    try:
        start = time.perf_counter()
        decode()
        first = time.perf_counter() - start
        compiled = timed(decode, runs)["median_s"]
    finally:
        del tok.predict_v, vae.occupancy  # back to the class methods
    return {"eager_s": eager, "first_call_s": first, "compiled_s": compiled}


def markdown(results: dict) -> str:
    lines = [f"Machine: {results['machine']}, {results['threads']} torch threads, torch {results['torch']}.\n"]
    for r in results["devices"]:
        h = r["blender_handoff"]
        lines.append(f"## {r['device']} (mesh resolution {r['resolution']}, decoder steps {r['decoder_steps']})\n")
        lines.append(
            markdown_table(
                [
                    {
                        "measure": "prompt -> first preview (full length)",
                        "value": f"{r['prompt_to_first_preview']['median_s']:.2f} s",
                    },
                    {
                        "measure": f"prompt -> all levels {r['ks']}",
                        "value": f"{r['prompt_to_all_levels']['median_s']:.2f} s",
                    },
                    {
                        "measure": "one new prefix decode (uncached)",
                        "value": f"{r['one_new_prefix']['median_s']:.2f} s",
                    },
                    {
                        "measure": f"new level into Blender (foreach_set, {h.get('triangles', '?')} triangles)",
                        "value": f"{h.get('build_mesh_ms', float('nan')):.1f} ms",
                    },
                    {
                        "measure": "cached scrub (mesh swap in Blender)",
                        "value": f"{h.get('cached_swap_ms', float('nan')):.2f} ms",
                    },
                    {"measure": "peak memory (process)", "value": f"{r['peak_memory_mb']:.0f} MB"},
                ],
                ("measure", "value"),
            )
        )
        lines.append("\nDecode cost vs prefix length (one level, uncached):\n")
        lines.append(markdown_table(r["decode_vs_k"], ("k", "median_s")))
        lines.append("\nChamfer ×10^-2 (full length, held-out shapes) vs decoder sampler steps:\n")
        lines.append(markdown_table(r["chamfer_vs_steps"], ("steps", "chamfer", "seconds_per_shape")))
        o = r["optimised_vs_straightforward"]
        lines.append(
            f"\nOptimised ({o['optimised']}) vs straightforward ({o['straightforward']}): "
            f"**{o['speedup']:.1f}× faster**, "
            f"Chamfer {o['optimised_chamfer']:.3f} vs {o['straightforward_chamfer']:.3f} "
            f"(mean over all levels and shapes)\n"
        )
        lines.append(
            markdown_table(
                o["rows"],
                ("category", "optimised_s", "straightforward_s", "optimised_chamfer", "straightforward_chamfer"),
            )
        )
        if "torch_compile" in r:
            c = r["torch_compile"]
            lines.append(
                f"\ntorch.compile (DiT step + VAE occupancy network), all levels: eager {c['eager_s']:.2f} s, "
                f"compiled {c['compiled_s']:.2f} s after a first call of {c['first_call_s']:.1f} s "
                f"(compilation included); off by default unless it pays.\n"
            )
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    for r in results["devices"]:
        ax.plot(
            [x["k"] for x in r["decode_vs_k"]], [x["median_s"] for x in r["decode_vs_k"]], marker="o", label=r["device"]
        )
    ax.set_xlabel("prefix length k")
    ax.set_ylabel("decode + mesh (s)")
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--prompt", default="a wooden chair")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--shapes", type=int, default=4, help="held-out shapes for the quality tables")
    p.add_argument("--resolution", type=int, default=96)
    p.add_argument(
        "--handoff-resolution",
        type=int,
        default=112,
        help="mesh resolution of the Blender handoff mesh (~50k triangles with the default model)",
    )
    p.add_argument("--full-steps", type=int, default=50, help="sampler steps of the straightforward path")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: one per core)")
    p.add_argument("--out", type=Path, default=ROOT / "bench")
    p.add_argument(
        "--no-compile", dest="compile", action="store_false", help="skip the torch.compile check (about a minute)"
    )
    args = p.parse_args(argv)
    threads = args.threads or os.cpu_count()
    torch.set_num_threads(threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "threads": threads,
        "torch": torch.__version__,
        "devices": [bench_device(d, args) for d in devices],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=float) + "\n")
    (args.out / "results.md").write_text(markdown(results))
    plot(results, args.out / "decode_vs_k.png")
    print(markdown(results))


if __name__ == "__main__":
    main()
