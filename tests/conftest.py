import numpy as np
import pytest
import torch

torch.set_num_threads(2)


def icosphere(subdivisions: int = 3, radius: float = 0.5):
    import trimesh

    m = trimesh.creation.icosphere(subdivisions=subdivisions, radius=radius)
    return np.asarray(m.vertices, np.float32), np.asarray(m.faces, np.int64)


@pytest.fixture
def sphere_mesh():
    return icosphere()


@pytest.fixture(scope="session")
def micro_weights(tmp_path_factory):
    """A folder of micro model files with the embedded defaults' names: a VAE trained for a few
    steps on spheres of two sizes (so decodes give non-empty meshes whose size follows the
    latent), a tokenizer matching its latents, and
    a text encoder and GPT matching the tokens (random weights)."""
    import torch.nn.functional as F

    from lost_engine.checkpoint import save_model
    from lost_engine.geometry import sample_surface
    from lost_engine.models.gpt import GPTConfig, LoSTGPT
    from lost_engine.models.lost_tokenizer import LoSTTokenizer, LoSTTokenizerConfig
    from lost_engine.text import TextEncoder, TextEncoderConfig
    from lost_engine.models.triplane_vae import TriplaneVAE, TriplaneVAEConfig

    folder = tmp_path_factory.mktemp("micro_weights")
    torch.manual_seed(0)
    vae = TriplaneVAE(
        TriplaneVAEConfig(
            latent_channels=4,
            latent_resolution=4,
            width=32,
            heads=2,
            self_attention_blocks=1,
            fourier_freqs=4,
            decoder_channels=16,
            feature_channels=8,
            feature_resolution=16,
            mlp_width=32,
            mlp_layers=3,
        )
    )
    radii = torch.tensor([0.3, 0.3, 0.7, 0.7])  # two sizes, so that the latent matters
    clouds = [sample_surface(*icosphere(3, float(r)), 256, np.random.default_rng(0)) for r in radii]
    pts = torch.stack([torch.from_numpy(c[0]) for c in clouds])
    normals = torch.stack([torch.from_numpy(c[1]) for c in clouds])
    opt = torch.optim.AdamW(vae.parameters(), lr=3e-3)
    for step in range(80):
        q = torch.rand(4, 512, 3, generator=torch.Generator().manual_seed(step)) * 2 - 1
        logits, _ = vae(pts, normals, q)
        loss = F.binary_cross_entropy_with_logits(logits, (q.norm(dim=-1) < radii[:, None]).float())
        opt.zero_grad(), loss.backward(), opt.step()
    save_model(folder / "tiny_vae.safetensors", "triplane_vae", vae.eval())
    tokenizer = LoSTTokenizer(
        LoSTTokenizerConfig(
            latent_channels=4,
            latent_resolution=4,
            patch=2,
            registers=8,
            token_dim=8,
            enc_width=32,
            enc_depth=1,
            enc_heads=2,
            dec_width=32,
            dec_depth=1,
            dec_heads=2,
            sample_steps=2,
        )
    )
    for p in tokenizer.parameters():  # adaLN-Zero starts as the identity; perturb so tokens matter
        p.data.add_(0.05 * torch.randn_like(p))
    save_model(folder / "tiny_tokenizer.safetensors", "lost_tokenizer", tokenizer.eval())
    text = TextEncoder(TextEncoderConfig(context_length=16, width=32, heads=2, layers=1, embed_dim=16))
    save_model(folder / "tiny_text.safetensors", "text_encoder", text.eval(), half=True)
    gpt = LoSTGPT(
        GPTConfig(
            tokens=8, token_dim=8, cond_dim=16, width=32, depth=1, heads=2, head_width=32, head_depth=1, head_steps=3
        )
    )
    for p in gpt.parameters():
        p.data.add_(0.05 * torch.randn_like(p))
    save_model(folder / "tiny_gpt.safetensors", "lost_gpt", gpt.eval())
    return folder


@pytest.fixture(scope="session")
def tiny_sentence_model(tmp_path_factory):
    """A folder holding a BERT-style sentence encoder as the packaged one is laid out (config,
    model.safetensors, tokenizer files), random weights, 16-d, a vocabulary of a few words."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny_sentence_model")
    words = "a an the wooden chair lamp tall red for of with to moon what astronauts ride seat legs".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    BertTokenizerFast(vocab={word: i for i, word in enumerate(vocab)}).save_pretrained(str(folder))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=12,
    )
    BertModel(config).save_pretrained(str(folder), safe_serialization=True)
    return folder
