"""Axis conventions and placement of decoded meshes in a scene.

The engine's frame is Y-up (as OBJ, PLY and glTF are); Blender's is Z-up. A right-handed rotation
of +90° about X takes one to the other: (x, y, z)_Y-up -> (x, -z, y)_Z-up, the same conversion
Blender's own OBJ and glTF importers apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalize import Normalization


def y_up_to_z_up(vertices: np.ndarray) -> np.ndarray:
    """(V, 3) Y-up -> (V, 3) Z-up."""
    v = np.asarray(vertices, np.float32)
    return np.stack([v[:, 0], -v[:, 2], v[:, 1]], axis=1)


def z_up_to_y_up(vertices: np.ndarray) -> np.ndarray:
    """(V, 3) Z-up -> (V, 3) Y-up (the inverse of y_up_to_z_up)."""
    v = np.asarray(vertices, np.float32)
    return np.stack([v[:, 0], v[:, 2], -v[:, 1]], axis=1)


def stand_on_floor(vertices: np.ndarray, scale: float) -> np.ndarray:
    """Z-up vertices scaled by `scale`, centred on the origin in x/y with the lowest point at z = 0:
    the mesh stands on the floor at its object's origin."""
    v = np.asarray(vertices, np.float32) * np.float32(scale)
    if len(v) == 0:
        return v
    lo, hi = v.min(axis=0), v.max(axis=0)
    return (v - np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2]], np.float32)).astype(np.float32)


@dataclass
class Placement:
    """How decoded vertices (Y-up, model units) are handed to a client.

    Encoded meshes (`normalization` set) go back into the input mesh's own frame. Generated ones
    with `size_m` are scaled so that a shape spanning `model_extent` units measures `size_m` metres,
    and stand on the floor at the origin. `z_up`: the client's frame is Z-up (Blender)."""

    z_up: bool = False
    size_m: float | None = None
    model_extent: float = 2.0
    normalization: Normalization | None = None

    def apply(self, vertices: np.ndarray) -> np.ndarray:
        v = self.normalization.undo(vertices) if self.normalization is not None else np.asarray(vertices, np.float32)
        if self.z_up:
            v = y_up_to_z_up(v)
        if self.size_m is not None and self.normalization is None:
            v = (
                stand_on_floor(v, self.size_m / self.model_extent)
                if self.z_up
                else v * np.float32(self.size_m / self.model_extent)
            )
        return v

    def to_input_frame(self, vertices: np.ndarray) -> np.ndarray:
        """A client's mesh (to encode) in the engine's Y-up frame."""
        return z_up_to_y_up(vertices) if self.z_up else np.asarray(vertices, np.float32)
