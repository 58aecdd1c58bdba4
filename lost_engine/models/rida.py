"""RIDA: the 3-D semantic extractor f_θ, aligned to a frozen 2-D teacher by its relations.

The student reads patchified normalised triplane latents and returns a global embedding and
token features. Training matches the teacher's *relations*, not its features:
    L_global  multi-positive InfoNCE; positives/ignored pairs mined from teacher similarity
    L_rank    MSE of row-z-scored pairwise similarities (inter-instance distance distillation)
    L_spatial KL of row-softmax token affinities (student tokens vs teacher patches, pooled)
    L = w_global·L_global + w_rank·L_rank + w_spatial·L_spatial (1.0, 1.0, 0.5 by default)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from ..checkpoint import register
from ..presets import Presets
from ..teachers.base import pool_tokens
from .layers import Attention, Block
from .triplane_tokens import patchify


@dataclass
class RIDAConfig(Presets):
    latent_channels: int = 8
    latent_resolution: int = 16
    patch: int = 2
    width: int = 128
    depth: int = 4
    heads: int = 4
    teacher_dim: int = 192
    spatial_tokens: int = 32  # common token count of the affinity matrices
    positive_threshold: float = 0.83
    ignore_threshold: float = 0.65
    spatial_temperature: float = 0.1
    w_global: float = 1.0
    w_rank: float = 1.0
    w_spatial: float = 0.5

    # paper: 16 x 16 x 3 tokens from 32^2 planes, 12 x 768 trunk, DINOv2 ViT-B/14 teacher
    PRESETS: ClassVar[dict[str, dict]] = {
        "small": dict(latent_resolution=32, patch=4, width=192, depth=4, heads=6),
        "paper": dict(
            latent_channels=16, latent_resolution=32, width=768, depth=12, heads=12, teacher_dim=768, spatial_tokens=128
        ),
    }


class RIDAStudent(nn.Module):
    def __init__(self, config: RIDAConfig):
        super().__init__()
        self.config = c = config
        tokens = 3 * (c.latent_resolution // c.patch) ** 2
        self.embed = nn.Linear(c.latent_channels * c.patch**2, c.width)
        self.pos = nn.Parameter(torch.randn(tokens, c.width) * 0.02)
        self.blocks = nn.ModuleList(Block(c.width, c.heads) for _ in range(c.depth))
        self.norm = nn.LayerNorm(c.width)
        self.pool_query = nn.Parameter(torch.randn(1, 1, c.width) * 0.02)
        self.pool = Attention(c.width, c.heads)
        self.global_head = nn.Linear(c.width, c.teacher_dim)
        self.token_head = nn.Linear(c.width, c.teacher_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))  # learnable InfoNCE temperature

    def forward(self, latent: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Normalised latent (B, 3, C, R, R) -> global (B, Dt) and tokens (B, T, Dt), unit norm."""
        x = self.embed(patchify(latent, self.config.patch)) + self.pos
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        pooled = self.pool(self.pool_query.expand(len(x), -1, -1), x).squeeze(1)
        return F.normalize(self.global_head(pooled), dim=-1), F.normalize(self.token_head(x), dim=-1)


def global_infonce(
    student: torch.Tensor,
    teacher: torch.Tensor,
    logit_scale: torch.Tensor,
    positive: float,
    ignore: float,
    labels: torch.Tensor | None = None,
) -> torch.Tensor:
    """Multi-positive InfoNCE of student globals (B, D) against teacher globals (B, Dt').

    Logits compare student i with teacher j. Pair (i, j) is positive when the teacher finds the two
    shapes similar (cosine >= positive; always for j = i), left out of the denominator when it is
    ambiguous (ignore <= cosine < positive), and a negative otherwise. With category `labels` (B,),
    a pair of two categories is never a positive and a pair of one category never a negative (it is
    left out unless positive).
    """
    t_sim = teacher @ teacher.T  # (B, B)
    eye = torch.eye(len(t_sim), dtype=torch.bool, device=t_sim.device)
    pos = (t_sim >= positive) | eye
    if labels is None:
        ignored = (t_sim >= ignore) & ~pos
    else:
        same = labels[:, None] == labels[None, :]
        pos &= same | eye
        ignored = same & ~pos
    logits = logit_scale.exp().clamp(max=100) * student @ _match_dim(teacher, student).T
    logits = logits.masked_fill(ignored, float("-inf"))
    log_prob = logits - logits.logsumexp(dim=1, keepdim=True)
    return -(log_prob.masked_fill(~pos, 0).sum(1) / pos.sum(1)).mean()


def _match_dim(teacher: torch.Tensor, student: torch.Tensor) -> torch.Tensor:
    if teacher.shape[-1] != student.shape[-1]:
        raise ValueError(f"teacher dim {teacher.shape[-1]} != student dim {student.shape[-1]} (set teacher_dim)")
    return teacher


def _row_zscore_offdiag(sim: torch.Tensor) -> torch.Tensor:
    off = ~torch.eye(len(sim), dtype=torch.bool, device=sim.device)
    vals = sim[off].view(len(sim), -1)
    return (vals - vals.mean(1, keepdim=True)) / (vals.std(1, keepdim=True) + 1e-6)


def rank_loss(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """MSE between row-z-scored pairwise similarity matrices: zero when relations agree."""
    return F.mse_loss(_row_zscore_offdiag(student @ student.T), _row_zscore_offdiag(teacher @ teacher.T))


def spatial_loss(
    student_tokens: torch.Tensor, teacher_tokens: torch.Tensor, count: int, temperature: float = 0.1
) -> torch.Tensor:
    """KL(teacher || student) of row-softmax token affinities after pooling both to `count` tokens."""
    s = F.normalize(pool_tokens(student_tokens, count), dim=-1)
    t = F.normalize(pool_tokens(teacher_tokens, count), dim=-1)
    log_s = F.log_softmax(s @ s.transpose(1, 2) / temperature, dim=-1)
    log_t = F.log_softmax(t @ t.transpose(1, 2) / temperature, dim=-1)
    return F.kl_div(log_s, log_t, log_target=True, reduction="batchmean") / count


def rida_loss(
    model: nn.Module, latent: torch.Tensor, teacher_global: torch.Tensor, teacher_tokens: torch.Tensor
) -> tuple[torch.Tensor, dict[str, float]]:
    """`model` is a RIDAStudent or its DDP wrapper."""
    student = getattr(model, "module", model)
    c = student.config
    g, tokens = model(latent)
    terms = {
        "global": global_infonce(g, teacher_global, student.logit_scale, c.positive_threshold, c.ignore_threshold),
        "rank": rank_loss(g, teacher_global),
        "spatial": spatial_loss(tokens, teacher_tokens, c.spatial_tokens, c.spatial_temperature),
    }
    total = c.w_global * terms["global"] + c.w_rank * terms["rank"] + c.w_spatial * terms["spatial"]
    return total, {k: float(v.detach()) for k, v in terms.items()}


register("rida_student", RIDAConfig, RIDAStudent)
