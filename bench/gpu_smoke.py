"""GPU smoke test: one bf16 training step of every stage at the paper preset, then a timed
generation from a prompt through all prefix lengths.

    python3 build.py gpu-smoke                   (= python bench/gpu_smoke.py)
    python bench/gpu_smoke.py --preset tiny --device cpu   (the same code on a CPU; the tests run this)

Models are freshly initialised (the point is that every stage runs, fits and how fast, not what
it makes). Prints a table and writes bench/gpu_smoke.json. Without a CUDA device it says so and
exits 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lost_engine.checkpoint import parameter_count  # noqa: E402
from lost_engine.models.gpt import GPTConfig, LoSTGPT  # noqa: E402
from lost_engine.models.lost_tokenizer import LoSTTokenizer, LoSTTokenizerConfig, tokenizer_loss  # noqa: E402
from lost_engine.models.rida import RIDAConfig, RIDAStudent, global_infonce, rida_loss  # noqa: E402
from lost_engine.models.triplane_vae import TriplaneVAE, TriplaneVAEConfig  # noqa: E402
from lost_engine.pipeline import Pipeline  # noqa: E402
from lost_engine.presets import PRESET_NAMES  # noqa: E402
from lost_engine.text import TextEncoder, TextEncoderConfig  # noqa: E402
from train.vae import vae_loss  # noqa: E402


def build(preset: str) -> dict[str, torch.nn.Module]:
    vae_c = TriplaneVAEConfig.preset(preset)
    latent = dict(latent_channels=vae_c.latent_channels, latent_resolution=vae_c.latent_resolution)
    tok_c = LoSTTokenizerConfig.preset(preset, **latent)
    text_c = TextEncoderConfig.preset(preset)
    return {
        "vae": TriplaneVAE(vae_c),
        "rida": RIDAStudent(RIDAConfig.preset(preset, **latent)),
        "text": TextEncoder(text_c),
        "tokenizer": LoSTTokenizer(tok_c),
        "gpt": LoSTGPT(GPTConfig.preset(preset, token_dim=tok_c.token_dim, cond_dim=text_c.embed_dim)),
    }


def losses(models: dict, batch: int, device: torch.device) -> dict:
    """One loss closure per stage on random inputs of the right shapes."""
    vae, rida, text, tok, gpt = (models[k] for k in ("vae", "rida", "text", "tokenizer", "gpt"))
    c = vae.config
    latent = torch.randn(batch, 3, c.latent_channels, c.latent_resolution, c.latent_resolution, device=device)
    points = torch.nn.functional.normalize(torch.randn(batch, 2048, 3, device=device), dim=-1) * 0.5
    queries = torch.rand(batch, 4096, 3, device=device) * 2 - 1
    shape_batch = {
        "surface": points,
        "normals": points * 2,
        "queries": queries,
        "occupancy": (queries.norm(dim=-1) < 0.5).float(),
    }
    rc = rida.config
    teacher_global = torch.randn(batch, rc.teacher_dim, device=device)
    teacher_tokens = torch.randn(batch, 256, rc.teacher_dim, device=device)
    ids = text.tokenize([f"a shape number {i}" for i in range(batch)]).to(device)
    scale = torch.tensor(math.log(1 / 0.07), device=device)
    g = gpt.config
    return {
        "vae": lambda: vae_loss(vae, shape_batch, 1e-4, 2048)[0],
        "rida": lambda: rida_loss(rida, latent, teacher_global, teacher_tokens)[0],
        "text": lambda: global_infonce(text(ids), teacher_global[:, : text.config.embed_dim], scale, 0.9, 0.8),
        "tokenizer": lambda: tokenizer_loss(tok, latent, rida.eval().requires_grad_(False), 1.0)[0],
        "gpt": lambda: gpt(
            torch.randn(batch, g.cond_dim, device=device), torch.randn(batch, g.tokens, g.token_dim, device=device)
        ),
    }


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def train_steps(models: dict, batch: int, device: torch.device, steps: int = 1) -> list[dict]:
    """`steps` training steps per stage; the last one is timed (the first pays for allocation)."""
    rows = []
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
    for name, loss_fn in losses(models, batch, device).items():
        model = models[name].train()
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        for _ in range(steps):
            synchronize(device)
            start = time.perf_counter()
            with autocast:
                loss = loss_fn()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            synchronize(device)
        peak = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else float("nan")
        rows.append(
            {
                "stage": name,
                "parameters": parameter_count(model),
                "loss": float(loss.detach()),
                "step_seconds": time.perf_counter() - start,
                "peak_gib": peak,
            }
        )
        if not math.isfinite(rows[-1]["loss"]):
            raise SystemExit(f"gpu-smoke: {name} gave a non-finite loss")
        model.eval()
    return rows


def generation(models: dict, device: torch.device, resolution: int) -> dict:
    pipe = Pipeline(
        models["vae"], models["tokenizer"], models["gpt"], models["text"], str(device), resolution=resolution
    )
    ks = models["tokenizer"].config.prefix_lengths
    synchronize(device)
    start = time.perf_counter()
    result = pipe.generate("a wooden chair", seed=0)
    synchronize(device)
    tokens_s = time.perf_counter() - start
    pipe.decode(result.tokens, ks, seed=0)
    synchronize(device)
    return {
        "prompt_to_tokens_seconds": tokens_s,
        "prompt_to_all_levels_seconds": time.perf_counter() - start,
        "levels": ks,
        "resolution": resolution,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--preset", default="paper", choices=PRESET_NAMES)
    p.add_argument("--device", default="cuda")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--steps", type=int, default=1, help="training steps per stage; the last is timed")
    p.add_argument("--resolution", type=int, default=128)
    p.add_argument("--json", type=Path, default=ROOT / "bench" / "gpu_smoke.json")
    args = p.parse_args(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print(
            "gpu-smoke: no CUDA device here (torch.cuda.is_available() is False); it needs a GPU machine. "
            "`python bench/gpu_smoke.py --preset tiny --device cpu` runs the same code on a CPU.",
            file=sys.stderr,
        )
        return 2
    torch.manual_seed(0)
    models = {k: m.to(device) for k, m in build(args.preset).items()}
    rows = train_steps(models, args.batch, device, args.steps)
    gen = generation(models, device, args.resolution)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"{args.preset} preset on {name}, batch {args.batch} per stage, bf16 autocast: {device.type == 'cuda'}")
    print(f"{'stage':10s} {'params (M)':>10s} {'loss':>8s} {'step (s)':>9s} {'peak GiB':>9s}")
    for r in rows:
        print(
            f"{r['stage']:10s} {r['parameters'] / 1e6:10.1f} {r['loss']:8.3f} "
            f"{r['step_seconds']:9.3f} {r['peak_gib']:9.2f}"
        )
    print(
        f"generation: prompt -> tokens {gen['prompt_to_tokens_seconds']:.2f} s, -> all {len(gen['levels'])} levels "
        f"{gen['prompt_to_all_levels_seconds']:.2f} s at {gen['resolution']}^3"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {"preset": args.preset, "device": name, "batch": args.batch, "train_steps": rows, "generation": gen},
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
