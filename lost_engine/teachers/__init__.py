"""Frozen 2-D teachers behind one interface (see base.Teacher)."""

from __future__ import annotations

from pathlib import Path

from .base import Teacher, pool_tokens

BACKENDS = ("render_ssl", "dinov2", "openclip_image")


def load_teacher(backend: str, weights: str | Path, **options) -> Teacher:
    """backend: render_ssl (a project model file), dinov2 or openclip_image (local weights files)."""
    if backend == "render_ssl":
        from ..checkpoint import load_model

        return load_model(weights, "render_ssl_teacher").requires_grad_(False)
    if backend == "dinov2":
        from .dinov2 import DinoV2Teacher

        return DinoV2Teacher(weights, **options)
    if backend == "openclip_image":
        from .openclip_image import OpenClipImageTeacher

        return OpenClipImageTeacher(weights, **options)
    raise ValueError(f"unknown teacher backend {backend!r}; choose from {', '.join(BACKENDS)}")


__all__ = ["Teacher", "pool_tokens", "load_teacher", "BACKENDS"]
