"""Learnable models. Importing this package registers every model kind for checkpoint loading."""
from . import triplane_vae  # noqa: F401
