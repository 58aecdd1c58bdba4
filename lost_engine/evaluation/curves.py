"""Training curves from run folders' `log.jsonl` files (written by train.common.ProgressLog).

Several logs given in order are consecutive phases of one model (e.g. the VAE's joint phase, then
its decoder-only phase): each phase's steps continue where the one before ended. A resumed run
logs the steps between its last checkpoint and the stop twice; the later line wins.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def phase_label(log: Path) -> str:
    """A run folder's name, or the name of the folder holding a `log.jsonl`, or a saved log's stem."""
    log = Path(log)
    if log.is_dir():
        return log.name
    return log.parent.name if log.name == "log.jsonl" else log.stem


def read_log(path: Path, key: str) -> tuple[np.ndarray, np.ndarray]:
    """(steps (n,), values (n,)) of one log, sorted by step, one value per step (the last logged)."""
    path = Path(path)
    if path.is_dir():
        path = path / "log.jsonl"
    by_step, seen = {}, set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{number}: not a JSON line ({e.msg})") from None
        seen.update(entry)
        if key in entry:
            by_step[int(entry["step"])] = float(entry[key])
    if not by_step:
        keys = ", ".join(sorted(seen - {"step", "time"})) or "none"
        raise ValueError(f"{path}: no {key!r} logged (keys: {keys})")
    steps = np.array(sorted(by_step))
    return steps, np.array([by_step[s] for s in steps])


def chain_phases(logs: list[Path], key: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """One (steps, values) per phase, each phase's steps offset by the last step of the one before."""
    phases, offset = [], 0
    for log in logs:
        steps, values = read_log(log, key)
        phases.append((steps + offset, values))
        offset += int(steps[-1])
    return phases


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over up to `window` values (the first ones average what there is): same length."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    ends = np.arange(1, len(values) + 1)
    return (sums[ends] - sums[ends - counts]) / counts


def plot_curves(logs: list[Path], labels: list[str], key: str, window: int, path: Path) -> list[dict]:
    """PNG of `key` vs step, raw and smoothed, one colour per phase; returns per phase its label,
    first and last step, and the smoothed value at its start and end."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    summary = []
    for (steps, values), label in zip(chain_phases(logs, key), labels):
        smooth = moving_average(values, window)
        (line,) = ax.plot(steps, smooth, label=label)
        ax.plot(steps, values, color=line.get_color(), alpha=0.25, linewidth=0.8)
        summary.append(
            {
                "phase": label,
                "first_step": int(steps[0]),
                "last_step": int(steps[-1]),
                "start": float(smooth[min(window, len(smooth)) - 1]),
                "end": float(smooth[-1]),
            }
        )
    ax.set_xlabel("step")
    ax.set_ylabel(f"{key} (mean of {window} logged batches)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return summary
