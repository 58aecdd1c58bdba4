import math

import numpy as np
import pytest
import torch

from lost_engine.geometry import (
    MeshReadError,
    evaluate_grid,
    extract_mesh,
    field_to_mesh,
    inside_mesh,
    normalize_mesh,
    read_mesh,
    render_field,
    render_mesh,
    sample_queries,
    sample_surface,
    write_mesh,
)
from lost_engine.geometry.sampling import face_normals_and_areas
from tests.conftest import icosphere


@pytest.mark.parametrize("suffix", [".obj", ".ply", ".glb"])
def test_written_mesh_reads_back_identically(tmp_path, sphere_mesh, suffix):
    verts, faces = sphere_mesh
    path = write_mesh(tmp_path / f"m{suffix}", verts, faces)
    v2, f2 = read_mesh(path)
    assert f2.shape == faces.shape
    np.testing.assert_allclose(v2[f2], verts[faces], atol=1e-5)


@pytest.mark.parametrize("suffix", ["off", "stl"])
def test_off_and_stl_files_are_read(tmp_path, sphere_mesh, suffix):
    import trimesh

    verts, faces = sphere_mesh
    path = tmp_path / f"m.{suffix}"
    trimesh.Trimesh(verts, faces).export(path)
    v2, f2 = read_mesh(path)
    assert len(f2) == len(faces)
    _, areas = face_normals_and_areas(v2, f2)
    _, ref = face_normals_and_areas(verts, faces)
    assert abs(areas.sum() - ref.sum()) < 1e-4


def test_unreadable_mesh_file_gives_clear_error(tmp_path):
    bad = tmp_path / "broken.ply"
    bad.write_bytes(b"ply\nformat garbage\n\x00\x01")
    with pytest.raises(MeshReadError, match="broken.ply"):
        read_mesh(bad)
    with pytest.raises(FileNotFoundError):
        read_mesh(tmp_path / "missing.obj")


def test_normalisation_fits_unit_cube_and_can_be_undone(sphere_mesh):
    verts = sphere_mesh[0] * 7 + np.array([3.0, -2.0, 10.0], np.float32)
    normed, norm = normalize_mesh(verts)
    assert np.isclose(np.abs(normed).max(), 0.95, atol=1e-4)
    np.testing.assert_allclose(norm.undo(normed), verts, atol=1e-4)


def test_surface_samples_lie_on_sphere_with_outward_normals(sphere_mesh):
    verts, faces = icosphere(5, 0.5)
    pts, normals = sample_surface(verts, faces, 5000, np.random.default_rng(0))
    assert np.abs(np.linalg.norm(pts, axis=1) - 0.5).max() < 2e-3
    assert ((pts * normals).sum(1) > 0).all()


def test_queries_mix_near_surface_and_uniform_points(sphere_mesh):
    pts, _ = sample_surface(*sphere_mesh, 1000, np.random.default_rng(0))
    q = sample_queries(pts, 500, 500, np.random.default_rng(1))
    assert q.shape == (1000, 3) and np.abs(q).max() <= 1.0
    near_dist = np.abs(np.linalg.norm(q[:500], axis=1) - 0.5)
    assert np.median(near_dist) < 0.05
    assert np.abs(q[500:]).mean() > 0.4  # uniform in the cube: mean |x| = 0.5


def test_marching_cubes_sphere_area_and_volume_within_one_percent():
    r = 0.6
    verts, faces = field_to_mesh(lambda p: r - p.norm(dim=-1), 128)
    _, areas = face_normals_and_areas(verts, faces)
    tri = verts[faces].astype(np.float64)
    volume = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6
    assert abs(areas.sum() / (4 * math.pi * r * r) - 1) < 0.01
    assert abs(volume / (4 / 3 * math.pi * r**3) - 1) < 0.01  # positive: faces point outward


def test_chunked_grid_evaluation_matches_dense():
    field = lambda p: 0.5 - p.abs().sum(-1)  # noqa: E731
    dense = evaluate_grid(field, 20, chunk=10**9)
    chunked = evaluate_grid(field, 20, chunk=37)
    np.testing.assert_array_equal(dense, chunked)


