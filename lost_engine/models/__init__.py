"""Learnable models. Importing this package registers every model kind for checkpoint loading."""

from . import gpt, lost_tokenizer, rida, triplane_vae  # noqa: F401
from .. import text  # noqa: F401
from ..teachers import render_ssl  # noqa: F401
