#!/usr/bin/env bash
# The prepared GPU run on a lent device machine (docs/gpu_run.md).
#   bash bench/gpu_device.sh wheels     here: fetch the packages its image lacks into .whl/ (git-ignored)
#   bash bench/gpu_device.sh run OUT    there (the device tool's run, carry [".whl"]): install them, run gpu-run
# The device image has Python 3.12 with torch, torchvision, timm, scipy, safetensors, pillow and tqdm;
# nothing can be downloaded there, so the rest travels as wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
wheels)
    grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 \
        -d .whl open_clip_torch==3.3.0 pymcubes==0.1.6 trimesh==5.2.0 libigl==2.6.3 \
        fast-simplification==0.2.0 ftfy==6.3.1 wcwidth==0.2.13
    du -sh .whl ;;
run)
    out="${2:?usage: gpu_device.sh run OUT}"
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
    export PYTHONPATH="/tmp/site:$PWD" PYTHONUNBUFFERED=1
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$out/gpu.txt"
    python3 bench/gpu_run.py --out "$out" 2>&1 | tee "$out/run.log" ;;
*)
    echo "usage: bash bench/gpu_device.sh wheels | run OUT" >&2
    exit 2 ;;
esac
