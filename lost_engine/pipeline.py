"""The generation pipeline: prompt -> tokens -> prefix decodes -> triplane -> mesh.

    pipe = Pipeline.load()                                # the embedded default model
    result = pipe.generate("a wooden chair", seed=0)      # tokens (K, D)
    levels = pipe.decode(result.tokens, [1, 2, 4, 32])    # {k: Level(vertices, faces)}

Every decode is cleaned (`cleanup`, geometry.MeshCleanup): loose parts under 1% of its surface area
are removed, and smoothing and a face budget apply when set. Decoded levels
are cached per (tokens, k, steps, seed, resolution): scrubbing back to a level
already seen costs nothing. All requested prefix lengths that are not cached are decoded in one
batch. `progress(fraction, message)` is called as work proceeds; `cancel()` returning True stops
the job at the next step with `Cancelled`.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from . import WEIGHTS
from .data.procedural import CATEGORIES, named_category, typical_size_m
from .geometry import MeshCleanup, Normalization, normalize_mesh, sample_surface
from .lexicon import Lexicon

ROLES = ("vae", "tokenizer", "gpt", "text")
LEXICON_FILE = "tiny_lexicon.json"  # optional: prompt nouns the text encoder never saw -> known ones


def model_name(weights: Path) -> str:
    """The model a folder holds, named by its files' prefix (<name>_vae.safetensors, as train.all
    writes them): "tiny" (the embedded one) when present, else the folder's only model."""
    names = sorted(p.name.removesuffix("_vae.safetensors") for p in Path(weights).glob("*_vae.safetensors"))
    if "tiny" in names or not names:
        return "tiny"
    if len(names) > 1:
        raise ValueError(f"{weights} holds several models ({', '.join(names)}): keep one per folder")
    return names[0]


Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


class OutsideWorld(ValueError):
    """The prompt is about something the model cannot make ("a fierce dragon"): nothing is generated,
    and the message says what it does not know, what it makes and what is nearest."""


class Cancelled(Exception):
    """The caller's cancel flag was raised; nothing half-done is returned."""


@dataclass
class Generation:
    prompt: str
    tokens: torch.Tensor  # (K, D) on the CPU
    seed: int
    seconds: float
    read_as: str = ""  # the text the text encoder read: the prompt after the lexicon
    rewrites: tuple[tuple[str, str], ...] = ()  # (prompt word, the known word read instead)
    category: str | None = None  # the thing the read text names (None: nothing the model makes)
    warnings: tuple[str, ...] = ()  # what the person should know: words not understood, text not read

    @property
    def size_m(self) -> float | None:
        """The typical real-world size (largest dimension, metres) of what the prompt names."""
        return typical_size_m(self.category, self.read_as or self.prompt)


@dataclass
class Level:
    k: int
    vertices: np.ndarray  # (V, 3) float32, in the unit cube of the latent
    faces: np.ndarray  # (F, 3) int64
    seconds: float  # decode + meshing time of this level (0 when served from the cache)


def pick_device(device: str = "auto") -> torch.device:
    """auto: CUDA when present, else CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but no CUDA device is available")
    return torch.device(device)


def tokens_key(tokens: torch.Tensor) -> str:
    return hashlib.sha1(tokens.detach().float().cpu().numpy().tobytes()).hexdigest()


def model_categories(lexicon: Lexicon | None) -> tuple[str, ...]:
    """What a model makes: the categories of the world it learned (its lexicon names them), else
    this world's."""
    return tuple(lexicon.categories) if lexicon is not None and lexicon.categories else CATEGORIES


