import numpy as np
import pytest
import trimesh

from lost_engine.metrics import surface_distances, surface_metrics, volume_iou

SQUARE_V = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], np.float32)  # the unit square in z = 0
SQUARE_F = np.array([[0, 1, 2], [0, 2, 3]])


def test_surface_distances_are_exact_distances_to_the_triangles():
    points = np.array([[0.5, 0.5, 0.3], [0.2, 0.7, -0.05], [2.0, 0.5, 0.0], [2.0, 2.0, 1.0], [0.25, 0.25, 0.0]])
    expected = [0.3, 0.05, 1.0, np.sqrt(3.0), 0.0]  # above, below, off an edge, off a corner, on it
    np.testing.assert_allclose(surface_distances(points, SQUARE_V, SQUARE_F), expected, atol=1e-6)


def test_a_mesh_is_zero_from_itself_and_concentric_spheres_are_their_gap_apart():
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.5)
    v, f = np.asarray(sphere.vertices), np.asarray(sphere.faces)
    same = surface_metrics(v, f, v, f)
    assert same["chamfer"] < 1e-4 and same["fscore"] == 1.0  # no sampling floor (point-to-point: about 1 here)
    bigger = surface_metrics(v * 1.2, f, v, f, tau=0.05)  # every point of either sphere is 0.1 from the other
    assert bigger["chamfer"] == pytest.approx(10.0, abs=0.2) and bigger["fscore"] == 0.0
    assert surface_metrics(v * 1.2, f, v, f, tau=0.15)["fscore"] == 1.0
    assert surface_metrics(v, f[:0], v, f) == {"chamfer": float("inf"), "fscore": 0.0}


def test_volume_iou_matches_set_definition():
    rng = np.random.default_rng(2)
    x, y = rng.random(1000) > 0.5, rng.random(1000) > 0.3
    assert np.isclose(volume_iou(x, y), (x & y).sum() / (x | y).sum())
    assert volume_iou(x, x) == 1.0


def test_frechet_distance_is_zero_for_one_set_and_the_squared_shift_for_a_moved_one():
    from lost_engine.metrics import frechet_distance

    feats = np.random.default_rng(0).normal(size=(400, 8))
    assert frechet_distance(feats, feats) == pytest.approx(0.0, abs=1e-6)
    shift = np.zeros(8)
    shift[0] = 3.0
    assert frechet_distance(feats, feats + shift) == pytest.approx(9.0, abs=1e-6)
    assert frechet_distance(feats, 2 * feats) > 1.0  # a wider spread is further away too
    with pytest.raises(ValueError, match="at least two"):
        frechet_distance(feats[:1], feats)
