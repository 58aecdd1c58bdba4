"""Training plumbing shared by every stage: arguments, distributed setup, schedules,
resumable atomic checkpoints, and progress logging with throughput and ETA.

Runs unchanged as `python -m train.<stage>` or under `torchrun --nproc_per_node N -m train.<stage>`.
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import json
import math
import os
import random
import signal
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset, DistributedSampler

from lost_engine.checkpoint import atomic_write, load_model
from lost_engine.presets import PRESET_NAMES


def base_parser(description: str, out: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--preset", default="tiny", choices=PRESET_NAMES)
    p.add_argument("--out", type=Path, default=Path(out), help="run folder: training state and logs")
    p.add_argument("--export", type=Path, default=None, help="the final model (.safetensors)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=16, help="per process")
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--ckpt-every", type=int, default=200)
    p.add_argument("--resume", action="store_true", help="continue from OUT/state.pt if present")
    p.add_argument(
        "--init",
        type=Path,
        default=None,
        metavar="MODEL.safetensors",
        help="fine-tune: start from an exported model's weights (tensors whose name and shape match; "
        "the rest keep their fresh initialisation); not used when --resume finds a checkpoint",
    )
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: leave default)")
    p.add_argument(
        "--minutes",
        type=float,
        default=0,
        help="wall-time budget of the training loop: the step count is cut to what fits, measured after a few "
        "steps, so the LR schedule still ends on time (0: no budget)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override one field of the preset's model config (repeatable), e.g. --set dec_depth=6",
    )
    return p


def model_config(config_cls, args, **derived):
    """The preset's config with fields derived from the data, then the user's --set overrides."""
    return config_cls.preset(args.preset, **{**derived, **set_overrides(config_cls, args)})


def set_overrides(config_cls, args) -> dict:
    """The user's --set FIELD=VALUE items as {field: value} (JSON values where they parse)."""
    overrides, names = {}, sorted(f.name for f in dataclasses.fields(config_cls))
    for item in args.set:
        field, sep, value = item.partition("=")
        if not sep or field not in names:
            raise SystemExit(f"--set {item!r}: expected FIELD=VALUE with FIELD one of {names}")
        try:
            overrides[field] = json.loads(value)
        except json.JSONDecodeError:
            overrides[field] = value
    return overrides


@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup_distributed() -> Dist:
    """Initialise torch.distributed when launched by torchrun (gloo on CPU, nccl on CUDA)."""
    if "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if not dist.is_initialized():  # train.all runs several stages in one process
            dist.init_process_group(backend)
            # torn down before the interpreter exits: left to exit-time destructors, gloo's threads
            # sometimes abort a rank ("terminate called without an active exception") after a finished run
            atexit.register(dist.destroy_process_group)
        rank, world = dist.get_rank(), dist.get_world_size()
        device = (
            torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}") if backend == "nccl" else torch.device("cpu")
        )
        if device.type == "cuda":
            torch.cuda.set_device(device)
        return Dist(rank, world, device)
    return Dist(device=torch.device("cuda" if torch.cuda.is_available() else "cpu"))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def autocast(device: torch.device):
    return torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()


def lr_at(step: int, base: float, warmup: int, total: int, floor: float = 0.05) -> float:
    """Linear warm-up then cosine decay to floor·base."""
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return base * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


