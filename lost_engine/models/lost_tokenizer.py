"""The LoST tokenizer: a triplane latent -> K continuous tokens ordered by semantic saliency,
decodable from any prefix.

Encoder: a ViT over [cls, patch tokens, registers]. Patches (fixed sin-cos positions within a
plane + a learned plane embedding) and cls attend to each other only; register i attends to cls,
every patch and registers <= i (causal among registers). Only the registers leave the encoder:
final norm -> Linear to `token_dim` -> per-token standardisation. Those are the tokens.

Decoder: a DiT that denoises the patchified latent (cosine schedule, v-prediction, shared with the
GPT head). The token prefix enters as extra in-context tokens (Linear token_dim -> width + a
learned position); slots past the prefix hold a learned null token per position, so the decoder
always sees K condition slots and its cost does not depend on the prefix length. adaLN carries
the timestep only.

Nested dropout: in training each sample keeps a prefix of length k drawn uniformly from
{1, 2, 4, ..., K}; the decoder sees only those k tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from ..checkpoint import register
from ..presets import Presets
from ..sample_random import GlobalRandom, SampleRandom
from .diffusion import CosineSchedule, timestep_embedding
from .layers import AdaLNBlock, Block, TriplanePositions, initialize_weights, modulate, zero_linear
from .triplane_tokens import patchify, unpatchify


@dataclass
class LoSTTokenizerConfig(Presets):
    latent_channels: int = 8
    latent_resolution: int = 16
    patch: int = 4  # tiny: 4x4 patches of 16^2 planes = 48 tokens (what trains on 2 cores)
    registers: int = 32  # K: the number of tokens
    token_dim: int = 16
    enc_width: int = 128
    enc_depth: int = 3
    enc_heads: int = 4
    dec_width: int = 160
    dec_depth: int = 4
    dec_heads: int = 4
    sample_steps: int = 1  # default sampler steps; at the tiny preset one step (the x̂₀ estimate) scores
    # best at every k (docs/stage3_tokenizer.md)

    # paper: 768 patch tokens (3 x 16 x 16 from 32^2 planes), 512 registers of 32-d, DiT 24/1024/16
    # small: 4x4 patches of 32^2 planes = 192 tokens, 64 registers of 8-d, 6-block encoder and decoder
    PRESETS: ClassVar[dict[str, dict]] = {
        "small": dict(
            latent_resolution=32,
            registers=64,
            token_dim=8,
            enc_width=192,
            enc_depth=6,
            enc_heads=6,
            dec_width=192,
            dec_depth=6,
            dec_heads=6,
        ),
        "paper": dict(
            latent_channels=16,
            latent_resolution=32,
            patch=2,
            registers=512,
            token_dim=32,
            enc_width=768,
            enc_depth=12,
            enc_heads=12,
            dec_width=1024,
            dec_depth=24,
            dec_heads=16,
            sample_steps=25,
        ),
    }

    @property
    def grid(self) -> int:
        return self.latent_resolution // self.patch

    @property
    def patch_tokens(self) -> int:
        return 3 * self.grid**2

    @property
    def patch_dim(self) -> int:
        return self.latent_channels * self.patch**2

    @property
    def prefix_lengths(self) -> list[int]:
        """The nested-dropout lengths {1, 2, 4, ..., K} (K itself always included)."""
        out, k = [], 1
        while k < self.registers:
            out.append(k)
            k *= 2
        return out + [self.registers]


def encoder_mask(n_visible: int, registers: int) -> torch.Tensor:
    """(L, L) bool, True = may attend, over [cls + patches (n_visible), registers]."""
    total = n_visible + registers
    mask = torch.zeros(total, total, dtype=torch.bool)
    mask[:, :n_visible] = True
    mask[n_visible:, n_visible:] = torch.ones(registers, registers, dtype=torch.bool).tril()
    return mask


class LoSTTokenizer(nn.Module):
    def __init__(self, config: LoSTTokenizerConfig):
        super().__init__()
        self.config = c = config
        self.schedule = CosineSchedule()
        # encoder
        self.enc_embed = nn.Linear(c.patch_dim, c.enc_width)
        self.enc_pos = TriplanePositions(c.grid, c.enc_width)
        self.cls = nn.Parameter(torch.randn(1, 1, c.enc_width) * 0.02)
        self.register_tokens = nn.Parameter(torch.randn(1, c.registers, c.enc_width) * 0.02)
        self.enc_blocks = nn.ModuleList(Block(c.enc_width, c.enc_heads) for _ in range(c.enc_depth))
        self.enc_norm = nn.LayerNorm(c.enc_width)
        self.to_tokens = nn.Linear(c.enc_width, c.token_dim)
        self.register_buffer("enc_mask", encoder_mask(1 + c.patch_tokens, c.registers), persistent=False)
        # decoder
        self.dec_embed = nn.Linear(c.patch_dim, c.dec_width)
        self.dec_pos = TriplanePositions(c.grid, c.dec_width)
        self.cond_embed = nn.Linear(c.token_dim, c.dec_width)
        self.cond_pos = nn.Parameter(torch.randn(c.registers, c.dec_width) * 0.02)
        self.null_tokens = nn.Parameter(torch.randn(c.registers, c.dec_width) * 0.02)
        self.time_embed = nn.Sequential(nn.Linear(256, c.dec_width), nn.SiLU(), nn.Linear(c.dec_width, c.dec_width))
        self.dec_blocks = nn.ModuleList(AdaLNBlock(c.dec_width, c.dec_heads) for _ in range(c.dec_depth))
        self.final_norm = nn.LayerNorm(c.dec_width, elementwise_affine=False)
        self.final_ada = nn.Sequential(nn.SiLU(), zero_linear(nn.Linear(c.dec_width, 2 * c.dec_width)))
        self.final = zero_linear(nn.Linear(c.dec_width, c.patch_dim))
        initialize_weights(self)

    # ---- encoder -------------------------------------------------------------------------
    def encode(self, latent: torch.Tensor) -> torch.Tensor:
        """Normalised latent (B, 3, C, R, R) -> tokens (B, K, token_dim), each standardised."""
        c = self.config
        x = self.enc_embed(patchify(latent, c.patch)) + self.enc_pos()
        b = len(x)
        x = torch.cat([self.cls.expand(b, -1, -1), x, self.register_tokens.expand(b, -1, -1)], dim=1)
        for block in self.enc_blocks:
            x = block(x, mask=self.enc_mask)
        z = self.to_tokens(self.enc_norm(x[:, -c.registers :]))
        return F.layer_norm(z, (c.token_dim,))

    # ---- decoder -------------------------------------------------------------------------
    def condition(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Tokens (B, k, D) with per-row prefix lengths (B,) -> K condition slots (B, K, width)."""
        c = self.config
        check_lengths(lengths, c.registers)
        if tokens.shape[1] < c.registers:
            tokens = F.pad(tokens, (0, 0, 0, c.registers - tokens.shape[1]))
        keep = torch.arange(c.registers, device=tokens.device)[None] < lengths[:, None]  # (B, K)
        return torch.where(keep[..., None], self.cond_embed(tokens) + self.cond_pos, self.null_tokens)

    def predict_v(self, x_t: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        """Noisy patch tokens (B, N, patch_dim), times (B,), condition slots (B, K, width) -> v̂ (B, N, patch_dim)."""
        k = cond.shape[1]
        h = torch.cat([cond, self.dec_embed(x_t) + self.dec_pos()], dim=1)
        temb = self.time_embed(timestep_embedding(t, 256).to(h.dtype))
        for block in self.dec_blocks:
            h = block(h, temb)
        shift, scale = self.final_ada(temb).chunk(2, dim=-1)
        return self.final(modulate(self.final_norm(h[:, k:]), shift, scale))

    def forward(
        self, latent: torch.Tensor, lengths: torch.Tensor, t: torch.Tensor, noise: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Training pass: (v̂, v target, x_t), all (B, N, patch_dim), for the prefix `lengths` (B,)."""
        x0 = patchify(latent, self.config.patch)
        x_t, v = self.schedule.noisy(x0, noise, t)
        return self.predict_v(x_t, t, self.condition(self.encode(latent), lengths)), v, x_t

    def sample_prefix_lengths(self, rng: SampleRandom | GlobalRandom, decay: float = 1.0) -> torch.Tensor:
        """Nested dropout: one length per sample from {1, 2, 4, ..., K}: (B,). decay 1 draws them
        uniformly; decay r < 1 draws the i-th length with probability ∝ r^i (more short prefixes)."""
        choices = torch.tensor(self.config.prefix_lengths, device=rng.device)
        if decay == 1.0:
            return choices[rng.randint(len(choices))]
        if decay <= 0:
            raise ValueError(f"prefix-length decay must be > 0, got {decay}")
        cdf = torch.cumsum(decay ** torch.arange(len(choices), dtype=torch.float64), 0)
        index = torch.searchsorted(cdf / cdf[-1], rng.rand(1).double().cpu().squeeze(1), right=True)
        return choices[index.clamp(max=len(choices) - 1).to(rng.device)]

    @torch.no_grad()
    def decode(
        self,
        tokens: torch.Tensor,
        steps: int | None = None,
        seed: int | None = None,
        lengths: torch.Tensor | None = None,
        temperature: float = 1.0,
        noise: torch.Tensor | None = None,
        on_step=None,
    ) -> torch.Tensor:
        """Tokens (B, k, D) -> normalised latents (B, 3, C, R, R), each row from its first
        lengths[b] tokens (default: all k). Deterministic for a given seed."""
        c = self.config
        b = len(tokens)
        if lengths is None:
            lengths = torch.full((b,), tokens.shape[1], device=tokens.device)
        lengths = torch.as_tensor(lengths, device=tokens.device)
        if tokens.shape[1] > c.registers:
            raise ValueError(f"{tokens.shape[1]} tokens given; this tokenizer has {c.registers}")
        cond = self.condition(tokens, lengths)
        if noise is None:
            gen = torch.Generator(tokens.device).manual_seed(seed) if seed is not None else None
            noise = torch.randn(b, c.patch_tokens, c.patch_dim, generator=gen, device=tokens.device)
        x0 = self.schedule.sample(
            lambda x, t: self.predict_v(x, t, cond), noise.to(cond.dtype), steps or c.sample_steps, temperature, on_step
        )
        return unpatchify(x0, c.latent_channels, c.patch)

    @torch.no_grad()
    def decode_prefixes(
        self, tokens: torch.Tensor, ks: list[int], steps: int | None = None, seed: int | None = None, on_step=None
    ) -> torch.Tensor:
        """One shape's tokens (K, D) or (1, K, D), several prefix lengths in one batch, with the
        same starting noise for every k (so levels differ only by their tokens): (len(ks), 3, C, R, R)."""
        c = self.config
        tokens = tokens.reshape(1, -1, c.token_dim)
        gen = torch.Generator(tokens.device).manual_seed(seed) if seed is not None else None
        noise = torch.randn(1, c.patch_tokens, c.patch_dim, generator=gen, device=tokens.device)
        lengths = torch.tensor(list(ks), device=tokens.device)
        return self.decode(
            tokens.expand(len(ks), -1, -1), steps, lengths=lengths, noise=noise.expand(len(ks), -1, -1), on_step=on_step
        )


def check_lengths(lengths: torch.Tensor, registers: int) -> None:
    if len(lengths) and (int(lengths.min()) < 1 or int(lengths.max()) > registers):
        raise ValueError(f"prefix lengths must lie in 1..{registers}, got {lengths.tolist()}")


def tokenizer_loss(
    module: nn.Module,
    latent: torch.Tensor,
    rida: nn.Module | None,
    semantic_weight: float,
    semantic_batch: int | None = None,
    t_power: float = 1.0,
    rng: SampleRandom | None = None,
    prefix_decay: float = 1.0,
) -> tuple[torch.Tensor, dict[str, float]]:
    """Denoising MSE on v + semantic_weight·(1 − cos(f(x̂₀), f(x₀))) over the frozen RIDA
    student's token features; `module` is the tokenizer or its DDP wrapper. The semantic term's
    gradient flows through x̂₀ into decoder and encoder; the student's weights stay frozen.
    `semantic_batch` computes the semantic term on the first n samples only (it costs more than
    the rest of the step on a CPU). `t_power` > 1 favours high-noise training times. `rng` draws
    the lengths, times and noise per sample (default: torch's global generator); `prefix_decay`
    < 1 favours short prefixes (see sample_prefix_lengths)."""
    tok = getattr(module, "module", module)
    rng = rng or GlobalRandom(len(latent), latent.device)
    b = len(latent)
    lengths = tok.sample_prefix_lengths(rng, prefix_decay)
    t = tok.schedule.times(rng.rand(), t_power)
    noise = rng.randn(tok.config.patch_tokens, tok.config.patch_dim)
    v_hat, v, x_t = module(latent, lengths, t, noise)
    denoise = F.mse_loss(v_hat, v)
    terms = {"denoise": float(denoise.detach())}
    if rida is None or semantic_weight == 0:
        return denoise, terms
    n = semantic_batch or b
    x0_hat = unpatchify(tok.schedule.x0_from_v(x_t[:n], v_hat[:n], t[:n]), tok.config.latent_channels, tok.config.patch)
    with torch.no_grad():
        _, target = rida(latent[:n])
    _, pred = rida(x0_hat)
    semantic = 1 - (pred * target).sum(-1).mean()  # RIDA token features are unit norm
    terms["semantic"] = float(semantic.detach())
    return denoise + semantic_weight * semantic, terms


register("lost_tokenizer", LoSTTokenizerConfig, LoSTTokenizer)
