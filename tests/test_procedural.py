import json

import numpy as np
import pytest
import torch

from lost_engine.data.procedural import CATEGORIES, SYNONYMS, main as procedural_cli, make_shape
from lost_engine.data.samples import SampleSpec, sample_analytic


def test_there_are_at_least_sixteen_categories():
    assert len(CATEGORIES) >= 16


@pytest.mark.parametrize("category", CATEGORIES)
def test_sdf_sign_is_right_at_known_inside_and_outside_points(category):
    shape = make_shape(category, 3)
    s = sample_analytic(shape.csg, SampleSpec(surface_points=256, queries=64), np.random.default_rng(0))
    pts, normals = torch.from_numpy(s["surface"]), torch.from_numpy(s["normals"])
    with torch.no_grad():
        assert shape.csg.sdf(pts).abs().max() < 1e-3  # samples lie on the surface
        assert (shape.csg.sdf(pts - 0.0015 * normals) < 0).float().mean() > 0.95  # just inside (sharp tips and rims excepted)
        assert (shape.csg.sdf(pts + 0.0015 * normals) > 0).float().mean() > 0.95  # just outside
        corners = torch.tensor([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=torch.float32)
        assert (shape.csg.sdf(corners * 0.99) > 0).all()  # the cube's corners are empty
    assert np.abs(s["surface"]).max() <= 0.95  # fitted into the unit cube with a margin


def test_shapes_are_deterministic_and_splits_differ():
    a, b = make_shape("chair", 5), make_shape("chair", 5)
    assert a.caption == b.caption and a.csg.center == b.csg.center and a.csg.scale == b.csg.scale
    p = torch.rand(100, 3) * 2 - 1
    assert torch.equal(a.csg.sdf(p), b.csg.sdf(p))
    c = make_shape("chair", 5, "heldout")
    assert not torch.allclose(a.csg.sdf(p), c.csg.sdf(p))


def test_captions_name_the_category_and_keep_the_last_synonym_unseen():
    for category in CATEGORIES:
        caps = [make_shape(category, i, fit=False).caption for i in range(30)]
        assert all(any(noun in c for noun in SYNONYMS[category][:-1]) for c in caps), category
        assert not any(f" {SYNONYMS[category][-1]}" in f" {c}" and SYNONYMS[category][-1] not in " ".join(SYNONYMS[category][:-1])
                       for c in caps)


def test_cli_writes_meshes_captions_and_contact_sheet(tmp_path):
    procedural_cli(["--out", str(tmp_path), "--per-category", "1", "--resolution", "32"])
    lines = (tmp_path / "captions.jsonl").read_text().splitlines()
    assert len(lines) == len(CATEGORIES)
    rec = json.loads(lines[0])
    assert (tmp_path / rec["file"]).exists() and rec["caption"]
    assert (tmp_path / "contact_sheet.png").stat().st_size > 1000


def test_heldout_captions_use_the_synonym_training_captions_never_use():
    from lost_engine.data.procedural import CATEGORIES, SYNONYMS

    for category in CATEGORIES:
        unseen = SYNONYMS[category][-1]
        held = [make_shape(category, i, "heldout", fit=False).caption for i in range(3)]
        train = [make_shape(category, i, "train", fit=False).caption for i in range(20)]
        assert all(f" {unseen} " in f" {c} ".replace(",", " ") for c in held), held
        assert not any(f" {unseen} " in f" {c} ".replace(",", " ") for c in train), train
