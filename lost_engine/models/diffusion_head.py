"""MAR-style per-token diffusion head: a small AdaLN MLP that samples one continuous token given
the transformer's hidden state z at its position. Same cosine schedule (v-prediction, DDIM) as
the tokenizer's decoder (models/diffusion.py)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .diffusion import CosineSchedule, timestep_embedding
from .layers import modulate, zero_linear


class _ResBlock(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.norm = nn.LayerNorm(width, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.ada = nn.Sequential(nn.SiLU(), zero_linear(nn.Linear(width, 3 * width)))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        shift, scale, gate = self.ada(c).chunk(3, dim=-1)
        return x + gate * self.mlp(modulate(self.norm(x), shift, scale))


class DiffusionHead(nn.Module):
    """v̂ = head(x_t, t, z): x_t (N, token_dim), t (N,), z (N, cond_dim) -> (N, token_dim)."""

    def __init__(self, token_dim: int, cond_dim: int, width: int, depth: int):
        super().__init__()
        self.schedule = CosineSchedule()
        self.time_embed = nn.Sequential(nn.Linear(256, width), nn.SiLU(), nn.Linear(width, width))
        self.cond_embed = nn.Linear(cond_dim, width)
        self.input = nn.Linear(token_dim, width)
        self.blocks = nn.ModuleList(_ResBlock(width) for _ in range(depth))
        self.final_norm = nn.LayerNorm(width, elementwise_affine=False, eps=1e-6)
        self.final_ada = nn.Sequential(nn.SiLU(), zero_linear(nn.Linear(width, 2 * width)))
        self.output = zero_linear(nn.Linear(width, token_dim))

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        c = self.time_embed(timestep_embedding(t, 256).to(x_t.dtype)) + self.cond_embed(z)
        x = self.input(x_t)
        for block in self.blocks:
            x = block(x, c)
        shift, scale = self.final_ada(c).chunk(2, dim=-1)
        return self.output(modulate(self.final_norm(x), shift, scale))

    def loss(self, target: torch.Tensor, z: torch.Tensor, repeats: int = 4) -> torch.Tensor:
        """v-MSE for clean tokens (N, token_dim) given z (N, cond_dim); each token is noised
        `repeats` times (MAR's diffusion batch multiplier)."""
        target, z = target.repeat(repeats, 1), z.repeat(repeats, 1)
        t = self.schedule.sample_t(len(target), target.device)
        x_t, v = self.schedule.noisy(target, torch.randn_like(target), t)
        return F.mse_loss(self(x_t, t, z), v)

    @torch.no_grad()
    def sample(
        self,
        z: torch.Tensor,
        steps: int,
        temperature: float = 1.0,
        guidance: float = 1.0,
        z_uncond: torch.Tensor | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """One token per row of z (N, cond_dim) -> (N, token_dim). With z_uncond (the hidden
        states of the condition-dropped sequence), classifier-free guidance:
        v = v_u + guidance·(v_c − v_u); guidance 0 is the unconditional path, 1 the conditional one."""
        noise = torch.randn(len(z), self.output.out_features, generator=generator, device=z.device, dtype=z.dtype)

        def predict_v(x, t):
            if z_uncond is None:
                return self(x, t, z)
            v_c, v_u = self(torch.cat([x, x]), torch.cat([t, t]), torch.cat([z, z_uncond])).chunk(2)
            return v_u + guidance * (v_c - v_u)

        return self.schedule.sample(predict_v, noise, steps, temperature)