def read_prompt(text_encoder, lexicon: Lexicon | None, text: str) -> tuple[str | None, tuple[str, ...]]:
    """(the category a prompt read through the lexicon (`text`) names, warnings about the reading).
    Categories are known for the procedural-world models (those shipped with a prompt lexicon) only.
    Raises OutsideWorld when the prompt is about things the model cannot make (the lexicon's `outside`)."""
    notes = []
    if dropped := text_encoder.dropped_text(text):
        notes.append(
            f"the prompt is longer than the text encoder reads ({text_encoder.config.context_length} "
            f'tokens); not read: "{dropped[:80]}{"…" if len(dropped) > 80 else ""}"'
        )
    if lexicon is None:
        return None, tuple(notes)
    category = named_category(text, lexicon.categories or None)
    makes = f"it makes: {', '.join(c.replace('_', ' ') for c in model_categories(lexicon))}"
    if category is None and (outside := lexicon.outside(text)):
        nearest = sorted({near for _, near in outside if near})
        raise OutsideWorld(
            f"this model does not know {', '.join(repr(w) for w, _ in outside)}; {makes}"
            + (f"; nearest: {', '.join(nearest)}" if nearest else "")
        )
    if category is None:
        notes.append(f"the prompt names nothing this model makes by name, so it follows the words alone; {makes}")
    return category, tuple(notes)


