"""One prepared GPU run: the smoke checks, the whole chain trained at the `small` preset, and every
evaluation of the result, in one command with a wall-time budget per part.

    python3 build.py gpu-run --out DIR            one GPU (an H200 with 16 cores): about 9 minutes
    python3 build.py gpu-run --smoke --out DIR    the same code on a CPU at toy size (4 categories)

DIR receives at most 8 files of at most 16 MB each: weights-N.zip (the model files in float16, a
folder `Pipeline.load` and `--weights` read once unzipped), eval.json, eval.md, sheet.png (one
generation row per category) and timing.log. A part that fails is reported in eval.json and
timing.log and the rest still run; a part that would start after the deadline is skipped.
The budget and the CPU rehearsal's figures are in docs/gpu_run.md.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gpu_smoke  # noqa: E402
from lost_engine.checkpoint import load_model, read_metadata, save_model  # noqa: E402
from lost_engine.data.datasets import build_dataset  # noqa: E402
from lost_engine.data.renders import build_render_set  # noqa: E402
from lost_engine.data.sources import procedural_categories  # noqa: E402
from lost_engine.evaluation.report import write_report  # noqa: E402
from lost_engine.evaluation.thin_parts import RADII, evaluate_thin_parts  # noqa: E402
from train.all import BUDGETS, stage_plan  # noqa: E402

MAX_FILE_BYTES = 16 * 2**20


@dataclass
class RunPlan:
    """What one gpu-run does and how long each part may take (seconds)."""

    preset: str
    smoke_preset: str
    data: str
    per_category: int
    heldout_per_category: int
    budget: dict  # per-stage training arguments, as train.all's BUDGETS
    eval_per_category: int  # held-out shapes per category for the VAE and tokenizer evaluations
    eval_seeds: int  # generations per category
    eval_resolution: int  # marching cubes of the evaluations
    thin_radii: tuple[float, ...]  # the thin-part probe's leg radii
    deadline_s: float  # no part starts after this
    device: str = "cuda"
    part_budget_s: dict = field(default_factory=dict)  # informational: what each part is planned to take


FULL = RunPlan(
    preset="small",
    smoke_preset="paper",
    data="procedural",
    per_category=100,
    heldout_per_category=12,
    budget=BUDGETS["small"],
    eval_per_category=1,
    eval_seeds=2,
    eval_resolution=96,
    thin_radii=RADII,
    deadline_s=8.25 * 60,
    part_budget_s={"smoke": 60, "data": 120, "train": 273 + 50, "eval": 60},
)
# toy size for a CPU: the tiny preset's models, 4 categories, a few seconds per stage
SMOKE_STAGE_ARGS = ["--steps", "1000", "--minutes", "0.1", "--log-every", "5", "--warmup", "5"]
SMOKE = RunPlan(
    preset="tiny",
    smoke_preset="tiny",
    data="procedural:chair,table,lamp,mug",
    per_category=4,
    heldout_per_category=2,
    budget={
        "vae": [*SMOKE_STAGE_ARGS, "--batch-size", "4", "--per-category", "4", "--heldout-per-category", "2"],
        "teacher": [*SMOKE_STAGE_ARGS, "--batch-size", "8", "--per-category", "4", "--heldout-per-category", "2"],
        "rida": [*SMOKE_STAGE_ARGS, "--batch-size", "8"],
        "text": [*SMOKE_STAGE_ARGS, "--batch-size", "8"],
        "tokenizer": [*SMOKE_STAGE_ARGS, "--batch-size", "4"],
        "gpt": [*SMOKE_STAGE_ARGS, "--batch-size", "8"],
    },
    eval_per_category=1,
    eval_seeds=1,
    eval_resolution=48,
    thin_radii=(0.03, 0.12),
    deadline_s=4.5 * 60,
    device="cpu",
    part_budget_s={"smoke": 20, "data": 40, "train": 100, "eval": 90},
)


class Timeline:
    """Runs the parts in order, each timed and isolated: a failure is recorded, never fatal."""

    def __init__(self, deadline_s: float, log: Path):
        self.start, self.deadline_s, self.log = time.perf_counter(), deadline_s, log
        self.rows: list[dict] = []

    def run(self, name: str, fn, required: bool = False):
        """`required`: run even past the deadline (packing what the run made)."""
        if self.elapsed > self.deadline_s and not required:
            self._record(name, "skipped: past the deadline", 0.0)
            return None
        t0 = time.perf_counter()
        try:
            result = fn()
            status = "ok"
        except BaseException as exc:  # noqa: BLE001 (SystemExit from a stage's argparse or loop included)
            if isinstance(exc, KeyboardInterrupt):
                raise
            result, status = None, f"failed: {type(exc).__name__}: {exc}"
            traceback.print_exc()
        self._record(name, status, time.perf_counter() - t0)
        return result

    def _record(self, name: str, status: str, seconds: float) -> None:
        row = {"part": name, "status": status, "seconds": round(seconds, 1), "at": round(self.elapsed, 1)}
        self.rows.append(row)
        print(f"== gpu-run {name}: {status} in {seconds:.1f} s (at {self.elapsed:.0f} s)", flush=True)
        with open(self.log, "a") as f:
            f.write(f"{row['at']:7.1f} s  {name:22s} {row['seconds']:7.1f} s  {status}\n")

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def smoke_checks(plan: RunPlan) -> dict:
    """gpu-smoke's checks: one bf16 step per stage at the smoke preset, a timed generation."""
    device = torch.device(plan.device)
    torch.manual_seed(0)
    models = {k: m.to(device) for k, m in gpu_smoke.build(plan.smoke_preset).items()}
    rows = gpu_smoke.train_steps(models, 4, device)
    generation = gpu_smoke.generation(models, device, 128 if device.type == "cuda" else 32)
    del models
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return {"preset": plan.smoke_preset, "train_steps": rows, "generation": generation}


