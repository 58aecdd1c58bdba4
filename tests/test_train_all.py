from train import all as train_all


def test_dry_run_lists_every_stage_in_order_with_resume(tmp_path, capsys):
    train_all.main(["--dry-run", "--weights", str(tmp_path / "w"), "--runs", str(tmp_path / "r"), "--cache", str(tmp_path / "c")])
    lines = [l for l in capsys.readouterr().out.splitlines() if l.startswith("== ")]
    assert [l.split(":")[0][3:] for l in lines] == ["vae"] * 2 + ["teacher", "rida", "text", *["tokenizer"] * 4, "gpt"]
    assert all("--resume" in l and "--preset tiny" in l for l in lines)
    vae1 = tmp_path / "r" / "vae_phase1" / "model.safetensors"  # the decoder-only phase starts from the joint one
    assert "--freeze-encoder" not in lines[0] and lines[1].endswith(f"--freeze-encoder --init {vae1}")
    assert f"--export {tmp_path / 'w' / 'tiny_vae.safetensors'}" in lines[1]
    assert f"--rida {tmp_path / 'w' / 'tiny_rida.safetensors'}" in lines[5]  # the tokenizer reads the RIDA stage's file
    phase1, phase3 = tmp_path / "r" / "tokenizer_phase1", tmp_path / "r" / "tokenizer_phase3"  # each phase from the one before
    assert f"--out {phase1} --export {phase1 / 'model.safetensors'}" in lines[5] and "token_dim" not in lines[5]
    assert lines[6].endswith(f"--set token_dim=4 --semantic-weight 0 --init {phase1 / 'model.safetensors'}")
    assert lines[8].endswith(f"--set token_dim=4 --init {phase3 / 'model.safetensors'}")
    assert f"--export {tmp_path / 'w' / 'tiny_tokenizer.safetensors'}" in lines[8]
    assert "--export" in lines[7] and "tiny_tokenizer.safetensors" not in lines[7]
    assert all("--semantic-weight 0" in l for l in lines[5:8]) and "--semantic-weight" not in lines[8]  # λ = 1 last
    assert f"--tokens {tmp_path / 'c' / 'tokens' / 'tiny_tokenizer'}" in lines[9]  # the final tokenizer's token cache


def test_finished_stages_are_skipped(tmp_path, capsys):
    weights, cache = tmp_path / "w", tmp_path / "c"
    weights.mkdir()
    (weights / "tiny_rida.safetensors").write_bytes(b"x")
    (weights / "tiny_vae.safetensors").write_bytes(b"x")  # model file but no latent cache: not done
    train_all.main(["--dry-run", "--weights", str(weights), "--cache", str(cache)])
    out = capsys.readouterr().out
    assert "== rida: done, skipped" in out and "== vae: python -m train.vae" in out
