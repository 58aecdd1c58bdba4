import dataclasses
import math

import pytest
import torch

from lost_engine.checkpoint import load_model, save_model
from lost_engine.data.latents import LatentSet, load_latents, save_latents
from lost_engine.models.diffusion import CosineSchedule
from lost_engine.models.lost_tokenizer import LoSTTokenizer, LoSTTokenizerConfig, encoder_mask, tokenizer_loss
from lost_engine.models.rida import RIDAConfig, RIDAStudent
from lost_engine.sample_random import SampleRandom
from train import tokenizer as train_tokenizer

MICRO = LoSTTokenizerConfig(
    latent_channels=4,
    latent_resolution=8,
    patch=2,
    registers=8,
    token_dim=8,
    enc_width=32,
    enc_depth=2,
    enc_heads=2,
    dec_width=32,
    dec_depth=2,
    dec_heads=2,
    sample_steps=3,
)
MICRO_RIDA = RIDAConfig(latent_channels=4, latent_resolution=8, patch=2, width=32, depth=1, heads=2, teacher_dim=16)


def _model(seed=0) -> LoSTTokenizer:
    torch.manual_seed(seed)
    model = LoSTTokenizer(MICRO).eval()
    for p in model.parameters():  # adaLN-Zero starts as the identity; perturb so every path matters
        p.data.add_(0.05 * torch.randn_like(p))
    return model


def _latents(n=4, seed=1):
    return torch.randn(n, 3, 4, 8, 8, generator=torch.Generator().manual_seed(seed))


def test_encoder_mask_is_prefix_causal_among_registers_and_hides_registers_from_patches():
    mask = encoder_mask(3, 4)  # [cls, p, p, r0, r1, r2, r3]
    assert mask[:3, :3].all() and not mask[:3, 3:].any()
    assert mask[3:, :3].all()
    assert torch.equal(mask[3:, 3:], torch.ones(4, 4, dtype=torch.bool).tril())


def test_changing_register_j_leaves_earlier_tokens_unchanged():
    model, x = _model(), _latents()
    before = model.encode(x)
    j = 5
    with torch.no_grad():
        model.register_tokens[:, j] += torch.randn(MICRO.enc_width)  # (a constant shift would vanish in LayerNorm)
    after = model.encode(x)
    assert torch.equal(before[:, :j], after[:, :j])
    assert (before[:, j:] - after[:, j:]).abs().amax(dim=(0, 2)).min() > 1e-4


def test_tokens_are_standardised_per_token():
    tokens = _model().encode(_latents())
    assert tokens.shape == (4, 8, 8)
    assert torch.allclose(tokens.mean(-1), torch.zeros(4, 8), atol=1e-5)
    assert torch.allclose(tokens.var(-1, unbiased=False), torch.ones(4, 8), atol=1e-3)


def test_nested_dropout_draws_only_powers_of_two_up_to_k():
    model = _model()
    assert MICRO.prefix_lengths == [1, 2, 4, 8]
    lengths = model.sample_prefix_lengths(SampleRandom(torch.arange(2000)))
    counts = {k: int((lengths == k).sum()) for k in MICRO.prefix_lengths}
    assert sum(counts.values()) == 2000
    assert min(counts.values()) > 400  # uniform over the four lengths


def test_nested_dropout_decay_favours_short_prefixes():
    model = _model()
    lengths = model.sample_prefix_lengths(SampleRandom(torch.arange(3000)), decay=0.5)
    counts = [int((lengths == k).sum()) for k in MICRO.prefix_lengths]
    assert sum(counts) == 3000  # only the allowed lengths
    expected = [3000 * 0.5**i / (1 + 0.5 + 0.25 + 0.125) for i in range(4)]  # 1600, 800, 400, 200
    assert all(abs(c - e) < 0.15 * e for c, e in zip(counts, expected)), counts
    with pytest.raises(ValueError, match="decay must be > 0"):
        model.sample_prefix_lengths(SampleRandom(torch.arange(4)), decay=0.0)