class _Indexed(Dataset):
    """A dataset whose items also carry their index (for the per-sample seeds)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, i: int) -> dict:
        return {**self.dataset[i], "index": i}


def infinite_batches(dataset: Dataset, batch_size: int, d: Dist, seed: int, start_step: int = 0) -> Iterator[dict]:
    """Endless shuffled batches of `batch_size` per process.

    Epoch e is one permutation of the dataset (DistributedSampler seeded by seed + e) dealt out
    across the ranks, so the ranks' j-th batches together hold exactly the j-th batch of a single
    process with batch_size × world; resuming at `start_step` replays the same order. Every item
    gets "sample_seed", a function of (seed, epoch, index) only, for its random draws
    (lost_engine.sample_random.SampleRandom)."""
    sampler = DistributedSampler(dataset, d.world, d.rank, shuffle=True, seed=seed, drop_last=True)
    per_epoch = max(1, len(sampler) // batch_size)
    epoch, skip = divmod(start_step, per_epoch)
    indexed = _Indexed(dataset)
    while True:
        sampler.set_epoch(epoch)
        order = list(sampler)[skip * batch_size :]
        # its own generator: creating a loader must not draw from the global RNG, whose state the
        # checkpoint restores for the losses (a resumed run then draws what an uninterrupted one did)
        loader = DataLoader(
            indexed,
            batch_size=batch_size,
            sampler=order,
            drop_last=True,
            generator=torch.Generator().manual_seed(seed + epoch),
        )
        for batch in loader:
            batch["sample_seed"] = (seed * 1_000_003 + epoch) * len(dataset) + batch.pop("index")
            yield {k: v.to(d.device) for k, v in batch.items()}
        skip = 0
        epoch += 1


class StopRequest:
    """SIGTERM or SIGINT during training (a cluster's pre-emption, Ctrl+C): the loop finishes its
    step, writes the checkpoint and exits, so `--resume` loses nothing. Handlers are restored on exit."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self):
        self.requested = False
        self._previous = {}

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}
        return self

    def _handle(self, signum, frame) -> None:
        self.requested = True

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def agreed(self, d: Dist) -> bool:
        """Whether any rank was asked to stop (all ranks then stop at the same step)."""
        if d.world == 1:
            return self.requested
        flag = torch.tensor([float(self.requested)], device=d.device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag.item())


class TimeBudget:
    """`--minutes` for the training loop. After `calibrate` steps it measures the step rate and
    lowers the total to the steps that fit in what is left (the LR schedule then completes on time);
    past the budget it stops at once."""

    def __init__(self, minutes: float, calibrate: int = 10):
        self.seconds, self.calibrate = 60 * minutes, calibrate
        self.start = time.perf_counter()
        self.first_step, self.rate_from = None, 0.0  # the rate is timed from the end of the first step

    def total(self, step: int, planned: int) -> int:
        """The step count to aim for, asked before each step (`step` = steps done) with the current plan."""
        if not self.seconds:
            return planned
        now = time.perf_counter()
        if now - self.start >= self.seconds:
            return step
        if self.first_step is None:
            self.first_step = step
        elif step == self.first_step + 1:  # the first step (start-up, allocation) is not timed
            self.rate_from = now
        elif step == self.first_step + 1 + self.calibrate:
            rate = self.calibrate / max(now - self.rate_from, 1e-9)
            return min(planned, step + max(1, int(rate * (self.seconds - (now - self.start)))))
        return planned


class TrainState:
    """Model, optimiser, EMA, step and RNG states in OUT/state.pt, written atomically by rank 0."""

    def __init__(
        self,
        out: Path,
        model: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
        ema: torch.optim.swa_utils.AveragedModel | None = None,
    ):
        self.path = Path(out) / "state.pt"
        self.model, self.optimizer, self.ema = model, optimizer, ema
        self.step = 0

    def save(self, d: Dist) -> None:
        if not d.main:
            return
        state = {
            "model": _unwrap(self.model).state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "step": self.step,
            **rng_state(),
        }
        if self.ema is not None:
            state["ema"] = self.ema.state_dict()
        atomic_write(self.path, lambda tmp: torch.save(state, tmp))

    def load(self) -> bool:
        if not self.path.exists():
            return False
        state = torch.load(self.path, map_location="cpu", weights_only=True)
        _unwrap(self.model).load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.ema is not None and "ema" in state:
            self.ema.load_state_dict(state["ema"])
        restore_rng(state)
        self.step = int(state["step"])
        return True


def rng_state() -> dict:
    """Every global RNG a training step may draw from (torch, numpy, Python's random), as tensors
    and plain numbers (what torch.load with weights_only=True reads back)."""
    _, keys, pos, has_gauss, gauss = np.random.get_state()
    py_version, py_state, py_gauss = random.getstate()
    return {
        "rng_torch": torch.get_rng_state(),
        "rng_numpy": torch.from_numpy(keys.astype(np.int64)),
        "rng_numpy_rest": [int(pos), int(has_gauss), float(gauss)],
        "rng_python": torch.tensor(py_state, dtype=torch.int64),
        "rng_python_rest": [int(py_version), py_gauss],
    }


