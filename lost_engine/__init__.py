"""LoST: Level-of-Semantics tokenization for 3D shapes — training and inference library."""

from pathlib import Path

__version__ = "0.1.0"
WEIGHTS = Path(__file__).resolve().parent / "weights"  # the embedded default model files
