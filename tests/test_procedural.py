import json

import numpy as np
import pytest
import torch

from lost_engine.data.procedural import (
    CATEGORIES,
    FIT_MARGIN,
    MIN_PART_RADIUS,
    REAL_SIZE_M,
    SYNONYMS,
    THING_NOUNS,
    main as procedural_cli,
    make_shape,
    named_category,
    shape_diameter,
    typical_size_m,
)
from lost_engine.data.samples import SampleSpec, sample_analytic
from lost_engine.data.shape_families import WORLD
from lost_engine.geometry import count_parts, evaluate_grid_sparse, extract_mesh


def test_the_world_has_forty_categories_of_three_sub_types_or_more_in_every_group():
    assert len(CATEGORIES) >= 40
    assert all(len(WORLD[c].subtypes) >= 3 for c in CATEGORIES), [c for c in CATEGORIES if len(WORLD[c].subtypes) < 3]
    groups = {WORLD[c].group for c in CATEGORIES}
    assert groups == {
        "furniture",
        "kitchenware",
        "lighting",
        "plants",
        "vehicles",
        "aircraft and boats",
        "buildings",
        "tools and instruments",
        "everyday objects",
    }
    nouns = [n for c in CATEGORIES for n in THING_NOUNS[c]]
    assert len(nouns) == len(set(nouns)), {n for n in nouns if nouns.count(n) > 1}  # one thing per noun


def _instances(category):
    """One instance of every sub-type, and a second of the first (index n: another draw)."""
    n = len(WORLD[category].subtypes)
    return [make_shape(category, i) for i in (*range(n), n)]


@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_instance_is_one_deterministic_watertight_piece_upright_in_the_unit_cube_with_no_part_too_thin(category):
    for shape in _instances(category):
        what = f"{category}/{shape.subtype} #{shape.index}"
        grid = evaluate_grid_sparse(shape.csg.occupancy_field, 96, margin=0.03)
        verts, faces = extract_mesh(grid, 0.0)
        assert count_parts(verts, faces, 0.001) == 1, what  # every loose part counts but sub-voxel slivers
        import trimesh

        assert trimesh.Trimesh(verts, faces).is_watertight, what
        lo, hi = verts.min(0), verts.max(0)
        assert np.abs(verts).max() <= FIT_MARGIN + 0.03, what
        assert abs((hi - lo).max() - 2 * FIT_MARGIN) < 0.1, (what, hi - lo)  # the longest side fills the cube
        # y is up: the centre of mass stands over the footprint (what touches the floor)
        inside = evaluate_grid_sparse(shape.csg.occupancy_field, 48, margin=0.05) > 0
        axis = np.linspace(-1, 1, 48)
        mass = np.argwhere(inside)
        com = axis[mass].mean(0)
        foot = verts[verts[:, 1] < lo[1] + 0.04]
        assert (foot[:, [0, 2]].min(0) - 0.05 <= com[[0, 2]]).all() and (
            com[[0, 2]] <= foot[:, [0, 2]].max(0) + 0.05
        ).all(), what
        # thin parts at or above the minimum: under 5% of the surface (edges, tips, rims) thinner
        sample = sample_analytic(shape.csg, SampleSpec(surface_points=1024, queries=16), np.random.default_rng(0))
        thickness = shape_diameter(shape.csg, sample["surface"], sample["normals"])
        assert (thickness < 2 * MIN_PART_RADIUS * 0.9).mean() < 0.05, (what, np.quantile(thickness, 0.05))
        size = WORLD[category].subtype(shape.subtype).size_m
        assert 0.6 * size <= shape.size_m <= 1.6 * size, (what, shape.size_m, size)
        # deterministic in (category, index, split); the held-out split is another shape
        p = torch.rand(2000, 3, generator=torch.Generator().manual_seed(shape.index)) * 2 - 1
        again, heldout = make_shape(category, shape.index), make_shape(category, shape.index, "heldout")
        with torch.no_grad():
            assert torch.equal(shape.csg.sdf(p), again.csg.sdf(p)) and again.caption == shape.caption, what
            assert not torch.allclose(shape.csg.sdf(p), heldout.csg.sdf(p)), what


def test_shapes_are_deterministic_in_category_index_and_split():
    a, b = make_shape("chair", 5), make_shape("chair", 5)
    assert a.caption == b.caption and a.csg.center == b.csg.center and a.csg.scale == b.csg.scale
    p = torch.rand(500, 3) * 2 - 1
    assert torch.equal(a.csg.sdf(p), b.csg.sdf(p))
    assert not torch.allclose(a.csg.sdf(p), make_shape("chair", 5, "heldout").csg.sdf(p))
    assert not torch.allclose(a.csg.sdf(p), make_shape("chair", 9).csg.sdf(p))  # the same sub-type, another draw


