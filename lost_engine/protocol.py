"""The worker protocol: length-prefixed binary messages over a pipe, and the client that talks to
a `python -m lost_engine.worker` subprocess. Standard library only, so that Blender's Python
(which has neither numpy nor torch) can use it.

A message is a JSON header plus raw arrays:
    u32 big-endian header length | header JSON (utf-8) | array bytes, in header["arrays"] order
header["arrays"] = [{"name": str, "dtype": "f4" | "i4" | "i8", "shape": [..]}, ...]

Requests carry {"op": ..., "id": n} with `op` one of `Op`'s names; the worker answers with
messages of "type" progress, result, error or cancelled, echoing the request id (see
lost_engine/worker.py). Token sequences travel with every request that needs them (array
"tokens", (K, D) f4), so a restarted worker serves the same results without any state.
"""

from __future__ import annotations

import json
import os
import queue
import struct
import subprocess
import threading
import time
from array import array
from typing import BinaryIO

ITEM_SIZE = {"f4": 4, "i4": 4, "i8": 8}
ARRAY_CODE = {"f4": "f", "i4": "i", "i8": "q"}  # Python array typecodes (native little-endian here)


class Op:
    """The worker's operations (request "op" values), shared by the add-on, batch.py and the worker."""

    HELLO = "hello"
    GENERATE = "generate"
    VARIATION = "variation"
    ENCODE = "encode"
    DECODE = "decode"
    CANCEL = "cancel"
    SHUTDOWN = "shutdown"
    NEW_RESULT = (GENERATE, VARIATION, ENCODE)  # answered with a new token sequence


class WorkerError(RuntimeError):
    """The worker process is missing, crashed, or could not start."""


def write_message(stream: BinaryIO, header: dict, arrays: dict[str, tuple[str, tuple, bytes]] | None = None) -> None:
    """arrays: {name: (dtype, shape, raw bytes)}."""
    arrays = arrays or {}
    header = {**header, "arrays": [{"name": n, "dtype": d, "shape": list(s)} for n, (d, s, _) in arrays.items()]}
    head = json.dumps(header).encode()
    stream.write(struct.pack(">I", len(head)) + head)
    for _, _, raw in arrays.values():
        stream.write(raw)
    stream.flush()


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) < n:
        raise EOFError("stream closed")
    return data


def read_message(stream: BinaryIO) -> tuple[dict, dict[str, tuple[str, tuple, bytes]]]:
    (size,) = struct.unpack(">I", _read_exact(stream, 4))
    header = json.loads(_read_exact(stream, size))
    arrays = {}
    for spec in header.pop("arrays", []):
        count = 1
        for dim in spec["shape"]:
            count *= dim
        arrays[spec["name"]] = (
            spec["dtype"],
            tuple(spec["shape"]),
            _read_exact(stream, count * ITEM_SIZE[spec["dtype"]]),
        )
    return header, arrays


def as_array(entry: tuple[str, tuple, bytes]) -> array:
    """A received array as a flat Python array (what Blender's foreach_set takes)."""
    dtype, _, raw = entry
    out = array(ARRAY_CODE[dtype])
    out.frombytes(raw)
    return out


FINAL_TYPES = ("ready", "result", "error", "cancelled")


class WorkerClient:
    """Starts the worker and exchanges messages with it without ever blocking the caller:
    `send` writes a request, `poll` returns the messages that arrived since the last call."""

    def __init__(self, python: str, engine_root: str, args: list[str] | None = None):
        env = {**os.environ, "PYTHONPATH": engine_root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        try:
            self.process = subprocess.Popen(
                [python, "-m", "lost_engine.worker", *(args or [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=engine_root,
                env=env,
            )
        except OSError as exc:
            raise WorkerError(f"cannot start the worker with {python!r}: {exc}") from exc
        self._inbox: queue.Queue = queue.Queue()
        self._stderr: list[str] = []
        self._next_id = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._stderr_loop, daemon=True).start()

    def _read_loop(self) -> None:
        try:
            while True:
                self._inbox.put(read_message(self.process.stdout))
        except (EOFError, OSError, ValueError):
            self._inbox.put(({"type": "exit"}, {}))

    def _stderr_loop(self) -> None:
        for line in iter(self.process.stderr.readline, b""):
            self._stderr.append(line.decode(errors="replace").rstrip())
            del self._stderr[:-50]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def last_error_lines(self, n: int = 8) -> str:
        return "\n".join(self._stderr[-n:])

    def send(self, op: str, arrays: dict | None = None, **fields) -> int:
        if not self.alive:
            raise WorkerError(
                f"the worker has stopped (exit code {self.process.returncode}): {self.last_error_lines(3)}"
            )
        with self._lock:
            self._next_id += 1
            request_id = self._next_id
            try:
                write_message(self.process.stdin, {"op": op, "id": request_id, **fields}, arrays)
            except (BrokenPipeError, OSError) as exc:
                raise WorkerError(f"the worker stopped while sending {op!r}: {exc}") from exc
        return request_id

    def poll(self) -> list[tuple[dict, dict]]:
        out = []
        while True:
            try:
                out.append(self._inbox.get_nowait())
            except queue.Empty:
                return out

    def wait(self, request_id: int, timeout: float = 600.0, on_message=None) -> tuple[dict, dict]:
        """Block until the final answer to `request_id` (scripts, tests): result, error or cancelled;
        request 0 is the start-up, answered by ready (or a fatal error)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                header, arrays = self._inbox.get(timeout=0.05)
            except queue.Empty:
                continue
            if header.get("type") == "exit":
                raise WorkerError(f"the worker exited: {self.last_error_lines()}")
            if on_message is not None:
                on_message(header, arrays)
            if header.get("id") == request_id and header.get("type") in FINAL_TYPES:
                return header, arrays
        raise WorkerError(f"no answer to request {request_id} within {timeout:.0f} s")

    def stop(self, timeout: float = 5.0) -> None:
        if self.alive:
            try:
                self.send(Op.SHUTDOWN)
                self.process.wait(timeout)
            except (WorkerError, subprocess.TimeoutExpired):
                self.process.kill()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass
