"""The one noise schedule of the project, shared by the tokenizer's DiT decoder and the GPT's
per-token diffusion head.

Continuous-time, variance-preserving cosine schedule (Nichol & Dhariwal's cosine path in the
limit of no offset), t in [0, 1]:
    x_t = α(t)·x₀ + σ(t)·ε,   α = cos(πt/2),  σ = sin(πt/2)
Networks predict the velocity v = α·ε − σ·x₀ (well scaled at every t, exact x̂₀ at t = 1), and
sampling is DDIM (the deterministic probability-flow solver) from t = 1 to 0 in any number of
steps. `temperature` scales the starting noise, as MAR's does for its head.
"""

from __future__ import annotations

import math
from typing import Callable

import torch


def alpha_sigma(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.cos(0.5 * math.pi * t), torch.sin(0.5 * math.pi * t)


def _expand(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """(B,) -> (B, 1, ..., 1) broadcastable against `like`."""
    return x.reshape(-1, *([1] * (like.dim() - 1)))


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding of t in [0, 1] (scaled to 0..1000 like discrete-step models): (B,) -> (B, dim)."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    angles = 1000.0 * t.float()[:, None] * freqs[None]
    return torch.cat([angles.cos(), angles.sin()], dim=-1)


class CosineSchedule:
    """Training targets and the DDIM sampler of the cosine VP schedule (v-prediction)."""

    def __init__(self, t_min: float = 1e-4):
        self.t_min = t_min

    def sample_t(
        self, n: int, device: torch.device | str = "cpu", generator: torch.Generator | None = None, power: float = 1.0
    ) -> torch.Tensor:
        """Training times in [t_min, 1]: (n,). power 1 is uniform; power p > 1 draws u^(1/p), which
        favours high noise (density p·t^(p-1)), where a conditional decoder must read its condition."""
        return self.times(torch.rand(n, device=device, generator=generator), power)

    def times(self, u: torch.Tensor, power: float = 1.0) -> torch.Tensor:
        """Uniform draws u in [0, 1) -> training times (as `sample_t`)."""
        return self.t_min + (1 - self.t_min) * u ** (1.0 / power)

    def noisy(self, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(x_t, v target) for clean x0 (B, ...), noise like x0 and t (B,)."""
        a, s = (_expand(v, x0) for v in alpha_sigma(t))
        return a * x0 + s * noise, a * noise - s * x0

    @staticmethod
    def x0_from_v(x_t: torch.Tensor, v: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        a, s = (_expand(u, x_t) for u in alpha_sigma(t))
        return a * x_t - s * v

    @staticmethod
    def eps_from_v(x_t: torch.Tensor, v: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        a, s = (_expand(u, x_t) for u in alpha_sigma(t))
        return s * x_t + a * v

    def sample(
        self,
        predict_v: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
        noise: torch.Tensor,
        steps: int,
        temperature: float = 1.0,
        on_step: Callable[[int, int], None] | None = None,
    ) -> torch.Tensor:
        """DDIM from x_1 = temperature·noise down to x_0 in `steps` evaluations of predict_v(x_t, t (B,))."""
        if steps < 1:
            raise ValueError(f"sampler steps must be >= 1, got {steps}")
        x = noise * temperature
        times = torch.linspace(1.0, 0.0, steps + 1, device=noise.device)
        for i in range(steps):
            t = times[i].expand(len(x))
            v = predict_v(x, t)
            x0, eps = self.x0_from_v(x, v, t), self.eps_from_v(x, v, t)
            a_next, s_next = alpha_sigma(times[i + 1])
            x = a_next * x0 + s_next * eps
            if on_step is not None:
                on_step(i + 1, steps)
        return x