def test_sub_types_take_turns_and_each_instance_knows_its_real_size():
    n = len(WORLD["table"].subtypes)
    assert [make_shape("table", i).subtype for i in range(2 * n)] == [s.name for s in WORLD["table"].subtypes] * 2
    assert 0.1 < make_shape("mug", 0).size_m < 0.3 and 20 < make_shape("airplane", 0).size_m < 50
    assert 0.7 < REAL_SIZE_M["chair"] < 1.2
    assert (
        typical_size_m("lamp", "a tall floor lamp") == 1.55 and typical_size_m("lamp", "a lamp") == REAL_SIZE_M["lamp"]
    )
    assert typical_size_m("car", "a red sports car") == 4.4 and typical_size_m(None, "a dragon") is None


@pytest.mark.parametrize("category", ["chair", "mug", "tree"])
def test_sdf_sign_is_right_at_known_inside_and_outside_points(category):
    shape = make_shape(category, 3)
    s = sample_analytic(shape.csg, SampleSpec(surface_points=256, queries=64), np.random.default_rng(0))
    pts, normals = torch.from_numpy(s["surface"]), torch.from_numpy(s["normals"])
    with torch.no_grad():
        assert shape.csg.sdf(pts).abs().max() < 1e-3
        assert (shape.csg.sdf(pts - 0.0015 * normals) < 0).float().mean() > 0.95
        assert (shape.csg.sdf(pts + 0.0015 * normals) > 0).float().mean() > 0.95


def test_shape_diameter_measures_a_rod_across():
    from lost_engine.data.sdf import CSGShape, Part

    rod = CSGShape([Part("cylinder", dict(a=(0, -0.8, 0), b=(0, 0.8, 0), radius=0.05))])
    points = np.array([[0.05, 0.0, 0.0], [0.0, 0.3, -0.05]], np.float32)
    normals = np.array([[1, 0, 0], [0, 0, -1]], np.float32)
    assert np.allclose(shape_diameter(rod, points, normals), 0.1, atol=0.004)


def test_captions_name_the_thing_and_keep_the_last_synonym_unseen():
    for category in CATEGORIES:
        unseen = SYNONYMS[category][-1]
        train = [make_shape(category, i).caption for i in range(24)]
        assert all(named_category(c) == category for c in train), (
            category,
            [c for c in train if named_category(c) != category],
        )
        assert not any(f" {unseen} " in f" {c} ".replace(",", " ") for c in train), (category, unseen)
        held = [make_shape(category, i, "heldout").caption for i in range(3)]
        assert all(f" {unseen} " in f" {c} ".replace(",", " ") for c in held), held
    held_out = {SYNONYMS[c][-1]: c for c in CATEGORIES}  # no category's captions use another's held-out noun
    assert not [(c, n) for c, nouns in THING_NOUNS.items() for n in nouns if held_out.get(n, c) != c]


def test_captions_carry_sub_types_materials_counts_and_sizes():
    shapes = [make_shape(c, i) for c in CATEGORIES for i in range(8)]
    own_noun = [any(n in s.caption for n in WORLD[s.category].subtype(s.subtype).nouns) for s in shapes]
    assert 0.4 < np.mean(own_noun) < 0.9  # often the sub-type's own name, often the category's
    material = [any(m in s.caption.split() for m in WORLD[s.category].materials) for s in shapes]
    assert 0.3 < np.mean(material) < 0.7
    text = " ".join(s.caption for s in shapes)
    for phrase in ("four legs", " cm ", " m long", " m tall", "an "):
        assert phrase in text, phrase
    assert not any(" a a" in s.caption or "an a " in s.caption for s in shapes)


def test_named_category_reads_compounds_and_sub_types():
    assert named_category("a table lamp") == "lamp" and named_category("a lamp on a table") == "lamp"
    assert named_category("a kettle drum") == "drum" and named_category("a bonsai tree") == "potted_plant"
    assert named_category("a red dirt bike") == "motorbike" and named_category("a mountain bike") == "bicycle"
    assert named_category("an oak table") == "table" and named_category("a dragon") is None
    assert named_category("a chair", {"seat": ["chair"]}) == "seat"  # another model's own nouns


@pytest.mark.slow
def test_cli_writes_meshes_captions_and_a_world_sheet(tmp_path):
    procedural_cli(["--out", str(tmp_path), "--per-category", "1", "--resolution", "32"])
    lines = (tmp_path / "captions.jsonl").read_text().splitlines()
    assert len(lines) == len(CATEGORIES)
    rec = json.loads(lines[0])
    assert (tmp_path / rec["file"]).exists() and rec["caption"] and rec["subtype"] and rec["size_m"] > 0
    procedural_cli(["--sheet", str(tmp_path / "world.png"), "--per-subtype", "1"])
    assert (tmp_path / "world.png").stat().st_size > 10_000