def test_prefix_lengths_include_k_when_not_a_power_of_two():
    assert LoSTTokenizerConfig(registers=24).prefix_lengths == [1, 2, 4, 8, 16, 24]


def test_decode_works_for_every_prefix_length_and_depends_on_it():
    model = _model()
    tokens = model.encode(_latents(1))
    outs = [model.decode(tokens[:, :k], seed=3) for k in range(1, MICRO.registers + 1)]
    assert all(o.shape == (1, 3, 4, 8, 8) and torch.isfinite(o).all() for o in outs)
    assert all((a - b).abs().max() > 1e-5 for a, b in zip(outs, outs[1:]))


def test_decode_is_deterministic_under_a_seed():
    model = _model()
    tokens = model.encode(_latents(2))
    assert torch.equal(model.decode(tokens, seed=7), model.decode(tokens, seed=7))
    assert (model.decode(tokens, seed=7) - model.decode(tokens, seed=8)).abs().max() > 1e-4


def test_batched_prefix_decode_equals_one_at_a_time():
    model = _model()
    tokens = model.encode(_latents(1))
    ks = [1, 3, 8]
    batched = model.decode_prefixes(tokens, ks, seed=11)
    for row, k in zip(batched, ks):
        single = model.decode(tokens[:, :k], seed=11)[0]
        assert torch.allclose(row, single, atol=1e-5)


def test_prefix_lengths_outside_range_are_rejected():
    model = _model()
    tokens = model.encode(_latents(1))
    with pytest.raises(ValueError, match="1..8"):
        model.decode_prefixes(tokens, [0, 4])
    with pytest.raises(ValueError, match="1..8"):
        model.decode_prefixes(tokens, [9])


def test_semantic_loss_gradient_reaches_encoder_and_decoder_but_not_the_frozen_student():
    model = _model().train()
    torch.manual_seed(0)
    rida = RIDAStudent(MICRO_RIDA).eval().requires_grad_(False)
    torch.manual_seed(1)
    _, terms = tokenizer_loss(model, _latents(), rida, 1.0)
    torch.manual_seed(1)  # same t, noise and lengths: isolate the semantic term's gradient
    denoise_only, _ = tokenizer_loss(model, _latents(), None, 0.0)
    torch.manual_seed(1)
    total, _ = tokenizer_loss(model, _latents(), rida, 1.0)
    g_total = torch.autograd.grad(total, [model.enc_embed.weight, model.final.weight])
    g_denoise = torch.autograd.grad(denoise_only, [model.enc_embed.weight, model.final.weight])
    assert terms["semantic"] > 0
    for a, b in zip(g_total, g_denoise):
        assert (a - b).abs().max() > 1e-6  # the semantic term contributes a gradient
    assert all(p.grad is None for p in rida.parameters())


def test_train_steps_decrease_the_loss_on_a_fixed_batch():
    model = LoSTTokenizer(MICRO)
    x = _latents(8)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)

    def loss_now():
        torch.manual_seed(0)
        return tokenizer_loss(model, x, None, 0.0)[0]

    start = float(loss_now().detach())
    for _ in range(40):
        opt.zero_grad()
        loss_now().backward()
        opt.step()
    assert float(loss_now().detach()) < 0.7 * start


def test_save_load_reproduces_tokens_and_decodes(tmp_path):
    model = _model()
    path = save_model(tmp_path / "tok.safetensors", "lost_tokenizer", model)
    loaded = load_model(path, "lost_tokenizer")
    x = _latents(2)
    assert torch.equal(model.encode(x), loaded.encode(x))
    assert torch.equal(model.decode(model.encode(x), seed=1), loaded.decode(loaded.encode(x), seed=1))


