import json

import numpy as np
import pytest
import torch

from lost_engine.data.procedural import REAL_SIZE_M
from lost_engine.cli import main as cli
from lost_engine.geometry import read_mesh, write_mesh
from lost_engine.pipeline import Cancelled, OutsideWorld, Pipeline

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
    default_steps = pipe.decode(tokens, [8], steps=0, seed=3)[8]  # 0 (the add-on's default): the model's steps
    assert default_steps.seconds == 0.0 and np.array_equal(default_steps.vertices, first[8].vertices)
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
    assert (
        cli(
            [
                "encode",
                str(src),
                "--tokens",
                "1,4,8",
                "--out",
                str(out),
                "--weights",
                str(micro_weights),
                "--resolution",
                "24",
                "--device",
                "cpu",
            ]
        )
        == 0
    )
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
    assert (
        cli(["encode", str(good), "--tokens", "1,99", "--out", str(tmp_path / "o"), "--weights", str(micro_weights)])
        == 2
    )
    assert "1..8" in capsys.readouterr().err


def test_generation_is_deterministic_and_variations_keep_the_prefix(pipe):
    a, b = pipe.generate("a wooden chair", seed=1), pipe.generate("a wooden chair", seed=1)
    assert a.tokens.shape == (8, 8) and torch.equal(a.tokens, b.tokens)
    assert (pipe.generate("a wooden chair", seed=2).tokens - a.tokens).abs().max() > 1e-3
    var = pipe.variation(a, keep=3, seed=7)
    assert torch.equal(var.tokens[:3], a.tokens[:3]) and (var.tokens[3:] - a.tokens[3:]).abs().max() > 1e-3
    levels = pipe.decode(a.tokens, [1, 8], seed=1)
    assert all(len(level.faces) > 0 for level in levels.values())


def test_generation_rejects_empty_prompts_and_truncates_long_ones(pipe):
    for prompt in ("", "   "):
        with pytest.raises(ValueError, match="empty prompt"):
            pipe.generate(prompt)
    long = pipe.generate("a chair " * 40)
    assert len(long.warnings) == 1 and 'not read: "a chair a chair' in long.warnings[0]
    assert pipe.generate("a chair").warnings == ()


def test_generate_command_writes_levels_summary_and_keeps_existing_files(micro_weights, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert (
        cli(
            [
                "generate",
                "a tall lamp",
                "--tokens",
                "1,2,8",
                "--out",
                str(out),
                "--weights",
                str(micro_weights),
                "--resolution",
                "24",
                "--format",
                "ply",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    summary = json.loads((out / "a_tall_lamp_s3_summary.json").read_text())
    assert summary["tokens"] == [1, 2, 8] and set(summary["meshes"]) == {"1", "2", "8"}
    assert all(read_mesh(path)[1].shape[0] > 0 for path in summary["meshes"].values())
    assert summary["seconds"]["total"] > 0 and (out / "mine.txt").read_text() == "keep me"


def test_generate_command_bad_input_exits_2_with_a_clear_message(micro_weights, tmp_path, capsys):
    assert cli(["generate", "  ", "--out", str(tmp_path), "--weights", str(micro_weights)]) == 2
    assert "empty prompt" in capsys.readouterr().err
    assert cli(["generate", "a chair", "--tokens", "0,4", "--out", str(tmp_path), "--weights", str(micro_weights)]) == 2
    assert "1..8" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in micro_weights.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    (broken / "tiny_gpt.safetensors").write_bytes(b"\x00" * 10)
    assert cli(["generate", "a chair", "--out", str(tmp_path / "o"), "--weights", str(broken)]) == 2
    assert "tiny_gpt.safetensors" in capsys.readouterr().err
    (broken / "tiny_tokenizer.safetensors").unlink()
    assert cli(["generate", "a chair", "--out", str(tmp_path / "o"), "--weights", str(broken)]) == 2
    assert "tiny_tokenizer.safetensors" in capsys.readouterr().err


def test_the_embedded_model_names_what_a_prompt_asks_for_and_says_what_it_does_not_know():
    pipe = Pipeline.load(resolution=32)
    chair = pipe.generate("a tall wooden chair", seed=0)
    assert chair.category == "chair" and chair.size_m == REAL_SIZE_M["chair"] and chair.warnings == ()
    with pytest.raises(OutsideWorld) as refused:  # an adjective the lexicon lacks is not blamed
        pipe.generate("a fierce dragon", seed=0)
    assert str(refused.value).startswith("this model does not know 'dragon'; it makes: chair, stool, table")


def test_named_category_reads_the_head_noun_of_a_prompt():
    from lost_engine.data.procedural import named_category

    assert named_category("a lamp on a table") == "lamp"
    assert named_category("a table lamp") == "lamp"
    assert named_category("a Bar Stool") == "stool"
    assert named_category("a fierce dragon") is None


def test_decodes_lose_their_floaters(pipe):
    tokens = pipe.generate("a wooden chair", seed=1).tokens
    from lost_engine.geometry import count_parts

    for level in pipe.decode(tokens, [1, 8], seed=1).values():
        assert count_parts(level.vertices, level.faces, 0.0) == count_parts(level.vertices, level.faces, 0.01)


def test_a_projected_text_encoder_over_a_sentence_model_drives_generation(micro_weights, tiny_sentence_model, tmp_path):
    """The same model files with the text encoder swapped for a head over a (tiny) pretrained
    sentence encoder: the pipeline loads it from its file and generates from its embeddings."""
    import shutil

    from lost_engine.checkpoint import save_model
    from lost_engine.text import ProjectedTextConfig, ProjectedTextEncoder

    weights = tmp_path / "weights"
    shutil.copytree(micro_weights, weights)
    torch.manual_seed(0)
    head = ProjectedTextEncoder(ProjectedTextConfig(backbone=str(tiny_sentence_model), backbone_dim=16, embed_dim=16))
    save_model(weights / "tiny_text.safetensors", head.kind, head.eval(), half=True)
    pipe = Pipeline.load(weights, "cpu", resolution=24)
    assert isinstance(pipe.text, ProjectedTextEncoder)
    chair, lamp = pipe.generate("a wooden chair", seed=0), pipe.generate("a tall red lamp", seed=0)
    assert chair.tokens.shape == (8, 8) and not torch.equal(chair.tokens, lamp.tokens)
    with pytest.raises(ValueError, match="empty prompt"):
        pipe.generate("  ", seed=0)
