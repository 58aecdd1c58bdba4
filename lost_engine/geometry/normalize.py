"""Fitting meshes into the unit cube [-1, 1]^3 and undoing it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Normalization:
    """x_normalised = (x - center) * scale."""

    center: np.ndarray  # (3,)
    scale: float

    def apply(self, points: np.ndarray) -> np.ndarray:
        return ((points - self.center) * self.scale).astype(np.float32)

    def undo(self, points: np.ndarray) -> np.ndarray:
        return (points / self.scale + self.center).astype(np.float32)


def fit_unit_cube(vertices: np.ndarray, margin: float = 0.95) -> Normalization:
    """Centre the bounding box at the origin and scale its longest half-side to `margin`."""
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    half = float((hi - lo).max()) / 2
    if half <= 0:
        raise ValueError("degenerate mesh: zero extent")
    return Normalization(center=((lo + hi) / 2).astype(np.float64), scale=margin / half)


def normalize_mesh(vertices: np.ndarray, margin: float = 0.95) -> tuple[np.ndarray, Normalization]:
    norm = fit_unit_cube(vertices, margin)
    return norm.apply(vertices), norm
