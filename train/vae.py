"""Stage 1: train the triplane VAE on the procedural set (default) or a mesh folder.

    python -m train.vae --preset tiny --steps 2000 --export lost_engine/weights/tiny_vae.safetensors
    torchrun --nproc_per_node 8 -m train.vae --preset paper --data /data/meshes ...

Loss: BCE on near-surface + uniform occupancy queries + kl_weight · KL. At the end the latent
normalisation (per-channel mean/std of posterior means over the training set) is measured and
stored in the model, the model is exported as safetensors, and the normalised latents of the
training and held-out sets are written to the latent cache.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from lost_engine.checkpoint import load_model, save_model
from lost_engine.data.datasets import build_dataset
from lost_engine.data.latents import LatentSet, encode_dataset, save_latents
from lost_engine.data.samples import SampleSpec
from lost_engine.data.sources import is_procedural
from lost_engine.models.triplane_vae import TriplaneVAE, TriplaneVAEConfig
from train.common import base_parser, export_extra, fit, init_from, main_first, model_config, param_groups, prepare_run


def parse_args(argv=None):
    p = base_parser(__doc__.split("\n\n")[0], "runs/vae")
    p.add_argument(
        "--data",
        default="procedural",
        help="'procedural', 'procedural:chair,table,…' (some categories) or a mesh folder ROOT/<category>/*.obj",
    )
    p.add_argument("--per-category", type=int, default=120, help="procedural training shapes per category")
    p.add_argument("--heldout-per-category", type=int, default=12)
    p.add_argument("--cache", type=Path, default=Path(".cache/shapes"))
    p.add_argument("--prep-workers", type=int, default=2)
    p.add_argument("--surface-points", type=int, default=1024, help="encoder input points per shape")
    p.add_argument("--queries", type=int, default=2048, help="occupancy queries per shape and step")
    p.add_argument("--kl-weight", type=float, default=1e-4)
    p.add_argument("--latents", type=Path, default=Path(".cache/latents"), help="latent cache folder")
    p.add_argument(
        "--latents-only",
        action="store_true",
        help="skip training: write the latent cache with the model already at --export",
    )
    p.add_argument(
        "--freeze-encoder",
        action="store_true",
        help="train the decoder only (with --init): the encoder and the latent normalisation stay "
        "those of the --init model, so its latent caches and every later stage stay valid",
    )
    return p.parse_args(argv)


def vae_loss(model, batch, kl_weight: float, n_points: int):
    pick = torch.randperm(batch["surface"].shape[1], device=batch["surface"].device)[:n_points]
    logits, posterior = model(batch["surface"][:, pick], batch["normals"][:, pick], batch["queries"])
    bce = F.binary_cross_entropy_with_logits(logits, batch["occupancy"])
    kl = posterior.kl().mean()
    return bce + kl_weight * kl, {"bce": bce.item(), "kl": kl.item()}


DECODER_PREFIXES = ("upsampler.", "mlp.")


def freeze_encoder(model: TriplaneVAE, init: Path | None) -> None:
    """Only the decoder (upsampler + occupancy MLP) keeps requires_grad. Every other tensor (the
    encoder, the latent normalisation buffers) must be copied from --init; a config whose encoder
    differs from the --init model's is refused (a fresh frozen encoder would train nothing useful)."""
    if init is None:
        raise SystemExit("--freeze-encoder needs --init MODEL.safetensors: the VAE whose encoder to keep")
    _, fresh = init_from(model, init)
    not_decoder = [name for name in fresh if not name.startswith(DECODER_PREFIXES)]
    if not_decoder:
        raise SystemExit(
            f"--freeze-encoder: {init} has no matching {', '.join(not_decoder[:3])}"
            f"{' …' if len(not_decoder) > 3 else ''}: the encoder must keep its config"
        )
    for name, param in model.named_parameters():
        param.requires_grad_(name.startswith(DECODER_PREFIXES))


@torch.no_grad()
def measure_latent_normalisation(vae: TriplaneVAE, dataset) -> None:
    """Per-channel mean/std of posterior means over the dataset, stored in the model's buffers."""
    vae.latent_shift.zero_(), vae.latent_scale.fill_(1.0)
    raw = encode_dataset(vae, dataset)  # (N, 3, C, R, R)
    channels = raw.transpose(0, 2).flatten(1)  # (C, ...)
    vae.latent_shift.copy_(channels.mean(1))
    vae.latent_scale.copy_(channels.std(1).clamp(min=1e-6))


def main(argv=None):
    args = parse_args(argv)
    d = prepare_run(args, "train.vae", argv)
    spec = SampleSpec()
    with main_first(d):
        train_set = build_dataset(
            args.data, "train", args.per_category, args.cache, spec, args.prep_workers, args.queries
        )
    if args.latents_only:
        model = load_model(args.export, "triplane_vae")
    else:
        model = TriplaneVAE(model_config(TriplaneVAEConfig, args)).to(d.device)
        if args.freeze_encoder:
            freeze_encoder(model, args.init)
        optimizer = torch.optim.AdamW(param_groups(model, 0.0), lr=args.lr)
        state = fit(
            args,
            d,
            model,
            optimizer,
            train_set,
            lambda module, batch: vae_loss(module, batch, args.kl_weight, args.surface_points),
        )
        if not d.main:
            return
        if not args.freeze_encoder:
            measure_latent_normalisation(model, train_set)
        if args.export:
            save_model(args.export, "triplane_vae", model, export_extra(args, state))
            print(f"exported {args.export}")
    export_latents(args, model, train_set, spec)


def export_latents(args, model: TriplaneVAE, train_set, spec: SampleSpec) -> None:
    """Normalised posterior means of the training and held-out shapes -> the latent cache."""
    heldout = (
        build_dataset(args.data, "heldout", args.heldout_per_category, args.cache, spec, args.prep_workers)
        if is_procedural(args.data)
        else None
    )
    stem = args.export.stem if args.export else "vae"
    for split, ds in (("train", train_set), ("heldout", heldout)):
        if ds is None:
            continue
        latents = LatentSet(
            encode_dataset(model, ds), ds.labels, list(ds.categories), ds.captions, [it.key for it in ds.items]
        )
        save_latents(args.latents / stem / f"{split}.safetensors", latents)
        print(f"latents {split}: {tuple(latents.latents.shape)} -> {args.latents / stem / f'{split}.safetensors'}")


if __name__ == "__main__":
    main()
