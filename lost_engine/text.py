"""Text conditioning: an OpenCLIP text tower (open_clip_torch), or a trained head over a frozen
pretrained sentence encoder, behind one interface.

    encoder = load_text_encoder(path)           # a project model file (the tiny default)
    emb = encoder.encode(["a wooden chair"])    # (1, embed_dim), unit norm

`TextEncoder`: `tiny` is a small open_clip text tower trained by `train/text.py` against the RIDA
student's global shape embeddings; `paper` is OpenCLIP ViT-B-32's text tower, whose pretrained
weights load from a local open_clip checkpoint (`TextEncoder.from_openclip_file`); both read
open_clip's BPE tokens. `ProjectedTextEncoder` (`train.text --backbone`): all-MiniLM-L6-v2
(`sentence_encoder.py`) reads the prompt and a two-layer head trained here projects its sentence
features into the same condition space; only the head is in its model file. Prompts longer than
the context are truncated with a warning; empty prompts are an error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import torch
import torch.nn.functional as F
from open_clip.tokenizer import SimpleTokenizer
from open_clip.transformer import TextTransformer
from torch import nn

from .checkpoint import CheckpointError, register
from .presets import Presets


@dataclass
class TextEncoderConfig(Presets):
    context_length: int = 32
    vocab_size: int = 49408
    width: int = 64
    heads: int = 2
    layers: int = 2
    embed_dim: int = 192  # = the RIDA student's global embedding size for the tiny model

    # paper: OpenCLIP ViT-B-32 text tower
    PRESETS: ClassVar[dict[str, dict]] = {
        "small": dict(layers=4),
        "paper": dict(context_length=77, width=512, heads=8, layers=12, embed_dim=512),
    }


def check_prompts(prompts: list[str], dropped_text, context_length: int) -> None:
    """Raise on an empty prompt; warn with the words past the context (`dropped_text(prompt)`)."""
    for prompt in prompts:
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError('empty prompt: describe a shape, e.g. "a wooden chair"')
        if dropped := dropped_text(prompt):
            warnings.warn(
                f"prompt truncated to the text encoder's context of {context_length} tokens; "
                f"not read: {dropped[:60]!r}…",
                stacklevel=4,
            )


class TextEncoder(nn.Module):
    kind = "text_encoder"

    def __init__(self, config: TextEncoderConfig):
        super().__init__()
        self.config = c = config
        self.tower = TextTransformer(
            context_length=c.context_length,
            vocab_size=c.vocab_size,
            width=c.width,
            heads=c.heads,
            layers=c.layers,
            output_dim=c.embed_dim,
        )
        self.tokenizer = SimpleTokenizer(context_length=c.context_length)

    def dropped_text(self, prompt: str) -> str:
        """The end of `prompt` that lies past the encoder's context and is never read ("" if none)."""
        ids = self.tokenizer.encode(prompt)
        room = self.config.context_length - 2  # start and end tokens
        return self.tokenizer.decode(ids[room:]).strip() if len(ids) > room else ""

    def tokenize(self, prompts: list[str]) -> torch.Tensor:
        """Prompts -> token ids (B, context_length); empty prompts raise, long ones are truncated."""
        check_prompts(prompts, self.dropped_text, self.config.context_length)
        return self.tokenizer(prompts)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Token ids (B, L) -> unit-norm embeddings (B, embed_dim)."""
        return F.normalize(self.tower(ids), dim=-1)

    @torch.no_grad()
    def encode(self, prompts: list[str]) -> torch.Tensor:
        device = self.tower.token_embedding.weight.device
        return self(self.tokenize(list(prompts)).to(device))

    @classmethod
    def from_openclip_file(cls, path: str | Path, config: TextEncoderConfig | None = None) -> "TextEncoder":
        """The text tower of a pretrained OpenCLIP checkpoint (safetensors or a torch state dict
        read with weights_only=True), e.g. ViT-B-32's `open_clip_pytorch_model.bin`."""
        from .teachers.weights import read_state_dict

        model = cls(config or TextEncoderConfig.preset("paper"))
        state = read_state_dict(path, "OpenCLIP weights")
        names = set(model.tower.state_dict())
        text_state = {k: v for k, v in state.items() if k in names}
        missing = names - set(text_state)
        if missing:
            raise CheckpointError(
                f"{path}: not an OpenCLIP checkpoint with this text tower (missing {sorted(missing)[:3]}…)"
            )
        try:
            model.tower.load_state_dict(text_state)
        except RuntimeError as exc:
            raise CheckpointError(f"{path}: text tower shapes do not match the config: {exc}") from exc
        return model.eval()


@dataclass
class ProjectedTextConfig(Presets):
    backbone: str = "all-MiniLM-L6-v2"  # a name of sentence_encoder.PACKAGED, or a model folder
    backbone_dim: int = 384
    hidden: int = 512
    embed_dim: int = 192  # = the RIDA student's global embedding size for the tiny model
    context_length: int = 256  # word pieces the backbone reads

    PRESETS: ClassVar[dict[str, dict]] = {"small": {}}


class ProjectedTextEncoder(nn.Module):
    """A frozen pretrained sentence encoder (`sentence_encoder`) and a trained two-layer head that
    projects its sentence features into the model's condition space. Only the head is in the
    model file; the backbone's weights come from its package."""

    kind = "projected_text_encoder"

    def __init__(self, config: ProjectedTextConfig):
        super().__init__()
        self.config = c = config
        self.head = nn.Sequential(nn.Linear(c.backbone_dim, c.hidden), nn.GELU(), nn.Linear(c.hidden, c.embed_dim))

    @property
    def backbone(self):
        from .sentence_encoder import sentence_backbone

        backbone = sentence_backbone(self.config.backbone, self.config.context_length)
        if backbone.dim != self.config.backbone_dim:
            raise CheckpointError(
                f"sentence encoder {self.config.backbone!r} gives {backbone.dim}-d features; "
                f"this head reads {self.config.backbone_dim}-d"
            )
        return backbone

    def dropped_text(self, prompt: str) -> str:
        return self.backbone.dropped_text(prompt)

    def features(self, prompts: list[str]) -> torch.Tensor:
        """Prompts -> the backbone's sentence features (B, backbone_dim); empty prompts raise."""
        backbone = self.backbone
        check_prompts(prompts, backbone.dropped_text, backbone.max_length)
        return backbone.embed(list(prompts))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Sentence features (B, backbone_dim) -> unit-norm embeddings (B, embed_dim)."""
        return F.normalize(self.head(features), dim=-1)

    @torch.no_grad()
    def encode(self, prompts: list[str]) -> torch.Tensor:
        return self(self.features(prompts).to(self.head[0].weight.device))


TEXT_ENCODERS = (TextEncoder, ProjectedTextEncoder)


def load_text_encoder(path: str | Path) -> TextEncoder | ProjectedTextEncoder:
    """A project text-encoder model file (safetensors with config metadata), of either kind."""
    from .checkpoint import load_model, read_metadata

    kind = read_metadata(path)["kind"]
    if kind not in {cls.kind for cls in TEXT_ENCODERS}:
        raise CheckpointError(f"{path}: holds a {kind!r} model, not a text encoder")
    return load_model(path, kind).eval()


for _cls, _config in ((TextEncoder, TextEncoderConfig), (ProjectedTextEncoder, ProjectedTextConfig)):
    register(_cls.kind, _config, _cls)
