import numpy as np

from lost_engine.metrics import chamfer_distance, f_score, nearest_distances, volume_iou


def _brute_nn(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)).min(1)


def test_nearest_distances_match_brute_force():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(-1, 1, (300, 3)).astype(np.float32), rng.uniform(-1, 1, (200, 3)).astype(np.float32)
    np.testing.assert_allclose(nearest_distances(a, b).numpy(), _brute_nn(a, b), rtol=1e-4, atol=1e-5)
    close = b[:50] + 1e-5  # near-coincident points keep their tiny distances
    np.testing.assert_allclose(nearest_distances(close, b).numpy(), np.full(50, 1e-5 * 3 ** 0.5), rtol=1e-2)


def test_chamfer_and_fscore_match_numpy_reference():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-1, 1, (400, 3)).astype(np.float32), rng.uniform(-1, 1, (350, 3)).astype(np.float32)
    da, db = _brute_nn(a, b), _brute_nn(b, a)
    assert np.isclose(chamfer_distance(a, b), 0.5 * (da.mean() + db.mean()), rtol=1e-4)
    p, r = (da < 0.1).mean(), (db < 0.1).mean()
    assert np.isclose(f_score(a, b, tau=0.1), 2 * p * r / (p + r), rtol=1e-5)
    assert chamfer_distance(a, a) == 0 and f_score(a, a) == 1.0


def test_volume_iou_matches_set_definition():
    rng = np.random.default_rng(2)
    x, y = rng.random(1000) > 0.5, rng.random(1000) > 0.3
    assert np.isclose(volume_iou(x, y), (x & y).sum() / (x | y).sum())
    assert volume_iou(x, x) == 1.0