def prepare_data(plan: RunPlan, cache: Path) -> dict:
    """The samples and renders every stage reads, made on all cores (seconds per cache)."""
    workers, seconds = os.cpu_count() or 1, {}
    for split, n in (("train", plan.per_category), ("heldout", plan.heldout_per_category)):
        for name, build in (("samples", build_dataset), ("renders", build_render_set)):
            start = time.perf_counter()
            build(plan.data, split, n, cache / name.replace("samples", "shapes"), workers=workers)
            seconds[f"{split} {name}"] = round(time.perf_counter() - start, 1)
    return seconds


def train_stages(plan: RunPlan, timeline: Timeline, weights: Path, runs: Path, cache: Path) -> None:
    for stage, argv, _ in stage_plan(plan.preset, weights, runs, plan.data, cache, budget=plan.budget):
        if stage == "lexicon":  # a minute of CPU work over WordNet, which the GPU machine lacks: prompts as typed
            continue
        timeline.run(f"train {stage}", lambda: importlib.import_module(f"train.{stage}").main(argv))


def evaluations(plan: RunPlan, timeline: Timeline, weights: Path, cache: Path, sheet: Path) -> dict:
    from lost_engine.evaluation.classifier import classifier_for
    from lost_engine.evaluation.gpt_eval import evaluate_gpt
    from lost_engine.evaluation.rida_eval import evaluate_rida
    from lost_engine.evaluation.tokenizer_eval import evaluate_tokenizer
    from lost_engine.evaluation.vae_eval import evaluate_vae
    from lost_engine.pipeline import Pipeline
    from lost_engine.teachers import load_teacher

    def w(stage: str) -> Path:
        return weights / f"{plan.preset}_{stage}.safetensors"

    categories = list(procedural_categories(plan.data))
    n = plan.eval_per_category
    classifier = lambda: classifier_for(  # noqa: E731
        load_teacher("render_ssl", w("teacher")).eval(), w("teacher"), plan.per_category, cache, data=plan.data
    )
    res = plan.eval_resolution
    reports = {  # the user-facing one first: a late part is the one skipped
        "gpt": lambda: evaluate_gpt(
            Pipeline.load(weights, plan.device, resolution=res),
            classifier(),
            plan.eval_seeds,
            sheet=sheet,
            only=categories,
        ),
        "tokenizer": lambda: evaluate_tokenizer(
            {"LoS": load_model(w("tokenizer")).eval()},
            load_model(w("vae")).eval(),
            classifier(),
            n,
            res,
            only=categories,
        ),
        "vae": lambda: evaluate_vae(load_model(w("vae")), plan.data, n, res),
        "thin_parts": lambda: evaluate_thin_parts(load_model(w("vae")).eval(), plan.thin_radii, res),
        "rida": lambda: evaluate_rida(
            load_model(w("rida")), cache / "latents" / w("vae").stem, cache / "teacher" / w("teacher").stem
        ),
    }
    results = {}
    for name, report in reports.items():
        out = timeline.run(f"eval {name}", report)
        if out is not None:
            results[name] = out
    return results


