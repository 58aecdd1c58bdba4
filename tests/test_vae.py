import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lost_engine.checkpoint import CheckpointError, load_model, read_metadata, save_model
from lost_engine.models.plane_encoder import plane_cells, pool_to_planes
from lost_engine.models.triplane_vae import TriplaneVAE, TriplaneVAEConfig
from tests.conftest import icosphere

MICRO = TriplaneVAEConfig(
    latent_channels=4,
    latent_resolution=4,
    width=32,
    heads=2,
    self_attention_blocks=1,
    fourier_freqs=4,
    decoder_channels=16,
    feature_channels=8,
    feature_resolution=16,
    mlp_width=32,
    mlp_layers=3,
)


def sphere_batch(n=4, points=256, queries=512, seed=0):
    from lost_engine.geometry import sample_surface

    g = torch.Generator().manual_seed(seed)
    verts, faces = icosphere(3, 0.5)
    pts, normals = sample_surface(verts, faces, points, np.random.default_rng(seed))
    q = torch.rand(n, queries, 3, generator=g) * 2 - 1
    return (
        torch.from_numpy(pts).expand(n, -1, -1),
        torch.from_numpy(normals).expand(n, -1, -1),
        q,
        (q.norm(dim=-1) < 0.5).float(),
    )


MICRO_PLANES = dataclasses.replace(MICRO, encoder="planes", encoder_channels=8, encoder_plane_resolution=16)


@pytest.mark.parametrize("config", [MICRO, MICRO_PLANES], ids=["queries", "planes"])
def test_training_steps_decrease_loss_on_a_fixed_batch(config):
    torch.manual_seed(0)
    model = TriplaneVAE(config)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    pts, normals, q, occ = sphere_batch()
    losses = []
    for _ in range(40):
        logits, post = model(pts, normals, q, torch.Generator().manual_seed(0))
        loss = F.binary_cross_entropy_with_logits(logits, occ) + 1e-4 * post.kl().mean()
        opt.zero_grad(), loss.backward(), opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.6 * losses[0]


@pytest.mark.parametrize("config", [MICRO, MICRO_PLANES], ids=["queries", "planes"])
def test_latent_shapes_follow_the_config(config):
    model = TriplaneVAE(config)
    pts, normals, q, _ = sphere_batch(2)
    post = model.encode(pts, normals)
    assert post.mean.shape == (2, 3, 4, 4, 4) == (2, *model.latent_shape)
    planes = model.decode(post.mean)
    assert planes.shape == (2, 3, 8, 16, 16)
    assert model.occupancy(planes, q).shape == (2, 512)
    assert TriplaneVAEConfig.preset("paper").latent_resolution == 32  # 3 x 16 x 16 patches of 2x2 = 768 tokens


def test_save_then_load_reproduces_outputs_exactly(tmp_path):
    torch.manual_seed(1)
    model = TriplaneVAE(MICRO).eval()
    model.latent_scale.fill_(2.0)
    pts, normals, q, _ = sphere_batch(2)
    path = save_model(tmp_path / "vae.safetensors", "triplane_vae", model, {"note": "test"})
    loaded = load_model(path, "triplane_vae")
    with torch.no_grad():
        a = model.occupancy(model.decode(model.encode(pts, normals).mean), q)
        b = loaded.occupancy(loaded.decode(loaded.encode(pts, normals).mean), q)
    assert torch.equal(a, b)
    assert read_metadata(path)["config"]["latent_resolution"] == 4 and loaded.extra == {"note": "test"}


def test_latent_to_mesh_of_a_sphere_like_latent_is_a_closed_mesh():
    torch.manual_seed(0)
    model = TriplaneVAE(MICRO)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    pts, normals, q, occ = sphere_batch()
    for _ in range(60):
        logits, _ = model(pts, normals, q)
        loss = F.binary_cross_entropy_with_logits(logits, occ)
        opt.zero_grad(), loss.backward(), opt.step()
    model.eval()
    with torch.no_grad():
        latent = model.encode(pts[:1], normals[:1]).mean[0]
    verts, faces = model.latent_to_mesh(latent, 32)
    assert len(faces) > 100
    edges = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    assert (counts == 2).all()  # every edge shared by exactly two triangles: closed
    radius = np.linalg.norm(verts, axis=1)
    assert 0.3 < np.median(radius) < 0.7
    thicker, _ = model.latent_to_mesh(latent, 32, level=-2.0)  # a lower logit level grows the surface outward
    assert np.median(np.linalg.norm(thicker, axis=1)) > np.median(radius)


def test_corrupt_or_truncated_checkpoint_gives_clear_error_naming_the_file(tmp_path):
    model = TriplaneVAE(MICRO)
    path = save_model(tmp_path / "good.safetensors", "triplane_vae", model)
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x00" * 64)
    for bad in (truncated, garbage):
        with pytest.raises(CheckpointError, match=bad.name):
            load_model(bad)
    with pytest.raises(FileNotFoundError, match="missing.safetensors"):
        load_model(tmp_path / "missing.safetensors")
    with pytest.raises(CheckpointError, match="expected 'lost_tokenizer'"):
        load_model(path, "lost_tokenizer")


def test_plane_encoder_pools_each_point_into_the_cell_the_decoder_reads_it_from():
    """A point's feature pooled into its cells comes back from grid_sample at the point, on all three planes."""
    r = 8
    centres = torch.linspace(-1, 1, r)
    pts = centres[torch.tensor([[0, 0, 0], [7, 0, 4], [3, 6, 7]])][None]  # (1, 3, 3) at cell centres
    planes, counts = pool_to_planes(torch.eye(3)[None], plane_cells(pts, r), r)
    assert counts.sum().item() == 9
    grid = planes[0].transpose(1, 2).reshape(3, 3, r, r)  # (planes, D, R, R)
    coords = torch.stack([pts[0][:, [0, 1]], pts[0][:, [0, 2]], pts[0][:, [1, 2]]])[:, None]  # (3, 1, P, 2)
    read = F.grid_sample(grid, coords, align_corners=True)[:, :, 0]  # (planes, D, P)
    assert torch.allclose(read, torch.eye(3).expand(3, 3, 3), atol=1e-4)
