import json

import numpy as np
import pytest
import torch

from lost_engine.cli import main as cli
from lost_engine.geometry import read_mesh, write_mesh
from lost_engine.pipeline import Cancelled, Pipeline

from conftest import icosphere


@pytest.fixture(scope="module")
def pipe(micro_weights):
    return Pipeline.load(micro_weights, "cpu", resolution=24)


def _tokens(pipe, seed=0):
    return torch.randn(pipe.max_tokens, pipe.tokenizer.config.token_dim, generator=torch.Generator().manual_seed(seed))


def test_decode_gives_a_mesh_per_level_and_serves_repeats_from_the_cache(pipe):
    tokens = _tokens(pipe)
    first = pipe.decode(tokens, [1, 2, 8], seed=3)
    assert sorted(first) == [1, 2, 8]
    assert all(len(level.faces) > 0 and level.seconds > 0 for level in first.values())
    again = pipe.decode(tokens, [8, 2], seed=3)
    assert all(again[k].seconds == 0.0 and np.array_equal(again[k].vertices, first[k].vertices) for k in (2, 8))
    other_seed = pipe.decode(tokens, [8], seed=4)[8]
    assert other_seed.seconds > 0  # a different seed is a different cache entry


def test_decode_rejects_token_counts_outside_the_range(pipe):
    with pytest.raises(ValueError, match="1..8"):
        pipe.decode(_tokens(pipe), [0, 2])
    with pytest.raises(ValueError, match="1..8"):
        pipe.decode(_tokens(pipe), [9])


def test_cancel_stops_the_decode_and_caches_nothing(pipe):
    tokens = _tokens(pipe, seed=5)
    with pytest.raises(Cancelled):
        pipe.decode(tokens, [1, 4], cancel=lambda: True)
    assert pipe.decode(tokens, [1])[1].seconds > 0


def test_progress_reaches_one(pipe):
    seen = []
    pipe.decode(_tokens(pipe, seed=6), [1, 2, 4], progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_encode_command_writes_meshes_in_the_input_frame(micro_weights, tmp_path):
    verts, faces = icosphere(3, 0.5)
    src = write_mesh(tmp_path / "ball.ply", verts * 6.0 + np.array([10.0, 0, 0], np.float32), faces)
    out = tmp_path / "out"
    assert cli(["encode", str(src), "--tokens", "1,4,8", "--out", str(out), "--weights", str(micro_weights),
                "--resolution", "24", "--device", "cpu"]) == 0
    summary = json.loads((out / "ball_summary.json").read_text())
    assert summary["tokens"] == [1, 4, 8] and (out / "ball_sheet.png").stat().st_size > 0
    v, _ = read_mesh(summary["meshes"]["8"])
    assert abs(float(v.mean(0)[0]) - 10.0) < 1.5 and 2.0 < float(np.ptp(v[:, 0])) < 8.0  # mapped back to the input


def test_encode_command_rejects_bad_input_with_exit_code_2(micro_weights, tmp_path, capsys):
    bad = tmp_path / "notamesh.obj"
    bad.write_text("this is not a mesh\n")
    assert cli(["encode", str(bad), "--out", str(tmp_path / "o"), "--weights", str(micro_weights)]) == 2
    assert "notamesh.obj" in capsys.readouterr().err
    verts, faces = icosphere(2, 0.5)
    good = write_mesh(tmp_path / "b.obj", verts, faces)
    assert cli(["encode", str(good), "--tokens", "1,99", "--out", str(tmp_path / "o"), "--weights", str(micro_weights)]) == 2
    assert "1..8" in capsys.readouterr().err
