"""Random draws per training sample, each from its own seed.

A loss that draws its noise, times and dropout through `SampleRandom` gives every sample the same
numbers wherever it lands: in a batch of one process or split across the ranks of a distributed
run, in an uninterrupted run or one resumed from a checkpoint. The training loop gives each
sample a seed that depends only on (run seed, epoch, dataset index); see train/common.py.
`GlobalRandom` has the same interface over torch's global generator, for callers without seeds.
"""

from __future__ import annotations

import torch


class SampleRandom:
    def __init__(self, seeds: torch.Tensor, device: torch.device | str = "cpu"):
        self.generators = [torch.Generator().manual_seed(int(s)) for s in seeds.tolist()]
        self.device = device

    def __len__(self) -> int:
        return len(self.generators)

    def rand(self, *shape: int) -> torch.Tensor:
        """Uniform [0, 1): (B, *shape)."""
        return torch.stack([torch.rand(shape, generator=g) for g in self.generators]).to(self.device)

    def randn(self, *shape: int) -> torch.Tensor:
        """Standard normal: (B, *shape)."""
        return torch.stack([torch.randn(shape, generator=g) for g in self.generators]).to(self.device)

    def randint(self, high: int) -> torch.Tensor:
        """One integer in [0, high) per sample: (B,)."""
        return torch.cat([torch.randint(high, (1,), generator=g) for g in self.generators]).to(self.device)


class GlobalRandom:
    def __init__(self, n: int, device: torch.device | str = "cpu"):
        self.n, self.device = n, device

    def __len__(self) -> int:
        return self.n

    def rand(self, *shape: int) -> torch.Tensor:
        return torch.rand(self.n, *shape, device=self.device)

    def randn(self, *shape: int) -> torch.Tensor:
        return torch.randn(self.n, *shape, device=self.device)

    def randint(self, high: int) -> torch.Tensor:
        return torch.randint(high, (self.n,), device=self.device)