class Pipeline:
    def __init__(
        self,
        vae,
        tokenizer,
        gpt=None,
        text=None,
        device: str = "auto",
        resolution: int = 96,
        steps: int | None = None,
        cache_size: int = 256,
        sparse_grid: bool = True,
        lexicon: Lexicon | None = None,
        cleanup: MeshCleanup = MeshCleanup(),
    ):
        self.vae, self.tokenizer, self.gpt, self.text = vae.eval(), tokenizer.eval(), gpt, text
        self.lexicon = lexicon
        self.to_device(device)
        self.resolution, self.steps = resolution, steps or tokenizer.config.sample_steps
        self.sparse_grid = sparse_grid  # coarse-to-fine field evaluation before marching cubes
        self.cleanup = cleanup  # applied to every decoded mesh
        self._cache: OrderedDict[tuple, Level] = OrderedDict()
        self.cache_size = cache_size

    def to_device(self, device: str) -> None:
        """Move every model (e.g. to the CPU after a GPU ran out of memory)."""
        self.device = pick_device(device)
        for model in (self.vae, self.tokenizer, self.gpt, self.text):
            if model is not None:
                model.eval().to(self.device)

    @classmethod
    def load(cls, weights: Path = WEIGHTS, device: str = "auto", **options) -> "Pipeline":
        """Build from a folder of model files (default: the embedded ones). Files missing for
        text generation (gpt, text) leave generate() unavailable; vae and tokenizer are required."""
        from .checkpoint import load_model

        name = model_name(weights)
        files = {role: Path(weights) / f"{name}_{role}.safetensors" for role in ROLES}
        models = {role: load_model(files[role]) for role in ("vae", "tokenizer")}
        for role in ("gpt", "text"):
            models[role] = load_model(files[role]) if files[role].exists() else None
        lexicon = Path(weights) / f"{name}_lexicon.json"
        options.setdefault(
            "lexicon", Lexicon.load(lexicon) if lexicon.exists() and models["text"] is not None else None
        )
        return cls(models["vae"], models["tokenizer"], models["gpt"], models["text"], device, **options)

    @property
    def max_tokens(self) -> int:
        return self.tokenizer.config.registers

    def check_ks(self, ks: list[int]) -> list[int]:
        ks = sorted(set(int(k) for k in ks))
        if not ks or ks[0] < 1 or ks[-1] > self.max_tokens:
            raise ValueError(f"token counts must lie in 1..{self.max_tokens}, got {ks}")
        return ks

    # ---- text -> tokens ----------------------------------------------------------------------
    @torch.no_grad()
    def generate(
        self,
        prompt: str,
        seed: int = 0,
        guidance: float = 3.0,
        temperature: float = 1.0,
        steps: int | None = None,
        keep: torch.Tensor | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Generation:
        """Prompt -> a token sequence (K, D). `keep` (k, D): the first k tokens are kept and the
        rest resampled ("variations"). `steps`: the GPT diffusion head's sampler steps."""
        if self.gpt is None or self.text is None:
            raise FileNotFoundError(
                "text-to-shape generation needs the gpt and text model files (<name>_gpt.safetensors, "
                "<name>_text.safetensors)"
            )
        start = time.perf_counter()
        text, rewrites = self.lexicon.rewrite(prompt) if self.lexicon is not None else (prompt, [])
        with warnings.catch_warnings():  # a truncated prompt is reported in the Generation instead
            warnings.simplefilter("ignore", UserWarning)
            cond = self.text.encode([text])  # raises ValueError on an empty prompt
        category, notes = read_prompt(self.text, self.lexicon, text)  # raises OutsideWorld

        def on_token(i, n):
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None:
                progress(i / n, f"token {i}/{n}")

        prefix = keep.to(self.device)[None] if keep is not None else None
        with self._precision():
            tokens = self.gpt.generate(cond, guidance, temperature, seed, prefix, steps, on_token=on_token)
        return Generation(
            prompt, tokens[0].float().cpu(), seed, time.perf_counter() - start, text, tuple(rewrites), category, notes
        )

    @property
    def categories(self) -> tuple[str, ...]:
        return model_categories(self.lexicon)

    def variation(self, result: Generation, keep: int, seed: int, **options) -> Generation:
        """Keep the first `keep` tokens of a result and resample the rest with another seed."""
        self.check_ks([keep])
        return self.generate(result.prompt, seed, keep=result.tokens[:keep], **options)

    # ---- mesh in ---------------------------------------------------------------------------
    @torch.no_grad()
    def tokens_from_mesh(
        self, vertices: np.ndarray, faces: np.ndarray, seed: int = 0
    ) -> tuple[torch.Tensor, Normalization]:
        """Any mesh -> (tokens (K, D), the normalisation that maps it into the unit cube)."""
        if len(faces) == 0:
            raise ValueError("the mesh has no faces")
        unit, norm = normalize_mesh(np.asarray(vertices, np.float32))
        points, normals = sample_surface(unit, np.asarray(faces, np.int64), 2048, np.random.default_rng(seed))
        as_t = lambda a: torch.from_numpy(np.ascontiguousarray(a, np.float32))[None].to(self.device)  # noqa: E731
        latent = self.vae.encode(as_t(points), as_t(normals)).mean
        return self.tokenizer.encode(latent)[0], norm

    # ---- tokens -> meshes --------------------------------------------------------------------
    @torch.no_grad()
    def decode(
        self,
        tokens: torch.Tensor,
        ks: list[int],
        steps: int | None = None,
        seed: int = 0,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> dict[int, Level]:
        """Meshes of the prefixes `ks` of one token sequence (K, D); uncached ones in one batch."""
        ks, steps = self.check_ks(ks), steps or self.steps
        key = (tokens_key(tokens), steps, seed, self.resolution, self.cleanup)
        out = {k: self._cache_get(key + (k,)) for k in ks}
        todo = [k for k, level in out.items() if level is None]
        if todo:
            report = progress or (lambda f, m: None)
            check = lambda: cancel is not None and cancel()  # noqa: E731

            def on_step(i, n):
                if check():
                    raise Cancelled()
                report(0.6 * i / n, f"decoding {len(todo)} level(s): step {i}/{n}")

            start = time.perf_counter()
            with self._precision():
                latents = self.tokenizer.decode_prefixes(tokens.to(self.device), todo, steps, seed, on_step)
                planes = self.vae.decode(latents)
            per_level = (time.perf_counter() - start) / len(todo)
            for i, k in enumerate(todo):
                if check():
                    raise Cancelled()
                t0 = time.perf_counter()
                mesh = self.vae.planes_to_mesh(planes[i].float(), self.resolution, self.sparse_grid)
                verts, faces = self.cleanup(*mesh)
                out[k] = Level(k, verts, faces, per_level + time.perf_counter() - t0)
                self._cache_put(key + (k,), out[k])
                report(0.6 + 0.4 * (i + 1) / len(todo), f"meshed {k} token(s)")
        return out

    def _precision(self):
        if self.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
        return torch.autocast("cpu", enabled=False)

    def _cache_get(self, key: tuple) -> Level | None:
        level = self._cache.get(key)
        if level is None:
            return None
        self._cache.move_to_end(key)
        return Level(level.k, level.vertices, level.faces, 0.0)

    def _cache_put(self, key: tuple, level: Level) -> None:
        self._cache[key] = level
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
