"""LoST: Level-of-Semantics tokenization for 3D shapes — training and inference library."""
__version__ = "0.1.0"
