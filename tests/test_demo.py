import json

import pytest

from lost_engine.cli import DEFAULT_VAE, main as cli
from lost_engine.demo import category_of


def test_prompts_map_to_the_category_they_name():
    assert category_of("a wooden chair") == "chair"
    assert category_of("A tall Bar Stool") == "stool"
    assert category_of("jet with swept wings") == "airplane"
    assert category_of("something unknown") == "chair"


def test_empty_prompt_exits_2_with_a_message(tmp_path, capsys):
    assert cli(["demo", "   ", "--out", str(tmp_path)]) == 2
    assert "empty prompt" in capsys.readouterr().err


@pytest.mark.skipif(not DEFAULT_VAE.exists(), reason="embedded VAE weights not present")
def test_demo_round_trips_a_shape_through_the_embedded_vae(tmp_path):
    assert cli(["demo", "a small house", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["category"] == "house"
    assert (tmp_path / "house_vae.obj").stat().st_size > 1000
    assert (tmp_path / "contact_sheet.png").exists()
