"""Train the whole model, stage by stage: VAE, teacher, RIDA, text, tokenizer, GPT.

    python -m train.all --preset tiny --weights lost_engine/weights

Each stage runs as `python -m train.<stage>` would, with `--resume` and its own run folder under
`--runs`; a stage whose model file and caches already exist is skipped, so rerunning the same
command after a stop continues where it left off. `--dry-run` prints the stage commands.
The tiny budget below is the one the embedded default model was trained with on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import importlib
import time
from pathlib import Path

import torch.distributed as dist

from lost_engine.data.sources import is_procedural, procedural_categories
from lost_engine.pipeline import LEXICON_FILE


def _tokenizer_phase(steps: int, semantic_weight: str, *settings: str) -> list[str]:
    """One tiny tokenizer phase: `steps` at batch 32, noise times favouring high noise, config
    `settings` ("token_dim=4") and the semantic term's weight."""
    sets = [arg for setting in settings for arg in ("--set", setting)]
    return ["--steps", str(steps), "--batch-size", "32", "--t-power", "2", *sets, "--semantic-weight", semantic_weight]


# steps / batch sizes per preset; the paper preset expects GPUs (see README "Training your own model").
# A list of argument lists is a stage trained in phases, each phase starting from the previous one's export.
BUDGETS = {
    "tiny": {
        # the local plane encoder (ConvONet-style) keeps thin parts that the 16^2 learned-query encoder
        # lost (chair legs, a stool's ring): 9000 joint steps, IoU 0.922, Chamfer 0.581e-2, F 0.959 on the
        # held-out split (docs/eval/vae_experiments/README.md)
        "vae": [
            *["--steps", "9000", "--batch-size", "12", "--lr", "1e-3", "--warmup", "50"],
            *["--per-category", "100", "--set", "encoder=planes"],
        ],
        "teacher": ["--steps", "600", "--batch-size", "96"],
        "rida": ["--steps", "300", "--batch-size", "128"],
        # a head over the frozen pretrained sentence encoder all-MiniLM-L6-v2 (on the embedded model it
        # read people's prompts as named 0.942 / 0.971 where our own trained tower read 0.913 / 0.765;
        # that GPT, trained on the tower, made no better shapes of it: docs/stage4_gpt.md). InfoNCE
        # against the RIDA embeddings on the procedural captions (captions of one category never pushed
        # apart), then the same head taught to read people's wordings (descriptions, product names,
        # typos) as it reads those captions
        "text": [
            ["--steps", "2000", "--batch-size", "128", "--category-aware", "--backbone", "all-MiniLM-L6-v2"],
            ["--distill", "--steps", "4000", "--batch-size", "128", "--lr", "5e-4", "--warmup", "50"]
            + ["--backbone", "all-MiniLM-L6-v2"],
        ],
        # 16-d tokens first (the first token learns the whole shape), then 4-d tokens, each phase
        # started from the one before (--init), so that one token cannot hold every detail and later
        # tokens add it; three 4-d phases with the 4-block DiT decoder, two with it grown to 6 blocks
        # (the new blocks start as the identity); the semantic term only in the last phase, at λ = 0.3
        # (better than λ = 1 and than λ = 0 at every k <= 16: docs/stage3_tokenizer.md)
        "tokenizer": [
            _tokenizer_phase(6000, "0"),
            *[_tokenizer_phase(2000, "0", "token_dim=4")] * 3,
            _tokenizer_phase(2000, "0", "token_dim=4", "dec_depth=6"),
            _tokenizer_phase(2000, "0.3", "token_dim=4", "dec_depth=6"),
        ],
        "gpt": ["--steps", "1000", "--batch-size", "64"],
    },
    # one GPU for minutes (bench/gpu_run.py: the whole chain in about 5 of its 9 minutes): every stage
    # gets a wall-time budget (--minutes cuts the steps to what fits) and batches that fill the GPU
    "small": {
        "vae": ["--steps", "100000", "--minutes", "1.25", "--batch-size", "64", "--per-category", "100"],
        "teacher": ["--steps", "100000", "--minutes", "0.5", "--batch-size", "256"],
        "rida": ["--steps", "100000", "--minutes", "0.4", "--batch-size", "256"],
        "text": [
            ["--steps", "100000", "--minutes", "0.25", "--batch-size", "512", "--category-aware"],
            ["--distill", "--steps", "100000", "--minutes", "0.15", "--batch-size", "512", "--lr", "5e-4"]
            + ["--per-category", "10", "--variants", "16"],  # 450 shapes: their captions take ~20 s on one core
        ],
        "tokenizer": [
            *["--steps", "100000", "--minutes", "1.25", "--batch-size", "256"],
            *["--t-power", "2", "--semantic-weight", "0.3"],
        ],
        "gpt": ["--steps", "100000", "--minutes", "0.75", "--batch-size", "256"],
    },
    "paper": {
        "vae": ["--steps", "200000", "--batch-size", "32", "--lr", "1e-4", "--warmup", "2000"],
        "teacher": ["--steps", "50000", "--batch-size", "256"],
        "rida": ["--steps", "50000", "--batch-size", "256"],
        "text": ["--steps", "20000", "--batch-size", "512"],
        "tokenizer": ["--steps", "400000", "--batch-size", "32", "--lr", "1e-4", "--warmup", "5000"],
        "gpt": ["--steps", "400000", "--batch-size", "64", "--lr", "1e-4", "--warmup", "5000"],
    },
}
STAGES = ("vae", "teacher", "rida", "text", "lexicon", "tokenizer", "gpt")


