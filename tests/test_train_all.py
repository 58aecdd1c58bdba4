import pytest

from train import all as train_all


def test_dry_run_lists_every_stage_in_order_with_resume(tmp_path, capsys):
    train_all.main(
        ["--dry-run", "--weights", str(tmp_path / "w"), "--runs", str(tmp_path / "r"), "--cache", str(tmp_path / "c")]
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("== ")]
    assert [line.split(":")[0][3:] for line in lines] == [
        "vae",
        "teacher",
        "rida",
        *["text"] * 2,
        "lexicon",
        *["tokenizer"] * 6,
        "gpt",
    ]
    lexicon = lines.pop(5)  # built from the VAE's training captions, knowing the distilled people's words
    assert lexicon.endswith(
        f"--latents {tmp_path / 'c' / 'latents' / 'tiny_vae' / 'train.safetensors'} --people-words "
        f"--export {tmp_path / 'w' / 'tiny_lexicon.json'}"
    )
    assert all("--resume" in line and "--preset tiny" in line for line in lines)
    assert "--init" not in lines[0] and lines[0].endswith("--set encoder=planes")  # one joint phase
    assert f"--export {tmp_path / 'w' / 'tiny_vae.safetensors'}" in lines[0]
    text1 = tmp_path / "r" / "text_phase1" / "model.safetensors"  # people's wordings distilled from the first
    assert "--distill" not in lines[3] and lines[3].endswith("--category-aware --backbone all-MiniLM-L6-v2")
    assert lines[4].endswith(
        f"--distill --steps 4000 --batch-size 128 --lr 5e-4 --warmup 50 --backbone all-MiniLM-L6-v2 --init {text1}"
    )
    assert (
        "--categories chair,stool," in lines[4] and f"--export {tmp_path / 'w' / 'tiny_text.safetensors'}" in lines[4]
    )
    lines = lines[:3] + lines[4:]  # the tokenizer phases and the GPT below
    assert f"--rida {tmp_path / 'w' / 'tiny_rida.safetensors'}" in lines[4]  # the tokenizer reads the RIDA stage's file
    phase = {i: tmp_path / "r" / f"tokenizer_phase{i}" / "model.safetensors" for i in range(1, 6)}
    assert f"--out {phase[1].parent} --export {phase[1]}" in lines[4] and "token_dim" not in lines[4]
    assert lines[5].endswith(
        f"--set token_dim=4 --semantic-weight 0 --init {phase[1]}"
    )  # each phase from the one before
    assert lines[7].endswith(f"--set token_dim=4 --semantic-weight 0 --init {phase[3]}")
    assert lines[8].endswith(f"--set token_dim=4 --set dec_depth=6 --semantic-weight 0 --init {phase[4]}")  # deeper DiT
    assert lines[9].endswith(f"--set token_dim=4 --set dec_depth=6 --semantic-weight 0.3 --init {phase[5]}")
    assert f"--export {tmp_path / 'w' / 'tiny_tokenizer.safetensors'}" in lines[9]
    assert all("--export" in line and "tiny_tokenizer.safetensors" not in line for line in lines[4:9])
    weights = [line.split()[line.split().index("--semantic-weight") + 1] for line in lines[4:10]]
    assert weights == ["0"] * 5 + ["0.3"]  # the semantic term in the last phase only
    assert f"--tokens {tmp_path / 'c' / 'tokens' / 'tiny_tokenizer'}" in lines[10]  # the final tokenizer's token cache


def test_finished_stages_are_skipped(tmp_path, capsys):
    weights, cache = tmp_path / "w", tmp_path / "c"
    weights.mkdir()
    (weights / "tiny_rida.safetensors").write_bytes(b"x")
    (weights / "tiny_vae.safetensors").write_bytes(b"x")  # model file but no latent cache: not done
    train_all.main(["--dry-run", "--weights", str(weights), "--cache", str(cache)])
    out = capsys.readouterr().out
    assert "== rida: done, skipped" in out and "== vae: python -m train.vae" in out


def test_the_lexicon_stage_without_wordnet_is_skipped_with_the_command_that_builds_it(tmp_path, capsys):
    from train import lexicon as train_lexicon

    out = tmp_path / "w" / "tiny_lexicon.json"
    train_lexicon.main(
        ["--latents", "lat.safetensors", "--people-words", "--export", str(out), "--wordnet", str(tmp_path)]
    )
    message = capsys.readouterr().out
    assert not out.exists() and "no WordNet 3.0" in message
    assert f"--latents lat.safetensors --people-words --export {out}" in message


def test_every_stage_s_code_is_loaded_before_the_first_stage_runs(tmp_path, monkeypatch):
    """A stage that starts hours later must run the code of the moment the chain started, not a
    mix with sources edited since (the lexicon stage once died of that)."""
    import importlib
    import sys

    plan = train_all.stage_plan("tiny", tmp_path / "w", tmp_path / "r", "procedural", tmp_path / "c")
    later = {f"train.{stage}" for stage, _, _ in plan} - {"train.vae"}
    for module in later:
        monkeypatch.delitem(sys.modules, module, raising=False)
    seen = {}

    def first_stage(argv):  # stands in for the VAE: by now every later stage must be loaded
        seen["loaded"] = later & set(sys.modules)
        raise SystemExit(0)

    monkeypatch.setattr(importlib.import_module("train.vae"), "main", first_stage)
    with pytest.raises(SystemExit):
        train_all.main(["--weights", str(tmp_path / "w"), "--runs", str(tmp_path / "r"), "--cache", str(tmp_path)])
    assert seen["loaded"] == later
