"""The engine's worker process: serves the pipeline over stdin/stdout (lost_engine/protocol.py).

    python -m lost_engine.worker [--weights DIR] [--device auto|cpu|cuda] [--resolution N]

It loads the models once and stays warm. Requests run one at a time; a `cancel` request is read
while a job runs and stops it at the next sampler step. Operations (request fields -> result):
    hello                                   -> device, max_tokens, prefix_lengths
    generate  prompt, seed, guidance, temperature, steps, levels   -> handle, tokens, meshes
    variation handle, keep, seed, levels    -> a new handle (first `keep` tokens kept)
    encode    arrays vertices (V,3) f4, faces (F,3) i4, levels -> handle (meshes in the input's frame)
    decode    handle, levels, steps          -> meshes (served from the cache when seen before)
    cancel    target (a request id)
    shutdown
Each mesh comes back as arrays v<k> (V,3) f4 and f<k> (F,3) i4. Errors answer {"type": "error",
"message"} and the worker keeps serving. On a CUDA out-of-memory error the worker moves to the
CPU and retries once.
"""
from __future__ import annotations

import argparse
import queue
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .geometry import Normalization
from . import WEIGHTS
from .pipeline import Cancelled, Pipeline
from .protocol import read_message, write_message


@dataclass
class Held:
    """A token sequence the client can scrub: its prompt (None for encoded meshes), its seed and
    the normalisation that maps decodes back to the input mesh's frame (encoded meshes)."""
    tokens: torch.Tensor
    prompt: str | None
    seed: int
    normalization: Normalization | None = None


def _mesh_arrays(levels, normalization) -> dict:
    out = {}
    for k, level in levels.items():
        verts = normalization.undo(level.vertices) if normalization is not None else level.vertices
        out[f"v{k}"] = ("f4", verts.shape, np.ascontiguousarray(verts, np.float32).tobytes())
        out[f"f{k}"] = ("i4", level.faces.shape, np.ascontiguousarray(level.faces, np.int32).tobytes())
    return out


def _array(entry) -> np.ndarray:
    dtype, shape, raw = entry
    return np.frombuffer(raw, dtype={"f4": np.float32, "i4": np.int32, "i8": np.int64}[dtype]).reshape(shape)