def test_schedule_roundtrip_and_exact_sampling_of_a_point_mass():
    sched = CosineSchedule()
    x0, noise = torch.randn(5, 7), torch.randn(5, 7)
    t = torch.rand(5)
    x_t, v = sched.noisy(x0, noise, t)
    assert torch.allclose(sched.x0_from_v(x_t, v, t), x0, atol=1e-5)
    assert torch.allclose(sched.eps_from_v(x_t, v, t), noise, atol=1e-5)
    target = torch.tensor([0.3, -1.2])

    def oracle(x, t):  # the exact v for data = one point: eps = (x - α·target) / σ
        a, s = torch.cos(0.5 * math.pi * t)[:, None], torch.sin(0.5 * math.pi * t)[:, None]
        eps = (x - a * target) / s
        return a * eps - s * target

    for steps in (1, 4, 25):
        out = sched.sample(oracle, torch.randn(3, 2), steps)
        assert torch.allclose(out, target.expand(3, 2), atol=1e-5)


def test_tokenizer_stage_trains_exports_and_writes_the_token_cache(tmp_path):
    latents_dir = tmp_path / "latents"
    for split, n in (("train", 16), ("heldout", 4)):
        save_latents(
            latents_dir / f"{split}.safetensors",
            LatentSet(
                _latents(n, seed=n),
                torch.arange(n) % 2,
                ["a", "b"],
                [f"c{i}" for i in range(n)],
                [f"{split}{i}" for i in range(n)],
            ),
        )
    torch.manual_seed(0)
    rida_path = save_model(tmp_path / "rida.safetensors", "rida_student", RIDAStudent(MICRO_RIDA))
    export = tmp_path / "tok.safetensors"
    sets = [
        f"{f.name}={getattr(MICRO, f.name)}"
        for f in dataclasses.fields(MICRO)
        if f.name not in ("latent_channels", "latent_resolution")
    ]
    train_tokenizer.main(
        [
            "--steps",
            "6",
            "--batch-size",
            "4",
            "--warmup",
            "1",
            "--ckpt-every",
            "3",
            "--latents",
            str(latents_dir),
            "--rida",
            str(rida_path),
            "--out",
            str(tmp_path / "run"),
            "--export",
            str(export),
            "--tokens-cache",
            str(tmp_path / "tokens"),
            *[a for s in sets for a in ("--set", s)],
        ]
    )
    model = load_model(export, "lost_tokenizer")
    assert model.config.registers == 8
    tokens = load_latents(tmp_path / "tokens" / "tok" / "heldout.safetensors")
    assert tokens.latents.shape == (4, 8, 8) and tokens.keys == [f"heldout{i}" for i in range(4)]
    assert torch.allclose(
        tokens.latents, model.encode(load_latents(latents_dir / "heldout.safetensors").latents), atol=1e-5
    )


def test_high_noise_time_sampling_shifts_mass_towards_one():
    g = torch.Generator().manual_seed(0)
    uniform = CosineSchedule().sample_t(20000, generator=g)
    high = CosineSchedule().sample_t(20000, generator=g, power=2.0)
    assert abs(float(uniform.mean()) - 0.5) < 0.02 and abs(float(high.mean()) - 2 / 3) < 0.02
    assert float(high.min()) >= 1e-4 and float(high.max()) <= 1.0


def test_initialize_weights_starts_linears_xavier_and_keeps_zero_layers_at_zero():
    from lost_engine.models.lost_tokenizer import LoSTTokenizer, LoSTTokenizerConfig

    model = LoSTTokenizer(LoSTTokenizerConfig.preset("tiny"))
    assert model.final.weight.abs().max() == 0 and model.final_ada[1].weight.abs().max() == 0  # adaLN-Zero output
    assert all(block.ada[1].weight.abs().max() == 0 for block in model.dec_blocks)  # each block starts as identity
    w = model.enc_embed.weight
    bound = (6 / (w.shape[0] + w.shape[1])) ** 0.5  # xavier-uniform's bound
    assert w.abs().max() <= bound and w.abs().max() > 0.9 * bound and model.enc_embed.bias.abs().max() == 0
