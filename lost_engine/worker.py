"""The engine's worker process: serves the pipeline over stdin/stdout (lost_engine/protocol.py).

    python -m lost_engine.worker [--weights DIR] [--device auto|cpu|cuda] [--resolution N] [--smooth N] [--max-faces N]

It loads the models once (saying so with a progress message of request 0) and stays warm.
Requests run one at a time; a `cancel` request is read while a job runs and stops it at the next
sampler step. The worker holds no results: every request that needs a token sequence carries it
(array `tokens`, (K, D) f4), and decodes are cached by the pipeline per token sequence, so a
restarted worker serves a client's held tokens as before. Operations (request fields -> result):
    hello                                                  -> device, max_tokens, prefix_lengths
    generate  prompt, seed, guidance, temperature, gpt_steps, steps, levels, placement
                                                           -> tokens, meshes, read_as, rewrites, warnings,
                                                              category, size_m
    variation tokens, prompt, keep, seed, guidance, temperature, gpt_steps, steps, levels, placement
                                                           -> the same (the first `keep` tokens kept)
    encode    vertices (V,3) f4, faces (F,3) i4, levels, steps, placement
                                                           -> tokens, normalization, meshes in the input's frame
    decode    tokens, seed, levels, steps, placement       -> meshes
    cancel    target (a request id)
    shutdown
`placement` (optional): {"z_up": bool, "size_m": metres, "normalization": {"center", "scale"}}, see
lost_engine.geometry.Placement. Each mesh comes back as arrays v<k> (V,3) f4 and f<k> (F,3) i4.
Errors answer {"type": "error", "message"} and the worker keeps serving. On a CUDA out-of-memory
error the worker moves to the CPU and retries once.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import traceback

import numpy as np
import torch

from . import WEIGHTS
from .data.procedural import FIT_MARGIN
from .geometry import MeshCleanup, Normalization, Placement
from .pipeline import Cancelled, Generation, Pipeline
from .protocol import Op, read_message, write_message

NUMPY_DTYPE = {"f4": np.float32, "i4": np.int32, "i8": np.int64}


def _array(entry) -> np.ndarray:
    dtype, shape, raw = entry
    return np.frombuffer(raw, dtype=NUMPY_DTYPE[dtype]).reshape(shape)


def _wire(a: np.ndarray, dtype: str) -> tuple[str, tuple, bytes]:
    a = np.ascontiguousarray(a, NUMPY_DTYPE[dtype])
    return dtype, a.shape, a.tobytes()


def placement_of(req: dict) -> Placement:
    spec = req.get("placement") or {}
    norm = spec.get("normalization")
    size = spec.get("size_m")
    return Placement(
        z_up=bool(spec.get("z_up")),
        size_m=float(size) if size else None,
        model_extent=2 * FIT_MARGIN,
        normalization=Normalization(np.asarray(norm["center"], np.float64), float(norm["scale"])) if norm else None,
    )


def _mesh_arrays(levels, placement: Placement) -> dict:
    out = {}
    for k, level in levels.items():
        out[f"v{k}"] = _wire(placement.apply(level.vertices), "f4")
        out[f"f{k}"] = _wire(level.faces, "i4")
    return out


def _generation_header(result: Generation, size_m: float | None) -> dict:
    return {
        "prompt": result.prompt,
        "seed": result.seed,
        "read_as": result.read_as,
        "rewrites": [list(r) for r in result.rewrites],
        "warnings": list(result.warnings),
        "category": result.category,
        "size_m": size_m,
    }


class Worker:
    def __init__(self, pipe: Pipeline, out):
        self.pipe, self.out = pipe, out
        self.cancelled: set[int] = set()
        self._lock = threading.Lock()

    def send(self, header: dict, arrays: dict | None = None) -> None:
        with self._lock:
            write_message(self.out, header, arrays)

    # ---- operations ----------------------------------------------------------------------
    def op_hello(self, req, arrays):
        tc = self.pipe.tokenizer.config
        return {
            "device": str(self.pipe.device),
            "max_tokens": tc.registers,
            "prefix_lengths": tc.prefix_lengths,
            "token_dim": tc.token_dim,
            "can_generate": self.pipe.gpt is not None and self.pipe.text is not None,
        }, {}

    def op_generate(self, req, arrays):
        result = self.pipe.generate(
            req["prompt"],
            int(req.get("seed", 0)),
            float(req.get("guidance", 3.0)),
            float(req.get("temperature", 1.0)),
            req.get("gpt_steps"),
            progress=self._progress(req, 0.0, 0.5),
            cancel=self._cancel(req),
        )
        return self._new_result(req, result)

    def op_variation(self, req, arrays):
        if not req.get("prompt"):
            raise ValueError("variations continue a prompt: an encoded mesh has none (generate from a prompt first)")
        base = Generation(req["prompt"], self._tokens(arrays), int(req.get("base_seed", 0)), 0.0)
        result = self.pipe.variation(
            base,
            int(req["keep"]),
            int(req.get("seed", 0)),
            guidance=float(req.get("guidance", 3.0)),
            temperature=float(req.get("temperature", 1.0)),
            steps=req.get("gpt_steps"),
            progress=self._progress(req, 0.0, 0.5),
            cancel=self._cancel(req),
        )
        return self._new_result(req, result)

    def _new_result(self, req, result: Generation):
        placement = placement_of(req)
        if placement.z_up and placement.size_m is None:  # the client asks for the real-world size
            placement.size_m = result.size_m or 1.0
        header, meshes = self._decode(req, result.tokens, result.seed, placement, 0.5)
        header.update(_generation_header(result, placement.size_m))
        return header, {"tokens": _wire(result.tokens.float().numpy(), "f4"), **meshes}

    def op_encode(self, req, arrays):
        if "vertices" not in arrays or "faces" not in arrays:
            raise ValueError("encode needs the arrays 'vertices' and 'faces'")
        verts, faces = _array(arrays["vertices"]), _array(arrays["faces"]).astype(np.int64)
        if len(faces) and (faces.min() < 0 or faces.max() >= len(verts)):
            raise ValueError("face indices out of range")
        placement = placement_of(req)
        seed = int(req.get("seed", 0))
        tokens, norm = self.pipe.tokens_from_mesh(placement.to_input_frame(verts), faces, seed)
        placement.normalization = norm
        header, meshes = self._decode(req, tokens.cpu(), seed, placement, 0.1)
        header["normalization"] = {"center": [float(c) for c in norm.center], "scale": float(norm.scale)}
        return header, {"tokens": _wire(tokens.float().cpu().numpy(), "f4"), **meshes}

    def op_decode(self, req, arrays):
        return self._decode(req, self._tokens(arrays), int(req.get("seed", 0)), placement_of(req), 0.0)

    def _decode(self, req, tokens: torch.Tensor, seed: int, placement: Placement, start: float):
        levels = self.pipe.decode(
            tokens,
            req.get("levels") or [self.pipe.max_tokens],
            req.get("steps"),
            seed,
            progress=self._progress(req, start, 1.0),
            cancel=self._cancel(req),
        )
        return {"levels": sorted(levels), "seconds": {k: lv.seconds for k, lv in levels.items()}}, _mesh_arrays(
            levels, placement
        )

    def _tokens(self, arrays) -> torch.Tensor:
        if "tokens" not in arrays:
            raise ValueError("this request needs the array 'tokens' (K, D)")
        tokens = torch.from_numpy(_array(arrays["tokens"]).astype(np.float32))
        tc = self.pipe.tokenizer.config
        if tokens.ndim != 2 or tokens.shape[1] != tc.token_dim or not 1 <= tokens.shape[0] <= tc.registers:
            raise ValueError(
                f"tokens of shape {tuple(tokens.shape)} do not fit this model "
                f"(up to {tc.registers} tokens of {tc.token_dim} values)"
            )
        return tokens

    def _progress(self, req, lo: float, hi: float):
        return lambda f, message: self.send(
            {"type": "progress", "id": req["id"], "fraction": lo + (hi - lo) * f, "message": message}
        )

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
                self.send(
                    {
                        "type": "progress",
                        "id": req["id"],
                        "fraction": 0.0,
                        "message": "GPU out of memory: moved to the CPU and retrying",
                    }
                )
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
                if req.get("op") == Op.CANCEL:
                    worker.cancelled.add(req.get("target"))
                else:
                    jobs.put((req, arrays))
                if req.get("op") == Op.SHUTDOWN:
                    return
        except (EOFError, OSError, ValueError):
            jobs.put(({"op": Op.SHUTDOWN}, {}))

    threading.Thread(target=reader, daemon=True).start()
    while True:
        req, arrays = jobs.get()
        if req.get("op") == Op.SHUTDOWN:
            return
        worker.handle(req, arrays)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="LoST engine worker (binary protocol on stdin/stdout)")
    p.add_argument("--weights", default=str(WEIGHTS))
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--resolution", type=int, default=96)
    p.add_argument("--smooth", type=int, default=0, help="Taubin smoothing passes on every mesh (0: none)")
    p.add_argument("--max-faces", type=int, default=0, help="decimate every mesh to this many faces (0: no budget)")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    args = p.parse_args(argv)
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # stray prints must never corrupt the protocol stream
    if args.threads:
        torch.set_num_threads(args.threads)
    write_message(out, {"type": "progress", "id": 0, "fraction": 0.0, "message": "loading models"})
    try:
        cleanup = MeshCleanup(smooth_iterations=args.smooth, max_faces=args.max_faces)
        pipe = Pipeline.load(args.weights, args.device, resolution=args.resolution, cleanup=cleanup)
    except (FileNotFoundError, ValueError) as exc:
        write_message(out, {"type": "error", "id": 0, "fatal": True, "message": f"cannot load the models: {exc}"})
        return 1
    worker = Worker(pipe, out)
    worker.send({"type": "ready", "id": 0, **worker.op_hello({}, {})[0]})
    serve(worker, inp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