def restore_rng(state: dict) -> None:
    torch.set_rng_state(state["rng_torch"])
    if "rng_numpy_rest" in state:  # states written before all three RNGs were saved hold torch's only
        pos, has_gauss, gauss = state["rng_numpy_rest"]
        np.random.set_state(
            ("MT19937", state["rng_numpy"].numpy().astype(np.uint32), int(pos), int(has_gauss), float(gauss))
        )
        version, gauss_py = state["rng_python_rest"]
        random.setstate((int(version), tuple(int(v) for v in state["rng_python"].tolist()), gauss_py))


def _unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return model.module if hasattr(model, "module") else model


class ProgressLog:
    """One line per `every` steps: loss terms, steps/s, ETA; also appended to OUT/log.jsonl."""

    def __init__(self, out: Path, total: int, start: int, every: int, d: Dist):
        self.file = Path(out) / "log.jsonl"
        self.total, self.every, self.d = total, every, d
        self.t0, self.s0 = time.perf_counter(), start

    def due(self, step: int) -> bool:
        return step % self.every == 0 or step == self.total

    def __call__(self, step: int, **values: float) -> None:
        if not self.d.main:
            return
        rate = (step - self.s0) / max(1e-9, time.perf_counter() - self.t0)
        eta = (self.total - step) / rate if rate > 0 else float("inf")
        terms = " ".join(f"{k} {v:.4f}" for k, v in values.items())
        print(f"step {step}/{self.total} {terms} | {rate:.2f} step/s | ETA {eta / 60:.1f} min", flush=True)
        with open(self.file, "a") as f:
            f.write(json.dumps({"step": step, "time": time.time(), **values}) + "\n")


def prepare_run(args, module: str, argv: list[str] | None) -> Dist:
    """Distributed setup, threads, seeds, the run folder, and OUT/command.txt: the exact
    command lines of this stage (`python -m <module> <argv>`), one per (resumed) run."""
    d = setup_distributed()
    if args.threads:
        torch.set_num_threads(args.threads)
    seed_everything(args.seed + d.rank)
    if d.main:
        args.out.mkdir(parents=True, exist_ok=True)
        argv = sys.argv[1:] if argv is None else argv
        line = " ".join(["python", "-m", module, *argv]) + "\n"
        with open(args.out / "command.txt", "a" if args.resume else "w") as f:  # resumes keep the history
            f.write(line)
    return d


@contextmanager
def main_first(d: Dist):
    """Rank 0 runs the block first (e.g. filling a preprocessing cache), the other ranks after it
    (reading what it wrote), so that no two processes compute or write the same files."""
    if not d.main:
        dist.barrier()
    yield
    if d.main and d.world > 1:
        dist.barrier()


