import json

from lost_engine.cli import main as cli


def test_demo_generates_every_power_of_two_level(micro_weights, tmp_path):
    assert cli(["demo", "a small house", "--out", str(tmp_path), "--weights", str(micro_weights)]) == 0
    summary = json.loads((tmp_path / "a_small_house_s0_summary.json").read_text())
    assert summary["tokens"] == [1, 2, 4, 8] and len(summary["meshes"]) == 4
    assert (tmp_path / "a_small_house_s0_sheet.png").stat().st_size > 0


def test_empty_prompt_exits_2_with_a_message(tmp_path, capsys):
    assert cli(["demo", "   ", "--out", str(tmp_path)]) == 2
    assert "empty prompt" in capsys.readouterr().err