class Worker:
    def __init__(self, pipe: Pipeline, out):
        self.pipe, self.out = pipe, out
        self.held: dict[int, Held] = {}
        self.cancelled: set[int] = set()
        self.current: int | None = None
        self._lock = threading.Lock()

    def send(self, header: dict, arrays: dict | None = None) -> None:
        with self._lock:
            write_message(self.out, header, arrays)

    # ---- operations ----------------------------------------------------------------------
    def op_hello(self, req, arrays):
        tc = self.pipe.tokenizer.config
        return {"device": str(self.pipe.device), "max_tokens": tc.registers, "prefix_lengths": tc.prefix_lengths,
                "can_generate": self.pipe.gpt is not None and self.pipe.text is not None}, {}

    def op_generate(self, req, arrays):
        seed = int(req.get("seed", 0))
        result = self.pipe.generate(req["prompt"], seed, float(req.get("guidance", 3.0)), float(req.get("temperature", 1.0)),
                                    req.get("gpt_steps"), progress=self._progress(req, 0.0, 0.5), cancel=self._cancel(req))
        return self._hold_and_decode(req, Held(result.tokens, req["prompt"], seed), 0.5, result.rewrites)

    def op_variation(self, req, arrays):
        base = self._held(req)
        keep, seed = int(req["keep"]), int(req.get("seed", 0))
        self.pipe.check_ks([keep])
        result = self.pipe.generate(base.prompt, seed, float(req.get("guidance", 3.0)), keep=base.tokens[:keep],
                                    progress=self._progress(req, 0.0, 0.5), cancel=self._cancel(req))
        return self._hold_and_decode(req, Held(result.tokens, base.prompt, seed), 0.5, result.rewrites)

    def op_encode(self, req, arrays):
        if "vertices" not in arrays or "faces" not in arrays:
            raise ValueError("encode needs the arrays 'vertices' and 'faces'")
        verts, faces = _array(arrays["vertices"]), _array(arrays["faces"]).astype(np.int64)
        if len(faces) and (faces.min() < 0 or faces.max() >= len(verts)):
            raise ValueError("face indices out of range")
        seed = int(req.get("seed", 0))
        tokens, norm = self.pipe.tokens_from_mesh(verts, faces, seed)
        return self._hold_and_decode(req, Held(tokens.cpu(), None, seed, norm), 0.1)

    def op_decode(self, req, arrays):
        held = self._held(req)
        levels = self.pipe.decode(held.tokens, req["levels"], req.get("steps"), held.seed,
                                  progress=self._progress(req, 0.0, 1.0), cancel=self._cancel(req))
        return {"handle": req["handle"], "levels": sorted(levels),
                "seconds": {k: lv.seconds for k, lv in levels.items()}}, _mesh_arrays(levels, held.normalization)

    def _hold_and_decode(self, req, held: Held, start: float, rewrites=()):
        handle = max(self.held, default=0) + 1
        levels = self.pipe.decode(held.tokens, req.get("levels") or [self.pipe.max_tokens], req.get("steps"), held.seed,
                                  progress=self._progress(req, start, 1.0), cancel=self._cancel(req))
        self.held[handle] = held
        tokens = held.tokens.float().numpy()
        arrays = {"tokens": ("f4", tokens.shape, tokens.tobytes()), **_mesh_arrays(levels, held.normalization)}
        return {"handle": handle, "levels": sorted(levels), "prompt": held.prompt, "rewrites": [list(r) for r in rewrites]}, arrays

    def _held(self, req) -> Held:
        if req.get("handle") not in self.held:
            raise ValueError(f"unknown result handle {req.get('handle')!r}")
        return self.held[req["handle"]]

    def _progress(self, req, lo: float, hi: float):
        return lambda f, message: self.send({"type": "progress", "id": req["id"], "fraction": lo + (hi - lo) * f,
                                             "message": message})

    def _cancel(self, req):
        return lambda: req["id"] in self.cancelled

    # ---- serving -------------------------------------------------------------------------
    def handle(self, req: dict, arrays: dict) -> None:
        op = getattr(self, f"op_{req.get('op')}", None)
        if op is None:
            self.send({"type": "error", "id": req.get("id"), "message": f"unknown operation {req.get('op')!r}"})
            return
        try:
            try:
                header, out = op(req, arrays)
            except torch.cuda.OutOfMemoryError:
                self.pipe.to_device("cpu")
                self.send({"type": "progress", "id": req["id"], "fraction": 0.0,
                           "message": "GPU out of memory: moved to the CPU and retrying"})
                header, out = op(req, arrays)
            self.send({"type": "result", "id": req["id"], **header}, out)
        except Cancelled:
            self.send({"type": "cancelled", "id": req["id"]})
        except (ValueError, KeyError, FileNotFoundError) as exc:
            self.send({"type": "error", "id": req["id"], "message": str(exc)})
        except Exception as exc:  # a bug must not take the worker (and the artist's session) down
            traceback.print_exc(file=sys.stderr)
            self.send({"type": "error", "id": req["id"], "message": f"{type(exc).__name__}: {exc}"})
        finally:
            self.cancelled.discard(req["id"])


def serve(worker: Worker, inp) -> None:
    """Read requests on a thread (so cancel arrives while a job runs); run jobs in order."""
    jobs: queue.Queue = queue.Queue()

    def reader():
        try:
            while True:
                req, arrays = read_message(inp)
                if req.get("op") == "cancel":
                    worker.cancelled.add(req.get("target"))
                else:
                    jobs.put((req, arrays))
                if req.get("op") == "shutdown":
                    return
        except (EOFError, OSError, ValueError):
            jobs.put(({"op": "shutdown"}, {}))

    threading.Thread(target=reader, daemon=True).start()
    while True:
        req, arrays = jobs.get()
        if req.get("op") == "shutdown":
            return
        worker.handle(req, arrays)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="LoST engine worker (binary protocol on stdin/stdout)")
    p.add_argument("--weights", type=Path, default=WEIGHTS)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--resolution", type=int, default=96)
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    args = p.parse_args(argv)
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # stray prints must never corrupt the protocol stream
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        pipe = Pipeline.load(args.weights, args.device, resolution=args.resolution)
    except (FileNotFoundError, ValueError) as exc:
        write_message(out, {"type": "error", "id": 0, "fatal": True, "message": f"cannot load the models: {exc}"})
        return 1
    worker = Worker(pipe, out)
    worker.send({"type": "ready", "id": 0, **worker.op_hello({}, {})[0]})
    serve(worker, inp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