def fit(
    args,
    d: Dist,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    dataset: Dataset,
    loss_fn,
    state: TrainState | None = None,
) -> TrainState:
    """The shared loop: warm-up/cosine LR, gradient accumulation, clipping, logging, atomic
    checkpoints every `ckpt_every` steps, resume with `--resume`.

    loss_fn(module, batch) -> (loss tensor, {name: float}); `module` is the DDP-wrapped model when
    distributed, so gradients are synchronised.
    """
    state = state or TrainState(args.out, model, optimizer)
    if args.resume and state.load():
        if d.main:
            print(f"resumed from {state.path} at step {state.step}", flush=True)
    elif getattr(args, "init", None):
        copied, fresh = init_from(model, args.init)
        if d.main:
            print(
                f"initialised from {args.init}: {copied} tensors copied, fresh: {', '.join(fresh) or 'none'}",
                flush=True,
            )
    module = DDP(model) if d.world > 1 else model
    batches = infinite_batches(dataset, args.batch_size, d, args.seed, state.step * args.grad_accum)
    log = ProgressLog(args.out, args.steps, state.step, args.log_every, d)
    budget = TimeBudget(args.minutes)
    model.train()
    with StopRequest() as stop:
        while state.step < args.steps:
            planned = budget.total(state.step, args.steps)
            if budget.seconds and d.world > 1:  # every rank stops at the same step
                planned = int(min_over_ranks(torch.tensor(float(planned), device=d.device), d))
            if planned != args.steps:
                if d.main:
                    print(f"--minutes {args.minutes:g}: {planned} of {args.steps} steps fit", flush=True)
                args.steps = log.total = planned
                if state.step >= args.steps:
                    state.save(d)
                    break
            for group in optimizer.param_groups:
                group["lr"] = lr_at(state.step, args.lr, args.warmup, args.steps)
            optimizer.zero_grad(set_to_none=True)
            for micro in range(args.grad_accum):
                last = micro == args.grad_accum - 1  # DDP all-reduces the gradients on the last micro-step only
                with module.no_sync() if d.world > 1 and not last else nullcontext():
                    with autocast(d.device):
                        loss, terms = loss_fn(module, next(batches))
                    (loss / args.grad_accum).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            optimizer.step()
            if state.ema is not None:
                state.ema.update_parameters(model)
            state.step += 1
            if log.due(state.step):
                log(state.step, loss=mean_over_ranks(loss.detach(), d), **terms)
            if state.step % args.ckpt_every == 0 or state.step == args.steps:
                state.save(d)
            if stop.agreed(d):
                state.save(d)
                if d.main:
                    print(
                        f"stopped by a signal at step {state.step}; checkpoint {state.path} (--resume continues)",
                        flush=True,
                    )
                raise SystemExit(130)
    model.eval()
    return state


DECAYED = (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    """AdamW groups: weight decay on the weight matrices of linear and conv layers only; biases,
    norms, embeddings, positions, null and register tokens are not decayed."""
    decayed = {id(m.weight) for m in model.modules() if isinstance(m, DECAYED)}
    params = [p for p in model.parameters() if p.requires_grad]
    return [
        {"params": [p for p in params if id(p) in decayed], "weight_decay": weight_decay},
        {"params": [p for p in params if id(p) not in decayed], "weight_decay": 0.0},
    ]


def init_from(model: torch.nn.Module, path: Path) -> tuple[int, list[str]]:
    """Copy the tensors of an exported model (safetensors) whose name and shape match `model`'s;
    returns (number copied, names left at their fresh initialisation)."""
    source_model = load_model(path)
    if type(source_model) is not type(_unwrap(model)):
        raise SystemExit(
            f"--init {path}: holds a {type(source_model).__name__}, this stage trains a {type(_unwrap(model)).__name__}"
        )
    source = source_model.state_dict()
    target = model.state_dict()
    matching = {name: value for name, value in source.items() if name in target and value.shape == target[name].shape}
    model.load_state_dict(matching, strict=False)
    return len(matching), sorted(set(target) - set(matching))


def min_over_ranks(value: torch.Tensor, d: Dist) -> float:
    value = value.clone()
    dist.all_reduce(value, op=dist.ReduceOp.MIN)
    return float(value)


def mean_over_ranks(value: torch.Tensor, d: Dist) -> float:
    """A scalar averaged over the ranks (the loss of the whole global batch)."""
    if d.world > 1:
        value = value.clone()
        dist.all_reduce(value)
        value /= d.world
    return float(value)


def make_ema(model: torch.nn.Module, decay: float) -> torch.optim.swa_utils.AveragedModel:
    """Exponential moving average of the weights (what sampling stages export)."""
    return torch.optim.swa_utils.AveragedModel(model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(decay))


def export_extra(args, state: TrainState) -> dict:
    """Metadata stored with an exported model: the command that trained it and its step count."""
    return {"train_command": (args.out / "command.txt").read_text().strip(), "steps": state.step}


def load_frozen_rida(path: Path, latents: torch.Tensor, device) -> torch.nn.Module:
    """The trained RIDA student f_θ, frozen, checked against the latent cache it will read."""
    rida = load_model(path, "rida_student").to(device).eval().requires_grad_(False)
    c = rida.config
    if (c.latent_channels, c.latent_resolution) != (latents.shape[2], latents.shape[3]):
        raise ValueError(
            f"{path}: RIDA student reads {c.latent_channels}x{c.latent_resolution}^2 latents, "
            f"the cache holds {latents.shape[2]}x{latents.shape[3]}^2"
        )
    return rida
