import numpy as np
import pytest
import torch

torch.set_num_threads(2)


def icosphere(subdivisions: int = 3, radius: float = 0.5):
    import trimesh

    m = trimesh.creation.icosphere(subdivisions=subdivisions, radius=radius)
    return np.asarray(m.vertices, np.float32), np.asarray(m.faces, np.int64)


@pytest.fixture
def sphere_mesh():
    return icosphere()
