"""Preprocess a mesh folder at scale into the sharded sample cache.

    python -m lost_engine.data.prepare ROOT --out CACHE [--workers N] [--shard-size 512]

ROOT/<category>/*.{obj,off,ply,stl,glb} (+ optional ROOT/captions.jsonl, see sources.py). Every
mesh becomes a training sample (surface points + normals, occupancy queries) in worker
processes; finished samples wait in CACHE/pending/ (one file each, written atomically) and are
packed into immutable shards of --shard-size shapes. Resumable: a second run skips every shape
already in a shard, already pending, or listed as failed, so an interrupted run loses at most the
shapes in flight. Unreadable or empty meshes are skipped, reported at the end and kept in the
index with the reason. Train on the result with `python -m train.vae --data CACHE`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .cache import SampleMaker, cache_path, prepare_one, run_jobs
from .samples import SampleSpec
from .shards import read_index, write_index, write_shard
from .sources import MeshFolderSource, ShapeItem


class ShardWriter:
    """Packs pending samples into shards and keeps the index up to date."""

    def __init__(self, out: Path, index: dict, shard_size: int):
        self.out, self.index, self.shard_size = out, index, shard_size
        self.pending_dir = out / "pending"
        self.waiting: list[ShapeItem] = []

    def add(self, item: ShapeItem) -> None:
        self.waiting.append(item)
        if len(self.waiting) >= self.shard_size:
            self.flush()

    def fail(self, key: str, reason: str) -> None:
        self.index["failed"][key] = reason
        write_index(self.out, self.index)

    def flush(self) -> None:
        if not self.waiting:
            return
        items, self.waiting = self.waiting, []  # add() flushes at shard_size, so this is one shard
        samples = []
        for it in items:
            with np.load(cache_path(self.pending_dir, it), allow_pickle=False) as z:
                samples.append({k: z[k] for k in z.files})
        name = f"shard-{len(self.index['shards']):05d}"
        write_shard(self.out, name, samples)
        self.index["shards"].append(
            {
                "name": name,
                "keys": [it.key for it in items],
                "categories": [it.category for it in items],
                "captions": [it.caption for it in items],
            }
        )
        self.index["categories"] = sorted(set(self.index["categories"]) | {it.category for it in items})
        write_index(self.out, self.index)
        for it in items:
            cache_path(self.pending_dir, it).unlink()


def prepare_folder(
    root: str | Path,
    out: str | Path,
    workers: int = 1,
    shard_size: int = 512,
    spec: SampleSpec = SampleSpec(),
    progress: bool = True,
) -> dict:
    """Bring CACHE up to date with ROOT; returns counts and the failed files {key: reason}."""
    source, out = MeshFolderSource(root), Path(out)
    index = read_index(out)
    writer = ShardWriter(out, index, shard_size)
    writer.pending_dir.mkdir(parents=True, exist_ok=True)
    done = {key for shard in index["shards"] for key in shard["keys"]} | set(index["failed"])
    todo = [it for it in source.items if it.key not in done]
    ready = [it for it in todo if cache_path(writer.pending_dir, it).exists()]  # from an interrupted run
    compute = [it for it in todo if not cache_path(writer.pending_dir, it).exists()]
    by_key = {it.key: it for it in compute}
    failed_now = {}
    make = SampleMaker(source, spec)
    with tqdm(
        total=len(todo), initial=len(ready), desc=f"prepare {Path(root).name}", unit="shape", disable=not progress
    ) as bar:
        for it in ready:
            writer.add(it)
        for key, err in run_jobs(prepare_one, [(make, it, writer.pending_dir) for it in compute], workers):
            bar.update()
            if err:
                failed_now[key] = err
                writer.fail(key, err)
            else:
                writer.add(by_key[key])
    writer.flush()
    return {
        "shapes": sum(len(s["keys"]) for s in index["shards"]),
        "shards": len(index["shards"]),
        "new": len(todo) - len(failed_now),
        "skipped": len(done),
        "failed_now": failed_now,
        "failed_total": len(index["failed"]),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lost_engine.data.prepare", description=__doc__.split("\n\n")[0])
    p.add_argument("root", type=Path, help="mesh folder: ROOT/<category>/*.obj|off|ply|stl|glb")
    p.add_argument("--out", type=Path, required=True, help="the sharded cache folder")
    p.add_argument("--workers", type=int, default=max(1, (mp.cpu_count() or 2) - 1))
    p.add_argument("--shard-size", type=int, default=512)
    p.add_argument("--surface-points", type=int, default=SampleSpec.surface_points)
    p.add_argument("--queries", type=int, default=SampleSpec.queries)
    args = p.parse_args(argv)
    try:
        report = prepare_folder(
            args.root,
            args.out,
            args.workers,
            args.shard_size,
            SampleSpec(surface_points=args.surface_points, queries=args.queries),
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for key, reason in report["failed_now"].items():
        print(f"skipped bad file {reason}", file=sys.stderr)
    print(
        f"{report['shapes']} shapes in {report['shards']} shards at {args.out} ({report['new']} new, "
        f"{report['skipped']} already done or failed before, {len(report['failed_now'])} failed now, "
        f"{report['failed_total']} failed in all: see {args.out / 'index.json'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
