import warnings

import numpy as np
import pytest

from lost_engine.data.cache import prepare
from lost_engine.data.datasets import build_dataset
from lost_engine.data.samples import SampleSpec
from lost_engine.data.sources import MeshFolderSource
from lost_engine.geometry import write_mesh
from tests.conftest import icosphere

SMALL = SampleSpec(surface_points=128, queries=256)


@pytest.fixture
def mesh_folder(tmp_path):
    verts, faces = icosphere(2, 0.5)
    write_mesh(tmp_path / "ball" / "a.obj", verts, faces)
    write_mesh(tmp_path / "ball" / "b.ply", verts * 3 + 1, faces)
    (tmp_path / "ball" / "corrupt.stl").write_bytes(b"solid nothing\nendsolid")
    (tmp_path / "ball" / "truncated.ply").write_bytes(b"ply\nformat binary_little_endian 1.0\nelement vertex 100\n")
    return tmp_path


def test_mesh_folder_skips_bad_files_with_a_warning_naming_them(mesh_folder, tmp_path_factory):
    source = MeshFolderSource(mesh_folder)
    cache = tmp_path_factory.mktemp("cache")
    with pytest.warns(UserWarning) as record:
        items = prepare(source, cache, SMALL, progress=False)
    messages = " ".join(str(w.message) for w in record)
    assert "corrupt.stl" in messages and "truncated.ply" in messages
    assert sorted(it.key for it in items) == ["ball__a_obj", "ball__b_ply"]


def test_second_preparation_does_no_work(mesh_folder, tmp_path_factory, monkeypatch):
    source = MeshFolderSource(mesh_folder)
    cache = tmp_path_factory.mktemp("cache")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepare(source, cache, SMALL, progress=False)
    monkeypatch.setattr(MeshFolderSource, "sample", lambda *a: pytest.fail("re-processed a cached shape"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # known-bad files are not retried nor warned about again
        assert len(prepare(source, cache, SMALL, progress=False)) == 2


def test_mesh_samples_are_normalised_and_labelled_by_winding_number(mesh_folder, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = build_dataset(str(mesh_folder), cache_root=tmp_path / "c", spec=SMALL)
    item = ds[1]  # the scaled, shifted copy
    assert np.abs(item["surface"].numpy()).max() <= 0.951
    radius = item["queries"].norm(dim=-1)
    inside = item["occupancy"] > 0.5
    assert (radius[inside] < 0.96).all() and (radius[~inside] > 0.9).all()


def test_procedural_dataset_yields_consistent_items(tmp_path):
    ds = build_dataset("procedural", "train", 1, tmp_path, SMALL, queries_per_item=64)
    assert len(ds) == len(ds.categories)
    item = ds[0]
    assert item["surface"].shape == (128, 3) and item["queries"].shape == (64, 3)
    assert 0 < float(ds.array("occupancy", 0).mean()) < 1  # half the queries hug the surface: both labels occur
    assert item["label"] == 0 and ds.captions[0]


def test_procedural_data_can_name_some_categories_and_refuses_unknown_ones():
    from lost_engine.data.sources import cache_name, open_source

    source = open_source("procedural:mug, chair", "train", 2)
    assert source.categories == ("mug", "chair") and [it.category for it in source.items] == [
        "mug",
        "mug",
        "chair",
        "chair",
    ]
    assert cache_name("procedural:mug", "train") == cache_name("procedural", "train")  # one file per shape: shared
    with pytest.raises(ValueError, match="dragon"):
        open_source("procedural:chair,dragon")