def stage_plan(
    preset: str,
    weights: Path,
    runs: Path,
    data: str,
    cache: Path,
    shards: Path | None = None,
    budget: dict | None = None,
) -> list[tuple[str, list[str], list[Path]]]:
    """[(stage, argv, files that exist once it is done)] in training order. `shards`: a sharded
    cache of `data` (lost_engine.data.prepare) that the VAE streams instead of loading `data`.
    `budget`: per-stage arguments in the form of BUDGETS' entries (default: the preset's)."""
    w = {s: weights / f"{preset}_{s}.safetensors" for s in STAGES}
    latents, feats, tokens = (
        cache / "latents" / w["vae"].stem,
        cache / "teacher" / w["teacher"].stem,
        cache / "tokens" / w["tokenizer"].stem,
    )
    budget = budget or BUDGETS[preset]
    lexicon = weights / LEXICON_FILE
    distilled = any(isinstance(phase, list) and "--distill" in phase for phase in budget["text"])
    people_words = ["--people-words"] if distilled else []  # the words of people's captions stay as typed

    def common(stage):
        return ["--preset", preset, "--resume", "--out", str(runs / stage), "--export", str(w[stage])]

    splits = ("train.safetensors", "heldout.safetensors") if is_procedural(data) else ("train.safetensors",)
    # the text stage's --distill phase describes the shapes of the categories the data holds
    distill_categories = ["--categories", ",".join(procedural_categories(data))] if is_procedural(data) else []
    plan = [
        (
            "vae",
            [*common("vae"), "--data", str(shards or data), "--cache", str(cache / "shapes")]
            + ["--latents", str(cache / "latents")],
            [latents / s for s in splits],
        ),
        (
            "teacher",
            [*common("teacher"), "--data", data, "--render-cache", str(cache / "renders")]
            + ["--features", str(cache / "teacher")],
            [feats / s for s in splits],
        ),
        ("rida", [*common("rida"), "--latents", str(latents), "--teacher-features", str(feats)], []),
        ("text", [*common("text"), "--latents", str(latents), "--rida", str(w["rida"]), *distill_categories], []),
        *(
            [
                (
                    "lexicon",
                    ["--latents", str(latents / "train.safetensors"), *people_words, "--export", str(lexicon)],
                    [],
                )
            ]
            if preset != "paper"  # the paper preset's pretrained OpenCLIP reads prompts as typed
            else []
        ),
        (
            "tokenizer",
            [
                *common("tokenizer"),
                "--latents",
                str(latents),
                "--rida",
                str(w["rida"]),
                "--tokens-cache",
                str(cache / "tokens"),
            ],
            [tokens / s for s in splits],
        ),
        ("gpt", [*common("gpt"), "--tokens", str(tokens), "--text", str(w["text"])], []),
    ]
    return [step for stage, argv, caches in plan for step in _phases(stage, argv, caches, budget.get(stage, []), runs)]


def _phases(stage: str, argv: list[str], caches: list[Path], budget: list, runs: Path):
    """One plan entry per training phase: every phase but the last exports into its own run folder,
    and each later phase starts from the previous export (--init)."""
    phases = budget if budget and isinstance(budget[0], list) else [budget]
    previous = None
    for i, phase in enumerate(phases, 1):
        phase_argv = [*argv, *phase] + (["--init", str(previous)] if previous else [])
        if i < len(phases):
            out = runs / f"{stage}_phase{i}"
            previous = out / "model.safetensors"
            phase_argv = _replace(_replace(phase_argv, "--out", out), "--export", previous)
            yield stage, phase_argv, []
        else:
            yield stage, phase_argv, caches


def _replace(argv: list[str], flag: str, value) -> list[str]:
    i = argv.index(flag)
    return [*argv[: i + 1], str(value), *argv[i + 2 :]]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--preset", default="tiny", choices=tuple(BUDGETS))
    p.add_argument("--weights", type=Path, default=Path("lost_engine/weights"), help="where the model files go")
    p.add_argument("--runs", type=Path, default=Path("runs/all"), help="per-stage run folders (resumable state)")
    p.add_argument(
        "--data",
        default="procedural",
        help="'procedural', 'procedural:chair,table,…' (some categories) or a mesh folder ROOT/<category>/*",
    )
    p.add_argument(
        "--shards",
        type=Path,
        default=None,
        help="the sharded cache of --data (python -m lost_engine.data.prepare): the VAE streams it",
    )
    p.add_argument("--cache", type=Path, default=Path(".cache"))
    p.add_argument("--only", choices=STAGES, action="append", help="run just these stages (repeatable)")
    p.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    plan = stage_plan(args.preset, args.weights, args.runs, args.data, args.cache, args.shards)
    # every stage's code is loaded now, not when its turn comes hours later: a stage imported
    # after the sources were edited would mix new modules with ones loaded at the start
    modules = {} if args.dry_run else {stage: importlib.import_module(f"train.{stage}") for stage, _, _ in plan}
    for stage, stage_argv, caches in plan:
        if args.only and stage not in args.only:
            continue
        export = Path(stage_argv[stage_argv.index("--export") + 1])
        done = export.exists() and all(c.exists() for c in caches)
        print(
            f"== {stage}: {'done, skipped' if done else 'python -m train.' + stage + ' ' + ' '.join(stage_argv)}",
            flush=True,
        )
        if done or args.dry_run:
            continue
        start = time.perf_counter()
        modules[stage].main(stage_argv)
        if dist.is_initialized():  # rank 0 writes the exports and caches the next stage reads
            dist.barrier()
        print(f"== {stage} finished in {(time.perf_counter() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