def test_mesh_touching_the_box_comes_out_closed():
    verts, faces = extract_mesh(np.ones((8, 8, 8), np.float32), 0.0)
    edges = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    assert len(faces) > 0 and (counts == 2).all()


def test_inside_test_handles_a_mesh_with_a_hole():
    verts, faces = icosphere(3, 0.5)
    centroids = verts[faces].mean(1)
    holed = faces[~(centroids[:, 1] > 0.45)]  # cut a cap off the top
    assert len(holed) < len(faces)
    inner = np.array([[0, 0, 0], [0.2, -0.1, 0.1], [0, 0.3, 0]], np.float32)
    outer = np.array([[0.9, 0, 0], [0, -0.8, 0], [0.4, 0.4, 0.4]], np.float32)
    assert inside_mesh(verts, holed, inner).all()
    assert not inside_mesh(verts, holed, outer).any()


def test_mesh_and_field_renders_agree_in_silhouette():
    field = lambda p: 0.3 - (p - torch.tensor([0.1, 0.0, 0.0])).abs().max(-1).values  # noqa: E731 (a cube)
    verts, faces = field_to_mesh(field, 64)
    mesh_r = render_mesh(verts, faces, 64)
    field_r = render_field(field, 64)
    for k in range(mesh_r.mask.shape[0]):
        a, b = mesh_r.mask[k], field_r.mask[k]
        iou = (a & b).sum() / (a | b).sum()
        assert iou > 0.95, (k, float(iou))
    assert (mesh_r.shade[mesh_r.mask] > 0.1).all()
    # depth agrees where both hit
    both = mesh_r.mask & field_r.mask
    assert (mesh_r.depth[both] - field_r.depth[both]).abs().median() < 0.03


def test_rasteriser_covers_large_triangles_and_keeps_the_nearest():
    # Two squares facing the front camera (azimuth 0 looks along -z): a big far one and a small near one.
    big = np.array([[-1, -1, -0.5], [1, -1, -0.5], [1, 1, -0.5], [-1, 1, -0.5]], np.float32)
    small = np.array([[-0.3, -0.3, 0.5], [0.3, -0.3, 0.5], [0.3, 0.3, 0.5], [-0.3, 0.3, 0.5]], np.float32)
    verts = np.concatenate([big, small])
    faces = np.array([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]])
    r = render_mesh(verts, faces, 64, views=[(0.0, 0.0)])
    from lost_engine.geometry.render import VIEW_EXTENT

    expected_big = (2 / (2 * VIEW_EXTENT)) ** 2
    assert abs(r.mask[0].float().mean() - expected_big) < 0.03
    centre = r.depth[0, 32, 32]
    edge = r.depth[0, 32, 12]  # on the big square only
    assert centre < edge and abs((edge - centre) - 1.0) < 0.05


def test_sparse_grid_evaluation_matches_dense_signs_with_fewer_field_calls():
    from lost_engine.data.procedural import make_shape
    from lost_engine.geometry import evaluate_grid, evaluate_grid_sparse

    csg = make_shape("chair", 0, "train").csg  # thin legs and back slats
    counts = []

    def field(p):
        counts.append(len(p))
        return csg.occupancy_field(p)

    dense = evaluate_grid(field, 64)
    n_dense = sum(counts)
    counts.clear()
    sparse = evaluate_grid_sparse(field, 64)
    assert np.array_equal(dense > 0, sparse > 0)
    assert sum(counts) < 0.6 * n_dense


def test_sparse_grid_falls_back_to_dense_when_the_coarse_grid_misses_a_thin_shape():
    from lost_engine.geometry import evaluate_grid, evaluate_grid_sparse

    def plate(p):  # a slab 0.03 thick: between two samples of the 17^3 coarse grid
        return 0.015 - (p[:, 2] - 0.05).abs()

    dense, sparse = evaluate_grid(plate, 64), evaluate_grid_sparse(plate, 64)
    assert (dense > 0).any() and np.array_equal(dense > 0, sparse > 0)


