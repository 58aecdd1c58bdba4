"""Mesh-folder preprocessing at scale: parallel, sharded, resumable, bad files reported."""

import numpy as np
import pytest
import torch

from lost_engine.data import prepare
from lost_engine.data.datasets import build_dataset
from lost_engine.data.samples import SampleSpec
from lost_engine.data.shards import read_index
from lost_engine.geometry import write_mesh
from train import vae as train_vae

from conftest import icosphere

SPEC = SampleSpec(surface_points=64, queries=128)


def _folder(tmp_path, n_per_category=3):
    root = tmp_path / "meshes"
    for c, category in enumerate(("ball", "bead")):
        for i in range(n_per_category):
            write_mesh(root / category / f"m{i}.obj", *icosphere(2, 0.2 + 0.1 * i + 0.05 * c))
    (root / "ball" / "broken.obj").write_text("this is not a mesh\n")
    return root


def test_prepare_shards_reports_the_bad_file_and_a_second_run_does_no_work(tmp_path, monkeypatch):
    root, out = _folder(tmp_path), tmp_path / "cache"
    report = prepare.prepare_folder(root, out, workers=1, shard_size=4, spec=SPEC, progress=False)
    assert report["shapes"] == 6 and report["shards"] == 2 and list(report["failed_now"]) == ["ball__broken_obj"]
    index = read_index(out)
    assert [len(s["keys"]) for s in index["shards"]] == [4, 2] and index["categories"] == ["ball", "bead"]
    assert "broken.obj" in index["failed"]["ball__broken_obj"]
    assert not list((out / "pending").iterdir())  # everything packed

    calls = []
    monkeypatch.setattr(prepare, "prepare_one", lambda job: calls.append(job) or (job[1].key, None))
    again = prepare.prepare_folder(root, out, workers=1, shard_size=4, spec=SPEC, progress=False)
    assert calls == [] and again["new"] == 0 and again["skipped"] == 7 and again["shards"] == 2


def test_an_interrupted_run_packs_its_pending_samples_and_computes_only_the_rest(tmp_path, monkeypatch):
    root, out = _folder(tmp_path), tmp_path / "cache"
    real = prepare.prepare_one
    done = []

    def first_three_then_killed(job):
        if len(done) == 3:
            raise KeyboardInterrupt  # the run dies here
        done.append(job[1].key)
        return real(job)

    monkeypatch.setattr(prepare, "prepare_one", first_three_then_killed)
    try:
        prepare.prepare_folder(root, out, workers=1, shard_size=4, spec=SPEC, progress=False)
    except KeyboardInterrupt:
        pass
    assert "ball__broken_obj" in done  # sorted first: recorded as failed, not pending
    assert len(list((out / "pending").iterdir())) == 2 and read_index(out)["shards"] == []
    computed = []
    monkeypatch.setattr(prepare, "prepare_one", lambda job: computed.append(job[1].key) or real(job))
    report = prepare.prepare_folder(root, out, workers=1, shard_size=4, spec=SPEC, progress=False)
    assert report["shapes"] == 6 and not set(computed) & set(done)


@pytest.mark.slow
def test_the_cli_runs_workers_in_parallel_and_vae_training_streams_the_shards(tmp_path, capsys):
    root, out = _folder(tmp_path, 2), tmp_path / "cache"
    assert (
        prepare.main(
            [
                str(root),
                "--out",
                str(out),
                "--workers",
                "2",
                "--shard-size",
                "3",
                "--surface-points",
                "256",
                "--queries",
                "512",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "skipped bad file" in captured.err and "broken.obj" in captured.err
    assert "4 shapes in 2 shards" in captured.out

    ds = build_dataset(str(out), queries_per_item=100)
    assert len(ds) == 4 and ds.categories == ("ball", "bead")
    assert isinstance(ds.parts[0]["surface"], np.memmap)  # streamed from disk, not loaded
    item = ds[3]
    assert item["surface"].shape == (256, 3) and item["queries"].shape == (100, 3)
    assert ds.categories[item["label"]] == ds.items[3].category
    norms = item["surface"].norm(dim=-1)
    assert 0.8 < float(norms.mean()) < 1.0 and float(norms.std()) < 0.05  # a normalised sphere's surface

    train_vae.main(
        [
            "--data",
            str(out),
            "--steps",
            "2",
            "--batch-size",
            "2",
            "--queries",
            "64",
            "--surface-points",
            "128",
            "--out",
            str(tmp_path / "run"),
            "--latents",
            str(tmp_path / "lat"),
            "--export",
            str(tmp_path / "vae.safetensors"),
            "--log-every",
            "1",
        ]
    )
    from lost_engine.data.latents import load_latents

    latents = load_latents(tmp_path / "lat" / "vae" / "train.safetensors")
    assert latents.latents.shape[0] == 4 and torch.isfinite(latents.latents).all()
    assert latents.keys == [it.key for it in ds.items]