def pack_weights(weights: Path, out: Path) -> list[Path]:
    """The model files in float16, packed into as few zips of at most 16 MB as they fit in."""
    half = weights / "float16"
    half.mkdir(exist_ok=True)
    files = []
    for path in sorted(weights.glob("*.safetensors")):
        model = load_model(path)
        files.append(save_model(half / path.name, read_metadata(path)["kind"], model, model.extra, half=True))
    bins: list[list[Path]] = []
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True):  # first fit, largest first
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{path.name} is {size / 2**20:.1f} MB in float16: over the 16 MB a file may be")
        target = next((b for b in bins if sum(p.stat().st_size for p in b) + size <= MAX_FILE_BYTES), None)
        target.append(path) if target is not None else bins.append([path])
    zips = []
    for i, paths in enumerate(bins, 1):
        zips.append(out / f"weights-{i}.zip")
        with zipfile.ZipFile(zips[-1], "w", zipfile.ZIP_STORED) as zf:
            for p in paths:
                zf.write(p, p.name)
    return zips


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True, help="the run's outputs (at most 8 files)")
    p.add_argument("--smoke", action="store_true", help="toy size on the CPU (the rehearsal)")
    p.add_argument("--work", type=Path, default=None, help="run folders and weights (default: runs/gpu-run[-smoke])")
    p.add_argument("--cache", type=Path, default=Path(".cache"), help="shape, render and latent caches")
    args = p.parse_args(argv)
    plan = SMOKE if args.smoke else FULL
    if plan.device == "cuda" and not torch.cuda.is_available():
        print("gpu-run: no CUDA device here; `--smoke` rehearses the same run on the CPU at toy size", file=sys.stderr)
        return 2
    work = args.work or Path("runs") / ("gpu-run-smoke" if args.smoke else "gpu-run")
    weights, runs = work / "weights", work / "runs"
    args.out.mkdir(parents=True, exist_ok=True)
    weights.mkdir(parents=True, exist_ok=True)
    log = args.out / "timing.log"
    log.write_text(f"gpu-run {'--smoke ' if args.smoke else ''}on {_device_name(plan.device)}\n")
    timeline = Timeline(plan.deadline_s, log)
    report: dict = {"plan": {k: v for k, v in vars(plan).items() if k != "budget"}, "budget": plan.budget}
    report["smoke"] = timeline.run("smoke checks", lambda: smoke_checks(plan))
    report["data"] = timeline.run("data", lambda: prepare_data(plan, args.cache))
    train_stages(plan, timeline, weights, runs, args.cache)
    evals = evaluations(plan, timeline, weights, args.cache, args.out / "sheet.png")
    report["eval"] = {name: figures for name, (_, figures) in evals.items()}
    (args.out / "eval.md").write_text("\n\n".join(f"## {name}\n\n{md}" for name, (md, _) in evals.items()))
    timeline.run("pack weights", lambda: pack_weights(weights, args.out), required=True)
    report["timeline"] = timeline.rows
    write_report("", report, None, args.out / "eval.json")
    failed = [row["part"] for row in timeline.rows if row["status"] != "ok"]
    print(
        f"gpu-run: {timeline.elapsed / 60:.1f} min; {', '.join(failed) or 'every part ran'}"
        f"{' failed or skipped' if failed else ''}; outputs in {args.out}"
    )
    return 1 if failed else 0


def _device_name(device: str) -> str:
    return torch.cuda.get_device_name() if device == "cuda" else f"cpu ({os.cpu_count()} cores)"


if __name__ == "__main__":
    sys.exit(main())