def test_sparse_grid_margin_keeps_a_thin_rod_that_lies_between_coarse_samples():
    from lost_engine.geometry import evaluate_grid, evaluate_grid_sparse

    def ball_and_rod(p):  # logit-like: 20 per unit inside; a rod of radius 0.03 whose axis misses the coarse samples
        ball = 0.5 - p.norm(dim=-1)
        rod_axis = torch.stack([p[:, 1] - 0.05, p[:, 2] - 0.05], dim=-1).norm(dim=-1)
        rod = torch.minimum(0.03 - rod_axis, 0.9 - p[:, 0].abs())
        return 20 * torch.maximum(ball, rod)

    dense = evaluate_grid(ball_and_rod, 64)
    assert (dense[np.abs(np.linspace(-1, 1, 64)) > 0.6] > 0).any()  # the rod reaches past the ball
    kept = evaluate_grid_sparse(ball_and_rod, 64, coarse_step=4, margin=2.0)
    assert np.array_equal(dense > 0, kept > 0)
    lost = evaluate_grid_sparse(ball_and_rod, 64, coarse_step=4, margin=0.0)  # signs only: the rod's ends vanish
    assert (dense > 0).sum() > (lost > 0).sum()


def test_remove_floaters_drops_small_loose_parts_and_their_vertices(sphere_mesh):
    from lost_engine.geometry import count_parts, remove_floaters

    verts, faces = sphere_mesh
    speck = verts * 0.05 + 3.0  # a tiny sphere far away: 0.25 % of the area
    both_v = np.concatenate([verts, speck]).astype(np.float32)
    both_f = np.concatenate([faces, faces + len(verts)])
    assert count_parts(both_v, both_f, 0.0) == 2 and count_parts(both_v, both_f, 0.01) == 1
    v, f = remove_floaters(both_v, both_f, 0.01)
    assert len(v) == len(verts) and len(f) == len(faces) and v.max() < 1.0 and f.max() == len(v) - 1


def test_mesh_cleanup_smooths_noise_without_shrinking_and_decimates_to_the_budget(sphere_mesh):
    from lost_engine.geometry import MeshCleanup

    verts, faces = sphere_mesh
    noisy = (verts * (1 + 0.03 * np.random.default_rng(0).standard_normal((len(verts), 1)))).astype(np.float32)
    v, f = MeshCleanup()(noisy, faces)
    assert np.array_equal(v, noisy) and np.array_equal(f, faces)  # the default only removes floaters

    def spread(v):  # how far the radii stray from their mean
        return float(np.linalg.norm(v, axis=1).std())

    v, f = MeshCleanup(smooth_iterations=10)(noisy, faces)
    assert len(f) == len(faces) and spread(v) < 0.5 * spread(noisy)
    assert abs(np.linalg.norm(v, axis=1).mean() - np.linalg.norm(noisy, axis=1).mean()) < 0.02  # Taubin: no shrinking
    v, f = MeshCleanup(max_faces=len(faces) // 4)(noisy, faces)
    assert len(f) <= len(faces) // 4 and f.max() < len(v) and v.dtype == np.float32


def test_y_up_meshes_stand_upright_in_a_z_up_scene_on_the_floor():
    from lost_engine.geometry import Placement, stand_on_floor, y_up_to_z_up, z_up_to_y_up

    tall = np.array([[0.1, -0.9, 0.2], [0.3, 0.9, -0.2]], np.float32)  # tall along Y
    z = y_up_to_z_up(tall)
    assert np.allclose(z[:, 2], [-0.9, 0.9]) and np.allclose(z_up_to_y_up(z), tall)
    standing = stand_on_floor(z, 0.5)
    assert standing[:, 2].min() == 0.0 and np.allclose(standing[:, 2].max(), 0.9)
    assert np.allclose(standing[:, :2].min(0), -standing[:, :2].max(0))
    placed = Placement(z_up=True, size_m=1.8, model_extent=1.8).apply(tall)
    assert np.allclose(placed[:, 2].max(), 1.8)
