"""A local triplane encoder (after Convolutional Occupancy Networks): every surface point's features
are pooled into the cell it projects to on each of the three planes, then a conv net takes the
planes down to the latent grid.

Unlike learned queries reading the whole point cloud by attention (Direct3D), a cell here only sees
the points over it, so a thin leg's few points own their cells instead of being averaged away.
Plane order and cell convention match `TriplaneVAE.occupancy`: planes xy, xz, yz; the first
coordinate indexes columns, the second rows, -1 and 1 the outer cell centres (align_corners).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

PLANE_AXES = ((0, 1), (0, 2), (1, 2))  # (column axis, row axis) of the planes xy, xz, yz


class ResBlock(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.GroupNorm(8, ch),
            nn.SiLU(),
            nn.Conv2d(ch, ch, 3, padding=1),
            nn.GroupNorm(8, ch),
            nn.SiLU(),
            nn.Conv2d(ch, ch, 3, padding=1),
        )

    def forward(self, x):
        return x + self.body(x)


def plane_cells(points: torch.Tensor, resolution: int) -> torch.Tensor:
    """points (B, P, 3) in [-1, 1] -> the flat cell index of each point on each plane (B, 3, P)."""
    cells = ((points.clamp(-1, 1) + 1) * (0.5 * (resolution - 1))).round().long()  # (B, P, 3)
    return torch.stack([cells[..., row] * resolution + cells[..., col] for col, row in PLANE_AXES], 1)


def pool_to_planes(feats: torch.Tensor, cells: torch.Tensor, resolution: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean of the point features per cell: feats (B, P, D), cells (B, 3, P) ->
    (planes (B, 3, R·R, D), point counts (B, 3, R·R))."""
    b, p, d = feats.shape
    n = resolution * resolution
    flat = (cells + torch.arange(b * 3, device=cells.device).view(b, 3, 1) * n).flatten()  # (B·3·P,)
    sums = feats.new_zeros(b * 3 * n, d).index_add_(0, flat, feats[:, None].expand(b, 3, p, d).reshape(-1, d))
    counts = feats.new_zeros(b * 3 * n).index_add_(0, flat, feats.new_ones(flat.shape))
    return (sums / counts.clamp(min=1)[:, None]).view(b, 3, n, d), counts.view(b, 3, n)


class PlaneEncoder(nn.Module):
    def __init__(self, in_dim: int, channels: int, plane_resolution: int, latent_resolution: int, out_channels: int):
        super().__init__()
        downs = int(np.log2(plane_resolution // latent_resolution))
        if latent_resolution * 2**downs != plane_resolution:
            raise ValueError("encoder_plane_resolution must be latent_resolution times a power of two")
        self.resolution = plane_resolution
        self.point_mlp = nn.Sequential(nn.Linear(in_dim, channels), nn.SiLU(), nn.Linear(channels, channels), nn.SiLU())
        # a second point layer that also sees what its cells hold (ConvONet's local pooling)
        self.local_mlp = nn.Sequential(nn.Linear(2 * channels, channels), nn.SiLU(), nn.Linear(channels, channels))
        ch = channels
        layers: list[nn.Module] = [nn.Conv2d(channels + 1, ch, 3, padding=1), ResBlock(ch)]
        for _ in range(downs):
            layers += [nn.Conv2d(ch, 2 * ch, 3, stride=2, padding=1), ResBlock(2 * ch)]
            ch *= 2
        layers += [nn.GroupNorm(8, ch), nn.SiLU(), nn.Conv2d(ch, out_channels, 3, padding=1)]
        self.convs = nn.Sequential(*layers)

    def forward(self, points: torch.Tensor, point_feats: torch.Tensor) -> torch.Tensor:
        """points (B, P, 3), their input features (B, P, in_dim) -> (B, 3, out_channels, R, R)."""
        b, r = len(points), self.resolution
        cells = plane_cells(points, r)
        h = self.point_mlp(point_feats)  # (B, P, D)
        planes, _ = pool_to_planes(h, cells, r)
        pooled = sum(planes[:, i].gather(1, cells[:, i, :, None].expand_as(h)) for i in range(3))  # (B, P, D)
        planes, counts = pool_to_planes(self.local_mlp(torch.cat([h, pooled], -1)), cells, r)
        grid = torch.cat([planes, (counts > 0).to(planes.dtype)[..., None]], -1)  # (B, 3, R·R, D+1)
        grid = grid.transpose(2, 3).reshape(b * 3, -1, r, r)
        out = self.convs(grid)  # (B·3, out, R_latent, R_latent)
        return out.view(b, 3, *out.shape[1:])
