"""The prompt lexicon of a trained chain, as `train.all`'s stage after the text encoder: the
WordNet lexicon (`lost_engine.data.wordnet_lexicon`) of the captions in the VAE's latent cache,
saved beside the model files, where the pipeline reads it.

    python -m train.lexicon --latents .cache/latents/tiny_vae/train.safetensors --people-words \\
        --export lost_engine/weights/tiny_lexicon.json

Without a WordNet 3.0 folder the stage is skipped with a message, not failed: the model then reads
prompts as typed (no plurals, typos or rarer names read as its nouns, no refusal of things it does
not know) until the lexicon is built with the same command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lost_engine.data import wordnet_lexicon


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--latents", type=Path, required=True, help="the latent cache the text encoder trained on")
    p.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"), help="a WordNet 3.0 dict folder")
    p.add_argument("--people-words", action="store_true", help="the text encoder was distilled on people's captions")
    p.add_argument("--export", type=Path, required=True, help="the lexicon file to write")
    args = p.parse_args(argv)
    people = ["--people-words"] if args.people_words else []
    if not (args.wordnet / "index.sense").is_file():
        print(
            f"lexicon skipped: no WordNet 3.0 in {args.wordnet} (Debian: apt install wordnet-base "
            "wordnet-sense-index); prompts are read as typed until it is built with: python -m train.lexicon "
            f"--latents {args.latents} {' '.join(people)} --export {args.export} --wordnet WORDNET_DIR",
            flush=True,
        )
        return
    args.export.parent.mkdir(parents=True, exist_ok=True)
    wordnet_lexicon.main(
        ["--wordnet", str(args.wordnet), "--latents", str(args.latents), *people, "--out", str(args.export)]
    )


if __name__ == "__main__":
    main()
