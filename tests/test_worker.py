import sys
from array import array
from pathlib import Path

import pytest

from lost_engine.protocol import WorkerClient, WorkerError, as_array

from conftest import icosphere

ROOT = str(Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def client(micro_weights):
    c = WorkerClient(
        sys.executable,
        ROOT,
        ["--weights", str(micro_weights), "--device", "cpu", "--resolution", "24", "--threads", "1"],
    )
    ready, _ = c.wait(0, timeout=120)
    assert ready["type"] == "ready" and ready["max_tokens"] == 8 and ready["can_generate"]
    yield c
    c.stop()


def test_generate_returns_tokens_and_one_mesh_per_level_with_progress(client):
    progress = []
    rid = client.send("generate", prompt="a tall lamp", seed=1, levels=[1, 4, 8])
    header, arrays = client.wait(
        rid, on_message=lambda h, a: progress.append(h.get("fraction")) if h["type"] == "progress" else None
    )
    assert header["type"] == "result" and header["levels"] == [1, 4, 8]
    assert header["rewrites"] == []  # no lexicon in these weights: the prompt goes in as typed
    assert arrays["tokens"][1] == (8, 8)
    for k in (1, 4, 8):
        verts, faces = as_array(arrays[f"v{k}"]), as_array(arrays[f"f{k}"])
        assert isinstance(verts, array) and len(verts) == 3 * arrays[f"v{k}"][1][0] > 0
        assert max(faces) < len(verts) // 3
    assert progress and progress == sorted(progress)
    again, arrays2 = client.wait(client.send("decode", seed=1, levels=[4], arrays={"tokens": arrays["tokens"]}))
    assert again["seconds"]["4"] == 0.0 and arrays2["v4"][2] == arrays["v4"][2]  # cached: same mesh, no work


def test_a_restarted_worker_decodes_the_tokens_a_client_held(client, micro_weights):
    header, arrays = client.wait(client.send("generate", prompt="a round table", seed=4, levels=[8]))
    fresh = WorkerClient(
        sys.executable,
        ROOT,
        ["--weights", str(micro_weights), "--device", "cpu", "--resolution", "24", "--threads", "1"],
    )
    try:
        again, arrays2 = fresh.wait(
            fresh.send("decode", seed=4, levels=[8], arrays={"tokens": arrays["tokens"]}), timeout=120
        )
    finally:
        fresh.stop()
    assert again["type"] == "result" and arrays2["v8"][2] == arrays["v8"][2]


def test_z_up_placement_stands_the_result_on_the_floor_at_its_real_size(client):
    header, arrays = client.wait(
        client.send("generate", prompt="a tall lamp", seed=1, levels=[8], placement={"z_up": True, "size_m": 3.6})
    )
    xyz = as_array(arrays["v8"])
    xs, ys, zs = xyz[0::3], xyz[1::3], xyz[2::3]
    assert abs(min(zs)) < 1e-5 and abs(max(xs) + min(xs)) < 1e-4 and abs(max(ys) + min(ys)) < 1e-4
    assert header["size_m"] == 3.6
    assert 0.5 < max(max(v) - min(v) for v in (xs, ys, zs)) < 4.0  # 2 model units per 1.8 -> 3.6 m at most


def test_cancel_stops_a_running_job_and_the_worker_keeps_serving(client):
    rid = client.send("generate", prompt="a chair", seed=3, levels=list(range(1, 9)))
    client.send("cancel", target=rid)
    header, _ = client.wait(rid)
    assert header["type"] == "cancelled"
    assert client.wait(client.send("hello"))[0]["type"] == "result"


def test_bad_requests_answer_errors_without_killing_the_worker(client):
    assert "needs the array 'tokens'" in client.wait(client.send("decode", levels=[1]))[0]["message"]
    wrong = ("f4", (3, 5), bytes(60))
    assert (
        "do not fit this model"
        in client.wait(client.send("decode", levels=[1], arrays={"tokens": wrong}))[0]["message"]
    )
    assert "empty prompt" in client.wait(client.send("generate", prompt="  "))[0]["message"]
    assert "1..8" in client.wait(client.send("generate", prompt="a mug", levels=[0]))[0]["message"]
    assert "unknown operation" in client.wait(client.send("explode"))[0]["message"]
    assert client.alive


def test_encode_tokenizes_a_mesh_and_returns_decodes_in_its_frame(client):
    verts, faces = icosphere(2, 0.5)
    verts = verts * 4.0 + 20.0
    rid = client.send(
        "encode",
        levels=[1, 8],
        arrays={
            "vertices": ("f4", verts.shape, verts.tobytes()),
            "faces": ("i4", faces.shape, faces.astype("int32").tobytes()),
        },
    )
    header, arrays = client.wait(rid)
    assert header["type"] == "result" and set(header["normalization"]) == {"center", "scale"}
    xs = as_array(arrays["v8"])[0::3]
    assert 17.0 < sum(xs) / len(xs) < 23.0  # back in the input's frame
    variation = client.wait(client.send("variation", keep=2, arrays={"tokens": arrays["tokens"]}))[0]
    assert variation["type"] == "error" and "encoded mesh" in variation["message"]


def test_an_encoded_z_up_mesh_comes_back_in_its_own_z_up_frame(client):
    verts, faces = icosphere(2, 0.5)
    verts = (verts * [1.0, 1.0, 3.0]).astype("float32")  # tall along Z
    header, arrays = client.wait(
        client.send(
            "encode",
            levels=[8],
            placement={"z_up": True},
            arrays={
                "vertices": ("f4", verts.shape, verts.tobytes()),
                "faces": ("i4", faces.shape, faces.astype("int32").tobytes()),
            },
        )
    )
    xyz = as_array(arrays["v8"])
    assert header["type"] == "result"
    assert abs(sum(xyz[2::3]) / len(xyz[2::3])) < 0.5  # centred where the input was


def test_missing_models_are_a_fatal_message_and_a_crash_is_detected(tmp_path):
    c = WorkerClient(sys.executable, ROOT, ["--weights", str(tmp_path / "none"), "--device", "cpu"])
    header, _ = c.wait(0, timeout=120)
    assert header["type"] == "error" and header["fatal"] and "tiny_vae.safetensors" in header["message"]
    c.process.wait(60)
    assert not c.alive
    with pytest.raises(WorkerError, match="stopped"):
        c.send("hello")
    c.stop()
