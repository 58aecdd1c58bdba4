#!/bin/bash
# docs/training.md "Weight initialisation": bash docs/init_comparison.sh OLD_COMMIT (run from anywhere; writes /tmp/initcmp)
# Same short runs from the old init (a worktree at the given commit) and the new one; prints step-0 and last losses.
set -e
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
OLD=$1; W=/tmp/initcmp; rm -rf $W; mkdir -p $W
git -C $ROOT worktree remove --force /tmp/oldtree 2>/dev/null || true
git -C $ROOT worktree add -f /tmp/oldtree $OLD >/dev/null 2>&1
ln -sfn $ROOT/.venv /tmp/oldtree/.venv
DATA="procedural:chair,table,lamp,mug,car,tree"
for name in old new; do
  T=$([ $name = old ] && echo /tmp/oldtree || echo $ROOT); R=$W/$name
  cd $T
  PYTHONPATH=$T $ROOT/.venv/bin/python -m train.vae --preset tiny --data $DATA --per-category 8 --heldout-per-category 1 \
    --steps 150 --batch-size 8 --lr 1e-3 --warmup 10 --cache $W/shapes --prep-workers 1 --out $R/vae --export $R/vae.safetensors \
    --latents $R/lat --log-every 1 --threads 2 > $R.vae.log 2>&1
  PYTHONPATH=$T $ROOT/.venv/bin/python -m train.tokenizer --preset tiny --latents $R/lat/vae --semantic-weight 0 --steps 150 \
    --batch-size 16 --out $R/tok --export $R/tok.safetensors --tokens-cache $R/tokens --log-every 1 --threads 2 > $R.tok.log 2>&1
  # both GPTs learn the same tokens (the old tokenizer's), so only their start differs
  PYTHONPATH=$T $ROOT/.venv/bin/python -m train.gpt --preset tiny --tokens $W/old/tokens/tok --text $ROOT/lost_engine/weights/tiny_text.safetensors \
    --steps 150 --batch-size 16 --out $R/gpt --export $R/gpt.safetensors --log-every 1 --threads 2 > $R.gpt.log 2>&1
done
for stage in vae tok gpt; do
  for name in old new; do
    python3 - "$W/$name/$stage/log.jsonl" "$stage" "$name" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rows = [r for r in rows if "loss" in r]
print(f"{sys.argv[2]:4s} {sys.argv[3]}: step {rows[0]['step']} loss {rows[0]['loss']:.4f}; steps {rows[-10]['step']}-{rows[-1]['step']} mean loss {sum(r['loss'] for r in rows[-10:])/10:.4f}")
PY
  done
done
