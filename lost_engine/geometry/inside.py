"""Inside/outside classification by the generalised winding number (Jacobson et al. 2013).

Robust on non-watertight and self-intersecting meshes: the winding number of a query point is
the sum of the signed solid angles of all triangles divided by 4π; points with w > 0.5 are inside.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def winding_number(
    vertices: np.ndarray, faces: np.ndarray, queries: np.ndarray, chunk_elements: int = 2**18
) -> np.ndarray:
    """Generalised winding number (Q,) of each query point (Q, 3) w.r.t. the mesh.

    Work is chunked over queries so that at most `chunk_elements` (query, triangle) pairs are
    alive at once (~40 float32 temporaries each: ~40 MB per chunk at the default).
    """
    tri = torch.as_tensor(vertices, dtype=torch.float32)[torch.as_tensor(faces)]  # (F, 3, 3)
    q_all = torch.as_tensor(queries, dtype=torch.float32)
    chunk = max(1, chunk_elements // max(1, len(faces)))
    out = []
    for start in range(0, len(q_all), chunk):
        q = q_all[start : start + chunk]
        d = tri[None] - q[:, None, None, :]  # (q, F, 3, 3): triangle corners relative to query
        a, b, c = d[..., 0, :], d[..., 1, :], d[..., 2, :]
        la, lb, lc = a.norm(dim=-1), b.norm(dim=-1), c.norm(dim=-1)
        det = (a * torch.cross(b, c, dim=-1)).sum(-1)
        denom = la * lb * lc + (a * b).sum(-1) * lc + (b * c).sum(-1) * la + (c * a).sum(-1) * lb
        solid = 2.0 * torch.atan2(det, denom)  # (q, F) signed solid angles (Van Oosterom-Strackee)
        out.append(solid.sum(-1) / (4 * math.pi))
    return torch.cat(out).numpy().astype(np.float32) if out else np.zeros(0, np.float32)


def inside_mesh(vertices: np.ndarray, faces: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Boolean (Q,): True where the query point is inside the (possibly open) mesh."""
    return winding_number(vertices, faces, queries) > 0.5
