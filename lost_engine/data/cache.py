"""On-disk preprocessing cache: one .npz per shape, written atomically, computed once.

Bad shapes (unreadable, empty) are skipped with one warning naming them and listed in
`failed.txt`, so a long run never dies on one file and a second run does not retry them silently.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import warnings
from pathlib import Path

import numpy as np

from .samples import SampleSpec
from .sources import ShapeItem


def cache_path(root: Path, item: ShapeItem) -> Path:
    return root / f"{item.key}.npz"


def _limit_threads() -> None:
    import torch

    torch.set_num_threads(1)  # one process per core: no oversubscription


def prepare_one(args) -> tuple[str, str | None]:
    make, item, root = args
    path = cache_path(root, item)
    try:
        sample = make(item)
        bad = [k for k, v in sample.items() if not np.isfinite(v).all()]
        if bad:
            raise ValueError(f"non-finite values in {', '.join(bad)}")
    except Exception as exc:  # any bad input file must not end the run
        return item.key, f"{item.source}: {type(exc).__name__}: {exc}"
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")  # unique: several processes may share a cache
    np.savez(tmp, **sample)
    tmp.replace(path)
    return item.key, None


def run_jobs(fn, jobs: list, workers: int):
    """fn(job) for every job, in `workers` spawned processes of one torch thread each (results in
    completion order), or in this process when workers <= 1."""
    if workers > 1:
        with mp.get_context("spawn").Pool(workers, initializer=_limit_threads) as pool:
            yield from pool.imap_unordered(fn, jobs, chunksize=1)
    else:
        yield from map(fn, jobs)


class SampleMaker:
    """Picklable item -> training sample (surface points, normals, occupancy queries)."""

    def __init__(self, source, spec: SampleSpec):
        self.source, self.spec = source, spec

    def __call__(self, item: ShapeItem) -> dict[str, np.ndarray]:
        return self.source.sample(item, self.spec)


def prepare(
    source, root: str | Path, spec: SampleSpec = SampleSpec(), workers: int = 1, progress: bool = True, make=None
) -> list[ShapeItem]:
    """Make sure every item of `source` is cached under `root`; returns the usable items.

    `make(item) -> dict of arrays` computes one entry (default: a training sample by `spec`).
    Finished shapes are skipped, so an interrupted run resumes where it stopped.
    """
    make = make or SampleMaker(source, spec)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    failed_file = root / "failed.txt"
    known_bad = set(failed_file.read_text().splitlines()) if failed_file.exists() else set()
    todo = [it for it in source.items if not cache_path(root, it).exists() and it.key not in known_bad]
    failures = []
    if todo:
        jobs = [(make, it, root) for it in todo]
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc=f"preprocess {root.name}", unit="shape", disable=not progress)
        for key, err in run_jobs(prepare_one, jobs, workers):
            bar.update()
            if err:
                failures.append((key, err))
        bar.close()
    for key, err in failures:
        warnings.warn(f"skipped bad shape {err}", stacklevel=2)
    if failures:
        with open(failed_file, "a") as f:
            f.writelines(f"{key}\n" for key, _ in failures)
    bad = known_bad | {k for k, _ in failures}
    return [it for it in source.items if it.key not in bad]


def load_arrays(root: str | Path, items: list[ShapeItem]) -> dict[str, np.ndarray]:
    """Stack the cached samples of `items` into arrays with a leading shape axis (N, ...)."""
    root = Path(root)
    per_item = []
    for it in items:
        with np.load(cache_path(root, it), allow_pickle=False) as z:
            per_item.append({k: z[k] for k in z.files})
    return {k: np.stack([s[k] for s in per_item]) for k in per_item[0]}
