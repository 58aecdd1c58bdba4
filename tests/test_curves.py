import json

import numpy as np
import pytest

from lost_engine.cli import main
from lost_engine.evaluation.curves import chain_phases, moving_average, read_log


def _write_log(folder, entries):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))
    return folder


def test_resumed_steps_keep_the_last_logged_value(tmp_path):
    # a run stopped after step 40, resumed from its step-20 checkpoint: steps 40 is logged twice
    run = _write_log(
        tmp_path / "run",
        [{"step": 20, "bce": 0.5}, {"step": 40, "bce": 0.4}, {"step": 40, "bce": 0.35}, {"step": 60, "bce": 0.3}],
    )
    steps, values = read_log(run, "bce")
    assert steps.tolist() == [20, 40, 60]
    assert values.tolist() == [0.5, 0.35, 0.3]


def test_phases_continue_each_other(tmp_path):
    a = _write_log(tmp_path / "a", [{"step": s, "loss": 1.0} for s in (10, 20, 30)])
    b = _write_log(tmp_path / "b", [{"step": s, "loss": 0.5} for s in (10, 20)])
    (sa, _), (sb, vb) = chain_phases([a, b / "log.jsonl"], "loss")
    assert sa.tolist() == [10, 20, 30]
    assert sb.tolist() == [40, 50]
    assert vb.tolist() == [0.5, 0.5]


def test_moving_average_is_trailing():
    assert np.allclose(moving_average(np.array([1.0, 3.0, 5.0, 7.0]), 2), [1.0, 2.0, 4.0, 6.0])


def test_missing_key_and_bad_line_are_clear_errors(tmp_path):
    run = _write_log(tmp_path / "run", [{"step": 20, "loss": 0.5, "bce": 0.4}])
    with pytest.raises(ValueError, match=r"no 'denoise' logged \(keys: bce, loss\)"):
        read_log(run, "denoise")
    (run / "log.jsonl").write_text('{"step": 20, "loss": 0.5}\nnot json\n')
    with pytest.raises(ValueError, match=r"log.jsonl:2: not a JSON line"):
        read_log(run, "loss")


def test_curve_command_writes_png_and_summary(tmp_path, capsys):
    a = _write_log(tmp_path / "joint", [{"step": s, "bce": 1.0 / s} for s in range(20, 220, 20)])
    b = _write_log(tmp_path / "dec", [{"step": s, "bce": 0.001} for s in range(20, 120, 20)]) / "log.jsonl"
    out = tmp_path / "curve.png"
    assert main(["curve", str(a), str(b), "--key", "bce", "--smooth", "2", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "joint: steps 20-200, bce 0.0375 -> 0.0053" in printed  # (1/20 + 1/40) / 2 -> (1/180 + 1/200) / 2
    assert "dec: steps 220-300, bce 0.0010 -> 0.0010" in printed
    assert main(["curve", str(a), "--label", "x", "--label", "y", "--out", str(out)]) == 2


def test_curve_labels_default_to_the_run_folder_or_file_name(tmp_path, capsys):
    run = _write_log(tmp_path / "vae_run", [{"step": 20, "bce": 0.5}])
    saved = tmp_path / "vae_decoder_only.jsonl"
    saved.write_text((run / "log.jsonl").read_text())
    assert main(["curve", str(run), str(saved), "--key", "bce", "--out", str(tmp_path / "c.png")]) == 0
    printed = capsys.readouterr().out
    assert "vae_run: steps 20-20" in printed and "vae_decoder_only: steps 40-40" in printed
